"""The administration pages, as the people who use them: an administrator (staff, with no role on any plan)
manages users, roles, posts and holders; a plan manager, an owner and an outsider are refused everything."""

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from actiontrack.core.models import JournalEvent
from actiontrack.people.models import Post, PostHolding
from actiontrack.plans.choices import PlanRoleKind
from actiontrack.plans.models import PlanRole

pytestmark = pytest.mark.django_db

PLAN = reverse("plan", args=["PIP-PR"])
STRONG = "a sensible long passphrase 2026"
HPP = "Head of Prevention and Protection"


def url(name, *args):
    return reverse(f"administration:{name}", args=args)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def row_of(page: str, heading: str) -> str:
    """The HTML of the table row whose row heading reads `heading`."""
    for row in page.split("<tr>")[1:]:
        row = row.split("</tr>")[0]
        if re.sub(r"<[^>]+>", "", row.split("</th>")[0]).strip() == heading:
            return row
    raise AssertionError(f"no row {heading!r}")


def user_named(username):
    return get_user_model().objects.get(username=username)


def post_named(name):
    return Post.objects.get(name=name)


def snapshot():
    """Everything the administration pages can change, to show that a refused request changed nothing."""
    return (
        sorted(get_user_model().objects.values_list("username", "is_active", "is_staff", "password")),
        sorted(PlanRole.objects.values_list("user__username", "plan__reference", "role")),
        sorted(Post.objects.values_list("name", "aliases")),
        sorted(PostHolding.objects.values_list("post__name", "holder_name", "user__username", "starts_on", "ends_on")),
        JournalEvent.objects.count(),
    )


def new_user_form(**changes):
    return {"username": "jbloggs", "first_name": "Jo", "last_name": "Bloggs", "email": "jo.bloggs@example.org",
            "password": STRONG, "password_confirm": STRONG, **changes}


# Who may come in ------------------------------------------------------------------------------------------


def every_page(demo_user, demo_post):
    return [url("index"), url("users"), url("user_new"), url("user", demo_user.pk), url("posts"), url("post_new"),
            url("post", demo_post.pk)]


def test_someone_not_signed_in_is_sent_to_sign_in_from_every_page(client, demo):
    for page in every_page(user_named("board"), post_named(HPP)):
        response = client.get(page)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), page


def test_the_administrator_sees_the_index_with_links_to_users_and_posts(signed_in, administrator, demo):
    response = signed_in(administrator).get(url("index"))
    assert response.status_code == 200
    assert f'href="{url("users")}"' in response.text and f'href="{url("posts")}"' in response.text


@pytest.mark.parametrize("persona", ["plan_manager", "owner", "outsider"])
def test_anyone_but_an_administrator_is_refused_every_page_with_a_clear_403(request, signed_in, persona, demo):
    client = signed_in(request.getfixturevalue(persona))
    for page in every_page(user_named("board"), post_named(HPP)):
        response = client.get(page)
        assert response.status_code == 403, page
        assert "You cannot use the administration pages" in response.text
        assert "Only an administrator can manage users, roles and posts." in response.text


@pytest.mark.parametrize("persona", ["plan_manager", "owner", "outsider"])
def test_anyone_but_an_administrator_is_refused_every_change_and_nothing_changes(request, signed_in, persona,
                                                                                  demo):
    actor = request.getfixturevalue(persona)
    client = signed_in(actor)
    board, post = user_named("board"), post_named(HPP)
    board_viewer = PlanRole.objects.get(user=board, role=PlanRoleKind.VIEWER)
    before = snapshot()
    posts = [
        (url("user_new"), new_user_form(is_staff="on")),
        (url("user_active", board.pk), {"active": "off"}),
        (url("role_grant", actor.pk), {"plan": demo.plan.pk, "role": PlanRoleKind.MANAGER}),
        (url("role_revoke", board.pk, board_viewer.pk), {}),
        (url("post_new"), {"name": "Head of Fraud", "aliases": ""}),
        (url("post", post.pk), {"name": "Head of Everything", "aliases": ""}),
        (url("post_holder", post.pk), {"holder_name": "Mallory", "user": actor.pk, "starts_on": "01/01/2026"}),
    ]
    for address, data in posts:
        response = client.post(address, data)
        assert response.status_code == 403, address
        assert "Only an administrator can manage users, roles and posts." in response.text
    assert snapshot() == before


# Users ----------------------------------------------------------------------------------------------------


def test_the_users_table_shows_roles_on_plans_and_posts_held_today(signed_in, administrator, demo):
    response = signed_in(administrator).get(url("users"))
    assert response.status_code == 200
    page = response.text
    assert "Plan manager of PIP-PR" in row_of(page, "pmo") and "Priya Shah" in row_of(page, "pmo")
    assert "Verifier of PIP-PR" in row_of(page, "verifier")
    assert HPP in row_of(page, "cparker") and "cparker@example.org" in row_of(page, "cparker")
    assert "Head of Protection" in row_of(page, "earwicker")
    administrator_and_active = [re.findall(r"<td[^>]*>(.*?)</td>", row_of(page, name), re.S)[2:4]
                                for name in ("admin", "pmo")]
    assert administrator_and_active == [["Yes", "Yes"], ["No", "Yes"]]


def test_the_administrator_creates_a_user_who_can_then_sign_in(signed_in, administrator, client):
    response = signed_in(administrator).post(url("user_new"), new_user_form(is_staff="on"))
    user = user_named("jbloggs")
    assert response.status_code == 302 and response.url == url("user", user.pk)
    assert messages_of(response) == ["User jbloggs created. Now give them a role on a plan, or link them to a post "
                                     "they hold."]
    assert (user.get_full_name(), user.email, user.is_staff, user.is_active) == ("Jo Bloggs", "jo.bloggs@example.org",
                                                                                 True, True)
    assert user.check_password(STRONG)
    event = JournalEvent.objects.get(entity_type="user", entity_id=user.pk)
    assert (event.field, event.new, event.actor) == ("created", {"username": "jbloggs", "is_staff": True},
                                                     administrator)


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"username": "PMO"}, "username", "The username &#x27;PMO&#x27; is taken."),
    ({"password": "password", "password_confirm": "password"}, "password", "This password is too common."),
    ({"password": "password", "password_confirm": "password"}, "password", "This password is too short."),
    ({"password_confirm": STRONG + "!"}, "password_confirm", "The two passwords are different."),
    ({"username": ""}, "username", "This field is required."),
    ({"email": "not an address"}, "email", "Enter a valid email address."),
])
def test_a_user_that_cannot_be_created_is_explained_and_nothing_is_created(signed_in, administrator, demo, changes,
                                                                           field, message):
    before = snapshot()
    response = signed_in(administrator).post(url("user_new"), new_user_form(**changes))
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert f'href="#id_{field}"' in response.text and message in response.text
    assert STRONG not in response.text  # passwords are never sent back
    assert snapshot() == before


def test_the_user_page_shows_their_roles_and_the_posts_they_hold(signed_in, administrator, owner, plan_manager):
    client = signed_in(administrator)
    page = client.get(url("user", owner.pk)).text
    assert "Signed in as Ada Admin" in page  # the header still names who is signed in, not the user shown
    assert "Chris Parker" in page and f"{HPP}</a> as AM Chris Parker, from 01/10/2021" in page
    assert "cparker has no role on any plan. They see the plans whose actions are owned by a post they hold." in page
    page = client.get(url("user", plan_manager.pk)).text
    assert "<td>Plan manager</td>" in page and "Revoke<span class=\"visually-hidden\"> plan manager of PIP-PR" in page
    assert client.get(url("user", 999999)).status_code == 404


def test_the_administrator_turns_an_account_off_and_on_again(signed_in, administrator, board_member):
    client = signed_in(administrator)
    response = client.post(url("user_active", board_member.pk), {"active": "off"})
    assert response.status_code == 302 and response.url == url("user", board_member.pk)
    board_member.refresh_from_db()
    assert not board_member.is_active
    assert messages_of(response) == ["The account board is off: they can no longer sign in."]
    assert "Turn account on" in client.get(url("user", board_member.pk)).text

    client.post(url("user_active", board_member.pk), {"active": "on"})
    board_member.refresh_from_db()
    assert board_member.is_active
    changes = JournalEvent.objects.filter(entity_type="user", entity_id=board_member.pk, field="is_active")
    assert [(event.old, event.new) for event in changes.order_by("id")] == [(True, False), (False, True)]


def test_the_administrator_cannot_turn_off_their_own_account(signed_in, administrator):
    client = signed_in(administrator)
    assert "Turn account off" not in client.get(url("user", administrator.pk)).text
    response = client.post(url("user_active", administrator.pk), {"active": "off"})
    assert response.status_code == 400
    assert "You cannot turn off your own account." in response.text
    administrator.refresh_from_db()
    assert administrator.is_active and not JournalEvent.objects.exists()


def test_granting_a_role_journals_it_and_the_new_viewer_then_sees_the_plan(signed_in, administrator, outsider,
                                                                           demo, client):
    assert signed_in(outsider).get(PLAN).status_code == 404
    response = signed_in(administrator).post(url("role_grant", outsider.pk),
                                             {"plan": demo.plan.pk, "role": PlanRoleKind.VIEWER})
    assert response.status_code == 302 and response.url == url("user", outsider.pk)
    assert messages_of(response) == ["outsider is now viewer of PIP-PR."]
    event = JournalEvent.objects.filter(field="role_granted").last()
    assert (event.plan, event.new, event.actor) == (demo.plan, {"user": "outsider", "role": "viewer"}, administrator)
    assert signed_in(outsider).get(PLAN).status_code == 200


def test_a_role_the_user_already_has_is_not_granted_twice(signed_in, administrator, plan_manager, demo):
    before = snapshot()
    response = signed_in(administrator).post(url("role_grant", plan_manager.pk),
                                             {"plan": demo.plan.pk, "role": PlanRoleKind.MANAGER})
    assert response.status_code == 400
    assert "pmo is already plan manager of PIP-PR." in response.text
    assert snapshot() == before


@pytest.mark.parametrize("data", [{"plan": "", "role": "viewer"}, {"plan": "1", "role": "owner"}])
def test_a_role_grant_without_a_plan_or_a_known_role_is_refused(signed_in, administrator, outsider, demo, data):
    before = snapshot()
    response = signed_in(administrator).post(url("role_grant", outsider.pk), data)
    assert response.status_code == 400 and "There is a problem" in response.text
    assert snapshot() == before


def test_revoking_a_role_journals_it_and_the_plan_is_no_longer_visible(signed_in, administrator, board_member, demo):
    grant = PlanRole.objects.get(user=board_member, plan=demo.plan)
    response = signed_in(administrator).post(url("role_revoke", board_member.pk, grant.pk))
    assert response.status_code == 302 and not PlanRole.objects.filter(pk=grant.pk).exists()
    assert messages_of(response) == ["board is no longer viewer of PIP-PR."]
    assert JournalEvent.objects.get(field="role_revoked").old == {"user": "board", "role": "viewer"}
    assert signed_in(board_member).get(PLAN).status_code == 404


def test_a_role_is_revoked_only_through_its_own_user(signed_in, administrator, board_member, plan_manager, demo):
    grant = PlanRole.objects.get(user=board_member, plan=demo.plan)
    response = signed_in(administrator).post(url("role_revoke", plan_manager.pk, grant.pk))
    assert response.status_code == 404 and PlanRole.objects.filter(pk=grant.pk).exists()


def test_changes_are_only_made_by_post(signed_in, administrator, board_member):
    response = signed_in(administrator).get(url("user_active", board_member.pk), {"active": "off"})
    assert response.status_code == 405
    board_member.refresh_from_db()
    assert board_member.is_active


# Posts ----------------------------------------------------------------------------------------------------


def test_the_posts_table_shows_aliases_holders_today_and_actions_owned(signed_in, administrator, demo):
    page = signed_in(administrator).get(url("posts")).text
    hpp, hp, comms = (row_of(page, name) for name in (HPP, "Head of Protection", "Corporate Communications"))
    assert "Head of Protection and Prevention" in hpp and "AM Chris Parker" in hpp
    assert "since 01/10/2021" in hpp and '<td class="numeric">7</td>' in hpp
    assert "GM Earwicker" in hp and '<td class="numeric">2</td>' in hp
    assert "Corporate comms" in comms and "Nobody" in comms


def test_the_administrator_creates_a_post_with_other_spellings(signed_in, administrator, demo):
    response = signed_in(administrator).post(url("post_new"), {"name": "  Head of  Fleet ",
                                                               "aliases": "Fleet manager\n\n  Head of Workshops \n"})
    post = post_named("Head of Fleet")
    assert response.status_code == 302 and response.url == url("post", post.pk)
    assert post.alias_list == ["Fleet manager", "Head of Workshops"]
    event = JournalEvent.objects.get(entity_type="post", entity_id=post.pk)
    assert event.effective_on == timezone.localdate() and event.actor == administrator


@pytest.mark.parametrize(("name", "message"), [
    ("Head of Protection",
     "&#x27;Head of Protection&#x27; is already a name or spelling of the post &#x27;Head of Protection&#x27;."),
    ("Head of Protection and Prevention",
     "&#x27;Head of Protection and Prevention&#x27; is already a name or spelling of the post "
     "&#x27;Head of Prevention and Protection&#x27;."),
    ("", "This field is required."),
])
def test_a_post_that_already_exists_is_not_created_again(signed_in, administrator, demo, name, message):
    before = snapshot()
    response = signed_in(administrator).post(url("post_new"), {"name": name, "aliases": ""})
    assert response.status_code == 400
    assert 'href="#id_name"' in response.text and message in response.text
    assert snapshot() == before


def test_the_administrator_renames_a_post_and_changes_its_other_spellings(signed_in, administrator, demo):
    post = post_named("Head of Ops Policy")
    client = signed_in(administrator)
    form = client.get(url("post", post.pk)).text
    assert "Head of Operational Policy</textarea>" in form
    response = client.post(url("post", post.pk), {"name": "Head of Operational Policy",
                                                  "aliases": "Head of Ops Policy\nOps policy"})
    assert response.status_code == 302 and response.url == url("post", post.pk)
    post.refresh_from_db()
    assert (post.name, post.alias_list) == ("Head of Operational Policy", ["Head of Ops Policy", "Ops policy"])
    assert set(JournalEvent.objects.filter(entity_type="post", entity_id=post.pk, actor=administrator)
               .values_list("field", flat=True)) == {"name", "aliases"}


def test_a_post_cannot_be_renamed_to_another_post(signed_in, administrator, demo):
    post = post_named("Head of Ops Policy")
    before = snapshot()
    response = signed_in(administrator).post(url("post", post.pk), {"name": "head of protection", "aliases": ""})
    assert response.status_code == 400
    assert "&#x27;head of protection&#x27; is already a name or spelling of the post" in response.text
    assert snapshot() == before


def test_the_post_page_shows_the_history_of_holders(signed_in, administrator, owner, demo):
    page = signed_in(administrator).get(url("post", post_named(HPP).pk)).text
    palmer, parker = row_of(page, "AM Palmer"), row_of(page, "AM Chris Parker")
    assert "01/01/2021" in palmer and "30/09/2021" in palmer and "<td>None</td>" in palmer
    assert "cparker</a>" in parker and "No end date" in parker
    assert "Holder today</dt><dd>AM Chris Parker, since 1 October 2021" in page


def test_a_new_holder_takes_over_and_the_previous_holding_ends_the_day_before(signed_in, administrator, owner,
                                                                               other_owner, demo):
    post = post_named(HPP)
    starts_on = timezone.localdate() - timedelta(days=10)
    response = signed_in(administrator).post(url("post_holder", post.pk), {
        "holder_name": "AM Gary Earwicker", "user": other_owner.pk, "starts_on": starts_on.strftime("%d/%m/%Y"),
        "reason": "Acting up while the post is vacant"})
    assert response.status_code == 302 and response.url == url("post", post.pk)
    parker, earwicker = post.holdings.filter(starts_on__gte=date(2021, 10, 1))
    assert (parker.holder_name, parker.ends_on) == ("AM Chris Parker", starts_on - timedelta(days=1))
    assert (earwicker.holder_name, earwicker.user, earwicker.ends_on) == ("AM Gary Earwicker", other_owner, None)
    event = JournalEvent.objects.get(entity_type="post", entity_id=post.pk, field="holder", actor=administrator)
    assert (event.old, event.new, event.reason) == ("AM Chris Parker", "AM Gary Earwicker",
                                                    "Acting up while the post is vacant")
    page = signed_in(administrator).get(url("posts")).text
    assert "AM Gary Earwicker" in page


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"starts_on": "01/06/2021"}, "starts_on",
     "AM Chris Parker already holds Head of Prevention and Protection from 1 October 2021; a new holding must "
     "start after that."),
    ({"starts_on": "01/10/2021"}, "starts_on", "AM Chris Parker already holds"),
    ({"starts_on": "31/02/2026"}, "starts_on", "Enter it as day/month/year"),
    ({"starts_on": ""}, "starts_on", "This field is required."),
    ({"holder_name": "   "}, "holder_name", "This field is required."),
    ({"user": "999999"}, "user", "Select a valid choice."),
])
def test_a_holder_that_cannot_be_recorded_is_explained_and_nothing_changes(signed_in, administrator, demo, data,
                                                                           field, message):
    post = post_named(HPP)
    before = snapshot()
    response = signed_in(administrator).post(url("post_holder", post.pk), {
        "holder_name": "AM Somebody", "user": "", "starts_on": "01/01/2026", "reason": "", **data})
    assert response.status_code == 400
    assert f'href="#id_{field}"' in response.text and message in response.text
    assert snapshot() == before


# Names, email addresses, passwords and who is an administrator --------------------------------------------


def test_the_administrator_changes_a_users_name_and_email_address(signed_in, administrator, owner):
    client = signed_in(administrator)
    page = client.get(url("user", owner.pk)).text
    assert 'name="email" value="cparker@example.org"' in page
    response = client.post(url("user_details", owner.pk), {"first_name": "Christopher", "last_name": "Parker",
                                                            "email": "c.parker@example.org"})
    assert response.status_code == 302 and response.url == url("user", owner.pk)
    owner.refresh_from_db()
    assert (owner.get_full_name(), owner.email) == ("Christopher Parker", "c.parker@example.org")
    changes = JournalEvent.objects.filter(entity_type="user", entity_id=owner.pk, actor=administrator)
    assert sorted((e.field, e.old, e.new) for e in changes) == [
        ("email", "cparker@example.org", "c.parker@example.org"), ("first_name", "Chris", "Christopher")]


def test_a_bad_email_address_is_explained_and_nothing_changes(signed_in, administrator, owner):
    before = snapshot()
    response = signed_in(administrator).post(url("user_details", owner.pk), {"first_name": "", "last_name": "",
                                                                             "email": "not an address"})
    assert response.status_code == 400 and 'href="#id_email"' in response.text
    assert "Enter a valid email address." in response.text and 'id="id_email_error"' in response.text
    owner.refresh_from_db()
    assert owner.get_full_name() == "Chris Parker" and snapshot() == before


def test_the_administrator_sets_a_new_password(signed_in, administrator, owner, client):
    response = signed_in(administrator).post(url("user_password", owner.pk),
                                             {"password": STRONG, "password_confirm": STRONG})
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password(STRONG)
    event = JournalEvent.objects.get(entity_type="user", entity_id=owner.pk, field="password")
    assert STRONG not in str(event.new) and event.actor == administrator


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"password": "password", "password_confirm": "password"}, "password", "This password is too common."),
    ({"password": "cparker@example.org1", "password_confirm": "cparker@example.org1"}, "password", "too similar"),
    ({"password": STRONG, "password_confirm": STRONG + "!"}, "password_confirm", "The two passwords are different."),
    ({"password": "", "password_confirm": ""}, "password", "This field is required."),
])
def test_a_password_the_validators_refuse_is_not_set(signed_in, administrator, owner, data, field, message):
    before = snapshot()
    response = signed_in(administrator).post(url("user_password", owner.pk), data)
    assert response.status_code == 400 and message in response.text and f'href="#id_{field}"' in response.text
    assert STRONG not in response.text and snapshot() == before


def test_all_of_a_fields_errors_are_in_one_element(signed_in, administrator, owner):
    response = signed_in(administrator).post(url("user_password", owner.pk),
                                             {"password": "password", "password_confirm": "password"})
    html = response.text
    assert "This password is too common." in html and "This password is too short." in html
    assert html.count('id="id_password_error"') == 1
    assert 'aria-describedby="id_password_helptext id_password_error"' in html


def test_the_administrator_makes_someone_an_administrator_and_then_not(signed_in, administrator, plan_manager):
    client = signed_in(administrator)
    assert "Make pmo an administrator" in client.get(url("user", plan_manager.pk)).text
    response = client.post(url("user_administrator", plan_manager.pk), {"administrator": "yes"})
    assert response.status_code == 302 and messages_of(response) == ["pmo is now an administrator."]
    plan_manager.refresh_from_db()
    assert plan_manager.is_staff
    assert "Stop pmo being an administrator" in client.get(url("user", plan_manager.pk)).text
    client.post(url("user_administrator", plan_manager.pk), {"administrator": "no"})
    plan_manager.refresh_from_db()
    assert not plan_manager.is_staff
    changes = JournalEvent.objects.filter(entity_type="user", entity_id=plan_manager.pk, field="is_staff")
    assert [(e.old, e.new) for e in changes.order_by("id")] == [(False, True), (True, False)]


def test_an_administrator_cannot_stop_being_one_themselves(signed_in, administrator):
    client = signed_in(administrator)
    page = client.get(url("user", administrator.pk)).text
    assert "You cannot change that yourself" in page and "being an administrator</button>" not in page
    response = client.post(url("user_administrator", administrator.pk), {"administrator": "no"})
    assert response.status_code == 400 and "You cannot change whether you are an administrator yourself" in (
        response.text)
    assert 'href="#id_administrator"' in response.text and 'id="id_administrator"' in response.text
    administrator.refresh_from_db()
    assert administrator.is_staff and not JournalEvent.objects.exists()


def test_an_unknown_administrator_choice_is_refused(signed_in, administrator, plan_manager):
    before = snapshot()
    response = signed_in(administrator).post(url("user_administrator", plan_manager.pk), {"administrator": "maybe"})
    assert response.status_code == 400 and snapshot() == before


# Ending a holding with nobody to follow, and the account a holding is linked to ------------------------------


def hpp_holding():
    return PostHolding.objects.get(post__name=HPP, holder_name="AM Chris Parker")


def test_the_post_page_links_to_each_holding(signed_in, administrator, demo):
    page = signed_in(administrator).get(url("post", post_named(HPP).pk)).text
    assert url("holding", post_named(HPP).pk, hpp_holding().pk) in page


def test_the_administrator_ends_a_holding_and_the_post_is_vacant(signed_in, administrator, owner, demo):
    post, holding = post_named(HPP), hpp_holding()
    client = signed_in(administrator)
    assert "End the holding" in client.get(url("holding", post.pk, holding.pk)).text
    vacant_from = timezone.localdate() - timedelta(days=5)
    response = client.post(url("holding_end", post.pk, holding.pk), {"vacant_from": vacant_from.strftime("%d/%m/%Y"),
                                                                     "reason": "Retired"})
    assert response.status_code == 302 and response.url == url("post", post.pk)
    holding.refresh_from_db()
    assert holding.ends_on == vacant_from - timedelta(days=1)
    event = JournalEvent.objects.get(entity_type="post", entity_id=post.pk, field="holder", actor=administrator)
    assert (event.old, event.new, event.effective_on, event.reason) == ("AM Chris Parker", None, vacant_from,
                                                                       "Retired")
    assert "Nobody" in row_of(client.get(url("posts")).text, HPP)
    assert "End the holding" not in client.get(url("holding", post.pk, holding.pk)).text
    # Chris Parker no longer owns the post's actions, so the owner pages refuse him.
    response = signed_in(owner).get(reverse("owner:update", args=["PIP-PR", "5.1"]))
    assert response.status_code in (403, 404)


@pytest.mark.parametrize(("vacant_from", "message"), [
    ("01/10/2021", "can be vacant from the day after that at the earliest"),
    ("31/02/2026", "Enter it as day/month/year"),
    ("", "Enter the date the post is vacant from."),
])
def test_a_holding_cannot_end_before_it_starts(signed_in, administrator, demo, vacant_from, message):
    post, holding = post_named(HPP), hpp_holding()
    before = snapshot()
    response = signed_in(administrator).post(url("holding_end", post.pk, holding.pk), {"vacant_from": vacant_from})
    assert response.status_code == 400 and message in response.text and 'href="#id_vacant_from"' in response.text
    assert snapshot() == before


def test_a_holding_that_has_ended_cannot_end_again(signed_in, administrator, demo):
    post = post_named(HPP)
    palmer = PostHolding.objects.get(post=post, holder_name="AM Palmer")
    before = snapshot()
    response = signed_in(administrator).post(url("holding_end", post.pk, palmer.pk), {"vacant_from": "01/01/2026"})
    assert response.status_code == 400 and "already ended on 30 September 2021" in response.text
    assert snapshot() == before


def test_the_administrator_unlinks_and_links_a_holdings_account(signed_in, administrator, owner, verifier, demo):
    post, holding = post_named(HPP), hpp_holding()
    client = signed_in(administrator)
    response = client.post(url("holding_account", post.pk, holding.pk), {"user": ""})
    assert response.status_code == 302
    holding.refresh_from_db()
    assert holding.user is None
    assert messages_of(response) == [f"AM Chris Parker's holding of {HPP} is no longer linked to an account."]
    client.post(url("holding_account", post.pk, holding.pk), {"user": owner.pk})
    holding.refresh_from_db()
    assert holding.user == owner
    changes = JournalEvent.objects.filter(entity_type="post", entity_id=post.pk, field="holder_account")
    assert [(e.old["user"], e.new["user"]) for e in changes.order_by("id")] == [("cparker", None), (None, "cparker")]


@pytest.mark.parametrize(("user", "message"), [("999999", "Select a valid choice."),
                                               ("cparker", "is already linked to cparker.")])
def test_a_holding_account_that_cannot_be_set_is_explained(signed_in, administrator, demo, user, message):
    post, holding = post_named(HPP), hpp_holding()
    value = user_named(user).pk if user == "cparker" else user
    before = snapshot()
    response = signed_in(administrator).post(url("holding_account", post.pk, holding.pk), {"user": value})
    assert response.status_code == 400 and message in response.text and 'href="#id_user"' in response.text
    assert snapshot() == before


def test_a_holding_is_found_only_through_its_own_post(signed_in, administrator, demo):
    holding = hpp_holding()
    assert signed_in(administrator).get(url("holding", post_named("Head of Protection").pk, holding.pk)).status_code \
        == 404


@pytest.mark.parametrize("persona", ["plan_manager", "owner"])
def test_the_new_administration_changes_are_refused_to_anyone_else(request, signed_in, persona, demo):
    person = request.getfixturevalue(persona)
    client = signed_in(person)
    board, post, holding = user_named("board"), post_named(HPP), hpp_holding()
    before = snapshot()
    assert client.get(url("holding", post.pk, holding.pk)).status_code == 403
    for address, data in [
        (url("user_details", board.pk), {"first_name": "Mallory", "last_name": "", "email": ""}),
        (url("user_password", board.pk), {"password": STRONG, "password_confirm": STRONG}),
        (url("user_administrator", person.pk), {"administrator": "yes"}),
        (url("holding_end", post.pk, holding.pk), {"vacant_from": "01/01/2026"}),
        (url("holding_account", post.pk, holding.pk), {"user": person.pk}),
    ]:
        response = client.post(address, data)
        assert response.status_code == 403, address
        assert "Only an administrator can manage users, roles and posts." in response.text
    assert snapshot() == before
    board.refresh_from_db()
    assert board.first_name != "Mallory" and board.check_password(STRONG) is False
