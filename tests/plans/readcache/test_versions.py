"""The read versions the journal moves, changes rolled back, and the bound on the cache's entries.

The tests commit, as requests do (nothing is kept from inside a transaction), so each starts from a fresh
database; see helpers.py."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from actiontrack.core.choices import EntityType
from actiontrack.core.journal import record
from actiontrack.people import services as people
from actiontrack.people.models import PostHolding
from actiontrack.plans import readcache, services
from actiontrack.plans.models import Plan, Recommendation
from actiontrack.plans.selectors import build_as_at, plan_as_at
from tests.plans.readcache.helpers import (
    API_ACTIONS,
    HOPS,
    PLAN_URL,
    REF,
    action,
    as_,
    browser_for,
    get_page,
    pip,
    post,
    read_twice,
    row,
    shown,
    texts,
    today,
    warm_plan_page,
)

pytestmark = pytest.mark.django_db(transaction=True)

# 4. The version rules -----------------------------------------------------------------------------------------

def versions() -> dict[str, int]:
    return dict(Plan.objects.values_list("reference", "read_version"))


@pytest.fixture
def two_plans(plan_manager):
    """The demo plan and a second, empty plan."""
    services.plan_create(actor=as_(plan_manager), reference="HMI-2022", title="HMICFRS Inspection 2022",
                         agreed_on=date(2022, 9, 1))
    return pip(), Plan.objects.get(reference="HMI-2022")


def test_a_journal_event_about_a_plan_moves_only_that_plans_version_on_by_one(two_plans, plan_manager):
    demo_plan, other = two_plans
    before = versions()
    record(actor=as_(plan_manager), plan=demo_plan, entity_type=EntityType.PLAN, entity_id=demo_plan.pk,
           field="note", old=None, new="x", effective_on=today())
    assert versions() == {REF: before[REF] + 1, "HMI-2022": before["HMI-2022"]}
    services.action_change_text(actor=as_(plan_manager), action=action("3.1"), text="New words.", reason="Clearer",
                                effective_on=today())
    assert versions() == {REF: before[REF] + 2, "HMI-2022": before["HMI-2022"]}
    assert readcache.plan_version(demo_plan) == (demo_plan.pk, demo_plan.created_at, before[REF] + 2)
    assert readcache.loaded_version(pip()) == readcache.plan_version(demo_plan)


def test_renaming_a_post_moves_every_plans_version_on(two_plans, administrator):
    before = versions()
    people.post_update(actor=as_(administrator), post=post(HOPS), name="Head of Operational Policy and Planning",
                       aliases=[], today=today())  # the name and the aliases change: two events
    assert versions() == {reference: version + 2 for reference, version in before.items()}


def test_a_new_holder_or_a_holding_ended_moves_every_plans_version_on(two_plans, administrator):
    before = versions()
    people.post_holder_change(actor=as_(administrator), post=post(HOPS), holder_name="GM Patel", starts_on=today())
    assert versions() == {reference: version + 1 for reference, version in before.items()}
    people.holding_end(actor=as_(administrator), holding=PostHolding.objects.get(holder_name="GM Patel"),
                       vacant_from=today() + timedelta(days=1))
    assert versions() == {reference: version + 2 for reference, version in before.items()}


def test_creating_a_post_or_linking_a_holder_to_an_account_moves_no_plans_version(two_plans, administrator,
                                                                                  board_member):
    before = versions()
    people.post_create(actor=as_(administrator), name="Head of Estates", effective_on=today())
    holding = PostHolding.objects.get(post__name=HOPS)
    people.holding_set_user(actor=as_(administrator), holding=holding, user=board_member, today=today())
    assert versions() == before


# 5. Transactions rolled back ----------------------------------------------------------------------------------

class RolledBack(Exception):
    pass


def test_a_change_rolled_back_is_never_served_and_the_next_committed_change_is(plan_manager, board_member):
    client = browser_for(board_member)
    original = texts(plan_as_at(pip(), today()))
    assert "succession planning" in row(warm_plan_page(client), "3.1")
    version = readcache.plan_version(pip())
    with pytest.raises(RolledBack), transaction.atomic():
        services.action_change_text(actor=as_(plan_manager), action=action("3.1"), text="Rolled back words.",
                                    reason="Never committed", effective_on=today())
        assert texts(plan_as_at(pip(), today()))["3.1"] == "Rolled back words."  # this transaction sees it
        assert "Rolled back words." in row(get_page(client, PLAN_URL), "3.1")
        assert readcache.plan_version(pip())[2] == version[2] + 1
        raise RolledBack
    assert readcache.plan_version(pip()) == version
    assert texts(plan_as_at(pip(), today())) == original
    assert "succession planning" in row(get_page(client, PLAN_URL), "3.1")  # not emptying the cache
    # A different change, with as many journal events: the same version number the rolled-back one had.
    services.action_change_text(actor=as_(plan_manager), action=action("3.1"), text="Committed words.",
                                reason="Committed", effective_on=today())
    assert readcache.plan_version(pip())[2] == version[2] + 1
    assert texts(plan_as_at(pip(), today()))["3.1"] == "Committed words."
    assert shown(plan_as_at(pip(), today())) == shown(build_as_at(pip(), today()))
    page = read_twice(client, PLAN_URL)
    assert "Committed words." in row(page, "3.1") and "Rolled back words." not in page


def test_a_service_that_fails_after_journalling_leaves_the_cache_right(monkeypatch, plan_manager, board_member):
    client = browser_for(board_member)
    assert "Clarify &amp; evidence provision" in warm_plan_page(client)
    version = readcache.plan_version(pip())
    seen_inside = []
    full_clean = Recommendation.full_clean

    def read_then_check(self, *args, **kwargs):  # someone reads the plan while the failing change is under way
        seen_inside.append(readcache.plan_version(pip()))
        plan_as_at(pip(), today())
        get_page(client, PLAN_URL)
        return full_clean(self, *args, **kwargs)

    monkeypatch.setattr(Recommendation, "full_clean", read_then_check)
    rec = Recommendation.objects.get(plan__reference=REF, ref="2")
    with pytest.raises(ValidationError):  # the text and the kind are journalled, then the kind is refused
        services.recommendation_update(actor=as_(plan_manager), recommendation=rec, text="Failed words.",
                                       kind="no-such-kind", reason="Typo", effective_on=today())
    assert seen_inside == [(*version[:2], version[2] + 2)]  # read under the version the failure reached
    assert readcache.plan_version(pip()) == version
    page = read_twice(client, PLAN_URL)
    assert "Clarify &amp; evidence provision" in page and "Failed words." not in page
    # The same two events, committed, with different words: the version the failed change reached.
    services.recommendation_update(actor=as_(plan_manager), recommendation=rec, text="Committed words.",
                                   kind="afi", reason="Reworded", effective_on=today())
    assert readcache.plan_version(pip())[2] == version[2] + 2
    page = read_twice(client, PLAN_URL)
    assert "Committed words." in page and "Failed words." not in page and "Area for improvement 2" in page


def test_a_refused_change_leaves_the_cache_right(api, board_member, owner, plan_manager):
    client = browser_for(board_member)
    before = warm_plan_page(client)
    with pytest.raises(PermissionDenied):
        services.action_change_text(actor=as_(board_member), action=action("3.1"), text="Not allowed.",
                                    reason="Trying", effective_on=today())
    refused = api(owner).post(f"{API_ACTIONS}/5.1/complete", {"note": "No evidence yet"})
    assert refused.status_code in (400, 422)
    assert read_twice(client, PLAN_URL) == before
    services.action_change_text(actor=as_(plan_manager), action=action("3.1"), text="Allowed.", reason="Clearer",
                                effective_on=today())
    assert "Allowed." in row(read_twice(client, PLAN_URL), "3.1")


# 6. The bound -------------------------------------------------------------------------------------------------

def test_the_cache_keeps_at_most_its_entries_dropping_the_least_recently_used(settings):
    entries = 20
    settings.CACHES = {**settings.CACHES, readcache.ALIAS: {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-the-bound",
        "OPTIONS": {"MAX_ENTRIES": entries, "CULL_FREQUENCY": entries}}}  # as settings.py sets it
    built = []

    def builder(n):
        return lambda: built.append(n) or n

    def kept(n) -> bool:
        """Served without building: asking moves it to the most recently used, as any read does."""
        before = len(built)
        assert readcache.get_or_build(("test", n), builder(n)) == n
        return len(built) == before

    total = entries + 10
    for n in range(total):
        assert readcache.get_or_build(("test", n), builder(n)) == n
    assert built == list(range(total))
    assert kept(total - 1) and kept(10)  # the newest are kept; 10 is now the most recently used
    readcache.get_or_build(("test", total), builder(total))  # one more: 11, the least recently used, goes
    assert not kept(11) and kept(10)
    assert not kept(0) and not kept(9)  # dropped long ago: built again


def test_nothing_is_kept_from_inside_a_transaction():
    with transaction.atomic():
        assert readcache.get_or_build(("test", "inside"), lambda: 1) == 1
        assert readcache.get_or_build(("test", "inside"), lambda: 2) == 2  # nor read
    assert readcache.get_or_build(("test", "inside"), lambda: 3) == 3
    assert readcache.get_or_build(("test", "inside"), lambda: 4) == 3


