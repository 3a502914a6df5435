"""/notifications/: what needs you, newest first; opening the page does not mark them read (the header's count
stays until you say you have seen them), so nothing is lost by a glance."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from actiontrack.pages.forms import is_id
from actiontrack.pages.rendering import render_page
from actiontrack.plans.services.notifications import notifications_read


@login_required
def index(request):
    items = request.user.notifications.select_related("plan", "action")
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render_page(request, "web/notifications/index.html", {"page": page})


@require_POST
@login_required
def mark_read(request):
    ids = [int(pk) for pk in request.POST.getlist("id") if is_id(pk)]
    count = notifications_read(user=request.user, ids=ids or None)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read.")
    return redirect("notifications:index")
