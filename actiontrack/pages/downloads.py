"""The one evidence download, answered the same way on the web pages and in the API: the file as an attachment
under its original name, never sniffed into something a browser would run."""

from __future__ import annotations

from datetime import date

from django.http import FileResponse, Http404

from actiontrack.plans.selectors.evidence import evidence_file, evidence_visible_to


def evidence_response(user, pk: int, today: date, *, not_found: str, no_file: str) -> FileResponse:
    """The evidence file for anyone who can see its plan. A 404 saying `not_found` for anyone else (or no such
    evidence), `no_file` for a link or a file that is missing."""
    item = evidence_visible_to(user, pk, today)
    if item is None:
        raise Http404(not_found)
    handle = evidence_file(item)
    if handle is None:
        raise Http404(no_file)
    response = FileResponse(handle, as_attachment=True, filename=item.original_name or "evidence",
                            content_type=item.content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response
