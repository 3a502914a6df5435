"""Included at /api/ by actiontrack/urls.py."""

from django.urls import path, re_path

from .api import api
from .errors import not_found, root

urlpatterns = [
    path("", root),
    path("", api.urls),
    # Anything else under /api/ is a JSON 404, like every other API answer.
    re_path(r"^.*$", not_found),
]
