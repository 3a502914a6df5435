"""The app as a WSGI server loads it, once in each worker (`actiontrack serve` runs gunicorn on it)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "actiontrack.settings")
application = get_wsgi_application()


def freeze_what_is_loaded() -> None:
    """Everything loaded to serve (Django, the apps, every view module, as the URLs import them) lives as long as
    the worker; moved out of the garbage collector's sight, its collections stop scanning those 140,000 objects
    again and again. A page built afresh creates enough objects to set off a full collection every few views,
    which scanned them all (30-40 ms each): a third of a plan page's first view after a change (bench/LOAD.md,
    session 30). What the Python documentation advises for servers (gc.freeze); garbage collected first, so
    nothing already unreachable is kept."""
    get_resolver().url_patterns  # noqa: B018 - imports the URL configuration and every view module now
    gc.collect()
    gc.freeze()


freeze_what_is_loaded()
