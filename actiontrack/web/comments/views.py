"""Comments on an action: written from the action's page, edited on a page of their own by their author. Each
view finds the plan and action (404 for anyone who cannot see them) and calls one service; its refusals become
the refused page (403), its messages the error summary (400)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from actiontrack.pages.forms import add_service_errors
from actiontrack.pages.lookups import actor, plan_and_action
from actiontrack.pages.rendering import Refusal, page, render_page
from actiontrack.plans.errors import EditConflict
from actiontrack.plans.models import Comment
from actiontrack.plans.services import comments as service

from ..views import action_context
from .forms import CommentForm

refusals = page(refused=Refusal(advice="Comments are between the plan manager, the verifier and the action's "
                                       "owners. If you think you should be one of them, ask the plan manager."))


def _back(action):
    return redirect(f"/plans/{action.plan.reference}/actions/{action.slug}/#comments")


@require_POST
@refusals
def add(request, reference, ref):
    plan, action = plan_and_action(request, reference, ref)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            service.comment_add(actor=actor(request), action=action, text=form.cleaned_data["text"],
                                today=timezone.localdate())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Your comment on action {action.ref} is saved.")
            return _back(action)
    return render_page(request, "web/comments/problem.html", {
        "plan": plan, "action": action, "form": form, **action_context(request, plan, action)}, status=400)


@refusals
def edit(request, reference, ref, pk):
    plan, action = plan_and_action(request, reference, ref)
    comment = Comment.objects.filter(pk=pk, action=action).first()
    if comment is None:
        raise Http404("No such comment on this action")
    context = {"plan": plan, "action": action, "comment": comment}
    if request.method != "POST":
        form = CommentForm(initial={"text": comment.text, "version": comment.version})
        return render_page(request, "web/comments/edit.html", {**context, "form": form})
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            service.comment_edit(actor=actor(request), comment=comment, text=form.cleaned_data["text"],
                                 expected_version=form.cleaned_data["version"] or 0, today=timezone.localdate())
        except ValidationError as exc:
            add_service_errors(form, exc)
        except EditConflict as exc:
            form = CommentForm(initial={"text": form.cleaned_data["text"], "version": exc.current_version})
            return render_page(request, "web/comments/edit.html", {
                **context, "form": form, "conflict": exc, "stored": exc.current["text"]}, status=409)
        else:
            messages.success(request, "Your comment is saved; its earlier text stays visible under it.")
            return _back(action)
    return render_page(request, "web/comments/edit.html", {**context, "form": form}, status=400)
