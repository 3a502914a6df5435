"""The one evidence download, answered the same way on the web pages and in the API: the file as an attachment
under its original name, never sniffed into something a browser would run."""

from __future__ import annotations

from datetime import date

from django.http import FileResponse, Http404

from actiontrack.plans.selectors.evidence import evidence_file, evidence_visible_to


class EvidenceNotHeld(Http404):
    """A file listed without its contents (restored from a JSON export): a 404 that can say so."""

    def __init__(self, item):
        super().__init__(f"The file {item.original_name!r} was restored from a JSON export, which lists evidence "
                         "files without holding them: attach it again to the action if it is needed.")
        self.item = item


def evidence_response(user, pk: int, today: date, *, not_found: str, no_file: str) -> FileResponse:
    """The evidence file for anyone who can see its plan. A 404 saying `not_found` for anyone else (or no such
    evidence), `no_file` for a link or a file that is missing, EvidenceNotHeld for a file restored without its
    contents."""
    item = evidence_visible_to(user, pk, today)
    if item is None:
        raise Http404(not_found)
    if not item.held:
        raise EvidenceNotHeld(item)
    handle = evidence_file(item)
    if handle is None:
        raise Http404(no_file)
    response = FileResponse(handle, as_attachment=True, filename=item.original_name or "evidence",
                            content_type=item.content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response
