"""The project's URLs plus two floors a page is measured against (same client, same middleware): an empty view,
and a signed-in page that shows nothing of its own."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import include, path


@login_required
def signed_in_empty(request):
    """What every signed-in page costs before its own work: the session and the user read, the header's counts
    and menu (pages.context.navigation), the page's frame rendered (pages/base.html)."""
    return render(request, "pages/base.html", {})


urlpatterns = [
    path("bench-empty/", lambda request: HttpResponse("")),
    path("bench-signed-in/", signed_in_empty),
    path("", include("actiontrack.urls")),
]
