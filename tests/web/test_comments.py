"""Comments on an action: Chris Parker (an owner) and the plan manager talk about action 5.1, with @mentions;
an edit keeps the earlier text visible; a board member reads but cannot write; an outsider sees nothing; the
comments are in the action's history and travel with the plan's JSON export."""

import json

from django.urls import reverse

from actiontrack.interchange.exporting import export_json
from actiontrack.plans.models import Action, Comment
from tests.interchange.helpers import run_import

ACTION = "/plans/PIP-PR/actions/5.1/"
ADD = reverse("comments:add", args=["PIP-PR", "5.1"])


def comment_on(client, text):
    return client.post(ADD, {"text": text})


def test_an_owner_comments_and_mentions_the_plan_manager(signed_in, owner, plan_manager, outsider):
    client = signed_in(owner)
    response = comment_on(client, "Draft structure attached for @pmo to see; @outsider and @nobody cannot.")
    assert response.status_code == 302 and response["Location"].endswith("#comments")
    comment = Comment.objects.get()
    assert comment.author == owner and comment.action.ref == "5.1"
    assert [user.username for user in comment.mentions.all()] == ["pmo"]  # only people who can see the action
    page = client.get(ACTION).content.decode()
    assert "Draft structure attached for @pmo to see" in page and "Mentions: Priya Shah" in page
    assert "No comments yet." not in page
    history = client.get(ACTION).content.decode().split('id="history"')[1]
    assert "Comment" in history and "Draft structure attached" in history


def test_the_plan_manager_and_the_verifier_can_comment_a_board_member_cannot(signed_in, plan_manager, verifier,
                                                                           board_member):
    assert comment_on(signed_in(plan_manager), "When will the restructure be agreed?").status_code == 302
    assert comment_on(signed_in(verifier), "I will need the signed paper as evidence.").status_code == 302
    reader = signed_in(board_member)
    page = reader.get(ACTION).content.decode()
    assert "When will the restructure be agreed?" in page and "I will need the signed paper" in page
    assert 'action="' + ADD + '"' not in page  # no form offered
    refused = comment_on(reader, "Board members only read.")
    assert refused.status_code == 403
    assert "Only the plan manager, the verifier and the owners of action 5.1 can comment" in refused.content.decode()
    assert Comment.objects.count() == 2


def test_someone_who_cannot_see_the_plan_gets_not_found(signed_in, outsider, demo):
    assert comment_on(signed_in(outsider), "Hello").status_code == 404
    assert not Comment.objects.exists()


def test_an_empty_comment_is_said_and_nothing_is_saved(signed_in, owner):
    response = comment_on(signed_in(owner), "   ")
    assert response.status_code == 400 and "Write the comment: it cannot be empty." in response.content.decode()
    assert not Comment.objects.exists()


def test_an_edit_keeps_the_earlier_text_visible_and_only_the_author_may_edit(signed_in, owner, plan_manager):
    comment_on(signed_in(owner), "Due by the end of January.")
    comment = Comment.objects.get()
    edit = reverse("comments:edit", args=["PIP-PR", "5.1", comment.pk])
    assert signed_in(plan_manager).post(edit, {"text": "Changed by someone else", "version": 1}).status_code == 403
    client = signed_in(owner)
    assert client.post(edit, {"text": "Due by the end of February.", "version": 1}).status_code == 302
    page = client.get(ACTION).content.decode()
    assert "Due by the end of February." in page
    assert "Earlier version (1)" in page and "Due by the end of January." in page
    history = page.split('id="history"')[1]
    assert "Comment edited" in history
    # An edit from a page opened before that one is refused, showing what is saved now.
    stale = client.post(edit, {"text": "Due in March.", "version": 1})
    assert stale.status_code == 409 and "Due by the end of February." in stale.content.decode()
    assert Comment.objects.get().text == "Due by the end of February."


def test_comments_travel_with_the_json_export_and_come_back_on_restore(signed_in, owner, demo):
    comment_on(signed_in(owner), "First thoughts.")
    comment = Comment.objects.get()
    signed_in(owner).post(reverse("comments:edit", args=["PIP-PR", "5.1", comment.pk]),
                          {"text": "Second thoughts.", "version": 1})
    document = json.loads(export_json.render(demo.plan))
    assert [(c["text"], c["version"]) for c in document["comments"]] == [("Second thoughts.", 2)]
    report = run_import(json.dumps(document).encode(), "pip.json", "PIP-COPY", apply=True)
    assert report.applied, report.errors
    copy = Comment.objects.get(action__plan__reference="PIP-COPY")
    assert copy.text == "Second thoughts." and copy.author_name == comment.author_name
    assert copy.action == Action.objects.get(plan__reference="PIP-COPY", ref="5.1")
    # A file from before comments restores too.
    del document["comments"]
    document["journal"] = [e for e in document["journal"] if e["entity_type"] != "comment"]
    assert run_import(json.dumps(document).encode(), "old.json", "PIP-OLD", apply=True).applied
