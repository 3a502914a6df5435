"""Template context for the header navigation (pages/base.html): which sections this person has."""

from actiontrack.plans.choices import PlanRoleKind
from actiontrack.plans.models import Notification, PlanRole


def manages_any_plan(request) -> bool:
    """Whether the signed-in person manages any plan: asked by the menu and by pages, read once a request."""
    if not hasattr(request, "_manages_any_plan"):
        request._manages_any_plan = PlanRole.objects.filter(user=request.user, role=PlanRoleKind.MANAGER).exists()
    return request._manages_any_plan


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_manages_plans": manages_any_plan(request),
        "nav_administers": user.is_staff,
        "nav_unread": Notification.objects.filter(user=user, read_at=None).count(),
    }
