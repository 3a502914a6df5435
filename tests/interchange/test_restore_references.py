"""A plan with its source's references, themes that restart their numbering and supporting owners survives a
JSON export and restore exactly: same references, addresses, groups, owners, and the same plan as at any date."""

import json
from datetime import date

import pytest

from actiontrack.interchange.exporting import export_json
from actiontrack.plans import services
from actiontrack.plans.models import Plan
from actiontrack.plans.selectors import replay_as_at
from tests.builders import SET_UP, a_grouped_plan, a_post, an_action
from tests.interchange.helpers import run_import

pytestmark = pytest.mark.django_db


def _shape(plan: Plan, day: date):
    view = replay_as_at(plan, day)
    return [(r.group, r.ref, r.slug, r.kind, [(a.ref, a.slug, a.owners_text, a.due_text) for a in r.actions])
            for r in view.recommendations]


def test_references_groups_and_supporting_owners_come_back_from_a_json_export():
    original = a_grouped_plan()
    services.action_change_owners(actor=SET_UP, action=an_action(original, "E1b"), owner_posts=[a_post()],
                                  supporting_posts=[a_post("Station Manager Prevention", holder="Jo Bell")],
                                  reason="An operational lead named", effective_on=date(2021, 4, 1))
    report = run_import(export_json.render(original), "hmi.json", "HMI-COPY", apply=True)
    assert report.restore and not report.errors, report.errors
    copy = Plan.objects.get(reference="HMI-COPY")
    assert (copy.group_label, list(copy.groups.values_list("name", flat=True))) == ("Theme",
                                                                                     ["Prevention", "Protection"])
    for day in (date(2021, 3, 1), date(2021, 6, 30)):
        assert _shape(copy, day) == _shape(original, day)
    assert "Station Manager Prevention (Jo Bell), supporting" in _shape(copy, date(2021, 6, 30))[3][4][0][2]


def test_an_export_written_before_references_were_text_still_restores_with_numbered_references():
    plan = a_grouped_plan()
    document = export_json.document(plan)
    numbered = {rec["id"]: n for n, rec in enumerate(document["recommendations"], start=1)}
    for rec in document["recommendations"]:  # as version 1 files were written
        for key in ("ref", "slug", "group", "source"):
            rec.pop(key)
        rec["number"] = numbered[rec["id"]]
    for action in document["actions"]:
        for key in ("slug", "supporting_posts"):
            action.pop(key)
        action["ref"] = f"{numbered[action['recommendation']]}.{action['number']}"
    for event in document["journal"]:  # and their journals: recommendations numbered, actions without refs
        if event["field"] == "created" and event["entity_type"] == "recommendation":
            event["new"] = {"number": numbered[event["entity_id"]], "kind": event["new"]["kind"],
                            "text": event["new"]["text"]}
        elif event["field"] == "created" and event["entity_type"] == "action":
            event["new"] = {key: value for key, value in event["new"].items()
                            if key not in ("ref", "supporting_posts")}
    document.pop("groups")
    document["plan"].pop("group_label")
    report = run_import(json.dumps(document).encode(), "old.json", "OLD-COPY", apply=True)
    assert not report.errors, report.errors
    copy = Plan.objects.get(reference="OLD-COPY")
    assert list(copy.recommendations.values_list("ref", flat=True)) == ["1", "2", "3", "4", "5"]
    view = replay_as_at(copy, date(2021, 6, 30))
    assert [(r.ref, [a.ref for a in r.actions]) for r in view.recommendations] == [
        ("1", []), ("2", ["2.1"]), ("3", ["3.1", "3.2"]), ("4", ["4.1"]), ("5", ["5.1"])]
