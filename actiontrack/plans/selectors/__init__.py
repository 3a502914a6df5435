"""Every read of plans: a plan as at a date (`as_at`), an action's history, reporting periods, the queues of
work waiting for someone, the portfolio across plans. The reads most pages make are named here."""

from .as_at import (
    ActionRow,
    AsAtError,
    AsAtSummary,
    Owner,
    PlanAsAt,
    RecommendationRow,
    action_as_at,
    action_by_ref,
    build_as_at,
    check_as_at,
    next_ref,
    owners_on,
    plan_as_at,
    plan_summary_as_at,
    posts_with_holdings,
    recommendations_as_at,
    replay_as_at,
    the_plan_as_at,
)
from .history import (
    HistoryRow,
    action_history,
    action_journal,
    recorded_kinds,
)

__all__ = [
    "ActionRow",
    "AsAtError",
    "AsAtSummary",
    "HistoryRow",
    "Owner",
    "PlanAsAt",
    "RecommendationRow",
    "action_as_at",
    "action_by_ref",
    "action_history",
    "action_journal",
    "build_as_at",
    "check_as_at",
    "next_ref",
    "owners_on",
    "plan_as_at",
    "recorded_kinds",
    "the_plan_as_at",
    "plan_summary_as_at",
    "recommendations_as_at",
    "posts_with_holdings",
    "replay_as_at",
]
