"""An evidence pack for inspectors: the plan as it stood on a day (PDF), the evidence of the actions done by then,
their approval chains and a manifest of SHA-256 hashes; the same plan and day give the same bytes; the checker
finds any file changed, added or removed; a stored file altered since its upload stops the pack. Plan managers
make it on the plan's page (by the worker) or on the command line; anyone else is refused."""

import csv
import hashlib
import io
import json
import zipfile
from datetime import date
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from actiontrack.core import files as file_store
from actiontrack.core.journal import Actor
from actiontrack.plans.models import Action, Plan
from actiontrack.plans.selectors.evidence import evidence_path
from actiontrack.plans.services import evidence, workflow
from actiontrack.reports.evidence_pack import EvidenceAltered, evidence_pack, verify

from .readback import pdf_text

DONE_ON, VERIFIED_ON, LATER = date(2021, 12, 6), date(2021, 12, 8), date(2022, 1, 10)
MINUTES = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n minutes of the Protection board"


def action(ref) -> Action:
    return Action.objects.get(plan__reference="PIP-PR", ref=ref)


@pytest.fixture
def record(demo, owner, verifier):
    """5.1 completed with a file and a link and verified; 3.1 completed with a file only after the day packed."""
    item = evidence.evidence_add_file(actor=Actor.of(owner), action=action("5.1"), title="Board minutes",
                                      upload=SimpleUploadedFile("Minutes: May 2022.pdf", MINUTES), today=DONE_ON)
    evidence.evidence_add_link(actor=Actor.of(owner), action=action("5.1"), title="Structure chart",
                               url="https://intranet.example.org/structure", today=DONE_ON)
    workflow.action_complete(actor=Actor.of(owner), action=action("5.1"), completed_on=DONE_ON, today=DONE_ON)
    workflow.action_verify(actor=Actor.of(verifier), action=action("5.1"), today=VERIFIED_ON,
                           comment="Minutes show the structure agreed.")
    return item


def members(pack: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(pack)) as z:
        return {name: z.read(name) for name in z.namelist()}


def rezip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, content in entries.items():
            z.writestr(name, content)
    return out.getvalue()


def test_the_pack_holds_the_plan_the_evidence_and_who_approved_it(record, tmp_path, owner, verifier):
    plan = Plan.objects.get(reference="PIP-PR")
    pack = members(evidence_pack(plan, VERIFIED_ON))
    slug = action("5.1").slug
    assert pack[f"evidence/{slug}/Minutes_ May 2022.pdf"] == MINUTES  # a name safe in any zip tool
    (tmp_path / "plan.pdf").write_bytes(pack["plan-as-at-2021-12-08.pdf"])
    text = pdf_text(tmp_path / "plan.pdf")
    assert "The plan as it stood on 8 December 2021" in text and "Restructure of the Protection function" in text
    approvals = list(csv.DictReader(io.StringIO(pack["approvals.csv"].decode("utf-8-sig"))))
    chain = [(row["step"], row["by"], row["effective_on"]) for row in approvals if row["action"] == "5.1"]
    assert chain[-2:] == [("Completed by the owner", owner.get_full_name(), "2021-12-06"),
                          ("Verified and closed", verifier.get_full_name(), "2021-12-08")]
    verified = next(row for row in approvals if row["action"] == "5.1" and row["step"] == "Verified and closed")
    assert verified["comment"] == "Evidence verified (2 items): Minutes show the structure agreed."
    links = list(csv.DictReader(io.StringIO(pack["evidence-links.csv"].decode("utf-8-sig"))))
    assert [(row["action"], row["url"]) for row in links] == [("5.1", "https://intranet.example.org/structure")]
    # The demo's invented audits measure (recommendation 4): its values for the quarters begun by the day.
    measures = list(csv.DictReader(io.StringIO(pack["measures.csv"].decode("utf-8-sig"))))
    assert measures and {row["recommendation"] for row in measures} == {"4"}
    assert all(row["target"] and row["rating"].split(" – ")[0] in ("Green", "Amber", "Red") for row in measures)
    assert "Measures against their targets" in text
    manifest = json.loads(pack["manifest.json"])
    assert {entry["path"]: entry["sha256"] for entry in manifest["files"]} == {
        path: hashlib.sha256(content).hexdigest() for path, content in pack.items()
        if path not in ("manifest.json", "manifest.sha256")}
    assert pack["manifest.sha256"].decode() == f"{hashlib.sha256(pack['manifest.json']).hexdigest()}  manifest.json\n"
    assert "5.1" in manifest["actions_completed_or_closed"]


def test_the_same_plan_and_day_give_the_same_bytes_and_later_work_is_not_in_it(record, owner):
    plan = Plan.objects.get(reference="PIP-PR")
    first = evidence_pack(plan, VERIFIED_ON)
    evidence.evidence_add_link(actor=Actor.of(owner), action=action("3.1"), title="Later paper",
                               url="https://intranet.example.org/later", today=LATER)
    workflow.action_complete(actor=Actor.of(owner), action=action("3.1"), completed_on=LATER, today=LATER)
    assert evidence_pack(plan, VERIFIED_ON) == first  # byte for byte, though the plan moved on since
    later = members(evidence_pack(plan, LATER))
    assert "3.1" in json.loads(later["manifest.json"])["actions_completed_or_closed"]
    assert "3.1" not in json.loads(members(first)["manifest.json"])["actions_completed_or_closed"]


def test_the_checker_finds_a_file_changed_added_or_removed_and_a_changed_manifest(record):
    pack = members(evidence_pack(Plan.objects.get(reference="PIP-PR"), VERIFIED_ON))
    assert verify(rezip(pack)).intact
    evidence_file = next(path for path in pack if path.startswith("evidence/"))
    changed = verify(rezip({**pack, evidence_file: pack[evidence_file] + b" "}))
    assert changed.problems == (f"{evidence_file} was changed: its SHA-256 is not the one in the manifest.",)
    assert "approvals.csv is missing." in verify(rezip({k: v for k, v in pack.items() if k != "approvals.csv"}
                                                       )).problems
    assert verify(rezip({**pack, "evidence/extra.pdf": b"x"})).problems == (
        "evidence/extra.pdf was added: it is not in the manifest.",)
    forged = pack["manifest.json"].replace(b'"2021-12-08"', b'"2021-12-09"')
    assert "manifest.json was changed" in verify(rezip({**pack, "manifest.json": forged})).problems[0]
    assert not verify(b"not a zip").intact


def test_a_stored_file_altered_since_its_upload_stops_the_pack(record):
    file_store.save_bytes(evidence_path(record), MINUTES + b" altered")
    with pytest.raises(EvidenceAltered, match="no longer matches the SHA-256"):
        evidence_pack(Plan.objects.get(reference="PIP-PR"), VERIFIED_ON)


def test_the_command_makes_and_checks_a_pack(record, tmp_path):
    out = tmp_path / "pack.zip"
    call_command("evidence-pack", "PIP-PR", as_at="08/12/2021", output=str(out), stdout=StringIO(), stderr=StringIO())
    said = StringIO()
    call_command("evidence-pack", check=str(out), stdout=said, stderr=StringIO())
    assert "is intact" in said.getvalue()
    pack = members(out.read_bytes())
    out.write_bytes(rezip({**pack, "approvals.csv": b"nothing to see"}))
    with pytest.raises(CommandError, match="approvals.csv was changed"):
        call_command("evidence-pack", check=str(out), stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="agreed on"):
        call_command("evidence-pack", "PIP-PR", as_at="01/01/2020", output=str(out), stdout=StringIO(),
                     stderr=StringIO())


def test_a_plan_manager_makes_it_on_the_plans_page_and_others_are_refused(record, signed_in, plan_manager, owner,
                                                                          outsider):
    page = "/plans/PIP-PR/evidence-pack/?as_at=08/12/2021"
    assert signed_in(outsider).get(page).status_code == 404
    assert signed_in(owner).get(page).status_code == 403
    client = signed_in(plan_manager)
    assert "Make the evidence pack" in client.get(page).content.decode()
    assert client.post(page).status_code == 302  # the worker makes it (at once, with the tests' backend)
    assert "Download the evidence pack" in client.get(page).content.decode()
    download = client.get(page + "&download=1")
    assert download["Content-Disposition"] == 'attachment; filename="PIP-PR-evidence-pack-2021-12-08.zip"'
    assert verify(download.content).intact
    assert download.content == evidence_pack(Plan.objects.get(reference="PIP-PR"), VERIFIED_ON)
    refused = client.get("/plans/PIP-PR/evidence-pack/?as_at=31/02/2021")
    assert refused.status_code == 400 and "The date" in refused.content.decode()


def test_a_pack_whose_zip_bytes_were_altered_is_reported_not_a_crash(record):
    """One byte changed inside the zip itself (not a file changed and zipped again): the zip's own check fails."""
    made = evidence_pack(Plan.objects.get(reference="PIP-PR"), VERIFIED_ON)
    with zipfile.ZipFile(io.BytesIO(made)) as z:
        info = z.getinfo(next(name for name in z.namelist() if name.startswith("plan-as-at-")))
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)  # the file's own data
    middle = start + info.compress_size // 2
    damaged = made[:middle] + bytes([made[middle] ^ 0xFF]) + made[middle + 1:]
    verdict = verify(damaged)
    assert not verdict.intact
    assert verdict.problems == (f"{info.filename} cannot be read: the zip file's own bytes were altered or damaged "
                                "(its check of the file fails).",)


def test_a_plan_restored_from_json_lists_the_files_it_never_held_and_still_makes_its_pack(record):
    from actiontrack.interchange.exporting import export_json
    from tests.interchange.helpers import run_import

    report = run_import(export_json.render(Plan.objects.get(reference="PIP-PR")), "pip.json", "PIP-COPY",
                        apply=True)
    assert report.applied, report.problems
    pack = members(evidence_pack(Plan.objects.get(reference="PIP-COPY"), VERIFIED_ON))
    assert verify(rezip(pack)).intact and not any(path.startswith("evidence/") for path in pack)
    [row] = list(csv.DictReader(io.StringIO(pack["evidence-not-held.csv"].decode("utf-8-sig"))))
    assert (row["action"], row["file"], row["sha256"]) == ("5.1", "Minutes: May 2022.pdf", record.sha256)
    assert row["why"].startswith("restored from a JSON export")


def test_the_approval_chain_says_an_outside_body_closed_it_not_a_verifier(record, plan_manager):
    from actiontrack.plans.services import external

    manager = Actor.of(plan_manager)
    external.action_submit_external(actor=manager, action=action("6.1"), body="HMICFRS", reference="CoC-6",
                                    submitted_on=date(2021, 12, 1), today=LATER)
    external.action_closed_externally(actor=manager, action=action("6.1"), letter="HMI/22/6",
                                      decided_on=date(2022, 1, 5), today=LATER)
    pack = members(evidence_pack(Plan.objects.get(reference="PIP-PR"), LATER))
    steps = [(row["step"], row["by"]) for row in csv.DictReader(io.StringIO(pack["approvals.csv"].decode("utf-8-sig")))
             if row["action"] == "6.1"]
    assert steps[-3:] == [
        ("Submitted to HMICFRS for closure on 01/12/2021 (their reference CoC-6) (recorded)", "Priya Shah"),
        ("Closed by HMICFRS on 05/01/2022 (letter HMI/22/6) (recorded)", "Priya Shah"),
        ("Closed on the outside body's letter", "Priya Shah")]
    assert ("Verified and closed", "Priya Shah") not in steps
