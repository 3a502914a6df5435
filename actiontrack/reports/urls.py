"""URLs of the board report pages (see views.py)."""

from django.urls import path

from . import pack_views, views

app_name = "reports"

REPORTS = "plans/<slug:reference>/reports/"
REPORT = REPORTS + "<id:pk>/"

urlpatterns = [
    path(REPORTS, views.report_list, name="list"),
    path(REPORTS + "new/", views.report_new, name="new"),
    path(REPORT, views.report_detail, name="detail"),
    path(REPORT + "edit/", views.report_edit, name="edit"),
    path(REPORT + "issue/", views.report_issue, name="issue"),
    path(REPORT + "discard/", views.report_discard, name="discard"),
    path(REPORT + "share/", views.report_share, name="share"),
    path(REPORT + "download/<str:fmt>/", views.report_download, name="download"),
    path("plans/<slug:reference>/evidence-pack/", pack_views.evidence_pack, name="evidence-pack"),
]
