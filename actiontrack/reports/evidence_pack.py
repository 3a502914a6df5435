"""An evidence pack for inspectors: one zip that shows what a plan's record held on a day.

- `plan-as-at-YYYY-MM-DD.pdf`: the plan as it stood that day (tagged PDF, from the journal: build.plan_record_data);
- `evidence/<action>/<file>`: every evidence file of the actions completed or closed by that day, as uploaded
  given by then (as the journal dates it), each checked against the SHA-256 recorded when it was uploaded;
- `approvals.csv`: each of those actions' approval chain up to that day — who completed it, who verified and
  closed it or returned it, when, with what comment — and `evidence-links.csv`, the evidence given as links;
- `evidence-not-held.csv`: evidence files this installation lists but never held (a plan restored from a JSON
  export), with the SHA-256 recorded when each was uploaded;
- `measures.csv`: each measure's values for the periods begun by that day, against their targets, rated;
- `manifest.json`: every other file's path, size and SHA-256; `manifest.sha256`: the manifest's own, in the form
  `sha256sum -c` reads.

The same plan and day give the same bytes: entries in a fixed order with the day as their date, the PDF's dates
set to the day and its identifier derived from its content, no time of making anywhere. `verify` says whether a
pack was altered."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date

from actiontrack.core import files as file_store
from actiontrack.core.choices import ChangeSource, EntityType
from actiontrack.core.models import JournalEvent
from actiontrack.domain.external import FIELD as EXTERNAL
from actiontrack.domain.external import external_text
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.measures import number
from actiontrack.plans.choices import EvidenceKind
from actiontrack.plans.models import Evidence, Plan
from actiontrack.plans.selectors import plan_as_at
from actiontrack.plans.selectors.evidence import evidence_path
from actiontrack.plans.selectors.measures import measures_as_at

from . import renderers
from .build import plan_record_data

SCHEMA = "actiontrack-evidence-pack/1"
MANIFEST, MANIFEST_HASH = "manifest.json", "manifest.sha256"
DONE = (Lifecycle.COMPLETED, Lifecycle.CLOSED)
MEASURE_COLUMNS = ["measure", "recommendation", "action", "unit", "direction", "period", "value", "target",
                   "tolerance", "rating", "reason", "held_by_then"]


class EvidenceAltered(RuntimeError):
    """A stored evidence file no longer matches the SHA-256 recorded when it was uploaded."""


def pack_name(plan: Plan, as_at: date) -> str:
    return f"{plan.reference}-evidence-pack-{as_at.isoformat()}.zip"


def evidence_pack(plan: Plan, as_at: date) -> bytes:
    view = plan_as_at(plan, as_at)
    done = [action for action in view.actions if action.lifecycle in DONE]
    entries = {f"plan-as-at-{as_at.isoformat()}.pdf": _fixed_pdf(renderers.render("pdf", plan_record_data(plan, as_at)),
                                                                 as_at)}
    folders = {action.id: f"evidence/{_safe(action.slug)}" for action in done}
    # Evidence given by the day, as the journal dates it (the day its adder gave), like everything replayed.
    given = JournalEvent.objects.filter(plan=plan, entity_type=EntityType.EVIDENCE, field="created",
                                        effective_on__lte=as_at).values("entity_id")
    items = list(Evidence.objects.filter(action_id__in=folders, pk__in=given)
                 .select_related("action", "added_by").order_by("added_at", "pk"))
    links, not_held = [], []
    for item in items:
        if item.kind != EvidenceKind.FILE:
            links.append(item)
            continue
        if not item.stored_name:  # restored from a JSON export, which lists files without holding them
            not_held.append(item)
            continue
        try:
            content = file_store.read_bytes(evidence_path(item))
        except FileNotFoundError:
            raise EvidenceAltered(f"Evidence {item.original_name!r} of action {item.action.ref} is no longer in the "
                                  "file store: restore it from a backup before making the pack.") from None
        if hashlib.sha256(content).hexdigest() != item.sha256:
            raise EvidenceAltered(f"Evidence {item.original_name!r} of action {item.action.ref} no longer matches "
                                  f"the SHA-256 recorded when it was uploaded ({item.sha256}).")
        entries[_unique(entries, f"{folders[item.action_id]}/{_safe(item.original_name) or 'file'}")] = content
    refs = {action.id: action.ref for action in done}
    entries["approvals.csv"] = _csv(["action", "step", "by", "effective_on", "recorded_at", "comment"],
                                    _approvals(plan, refs, as_at))
    entries["evidence-links.csv"] = _csv(["action", "title", "url", "added_by", "added_at"], [
        [refs[item.action_id], item.title, item.url, item.added_by_shown, item.added_at.isoformat()]
        for item in links])
    entries["evidence-not-held.csv"] = _csv(["action", "file", "sha256", "added_by", "added_at", "why"], [
        [refs[item.action_id], item.original_name, item.sha256, item.added_by_shown, item.added_at.isoformat(),
         "restored from a JSON export, which lists evidence files without holding them"] for item in not_held])
    entries["measures.csv"] = _csv(MEASURE_COLUMNS, _measure_rows(plan, as_at))
    manifest = json.dumps({
        "schema": SCHEMA, "plan": plan.reference, "title": plan.title, "as_at": as_at.isoformat(),
        "actions_completed_or_closed": [action.ref for action in done],
        "files": [{"path": path, "size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
                  for path, content in sorted(entries.items())],
    }, indent=1, ensure_ascii=False, sort_keys=True).encode()
    entries[MANIFEST] = manifest
    entries[MANIFEST_HASH] = f"{hashlib.sha256(manifest).hexdigest()}  {MANIFEST}\n".encode()
    return _zip(entries, as_at)


def _measure_rows(plan: Plan, as_at: date) -> list[list[str]]:
    """Every value of every measure for the periods begun by the day, with its target and rating."""
    rows = []
    for shown in measures_as_at(plan, as_at):
        measure = shown.measure
        for point in shown.points:
            reading = point.reading
            rows.append([measure.name, measure.recommendation.ref, measure.action.ref if measure.action else "",
                         measure.unit, measure.get_direction_display(), reading.period,
                         "" if reading.value is None else number(reading.value), number(reading.target),
                         number(reading.tolerance), point.rating.title, point.rating.reason,
                         "yes" if shown.held else "no"])
    return rows


def _approvals(plan: Plan, refs: dict[int, str], as_at: date) -> list[list[str]]:
    """Every status change of the actions up to the day, in order: the completion, any return, the closure."""
    events = JournalEvent.objects.filter(plan=plan, entity_type=EntityType.ACTION, entity_id__in=refs,
                                         field__in=["lifecycle", EXTERNAL], effective_on__lte=as_at
                                         ).order_by("effective_on", "id")
    order = {pk: n for n, pk in enumerate(refs)}  # the plan's order of actions, each one's changes in time order
    # Closed on an outside body's letter: the closure the same action's letter event of that day records.
    by_letter = {(event.entity_id, event.effective_on) for event in events
                 if event.field == EXTERNAL and (event.new or {}).get("status") == "closed"}
    rows = []
    for event in sorted(events, key=lambda event: order[event.entity_id]):
        if event.field == EXTERNAL:
            step = external_text(event.new) + " (recorded)"
        else:
            step = _step(event, (event.entity_id, event.effective_on) in by_letter)
        rows.append([refs[event.entity_id], step, event.actor_name, event.effective_on.isoformat(),
                     event.recorded_at.isoformat(), event.reason])
    return rows


def _step(event: JournalEvent, closed_by_letter: bool) -> str:
    """A status change in the words of the approval chain: who did what, as far as the record says."""
    old, new = Lifecycle(event.old) if event.old else None, Lifecycle(event.new)
    if event.source == ChangeSource.IMPORT:
        return f"{old.label if old else 'Added'} → {new.label} (recorded by an import)"
    if new == Lifecycle.CLOSED and closed_by_letter:
        return "Closed on the outside body's letter"
    return ("Completed by the owner" if new == Lifecycle.COMPLETED
            else "Verified and closed" if new == Lifecycle.CLOSED and old == Lifecycle.COMPLETED
            else "Returned by the verifier" if old == Lifecycle.COMPLETED
            else f"{old.label if old else 'Added'} → {new.label}")


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _safe(name: str) -> str:
    """A name usable as a file or folder name in any zip tool: no folders, no control or reserved characters."""
    cleaned = re.sub(r'[\x00-\x1f<>:"/\\|?*]+', "_", name).strip(" .")
    return cleaned[:120]


def _unique(taken: dict, path: str) -> str:
    stem, dot, suffix = path.rpartition(".") if "." in path.rsplit("/", 1)[-1] else (path, "", "")
    candidate, n = path, 2
    while candidate in taken:
        candidate = f"{stem} ({n}){dot}{suffix}"
        n += 1
    return candidate


def _fixed_pdf(pdf: bytes, day: date) -> bytes:
    """The PDF with its dates set to the day and its identifier derived from its content, so rendering the same
    plan and day again gives the same bytes."""
    import pikepdf

    stamp = f"D:{day:%Y%m%d}000000Z"
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for key in ("/CreationDate", "/ModDate"):
            if key in doc.docinfo:
                doc.docinfo[key] = stamp
        with doc.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            for key in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
                if key in meta:
                    meta[key] = f"{day.isoformat()}T00:00:00+00:00"
        if "/ID" in doc.trailer:  # its first half was random; both halves are now made from the content
            del doc.trailer["/ID"]
        out = io.BytesIO()
        doc.save(out, deterministic_id=True)
    return out.getvalue()


def _zip(entries: dict[str, bytes], day: date) -> bytes:
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as pack:
        for path in sorted(entries):
            info = zipfile.ZipInfo(path, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever machine made it
            pack.writestr(info, entries[path], compresslevel=6)
    return out.getvalue()


@dataclass(frozen=True)
class Verdict:
    problems: tuple[str, ...]
    files: int

    @property
    def intact(self) -> bool:
        return not self.problems


DAMAGED = "cannot be read: the zip file's own bytes were altered or damaged (its check of the file fails)."


def _read(pack: zipfile.ZipFile, path: str) -> bytes | None:
    """The file's bytes, or None where the zip's own check (CRC-32) or decompression fails."""
    try:
        return pack.read(path)
    except (zipfile.BadZipFile, zlib.error, EOFError):
        return None


def verify(data: bytes) -> Verdict:
    """Whether a pack is as made: its manifest matches its recorded hash, every file its manifest entry, and
    nothing was added or taken away."""
    try:
        pack = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return Verdict(("This is not a zip file.",), 0)
    with pack:
        names = set(pack.namelist())
        if MANIFEST not in names or MANIFEST_HASH not in names:
            return Verdict((f"The pack has no {MANIFEST} or {MANIFEST_HASH}: it is not an evidence pack, or they "
                            "were removed.",), 0)
        manifest, recorded = _read(pack, MANIFEST), _read(pack, MANIFEST_HASH)
        if manifest is None or recorded is None:
            return Verdict((f"{MANIFEST if manifest is None else MANIFEST_HASH} {DAMAGED}",), 0)
        recorded = recorded.decode("ascii", "replace").split()[:1]
        problems = []
        if recorded != [hashlib.sha256(manifest).hexdigest()]:
            problems.append(f"{MANIFEST} was changed: its SHA-256 is not the one in {MANIFEST_HASH}.")
        try:
            listed = {entry["path"]: entry["sha256"] for entry in json.loads(manifest)["files"]}
        except (ValueError, KeyError, TypeError):
            return Verdict((*problems, f"{MANIFEST} cannot be read."), 0)
        for path, sha in sorted(listed.items()):
            if path not in names:
                problems.append(f"{path} is missing.")
            elif (content := _read(pack, path)) is None:
                problems.append(f"{path} {DAMAGED}")
            elif hashlib.sha256(content).hexdigest() != sha:
                problems.append(f"{path} was changed: its SHA-256 is not the one in the manifest.")
        problems += [f"{path} was added: it is not in the manifest." for path in
                     sorted(names - set(listed) - {MANIFEST, MANIFEST_HASH})]
    return Verdict(tuple(problems), len(listed))
