"""The action page keeps one thing between requests: the posts and their holders, by the plan's read version.
A change to a post's name or holders must show on it at once, as on the plan page (test_plan_page.py).

The tests commit, as requests do (nothing is kept from inside a transaction); see helpers.py."""

import pytest
from django.urls import reverse

from actiontrack.people import services as people
from tests.plans.readcache.helpers import HPP, READERS, REF, as_, browser_for, post, read_twice, today, warm, words

pytestmark = pytest.mark.django_db(transaction=True)

ACTION_URL = reverse("action", args=[REF, "3.1"])


@pytest.mark.parametrize("reader", READERS)
def test_a_new_post_holder_and_a_renamed_post_show_on_the_action_page_at_once(request, reader, administrator):
    client = browser_for(request.getfixturevalue(reader))
    assert "AM Chris Parker" in words(warm(client, ACTION_URL, "posts_with_holdings"))
    people.post_holder_change(actor=as_(administrator), post=post(HPP), holder_name="AM Dana Price",
                              starts_on=today(), reason="Promoted")
    page = words(read_twice(client, ACTION_URL))
    assert "AM Dana Price" in page
    hpp = post(HPP)
    people.post_update(actor=as_(administrator), post=hpp, name="Head of Fire Protection and Prevention",
                       aliases=hpp.alias_list, today=today())
    page = words(read_twice(client, ACTION_URL))
    assert "Head of Fire Protection and Prevention" in page and HPP not in page
