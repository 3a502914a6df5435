"""The API gives the references and groups a plan's source gives it (tests/builders.a_grouped_plan)."""

import pytest

from tests.builders import a_grouped_plan, a_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def val():
    return a_person("val", plan=a_grouped_plan(), role="viewer")


def test_the_api_gives_each_action_its_reference_its_recommendations_and_its_theme(api, val):
    body = api(val).get("/api/plans/HMI-2023/actions/E1b?as_at=2021-06-30").json()
    assert (body["ref"], body["slug"], body["recommendation"], body["group"]) == ("E1b", "E1b", "R1", "Prevention")
    recs = api(val).get("/api/plans/HMI-2023/recommendations?as_at=2021-06-30").json()["items"]
    assert [(r["ref"], r["group"], r["actions"]) for r in recs[1:]] == [
        ("AFI 3", "", ["AFI 3.1"]), ("33.22c", "", ["33.22c-1", "33.22c-2"]), ("R1", "Prevention", ["E1b"]),
        ("R1", "Protection", ["R1.1"])]
