"""The owner's and the verifier's pages, as the people who use them: Chris Parker (owner of 5.1) writes his
progress update, proposes a date, attaches evidence and marks the action complete; Sam Okafor (verifier)
closes it or sends it back. Everyone else is refused: a 403 saying why for those who can see the plan, a
404 for an outsider, who must not learn that the plan exists."""

import hashlib
import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from actiontrack.core.journal import Actor
from actiontrack.core.models import JournalEvent
from actiontrack.domain.periods import previous_period
from actiontrack.people import services as people
from actiontrack.people.models import Post
from actiontrack.plans import services
from actiontrack.plans.models import Action, DateProposal, Evidence, Plan, PlanRole, ProgressUpdate
from actiontrack.plans.selectors import action_by_ref
from actiontrack.plans.services import workflow
from actiontrack.plans.services.evidence import evidence_add_file, evidence_add_link

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def evidence_in_a_folder_of_its_own(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


def action(ref):
    return action_by_ref(Plan.objects.get(reference="PIP-PR"), ref)


def url(name, ref="5.1"):
    return reverse(f"owner:{name}", args=["PIP-PR", ref])


def action_url(ref="5.1"):
    return reverse("action", args=["PIP-PR", ref])


def today():
    return timezone.localdate()


def period_label():
    return workflow.current_period(action("5.1").plan, today()).label


def messages_of(response):
    return [str(message) for message in response.wsgi_request._messages]


def add_link(user, ref="5.1"):
    return evidence_add_link(actor=Actor.of(user), action=action(ref), url="https://intranet.example.org/people",
                             title="People strategy", today=today())


def lifecycle_reason(ref):
    """The reason recorded with the action's latest lifecycle change."""
    return JournalEvent.objects.filter(entity_type="action", entity_id=action(ref).pk, field="lifecycle").last().reason


def complete(owner, ref="5.1"):
    add_link(owner, ref)
    workflow.action_complete(actor=Actor.of(owner), action=action(ref), completed_on=today(), today=today())


# My actions ---------------------------------------------------------------------------------------------

def test_my_actions_lists_the_owners_actions_overdue_first_with_what_each_needs(signed_in, owner):
    page = signed_in(owner).get(reverse("owner:my-actions")).text
    refs = re.findall(r'<span class="visually-hidden">Action </span>(\d+\.\d+)</a>', page)
    assert sorted(refs) == ["1.1", "3.1", "4.1", "5.1", "6.2", "7.1", "8.1"]
    assert refs[:3] == ["1.1", "3.1", "5.1"]  # the overdue ones, due 31/12/2021, before the completed ones
    assert "Actions you own (7), overdue first" in page
    assert "31/12/2021 (On Approval)" in page
    assert "Red – Overdue</strong>" in page and "not complete on" in page
    assert f"Progress update for {period_label()} missing" in page
    assert "Overdue: complete it with evidence, or propose a new date" in page
    assert "Awaiting verification" in page
    assert action_url("5.1") in page


def test_someone_who_owns_nothing_sees_that_they_own_no_actions(signed_in, board_member):
    page = signed_in(board_member).get(reverse("owner:my-actions")).text
    assert "You do not own any actions at the moment" in page and "<table" not in page


def test_a_verifier_sees_the_completed_actions_waiting_for_them(signed_in, verifier, administrator):
    completed = Action.objects.filter(lifecycle="completed").order_by("pk")
    assert completed.count() == 7
    mine = completed.first()  # the verifier comes to hold a post that owns it: someone else must verify it
    people.post_holder_change(actor=Actor.of(administrator), post=mine.owner_posts.first(), holder_name="Sam Okafor",
                              starts_on=date(2021, 12, 1), user=verifier, reason="Acting up")
    page = signed_in(verifier).get(reverse("owner:my-actions")).text
    waiting = page.split('id="to-verify"')[1]
    listed = [a for a in completed if action_url(a.ref) in waiting]
    assert mine not in listed and len(listed) == len(completed.exclude(owner_posts__in=mine.owner_posts.all()))
    assert "Protection Improvement Plan – Peer Review: " in waiting


def test_my_actions_needs_signing_in(client, demo):
    response = client.get(reverse("owner:my-actions"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


# Progress updates ---------------------------------------------------------------------------------------

def test_an_owner_writes_this_periods_update_and_then_edits_it(signed_in, owner):
    client = signed_in(owner)
    page = client.get(url("update")).text
    assert f"Progress update for {period_label()}" in page and 'name="version" value="0"' in page
    response = client.post(url("update"), {"text": "Consultation on the restructure is open", "version": "0"})
    assert response.status_code == 302 and response.url == action_url()
    assert messages_of(response) == [f"Your progress update for {period_label()} on action 5.1 is saved."]
    saved = ProgressUpdate.objects.get(action=action("5.1"))
    assert saved.text == "Consultation on the restructure is open" and saved.author == owner

    page = client.get(url("update")).text
    assert "Consultation on the restructure is open</textarea>" in page and 'name="version" value="1"' in page
    client.post(url("update"), {"text": "Consultation closed; new structure agreed", "version": "1"})
    saved.refresh_from_db()
    assert (saved.text, saved.version) == ("Consultation closed; new structure agreed", 2)
    page = client.get(action_url()).text
    assert "Consultation closed; new structure agreed" in page
    assert f"Edit your progress update for {period_label()}" in page


def test_an_update_that_is_too_long_is_refused_saying_how_long_it_is(signed_in, owner):
    response = signed_in(owner).post(url("update"), {"text": "x" * 10_050, "version": "0"})
    assert response.status_code == 400
    assert "The update is 10,050 characters long; keep it to 10,000 or fewer (remove 50)." in response.text
    assert not ProgressUpdate.objects.exists()


def test_an_empty_update_is_refused_with_a_message(signed_in, owner):
    response = signed_in(owner).post(url("update"), {"text": "   ", "version": "0"})
    assert response.status_code == 400
    assert "There is a problem" in response.text and "Write the progress update: it cannot be empty." in response.text
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize("who", ["other_owner", "plan_manager", "verifier"])
def test_only_an_owner_of_the_action_may_open_or_post_its_update(request, signed_in, who):
    client = signed_in(request.getfixturevalue(who))
    for response in (client.get(url("update")), client.post(url("update"), {"text": "Not mine", "version": "0"})):
        assert response.status_code == 403
        assert "Only an owner of action 5.1 can write its progress update." in response.text
    assert not ProgressUpdate.objects.exists()


def test_the_action_page_offers_the_owner_tasks_only_to_an_owner(signed_in, owner, other_owner):
    assert "Write your progress update" in signed_in(owner).get(action_url()).text
    page = signed_in(other_owner).get(action_url()).text
    assert "Your tasks as an owner" not in page and url("update") not in page


def test_a_stale_edit_is_refused_with_both_versions(signed_in, owner):
    first = workflow.update_save(actor=Actor.of(owner), action=action("5.1"), text="First words", today=today())
    workflow.update_save(actor=Actor.of(owner), action=action("5.1"), text="Saved in another tab", today=today(),
                         expected_version=first.version)
    response = signed_in(owner).post(url("update"), {"text": "What I typed here", "version": str(first.version)})
    assert response.status_code == 409
    page = response.text
    assert "Someone else saved this while you were editing" in page
    assert "Saved in another tab" in page and "What I typed here" in page
    assert 'name="version" value="2"' in page  # saving again replaces the stored text, knowingly
    assert ProgressUpdate.objects.get().text == "Saved in another tab"


def test_an_update_written_elsewhere_after_the_form_was_opened_is_not_overwritten(signed_in, owner):
    workflow.update_save(actor=Actor.of(owner), action=action("5.1"), text="From another tab", today=today())
    response = signed_in(owner).post(url("update"), {"text": "From this tab", "version": "0"})
    assert response.status_code == 409 and "From another tab" in response.text


def test_a_locked_period_shows_a_message_and_no_form(signed_in, owner, plan_manager):
    workflow.period_lock(
        confirmed_current=True, actor=Actor.of(plan_manager), plan=action("5.1").plan, period_start=today(),
        today=today())
    client = signed_in(owner)
    page = client.get(url("update")).text
    assert f"Updates for {period_label()} are locked" in page and "<textarea" not in page
    response = client.post(url("update"), {"text": "Too late", "version": "0"})
    assert response.status_code == 400 and "are locked; ask the plan manager" in response.text
    assert not ProgressUpdate.objects.exists()
    assert f"Progress updates for {period_label()} are locked" in client.get(action_url()).text


# Date proposals -----------------------------------------------------------------------------------------

def test_an_owner_proposes_a_date_with_a_condition(signed_in, owner):
    client = signed_in(owner)
    hint = client.get(url("propose-date")).text
    assert f"31/12/{today().year + 1} (On Approval)" in hint  # the hint says how, with a date still to come
    response = client.post(url("propose-date"), {"due_on": "31/03/2027 (On Approval)",
                                                  "reason": "Restructure consultation extended"})
    assert response.status_code == 302 and response.url == action_url()
    proposal = DateProposal.objects.get()
    assert (proposal.due_on, proposal.due_condition, proposal.status) == (date(2027, 3, 31), "On Approval",
                                                                           "pending")
    assert proposal.reason == "Restructure consultation extended" and proposal.proposed_by == owner
    assert action("5.1").due_on == date(2021, 12, 31)  # nothing changes until the plan manager accepts
    page = client.get(action_url()).text
    assert "Your proposed due date of 31/03/2027 (On Approval) is waiting" in page
    assert "A proposal is already waiting for a decision" in client.get(url("propose-date")).text


def test_a_date_that_does_not_exist_is_refused_with_a_message(signed_in, owner):
    response = signed_in(owner).post(url("propose-date"), {"due_on": "31/02/2022", "reason": "More time"})
    assert response.status_code == 400
    assert "February 2022 has 28 days" in response.text and "There is a problem" in response.text
    assert not DateProposal.objects.exists()


def test_a_proposal_needs_a_reason(signed_in, owner):
    response = signed_in(owner).post(url("propose-date"), {"due_on": "31/03/2027", "reason": ""})
    assert response.status_code == 400 and "Give a reason for proposing a new due date." in response.text
    assert not DateProposal.objects.exists()


def test_a_second_proposal_while_one_is_pending_is_refused(signed_in, owner):
    client = signed_in(owner)
    client.post(url("propose-date"), {"due_on": "31/03/2027", "reason": "More time"})
    response = client.post(url("propose-date"), {"due_on": "30/06/2027", "reason": "Even more time"})
    assert response.status_code == 400 and "already has a proposal waiting for a decision" in response.text
    assert DateProposal.objects.count() == 1


@pytest.mark.parametrize(("reason", "shown"), [("Strategy review slipped.", "“Strategy review slipped.” The plan"),
                                              ("More time", "“More time”. The plan")])
def test_a_pending_proposals_reason_is_quoted_with_one_full_stop(signed_in, owner, reason, shown):
    client = signed_in(owner)
    client.post(url("propose-date"), {"due_on": "31/03/2027", "reason": reason})
    page = client.get(url("propose-date")).text
    assert shown in page and "”." not in page.replace("“More time”.", "")


def test_an_owner_withdraws_a_pending_proposal(signed_in, owner):
    client = signed_in(owner)
    client.post(url("propose-date"), {"due_on": "31/03/2027", "reason": "More time"})
    assert "Withdraw proposal" in client.get(url("withdraw-proposal")).text
    response = client.post(url("withdraw-proposal"))
    assert response.status_code == 302 and DateProposal.objects.get().status == "withdrawn"
    assert client.post(url("withdraw-proposal")).status_code == 400  # nothing left to withdraw


@pytest.mark.parametrize("who", ["other_owner", "plan_manager", "verifier"])
def test_only_an_owner_may_propose_a_date(request, signed_in, who):
    client = signed_in(request.getfixturevalue(who))
    assert client.get(url("propose-date")).status_code == 403
    response = client.post(url("propose-date"), {"due_on": "31/03/2027", "reason": "More time"})
    assert response.status_code == 403 and "Only an owner of action 5.1 can propose a new due date." in response.text
    assert not DateProposal.objects.exists()


# Evidence -----------------------------------------------------------------------------------------------

def upload(client, name, content, title=""):
    return client.post(url("evidence"), {"kind": "file", "file-file": SimpleUploadedFile(name, content),
                                         "file-title": title})


def test_the_upload_form_lists_the_allowed_types_and_the_size_limit(signed_in, owner, settings):
    settings.EVIDENCE_MAX_MB = 7
    page = signed_in(owner).get(url("evidence")).text
    assert 'enctype="multipart/form-data"' in page
    assert 'accept=".pdf,.docx,.xlsx,.pptx,.png,.jpg,.jpeg,.txt,.csv,.eml,.msg"' in page
    assert "up to 7 MB" in page


def test_an_owner_uploads_a_pdf_and_its_sha256_is_shown_on_the_action_page(signed_in, owner):
    client = signed_in(owner)
    response = upload(client, "people strategy.pdf", PDF, title="People strategy 2022")
    assert response.status_code == 302 and response.url == action_url()
    item = Evidence.objects.get()
    sha = hashlib.sha256(PDF).hexdigest()
    assert (item.title, item.original_name, item.sha256, item.content_type) == (
        "People strategy 2022", "people strategy.pdf", sha, "application/pdf")
    page = client.get(action_url()).text
    assert f"{sha[:32]}<wbr>{sha[32:]}" in page
    assert reverse("owner:evidence-download", args=[item.pk]) in page


def test_an_owner_adds_a_link(signed_in, owner):
    response = signed_in(owner).post(url("evidence"), {"kind": "link", "link-url": "https://intranet.example.org/qa",
                                                       "link-title": "QA policy"})
    assert response.status_code == 302
    assert Evidence.objects.get().url == "https://intranet.example.org/qa"


def test_a_link_that_is_not_a_web_address_is_refused(signed_in, owner):
    response = signed_in(owner).post(url("evidence"), {"kind": "link", "link-url": "javascript:alert(1)"})
    assert response.status_code == 400 and "is not a web address starting http:// or https://" in response.text
    assert not Evidence.objects.exists()


def test_a_renamed_executable_is_refused_and_nothing_is_kept(signed_in, owner, settings):
    response = upload(signed_in(owner), "report.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert "is not a type that can be attached: evidence must be PDF, DOCX" in response.text
    assert not Evidence.objects.exists()
    folder = settings.MEDIA_ROOT / "evidence"
    assert not folder.exists() or not any(folder.iterdir())


def test_a_file_over_the_size_limit_is_refused(signed_in, owner, settings):
    settings.EVIDENCE_MAX_MB = 1
    client = signed_in(owner)
    assert "up to 1 MB" in client.get(url("evidence")).text
    response = upload(client, "notes.txt", b"a" * int(1.1 * 1024 * 1024))
    assert response.status_code == 400 and "the limit is 1.0 MB" in response.text
    assert not Evidence.objects.exists()


def test_uploading_without_choosing_a_file_says_so(signed_in, owner):
    response = signed_in(owner).post(url("evidence"), {"kind": "file", "file-title": "Nothing"})
    assert response.status_code == 400 and "Choose a file to upload." in response.text


def test_a_file_name_with_folders_in_it_is_stored_under_a_safe_name(signed_in, owner):
    client = signed_in(owner)
    upload(client, "../../evil.pdf", PDF)
    item = Evidence.objects.get()
    assert item.original_name == "evil.pdf" and "/" not in item.stored_name
    response = client.get(reverse("owner:evidence-download", args=[item.pk]))
    disposition = response.headers["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF
    assert disposition == 'attachment; filename="evil.pdf"' and "/" not in disposition and "\\" not in disposition


def test_a_board_member_downloads_the_exact_file_as_an_attachment(signed_in, owner, board_member):
    evidence_add_file(actor=Actor.of(owner), action=action("5.1"), upload=SimpleUploadedFile("strategy.pdf", PDF),
                      title="", today=today())
    response = signed_in(board_member).get(reverse("owner:evidence-download", args=[Evidence.objects.get().pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="strategy.pdf"'
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_an_outsider_cannot_download_evidence(signed_in, owner, outsider):
    evidence_add_file(actor=Actor.of(owner), action=action("5.1"), upload=SimpleUploadedFile("strategy.pdf", PDF),
                      title="", today=today())
    client = signed_in(outsider)
    assert client.get(reverse("owner:evidence-download", args=[Evidence.objects.get().pk])).status_code == 404
    assert client.get(reverse("owner:evidence-download", args=[999999])).status_code == 404


def test_a_plan_manager_may_add_evidence_too(signed_in, plan_manager):
    response = upload(signed_in(plan_manager), "minutes.pdf", PDF)
    assert response.status_code == 302 and Evidence.objects.get().added_by == plan_manager


@pytest.mark.parametrize("who", ["other_owner", "verifier", "board_member"])
def test_only_an_owner_or_plan_manager_may_add_evidence(request, signed_in, who):
    client = signed_in(request.getfixturevalue(who))
    assert client.get(url("evidence")).status_code == 403
    response = upload(client, "strategy.pdf", PDF)
    assert response.status_code == 403 and "Only an owner of action 5.1 or a plan manager can add evidence." in (
        response.text)
    assert not Evidence.objects.exists()


# Start and complete -------------------------------------------------------------------------------------

def pause(ref, manager):
    services.action_change_lifecycle(actor=Actor.of(manager), action=action(ref), lifecycle="paused",
                                     reason="Waiting for the restructure", effective_on=today())


def test_an_owner_starts_work_on_a_paused_action(signed_in, owner, plan_manager):
    pause("5.1", plan_manager)
    client = signed_in(owner)
    assert "Start work on action 5.1" in client.get(action_url()).text
    response = client.post(url("start"))
    assert response.status_code == 302 and action("5.1").lifecycle == "in_progress"
    response = client.post(url("start"))  # already in progress
    assert response.status_code == 400 and "Action 5.1 is in progress." in response.text


def test_the_start_page_says_when_work_cannot_be_started(signed_in, owner):
    page = signed_in(owner).get(url("start")).text
    assert "Action 5.1 is in progress, so work cannot be started on it now." in page
    assert "Start work</button>" not in page


def test_someone_else_may_not_start_work(signed_in, other_owner, plan_manager):
    pause("5.1", plan_manager)
    response = signed_in(other_owner).post(url("start"))
    assert response.status_code == 403 and action("5.1").lifecycle == "paused"


def test_completing_without_evidence_is_refused_with_a_way_to_add_it(signed_in, owner):
    client = signed_in(owner)
    page = client.get(url("complete")).text
    assert "There is no evidence yet" in page and url("evidence") in page
    assert f'value="{today():%d/%m/%Y}"' in page  # the completion date defaults to today
    response = client.post(url("complete"), {"completed_on": today().strftime("%d/%m/%Y"), "note": ""})
    assert response.status_code == 400
    assert "Add at least one piece of evidence (a file or a link) before marking action 5.1 complete." in (
        response.text)
    assert action("5.1").lifecycle == "in_progress"


def test_an_owner_with_evidence_marks_the_action_complete(signed_in, owner):
    add_link(owner)
    response = signed_in(owner).post(url("complete"), {"completed_on": "01/12/2021", "note": "Restructure done"})
    assert response.status_code == 302 and response.url == action_url()
    done = action("5.1")
    assert (done.lifecycle, done.completed_on) == ("completed", date(2021, 12, 1))
    assert lifecycle_reason("5.1") == "Restructure done"  # the note is the change's reason, in the history


def test_a_completion_date_in_the_future_is_refused(signed_in, owner):
    add_link(owner)
    response = signed_in(owner).post(url("complete"), {"completed_on": f"01/01/{today().year + 1}"})
    assert response.status_code == 400 and "is in the future" in response.text
    assert action("5.1").lifecycle == "in_progress"


@pytest.mark.parametrize("who", ["other_owner", "plan_manager", "verifier"])
def test_only_an_owner_may_mark_the_action_complete(request, signed_in, owner, who):
    add_link(owner)
    client = signed_in(request.getfixturevalue(who))
    assert client.get(url("complete")).status_code == 403
    response = client.post(url("complete"), {"completed_on": today().strftime("%d/%m/%Y")})
    assert response.status_code == 403 and action("5.1").lifecycle == "in_progress"


# Verify and return --------------------------------------------------------------------------------------

def test_the_verifier_sees_the_forms_to_close_or_return_a_completed_action(signed_in, owner, verifier):
    complete(owner)
    page = signed_in(verifier).get(action_url()).text
    assert "Verify and close action 5.1" in page and "Return action 5.1 to the owner" in page
    assert "Verify and close" not in signed_in(owner).get(action_url()).text


def test_a_verifier_closes_a_completed_action(signed_in, owner, verifier):
    complete(owner)
    client = signed_in(verifier)
    assert client.get(url("verify")).status_code == 200
    response = client.post(url("verify"), {"verify-comment": "Strategy seen"})
    assert response.status_code == 302 and response.url == action_url()
    assert action("5.1").lifecycle == "closed"
    page = client.get(action_url()).text
    assert "Closed" in page and "Green – Complete</strong>" in page


def test_an_action_with_no_evidence_cannot_be_verified_only_closed_without_evidence_with_a_reason(signed_in,
                                                                                                   verifier):
    client = signed_in(verifier)  # 2.2 was completed (as the board report shows) with no evidence attached
    action_page = client.get(action_url("2.2")).text
    assert "it has <strong>no evidence</strong>, so it cannot be verified" in action_page
    assert "Verify and close action 2.2" not in action_page
    page = client.get(url("verify", "2.2")).text
    assert "There is no evidence to verify" in page and ">Close without evidence</button>" in page
    refused = client.post(url("verify", "2.2"), {"verify-comment": "Looks fine"})
    assert refused.status_code == 400 and "Action 2.2 has no evidence to verify" in refused.text
    no_reason = client.post(url("verify", "2.2"), {"verify-without_evidence": "on", "verify-reason": ""})
    assert no_reason.status_code == 400 and "Give a reason for closing the action without evidence" in no_reason.text
    assert action("2.2").lifecycle == "completed"
    done = client.post(url("verify", "2.2"), {"verify-without_evidence": "on",
                                              "verify-reason": "Rota seen at the station; no copy kept"})
    assert done.status_code == 302 and action("2.2").lifecycle == "closed"
    page = client.get(action_url("2.2")).text
    assert "Action 2.2 is closed without evidence." in page and "verified and closed" not in page
    assert "Closed without evidence: Rota seen at the station; no copy kept" in page
    assert "closed without evidence" in page and "Evidence verified" not in page


def test_a_verifier_who_owns_the_action_may_not_close_it(signed_in, owner, verifier, administrator):
    people.post_holder_change(actor=Actor.of(administrator), post=Post.objects.get(name="Head of Protection"),
                              holder_name="Sam Okafor", user=verifier, starts_on=date(2021, 12, 1))
    client = signed_in(verifier)  # 2.2 is the Head of Protection's, completed and awaiting verification
    assert "Verify and close" not in client.get(action_url("2.2")).text
    response = client.post(url("verify", "2.2"), {"verify-comment": ""})
    assert response.status_code == 403 and "You own action 2.2" in response.text
    assert action("2.2").lifecycle == "completed"


def test_an_owner_given_the_verifier_role_still_cannot_verify_their_own_action(signed_in, owner):
    complete(owner)
    PlanRole.objects.create(user=owner, plan=action("5.1").plan, role="verifier")
    response = signed_in(owner).post(url("verify"), {"verify-comment": ""})
    assert response.status_code == 403 and action("5.1").lifecycle == "completed"


@pytest.mark.parametrize("who", ["plan_manager", "board_member", "other_owner"])
def test_someone_without_the_verifier_role_may_not_close_or_return(request, signed_in, who):
    client = signed_in(request.getfixturevalue(who))
    for name in ("verify", "return"):
        assert client.get(url(name, "2.2")).status_code == 403
        response = client.post(url(name, "2.2"), {f"{name}-comment": "Looks fine"})
        assert response.status_code == 403 and "Only a verifier of PIP-PR" in response.text
    assert action("2.2").lifecycle == "completed"


def test_returning_needs_a_comment(signed_in, verifier):
    response = signed_in(verifier).post(url("return", "2.2"), {"return-comment": "  "})
    assert response.status_code == 400 and "Give a reason for returning the action." in response.text
    assert action("2.2").lifecycle == "completed"


def test_a_verifier_returns_an_action_to_its_owner_with_a_comment(signed_in, verifier):
    response = signed_in(verifier).post(url("return", "2.2"), {"return-comment": "No evidence of the rota"})
    assert response.status_code == 302
    assert action("2.2").lifecycle == "in_progress"
    assert lifecycle_reason("2.2") == "Returned by the verifier: No evidence of the rota"


def test_the_owner_is_told_their_action_was_returned_and_why(signed_in, verifier, other_owner):
    assert signed_in(verifier).post(url("return", "2.2"), {"return-comment": "No evidence of the rota."}
                                    ).status_code == 302
    client = signed_in(other_owner)
    mine = client.get(reverse("owner:my-actions")).text
    assert ("Returned by the verifier: add what is missing, then mark it complete again. The verifier said: No "
            "evidence of the rota.") in mine
    page = client.get(action_url("2.2")).text
    assert "<strong>Returned by the verifier.</strong>" in page
    assert "The verifier said: No evidence of the rota." in page
    assert "Returned by the verifier" not in client.get(action_url("6.1")).text  # completed, never returned


def test_an_action_not_awaiting_verification_cannot_be_closed(signed_in, verifier):
    client = signed_in(verifier)
    assert "not waiting for verification" in client.get(url("verify")).text
    response = client.post(url("verify"), {"verify-comment": ""})
    assert response.status_code == 400 and "Action 5.1 is not awaiting verification." in response.text


# Outsiders ----------------------------------------------------------------------------------------------

ACTION_PAGES = ["update", "propose-date", "withdraw-proposal", "evidence", "start", "complete", "verify", "return"]


def test_an_outsider_gets_a_404_from_every_owner_page(signed_in, owner, outsider):
    evidence_add_file(actor=Actor.of(owner), action=action("5.1"), upload=SimpleUploadedFile("strategy.pdf", PDF),
                      title="", today=today())
    journal_before = JournalEvent.objects.count()
    client = signed_in(outsider)
    for name in ACTION_PAGES:
        for ref in ("5.1", "9.9"):
            assert client.get(url(name, ref)).status_code == 404, name
            assert client.post(url(name, ref), {"text": "x", "due_on": "31/03/2022", "reason": "x"}).status_code == 404
    assert client.get(reverse("owner:evidence-download", args=[Evidence.objects.get().pk])).status_code == 404
    assert JournalEvent.objects.count() == journal_before


def test_a_page_for_an_action_that_does_not_exist_is_a_404(signed_in, owner):
    assert signed_in(owner).get(url("update", "9.9")).status_code == 404


# Last period's update, until the plan manager locks it ------------------------------------------------------

def this_and_last():
    this = workflow.current_period(action("5.1").plan, today())
    return this, previous_period(this)


def test_the_update_page_offers_this_period_and_the_last_with_this_one_chosen(signed_in, owner):
    this, last = this_and_last()
    page = signed_in(owner).get(url("update")).text
    assert f"Progress update for {this.label}</h1>" in page
    assert f'href="?period={last.start.isoformat()}">Write or change the update for {last.label} (last period) ' \
           "instead</a>" in page
    assert f"?period={this.start.isoformat()}" not in page  # the page is this period's: no link to itself
    assert f'name="period_start" value="{this.start.isoformat()}"' in page


def test_before_the_plan_is_agreed_the_update_page_says_so_and_offers_no_form(signed_in, owner):
    """A plan agreed next month or later: there is no progress update to write for this month."""
    this, _ = this_and_last()
    agreed = this.end + timedelta(days=10)
    Plan.objects.filter(reference="PIP-PR").update(agreed_on=agreed)
    page = signed_in(owner).get(url("update")).text
    assert f"No update for {this.label}" in page and "progress updates start with the reporting period" in page
    assert 'name="text"' not in page


def test_an_owner_writes_last_periods_update(signed_in, owner):
    this, last = this_and_last()
    client = signed_in(owner)
    page = client.get(url("update"), {"period": last.start.isoformat()}).text
    assert f"Progress update for {last.label}</h1>" in page and 'name="version" value="0"' in page
    assert f"Write or change the update for {this.label} (this period) instead" in page
    assert f'name="period_start" value="{last.start.isoformat()}"' in page
    response = client.post(url("update"), {"text": "Written a few days late", "version": "0",
                                           "period_start": last.start.isoformat()})
    assert response.status_code == 302
    assert messages_of(response) == [f"Your progress update for {last.label} on action 5.1 is saved."]
    saved = ProgressUpdate.objects.get()
    assert (saved.period_start, saved.text) == (last.start, "Written a few days late")
    page = client.get(action_url()).text
    assert f"Edit your progress update for {last.label}" in page and f"Write your progress update for {this.label}" \
        in page
    assert f"?period={last.start.isoformat()}" in page
    # Editing it needs the version it was opened at, like this period's.
    edit = client.get(url("update"), {"period": last.start.isoformat()}).text
    assert "Written a few days late</textarea>" in edit and 'name="version" value="1"' in edit
    client.post(url("update"), {"text": "Corrected", "version": "1", "period_start": last.start.isoformat()})
    assert ProgressUpdate.objects.get().text == "Corrected"


def test_last_period_once_locked_is_no_longer_offered_or_accepted(signed_in, owner, plan_manager):
    this, last = this_and_last()
    workflow.period_lock(
        confirmed_current=True, actor=Actor.of(plan_manager), plan=action("5.1").plan, period_start=last.start,
                         today=today())
    client = signed_in(owner)
    page = client.get(url("update")).text
    assert f'value="{last.start.isoformat()}"' not in page and f"?period={last.start.isoformat()}" not in page
    assert f"for {last.label}" not in client.get(action_url()).text.split("Your tasks as an owner")[1].split("</ul>")[0]
    response = client.post(url("update"), {"text": "Too late", "version": "0",
                                           "period_start": last.start.isoformat()})
    assert response.status_code == 400 and f"Updates for {last.label} are locked" in response.text
    assert not ProgressUpdate.objects.exists()


def test_an_update_for_an_older_period_is_refused(signed_in, owner):
    _, last = this_and_last()
    older = previous_period(last)
    response = signed_in(owner).post(url("update"), {"text": "Long ago", "version": "0",
                                                     "period_start": older.start.isoformat()})
    assert response.status_code == 400 and f"not for {older.label}" in response.text
    assert not ProgressUpdate.objects.exists()


def test_a_period_asked_for_in_the_address_that_cannot_be_written_shows_this_period(signed_in, owner):
    this, last = this_and_last()
    for wanted in (previous_period(last).start.isoformat(), "not a date"):
        page = signed_in(owner).get(url("update"), {"period": wanted}).text
        assert f"Progress update for {this.label}</h1>" in page


def test_with_this_period_locked_the_owner_is_pointed_to_last_periods_update(signed_in, owner, plan_manager):
    this, last = this_and_last()
    workflow.period_lock(
        confirmed_current=True, actor=Actor.of(plan_manager), plan=action("5.1").plan, period_start=this.start,
                         today=today())
    page = signed_in(owner).get(url("update")).text
    assert f"Updates for {this.label} are locked" in page
    assert f'<a href="?period={last.start.isoformat()}">write or change the update for {last.label}</a>' in page


def test_the_updates_table_names_each_period_by_its_label(signed_in, owner, plan_manager):
    plan = action("5.1").plan
    services.plan_update(actor=Actor.of(plan_manager), plan=plan, changes={"reporting_period": "quarterly"},
                         effective_on=today(), reason="Quarterly reporting")
    quarter = workflow.current_period(Plan.objects.get(pk=plan.pk), today())
    earlier = previous_period(previous_period(quarter, "quarterly"), "quarterly")
    ProgressUpdate.objects.create(action=action("5.1"), period_start=earlier.start, text="An old update",
                                  author=owner)
    page = signed_in(owner).get(action_url()).text
    assert f"<th scope=\"row\">{earlier.label}</th>" in page and "Quarter from" not in page


# The hint's example date is one that could be proposed ------------------------------------------------------

def test_the_propose_date_hint_gives_an_example_still_to_come(signed_in, owner):
    page = signed_in(owner).get(url("propose-date")).text
    example = f"31/12/{today().year + 1}"
    assert f"for example {example}" in page and f"{example} (On Approval)" in page
    assert "2022" not in page.split('id="id_due_on_helptext"')[1].split("</p>")[0]
    response = signed_in(owner).post(url("propose-date"), {"due_on": "", "reason": "More time"})
    assert f"Enter the new due date, for example {example}." in response.text


def test_an_owner_page_with_errors_says_error_in_its_title(signed_in, owner):
    response = signed_in(owner).post(url("update"), {"text": " ", "version": "0"})
    assert response.text.split("<title>")[1].startswith("Error: Progress update for")
    assert signed_in(owner).get(url("update")).text.split("<title>")[1].startswith("Progress update for")
