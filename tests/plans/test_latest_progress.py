"""The Progress column's latest update per action names its author as everywhere else (models.shown_name): the
account's name as it is now, its username when it has no name, and the name recorded in a restored file when no
account is linked. latest_progress reads plain values rather than the update and account models, so these are
checked against shown_name itself."""

from datetime import date

import pytest

from actiontrack.plans.models import ProgressUpdate, shown_name
from actiontrack.plans.selectors.progress import latest_progress, latest_progress_across

pytestmark = pytest.mark.django_db
AS_AT = date(2021, 11, 30)


def authors(plan) -> dict[str, str]:
    refs = dict(plan.actions.values_list("pk", "ref"))
    return {refs[pk]: progress.author for pk, progress in latest_progress(plan, AS_AT).items()}


def test_the_author_is_named_as_shown_name_names_them(demo, owner):
    plan = demo.plan
    assert authors(plan)["1.1"] == "Chris Parker"
    owner.first_name = "Christine"
    owner.save()
    assert authors(plan)["1.1"] == "Christine Parker"  # the account's name now, not when it was written
    owner.first_name = owner.last_name = ""
    owner.save()
    assert authors(plan)["1.1"] == "cparker"
    ProgressUpdate.objects.filter(action__plan=plan, author=owner).update(author=None, author_name="C. Parker (HQ)")
    assert authors(plan)["1.1"] == "C. Parker (HQ)"  # restored from a file, no account linked
    for update in ProgressUpdate.objects.filter(action__plan=plan).select_related("author", "action"):
        found = latest_progress(plan, AS_AT, [update.action_id]).get(update.action_id)
        if found is not None and found.period.start == update.period_start:
            assert found.author == shown_name(update.author, update.author_name)


def test_the_latest_period_on_or_before_the_date_is_the_one_shown(demo):
    plan = demo.plan
    one = plan.actions.get(ref="1.1")
    progress = latest_progress(plan, AS_AT)[one.pk]
    assert (progress.period.label, progress.asked.label, progress.is_for_period) == (
        "November 2021", "November 2021", True)
    later = latest_progress(plan, date(2022, 1, 15))[one.pk]
    assert (later.period.label, later.asked.label, later.is_for_period) == ("November 2021", "January 2022", False)
    assert latest_progress_across({one.pk: plan}, AS_AT) == {one.pk: progress}
    assert one.pk not in latest_progress(plan, date(2021, 10, 31))
