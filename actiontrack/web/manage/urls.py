"""URLs of the plan manager pages (see web/manage/views.py)."""

from django.urls import path

from . import views

app_name = "manage"

PLAN = "plans/<slug:reference>/"
REC = PLAN + "recommendations/<part:rec>/"
ACTION = PLAN + "actions/<part:ref>/"

urlpatterns = [
    path("plans/new/", views.plan_new, name="plan_new"),
    path(PLAN + "edit/", views.plan_edit, name="plan_edit"),
    path(PLAN + "recommendations/new/", views.recommendation_new, name="recommendation_new"),
    path(REC + "edit/", views.recommendation_edit, name="recommendation_edit"),
    path(REC + "move/", views.recommendation_move, name="recommendation_move"),
    path(REC + "actions/new/", views.action_new, name="action_new"),
    path(ACTION + "edit/", views.action_edit, name="action_edit"),
    path(ACTION + "move/", views.action_move, name="action_move"),
    path(ACTION + "cancel/", views.action_lifecycle, {"change": "cancel"}, name="action_cancel"),
    path(ACTION + "pause/", views.action_lifecycle, {"change": "pause"}, name="action_pause"),
    path(ACTION + "resume/", views.action_lifecycle, {"change": "resume"}, name="action_resume"),
    path(ACTION + "reinstate/", views.action_lifecycle, {"change": "reinstate"}, name="action_reinstate"),
    path("proposals/<id:pk>/decide/", views.proposal_decide, name="proposal_decide"),
    path(PLAN + "queue/", views.plan_queue, name="plan_queue"),
    path(PLAN + "queue/lock/", views.period_lock, name="period_lock"),
    path(PLAN + "queue/unlock/", views.period_unlock, name="period_unlock"),
    path("queue/", views.queue, name="queue"),
]
