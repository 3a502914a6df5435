"""An action can have an executive lead and an operational (supporting) lead, each a post: both hold it, both
are named on every page and in every replay, and a post is one or the other."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from actiontrack.core.journal import Actor
from actiontrack.plans import services
from actiontrack.plans.selectors import action_history, build_as_at, replay_as_at
from actiontrack.plans.services import workflow
from tests.builders import SET_UP, a_person, a_plan, a_post, an_action

pytestmark = pytest.mark.django_db
TODAY = date(2021, 6, 15)


@pytest.fixture
def plan():
    plan = a_plan(actions=0, reference="LEADS")
    executive = a_post("Director of Prevention", holder="Sam Jones")
    operational = a_post("Group Manager Prevention", holder="Ali Khan")
    rec = plan.recommendations.get()
    services.action_create(actor=SET_UP, recommendation=rec, text="Target home fire safety visits.",
                           owner_posts=[executive], supporting_posts=[operational], due_on=date(2021, 9, 30))
    return plan


def test_the_lead_is_named_first_and_the_supporting_owner_as_supporting(plan):
    [action] = build_as_at(plan, TODAY).actions
    assert action.owners_text == "Director of Prevention (Sam Jones) / Group Manager Prevention (Ali Khan), supporting"
    assert [owner.supporting for owner in replay_as_at(plan, TODAY).actions[0].owners] == [False, True]


def test_the_supporting_owners_holder_owns_the_action_and_writes_its_update(plan):
    ali = a_person("ali", owns=a_post("Group Manager Prevention"))
    update = workflow.update_save(actor=Actor.of(ali), action=an_action(plan, "1.1"), text="Visits started.",
                                  today=TODAY)
    assert update.text == "Visits started."


def test_someone_holding_neither_post_cannot_write_its_update(plan):
    pat = a_person("pat", owns=a_post("Head of Protection"))
    with pytest.raises(PermissionDenied):
        workflow.update_save(actor=Actor.of(pat), action=an_action(plan, "1.1"), text="Not mine.", today=TODAY)


def test_a_post_is_a_lead_or_a_supporting_owner_not_both(plan):
    post = a_post("Director of Prevention")
    with pytest.raises(ValidationError, match="Director of Prevention cannot be both a lead and a supporting owner"):
        services.action_change_owners(actor=SET_UP, action=an_action(plan, "1.1"), owner_posts=[post],
                                      supporting_posts=[post], reason="Restructure", effective_on=TODAY)


def test_making_the_supporting_owner_the_lead_is_journalled_and_replays_on_its_date(plan):
    operational = a_post("Group Manager Prevention")
    services.action_change_owners(actor=SET_UP, action=an_action(plan, "1.1"), owner_posts=[operational],
                                  reason="Restructure", effective_on=TODAY)
    assert replay_as_at(plan, TODAY).actions[0].owners_text == "Group Manager Prevention (Ali Khan)"
    assert replay_as_at(plan, date(2021, 6, 14)).actions[0].owners_text.endswith("(Ali Khan), supporting")
    changes = {row.what: (row.old, row.new) for row in action_history(an_action(plan, "1.1"))}
    assert changes["Supporting owners"] == ("Group Manager Prevention (Ali Khan)", "—")


def test_who_owns_the_action_on_a_day_follows_the_holdings_of_its_lead_and_supporting_posts(plan):
    """permissions.owns: a holder of the lead or the supporting post on that day; not before their holding starts
    nor after it ends, not the holder of a post that does not own it, not someone signed out."""
    from django.contrib.auth.models import AnonymousUser

    from actiontrack.plans.permissions import owns

    action = an_action(plan, "1.1")
    sam = a_person("sam", owns=a_post("Director of Prevention"), starts_on=date(2021, 3, 1))
    ali = a_person("ali", owns=a_post("Group Manager Prevention"), starts_on=date(2021, 3, 1))
    kim = a_person("kim", owns=a_post("Head of Response"), starts_on=date(2021, 3, 1))
    jo = a_person("jo", owns=a_post("Director of Prevention"), starts_on=date(2021, 7, 1))  # Sam's holding ends
    assert owns(sam, action, TODAY) and owns(ali, action, TODAY)
    assert not owns(sam, action, date(2021, 2, 28))  # before the holding starts
    assert not owns(sam, action, date(2021, 7, 1)) and owns(sam, action, date(2021, 6, 30))  # ended the day before
    assert owns(jo, action, date(2021, 7, 1)) and not owns(jo, action, TODAY)
    assert not owns(kim, action, TODAY)  # holds a post, not one that owns this action
    assert not owns(AnonymousUser(), action, TODAY) and not owns(None, action, TODAY)
