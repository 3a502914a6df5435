"""Text people paste from Word, or send through the API, is stored so that every output can carry it, and no
free text is longer than its kind allows. Today, for these tests, is 6 December 2021."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from actiontrack.core.journal import Actor
from actiontrack.core.models import JournalEvent
from actiontrack.domain.text import Limit
from actiontrack.interchange.registry import exporter
from actiontrack.plans import services
from actiontrack.plans.models import Plan
from actiontrack.plans.selectors import action_by_ref
from actiontrack.plans.services import workflow
from actiontrack.reports import services as reports
from actiontrack.reports.demo import load_demo_report
from tests.builders import a_person, a_plan, a_post, an_action

pytestmark = pytest.mark.django_db
TODAY = date(2021, 12, 6)
# As Word pastes it: a manual line break (Shift+Enter) is a vertical tab; the rest came with copied text.
FROM_WORD = "Publish the structure\x0bto every station\x01 \x1b[31mnow\x1b[0m\x0cpage two"
STORED = "Publish the structure\nto every station [31mnow[0m\npage two"


def pip():
    return Plan.objects.get(reference="PIP-PR")


def action(ref):
    return action_by_ref(pip(), ref)


def as_(user):
    return Actor.of(user)


# Text from Word and the limits do not depend on the demo's content: a one-action plan is enough.

@pytest.fixture
def manager():
    """Pat, plan manager of LIMITS, a plan with one action (1.1)."""
    return a_person("pat", plan=a_plan(reference="LIMITS"), role="manager")


@pytest.fixture
def action_owner():
    """Olu, who holds the post owning LIMITS's action 1.1."""
    a_plan(reference="LIMITS")
    return a_person("olu", owns=a_post())


def limits():
    return Plan.objects.get(reference="LIMITS")


def test_text_pasted_from_word_is_stored_with_its_line_breaks_and_without_control_characters(manager):
    act = an_action(limits(), "1.1")
    services.action_change_text(actor=as_(manager), action=act, text=FROM_WORD, reason="Reworded\x0b by the board",
                                effective_on=TODAY)
    assert an_action(limits(), "1.1").text == STORED
    event = JournalEvent.objects.filter(entity_id=act.pk, entity_type="action", field="text").last()
    assert event.new == STORED and event.reason == "Reworded\n by the board"


def test_a_progress_update_from_word_is_stored_clean(action_owner):
    update = workflow.update_save(actor=as_(action_owner), action=an_action(limits(), "1.1"), text=FROM_WORD,
                                  today=TODAY)
    assert update.text == STORED


def test_the_export_and_the_board_report_carry_text_pasted_from_word(plan_manager, owner):
    """Control characters used to break the XLSX export and stop a report from being issued (500)."""
    services.action_change_text(actor=as_(plan_manager), action=action("5.1"), text=FROM_WORD, reason="Reworded",
                                effective_on=TODAY)
    services.plan_update(actor=as_(plan_manager), plan=pip(), changes={"board": "Fire\x01 Authority\x0b"},
                         effective_on=TODAY, reason="Moved")
    workbook = load_workbook(io.BytesIO(exporter("xlsx").render(pip(), TODAY)))
    cells = [str(cell.value) for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value]
    assert STORED in cells
    report, _ = load_demo_report()
    report.refresh_from_db()
    report = reports.report_update(actor=as_(plan_manager), report=report, expected_version=report.version,
                                   changes={"sections": {"executive_summary": "Summary\x0bsecond line\x07"}},
                                   today=TODAY)
    issued = reports.report_issue(actor=as_(plan_manager), report=report, today=date(2021, 11, 30))
    assert issued.authored("executive_summary") == "Summary\nsecond line"


@pytest.mark.parametrize(("call", "field", "message"), [
    (lambda m: services.action_change_text(actor=as_(m), action=an_action(limits(), "1.1"),
                                           text="x" * (Limit.TEXT + 1), reason="Longer", effective_on=TODAY),
     "text", "The action's text is 5,001 characters long; keep it to 5,000 or fewer (remove 1)."),
    (lambda m: services.action_change_text(actor=as_(m), action=an_action(limits(), "1.1"), text="Shorter",
                                           reason="y" * (Limit.REASON + 10), effective_on=TODAY),
     "reason", "The reason is 2,010 characters long; keep it to 2,000 or fewer (remove 10)."),
    (lambda m: services.plan_update(actor=as_(m), plan=limits(), changes={"background": "z" * (Limit.LONG + 1)},
                                    effective_on=TODAY, reason="Longer"),
     "background", "The background is 50,001 characters long"),
    (lambda m: services.recommendation_update(actor=as_(m), recommendation=limits().recommendations.get(ref="1"),
                                              text="w" * 6000, kind=None, reason="Longer", effective_on=TODAY),
     "text", "The recommendation's text is 6,000 characters long"),
])
def test_text_over_its_limit_is_refused_with_a_message_naming_it_and_nothing_changes(manager, call, field, message):
    before = JournalEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        call(manager)
    assert any(m.startswith(message) for m in refused.value.message_dict[field])
    assert JournalEvent.objects.count() == before


def test_a_report_section_over_its_limit_is_refused(plan_manager):
    report, _ = load_demo_report()
    report.refresh_from_db()
    with pytest.raises(ValidationError, match="is 50,001 characters long"):
        reports.report_update(actor=as_(plan_manager), report=report, expected_version=report.version,
                              changes={"sections": {"executive_summary": "v" * (Limit.LONG + 1)}}, today=TODAY)


def test_evidence_titles_are_normalised_and_a_long_link_without_one_still_fits(owner):
    from actiontrack.plans.services.evidence import evidence_add_link

    titled = evidence_add_link(actor=as_(owner), action=action("5.1"), url="https://intranet.example.org/a",
                               title="Structure\x0bchart\x01", today=TODAY)
    assert titled.title == "Structure\nchart"
    long_url = "https://intranet.example.org/" + "p" * 1900
    untitled = evidence_add_link(actor=as_(owner), action=action("5.1"), url=long_url, title="", today=TODAY)
    assert untitled.title == long_url[:300] and untitled.url == long_url
    with pytest.raises(ValidationError, match="The title is 301 characters long"):
        evidence_add_link(actor=as_(owner), action=action("5.1"), url="https://intranet.example.org/b",
                          title="t" * 301, today=TODAY)


def test_the_first_report_of_a_plan_with_the_longest_title_can_be_made(plan_manager):
    longest = services.plan_update(actor=as_(plan_manager), plan=pip(), changes={"title": "T" * 300},
                                   effective_on=TODAY, reason="Full title")
    report = reports.report_create(actor=as_(plan_manager), plan=longest, meeting_date=date(2022, 1, 31),
                                   today=TODAY)
    assert len(report.subject) == 300 and report.subject.endswith("…")
