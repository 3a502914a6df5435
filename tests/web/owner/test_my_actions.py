"""My actions: an owner's actions, overdue first, with what each needs; a verifier's list of completed actions
waiting for them."""

import re
from datetime import date

import pytest
from django.urls import reverse

from actiontrack.core.journal import Actor
from actiontrack.people import services as people
from actiontrack.plans.models import Action
from tests.web.owner.helpers import action_url, period_label

pytestmark = pytest.mark.django_db


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
