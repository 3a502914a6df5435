"""Static files served by the app itself, so a deployment has no separate step to forget. `actiontrack
serve` collects them into the data folder at start; this view sends them with a cache lifetime."""

from django.conf import settings
from django.http import Http404
from django.views.static import serve


def static_file(request, path):
    try:
        response = serve(request, path, document_root=settings.STATIC_ROOT)
    except OSError as exc:  # a name the file system cannot even look up (too long): no such file
        raise Http404("No such file") from exc
    response["Cache-Control"] = "public, max-age=3600"
    return response
