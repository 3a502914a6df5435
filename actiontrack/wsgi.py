"""The app as a WSGI server loads it, once in each worker (`actiontrack serve` runs gunicorn on it)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "actiontrack.settings")
application = get_wsgi_application()


def freeze_what_is_loaded() -> None:
    """What a worker has loaded by now (Django, the apps, every view module, which the URLs import) lives as long
    as the worker: moved out of the garbage collector's sight (gc.freeze), its full collections no longer scan those
    140,000 objects again and again. A page built afresh creates enough objects to set off one every few views, and
    each scanned them all (30-40 ms): about a third of a plan page's first view after a change, in-process
    (bench/LOAD.md, session 30). What loads on first use (compiled templates, the document renderers) is still
    scanned. Any process importing this module is frozen so; servers import it once per worker, after forking.
    Garbage is collected first, so nothing already unreachable is kept."""
    get_resolver().url_patterns  # noqa: B018 - imports the URL configuration and every view module now
    gc.collect()
    gc.freeze()


freeze_what_is_loaded()
