"""The demo plan, replayed from its journal, reads like the two source documents action by action:
as at 1 February 2021 like the agreed action plan (officers as owners), as at 30 November 2021 like the
board report's table (posts as owners, revised dates, 7 Green and 3 Amber, none Red).

Each expected row is transcribed from the document, and the transcription is itself checked against the
document's text, so neither the data nor this test can drift from the sources."""

import re
from datetime import date
from pathlib import Path

import pytest

from actiontrack.domain.ukdates import parse_uk_date
from actiontrack.people.models import Post
from actiontrack.plans.selectors import plan_as_at

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PLAN_DOC = SEEDS / "001_1f9191edb6321b81.txt"
REPORT_DOC = SEEDS / "000_e915e5bff516a6a7.txt"

# ref: (action text fragments in document order, owner cell, delivery date cell)
AGREED_PLAN = {
    "1.1": (["Develop a communications plan to share with customers."], "AM Palmer/Corporate comms.", "31/05/2021"),
    "2.1": (["Rebalance the flexi duty rota and make best use of staff we already have."], "GM Eaglestone",
            "31/05/2021"),
    "2.2": (["Establish an out of hours system for day duty fire safety officers."], "GM Earwicker", "28/02/2021"),
    "3.1": (["This is included in the staff succession planning currently and will be picked up in the annual "
             "review of the Protection strategy."], "AM Palmer", "31//12/2021"),
    "4.1": (["Set a performance target in the monthly, quarterly and annual performance reports.",
             "To be monitored at 1/4ly P and P board."], "AM Palmer", "01/04/2021"),
    "5.1": (["Restructure of the Protection function then embed this into the service people strategy"],
            "AM Palmer", "31/07/2021"),
    "6.1": (["Embed the Quality Assurance Process within Protection activities"], "GM Earwicker", "31/03/2021"),
    "6.2": (["Create a recording and reporting process to enable activity to be monitored and",
             "action taken to resolve."], "AM Palmer", "31/05/2021"),
    "7.1": (["Review the Enforcement policy to include clearer objectives and rationale."], "AM Palmer",
            "28/02/2021"),
    "8.1": (["Investment in the Essex Chamber of commerce.", "Comms plan to utilise the connections already in "
             "existence and enhance partnership working with other agencies and Businesses"],
            "AM Palmer Corporate Comms", "31/05/2021"),
}

# ref: (action text fragments, owner cell, delivery date cell, status implied by the report)
BOARD_REPORT = {
    "1.1": (["Develop a communications plan to share with customers."],
            "Head of Protection and Prevention/Corporate comms.", "31/12/2021 (On Approval)", "Amber"),
    "2.1": (["Rebalance the flexi duty rota and make best use of staff we already have."], "Head of Ops Policy",
            "31/07/2021", "Green"),
    "2.2": (["Establish an out of hours system", "for day duty fire safety officers."], "Head of Protection",
            "28/02/2021", "Green"),
    "3.1": (["This is included in the staff succession planning currently and will be picked up in the annual "
             "review of the Protection strategy."], "Head of Prevention and Protection", "31//12/2021", "Amber"),
    "4.1": (["Set a performance target in the monthly, quarterly and annual performance reports. To be monitored "
             "at 1/4ly P and P board."], "Head of Prevention and Protection", "01/04/2021", "Green"),
    "5.1": (["Restructure of the Protection function then embed this into the service people strategy"],
            "Head of Prevention and Protection", "31/12/2021", "Amber"),
    "6.1": (["Embed the Quality Assurance Process within Protection activities"], "Head of Protection",
            "31/03/2021", "Green"),
    "6.2": (["Create a recording and reporting process to enable activity to be monitored and action taken to "
             "resolve."], "Head of Prevention and Protection", "31/07/2021", "Green"),
    "7.1": (["Review the Enforcement policy to include clearer objectives and rationale."],
            "Head of Prevention and Protection", "28/02/2021", "Green"),
    "8.1": (["business engagement managers role"], "Head of Prevention and Protection/ Corporate Comms",
            "31/05/2021", "Green"),
}


def words(text: str) -> str:
    return " ".join(text.split())


def loose(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


@pytest.mark.parametrize(("doc", "table"), [(PLAN_DOC, AGREED_PLAN), (REPORT_DOC, BOARD_REPORT)])
def test_the_transcribed_rows_are_in_the_source_document(doc, table):
    text = words(doc.read_text())
    for ref, (fragments, owner, due, *_) in table.items():
        for fragment in [*fragments, owner, due]:
            assert words(fragment) in text, f"{ref}: {fragment!r} is not in {doc.name}"


def owner_cell_matches(cell: str, owners, names_of) -> bool:
    """Every owner appears in the document's owner cell (by holder name, post name or alias), and the cell
    names no more owners than the action has."""
    cell_loose = loose(cell)
    parts = [p for p in re.split(r"/|\s{2,}|(?<=Palmer) ", cell) if p.strip()]
    return len(parts) == len(owners) and all(
        any(loose(name) in cell_loose for name in names_of(owner) if name) for owner in owners)


def test_as_at_1_february_2021_the_demo_reads_like_the_agreed_action_plan(demo):
    view = plan_as_at(demo.plan, date(2021, 2, 1))
    aliases = {post.name: post.alias_list for post in Post.objects.all()}
    assert [a.ref for a in view.actions] == list(AGREED_PLAN)
    for act in view.actions:
        fragments, owner_cell, due_cell = AGREED_PLAN[act.ref]
        assert words(act.text) == words(" ".join(fragments)), act.ref
        # Officers, not posts, own the actions in the agreed plan: the holders in force that day.
        assert owner_cell_matches(owner_cell, act.owners, lambda o: [o.holder, *aliases[o.post]]), act.ref
        assert (act.due_on, act.due_condition) == (parse_uk_date(due_cell).value, parse_uk_date(due_cell).condition)
        assert act.rating.label == "Amber – On track but to be completed", act.ref
    assert [r.ref for r in view.recommendations] == [str(n) for n in range(1, 9)]


def test_as_at_30_november_2021_the_demo_reads_like_the_board_report(demo):
    view = plan_as_at(demo.plan, date(2021, 11, 30))
    aliases = {post.name: post.alias_list for post in Post.objects.all()}
    assert [a.ref for a in view.actions] == list(BOARD_REPORT)
    for act in view.actions:
        fragments, owner_cell, due_cell, colour = BOARD_REPORT[act.ref]
        assert words(act.text) == words(" ".join(fragments)), act.ref
        assert owner_cell_matches(owner_cell, act.owners, lambda o: [o.post, *aliases[o.post]]), act.ref
        due = parse_uk_date(due_cell)
        assert (act.due_on, act.due_condition) == (due.value, due.condition), act.ref
        assert act.rating.band.label == colour, act.ref
    counts = {band.label: count for band, count in view.counts}
    assert counts == {"Red": 0, "Amber": 3, "Green": 7}


def test_the_four_slipped_dates_show_their_baseline_as_at_the_board_meeting(demo):
    view = plan_as_at(demo.plan, date(2021, 11, 30))
    slipped = {a.ref: (a.baseline_on, a.due_text) for a in view.actions if a.slipped}
    assert slipped == {
        "1.1": (date(2021, 5, 31), "31/12/2021 (On Approval)"),
        "2.1": (date(2021, 5, 31), "31/07/2021"),
        "5.1": (date(2021, 7, 31), "31/12/2021"),
        "6.2": (date(2021, 5, 31), "31/07/2021"),
    }


def test_the_malformed_source_date_was_repaired_with_a_warning_not_silently(db):
    from actiontrack.plans.demo import load_demo

    result = load_demo()
    assert result.warnings == ["action 3.1: '31//12/2021' has a doubled separator '//'; read as 31/12/2021"]
    action_3_1 = result.plan.actions.get(recommendation__ref="3")
    created = result.plan.journal.get(field="created", entity_type="action", entity_id=action_3_1.pk)
    assert "31//12/2021" in created.reason


def test_recommendations_read_as_each_document_words_them_on_its_date(demo):
    """The agreed plan's "Out of Hours FP cover" and "HMI will use" become the board report's words through
    journalled text changes between the two documents."""
    agreed = {r.ref: r.text for r in plan_as_at(demo.plan, date(2021, 2, 1)).recommendations}
    reported = {r.ref: r.text for r in plan_as_at(demo.plan, date(2021, 11, 30)).recommendations}
    assert agreed["2"] == "Clarify & evidence provision of Out of Hours FP cover."
    assert reported["2"] == "Clarify & evidence provision of Out of Hours Fire Safety Officer cover."
    assert "which HMI will use a benchmark" in agreed["3"]
    assert "which HMICFRS will use a benchmark" in reported["3"]
    assert {ref: text for ref, text in reported.items() if ref not in ("2", "3")} == {
        ref: text for ref, text in agreed.items() if ref not in ("2", "3")}


def test_the_open_actions_have_their_owners_november_update(demo):
    from actiontrack.plans.selectors.progress import latest_progress

    view = plan_as_at(demo.plan, date(2021, 11, 30))
    progress = latest_progress(demo.plan, date(2021, 11, 30))
    by_ref = {a.ref: progress.get(a.id) for a in view.actions}
    assert sorted(ref for ref, p in by_ref.items() if p) == ["1.1", "3.1", "5.1"]
    assert all(p.is_for_period and p.byline == "November 2021, by Chris Parker" for p in by_ref.values() if p)
    assert plan_as_at(demo.plan, date(2021, 10, 31)) and not latest_progress(demo.plan, date(2021, 10, 31))
