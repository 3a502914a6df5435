"""The project's URLs plus an empty view: the floor a page is measured against (same client, same middleware)."""

from django.http import HttpResponse
from django.urls import include, path

urlpatterns = [
    path("bench-empty/", lambda request: HttpResponse("")),
    path("", include("actiontrack.urls")),
]
