"""URLs of the owner's pages and, in the same namespace ("owner:verify", "owner:return"), the verifier's."""

from django.urls import path

from ..verify import urls as verify_urls
from . import views

app_name = "owner"

ACTION = "plans/<slug:reference>/actions/<part:ref>/"

urlpatterns = [
    path("my-actions/", views.my_actions, name="my-actions"),
    path(ACTION + "update/", views.update, name="update"),
    path(ACTION + "propose-date/", views.propose_date, name="propose-date"),
    path(ACTION + "propose-date/withdraw/", views.withdraw_proposal, name="withdraw-proposal"),
    path(ACTION + "evidence/", views.evidence, name="evidence"),
    path(ACTION + "start/", views.start, name="start"),
    path(ACTION + "complete/", views.complete, name="complete"),
    path("evidence/<id:pk>/download/", views.evidence_download, name="evidence-download"),
    *verify_urls.urlpatterns,
]
