"""URLs of the owner and verifier pages (see web/owner_views.py)."""

from django.urls import path

from . import owner_views as views

app_name = "owner"

ACTION = "plans/<slug:reference>/actions/<str:ref>/"

urlpatterns = [
    path("my-actions/", views.my_actions, name="my-actions"),
    path(ACTION + "update/", views.update, name="update"),
    path(ACTION + "propose-date/", views.propose_date, name="propose-date"),
    path(ACTION + "propose-date/withdraw/", views.withdraw_proposal, name="withdraw-proposal"),
    path(ACTION + "evidence/", views.evidence, name="evidence"),
    path(ACTION + "start/", views.start, name="start"),
    path(ACTION + "complete/", views.complete, name="complete"),
    path(ACTION + "verify/", views.verify, name="verify"),
    path(ACTION + "return/", views.return_to_owner, name="return"),
    path("evidence/<id:pk>/download/", views.evidence_download, name="evidence-download"),
]
