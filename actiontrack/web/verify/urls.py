"""URLs of the verifier's pages, included in the owner's namespace (web/owner/urls.py) so their names stay
"owner:verify" and "owner:return"."""

from django.urls import path

from . import views

ACTION = "plans/<slug:reference>/actions/<part:ref>/"

urlpatterns = [
    path(ACTION + "verify/", views.verify, name="verify"),
    path(ACTION + "return/", views.return_to_owner, name="return"),
]
