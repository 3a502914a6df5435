"""WeasyPrint fetches nothing the report does not own: text that looks like HTML or a URL is shown as text and
never fetched, and the fetcher WeasyPrint is given refuses the server's files, the network and any data: URI but
the chart's PNG."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pikepdf
import pytest

from actiontrack.reports import renderers
from actiontrack.reports.renderers.render_html import document
from actiontrack.reports.renderers.render_pdf import CHART_URI, STATIC, Refused, url_fetcher
from actiontrack.reports.selectors import report_data

from .readback import pdf_text
from .stored import store_raw


@pytest.fixture
def listener():
    """A real HTTP server on this machine that counts the requests it is sent."""
    requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the name http.server calls
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", requests
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
def test_text_that_points_at_files_or_the_network_is_shown_and_nothing_is_fetched(november_report, listener,
                                                                                   tmp_path):
    base, requests = listener
    pointing = (f'<img src="file:///etc/passwd"> <img src="{base}/img.png"> <link rel="stylesheet" '
                f'href="{base}/style.css"> <style>@import "{base}/import.css";</style> '
                f'url("{base}/url.png") url(file:///etc/passwd)')
    store_raw(november_report.plan, lambda name: f"{name} {pointing}", november_report)

    data = report_data(november_report)
    html = document(data, for_pdf=True)
    assert html.count("<img ") == 1 and f'<img src="{CHART_URI}' in html  # only the chart is an image
    path = tmp_path / "report.pdf"
    path.write_bytes(renderers.render("pdf", data))

    assert requests == []
    text = pdf_text(path)
    assert '<img src="file:///etc/passwd">' in text and "root:" not in text
    with pikepdf.open(path) as pdf:
        images = {image.objgen for page in pdf.pages for image in page.get_images().values()}
    assert len(images) == 1  # the chart (each page's resources name the same one)


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    f"file://{STATIC}/../../settings.py",  # out of the static folder by ..
    f"file://{STATIC}/reports/missing.css",
    "file://elsewhere.example/etc/passwd",
    "http://127.0.0.1:9/chart.png",
    "https://example.org/chart.png",
    "ftp://example.org/chart.png",
    "data:text/html,<script>alert(1)</script>",
    "data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=",
    "/etc/passwd",
])
def test_the_pdf_fetcher_refuses_anything_but_the_chart_and_our_static_files(url):
    with pytest.raises((Refused, ValueError)):
        url_fetcher().fetch(url)


def test_the_pdf_fetcher_fetches_the_chart_and_our_own_static_files():
    fetcher = url_fetcher()
    png = fetcher.fetch(CHART_URI + "iVBORw0KGgo=")
    assert png.read() == b"\x89PNG\r\n\x1a\n"
    png.close()
    stylesheet = fetcher.fetch((STATIC / "reports" / "document.css").as_uri())
    assert b"overflow-wrap" in stylesheet.read()
    stylesheet.close()
