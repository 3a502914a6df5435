"""Template context for the header navigation: which sections this person has."""

from actiontrack.people.models import PlanRole
from actiontrack.plans.choices import PlanRoleKind


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_manages_plans": PlanRole.objects.filter(user=user, role=PlanRoleKind.MANAGER).exists(),
        "nav_administers": user.is_staff,
    }
