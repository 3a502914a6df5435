"""Every write to plans, recommendations, actions and roles on plans. Each service checks who is acting, is
atomic, and journals its change in the same transaction; an action's row is then set from its journal, so the
row is always the journal replayed (DESIGN rules 2 and 3).

The services callers use are named here; owners' and verifiers' work is in `workflow`, evidence in `evidence`,
many progress updates at once in `many_updates`.
The unchecked steps they are made of (`_changes`) are for this package only."""

from ._changes import ACTION_FIELDS, is_undated
from .actions import (
    action_change_due_date,
    action_change_lifecycle,
    action_change_owners,
    action_change_text,
    action_create,
    action_edit,
    action_move,
    action_record_starting_due_date,
    action_record_starting_status,
    action_set_first_due_date,
    action_snapshot,
)
from .new_actions import MANY_AT_ONCE, Added, NewAction, Revision, StartingStatus, actions_add
from .plans import (
    PLAN_EDITABLE,
    RESERVED_REFERENCES,
    plan_create,
    plan_record_rows_left_out,
    plan_snapshot,
    plan_update,
)
from .recommendations import (
    group_for,
    recommendation_change_text,
    recommendation_create,
    recommendation_move,
    recommendation_snapshot,
    recommendation_update,
)
from .roles import (
    role_grant,
    role_revoke,
)

__all__ = [
    "ACTION_FIELDS",
    "MANY_AT_ONCE",
    "PLAN_EDITABLE",
    "RESERVED_REFERENCES",
    "action_change_due_date",
    "action_change_lifecycle",
    "action_change_owners",
    "action_change_text",
    "action_create",
    "action_edit",
    "action_move",
    "action_record_starting_due_date",
    "action_record_starting_status",
    "action_set_first_due_date",
    "action_snapshot",
    "actions_add",
    "Added",
    "NewAction",
    "Revision",
    "StartingStatus",
    "group_for",
    "is_undated",
    "plan_create",
    "plan_record_rows_left_out",
    "plan_snapshot",
    "plan_update",
    "recommendation_change_text",
    "recommendation_create",
    "recommendation_move",
    "recommendation_snapshot",
    "recommendation_update",
    "role_grant",
    "role_revoke",
]
