"""The app as gunicorn serves it (actiontrack.wsgi, as `actiontrack serve` runs it), plus the two floors the load
benchmark measures beside it (bench/urls.py): an empty view and a signed-in page that shows nothing of its own."""

from django.conf import settings

from actiontrack.wsgi import application

settings.ROOT_URLCONF = "bench.urls"

__all__ = ["application"]
