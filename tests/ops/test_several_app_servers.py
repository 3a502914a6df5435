"""Two app servers, as docs/deploy.md sets them up: each `actiontrack serve` with its own data folder, on one
PostgreSQL database, one Redis read cache (READ_CACHE_URL) and one file store (an Azure Blob Storage container,
on Microsoft's Azurite emulator), with the same SECRET_KEY. Nothing is kept in a server: a person signed in
through one is signed in on the other; a change saved through one is on the next page read through the other; a
file uploaded through one downloads through the other; a board report asked to be issued through one is issued
by the worker and shown by the other.

Runs in CI's PostgreSQL pass (DATABASE_URL set), on a database of its own, with a redis-server and Azurite it
starts."""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

from tests.ops.installations import (  # noqa: F401 (no_process_left_behind is a fixture)
    Site,
    finish,
    no_process_left_behind,
    throwaway_database,
    wait_until,
)
from tests.servers import free_port, running
from tests.servers.azurite import azurite, blobs, needs_azurite, new_container

pytestmark = [
    pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="several app servers share PostgreSQL: runs in "
                                                                  "the PostgreSQL pass"),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server (scripts/test installs it)"),
    needs_azurite,
]
PASSWORD = "two servers, one installation"
EVIDENCE = b"%PDF-1.4\n% minutes of the protection board, uploaded through the first server\n%%EOF\n"


@pytest.fixture
def redis_url(tmp_path):
    port = free_port()
    with running(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                  "--dir", str(tmp_path)], port, "redis-server"):
        yield f"redis://127.0.0.1:{port}/0"


class Browser:
    """A person's browser against one server or the other: one cookie jar, so one session, for both."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, port: int, path: str) -> tuple[int, bytes]:
        try:
            with self.opener.open(f"http://127.0.0.1:{port}{path}", timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def post(self, port: int, path: str, fields: dict, files: dict | None = None) -> tuple[int, bytes]:
        page = self.get(port, path)[1].decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        fields = {"csrfmiddlewaretoken": token, **fields}
        if files:
            boundary = uuid.uuid4().hex
            parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                     for name, value in fields.items()]
            parts += [(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                       f"Content-Type: application/pdf\r\n\r\n").encode() + content + b"\r\n"
                      for name, (filename, content) in files.items()]
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            kind = f"multipart/form-data; boundary={boundary}"
        else:
            body, kind = urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded"
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, method="POST", headers={
            "Content-Type": kind, "Referer": f"http://127.0.0.1:{port}{path}"})
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()


def words(content: bytes) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", content.decode()).split())


def test_two_app_servers_share_one_installation(tmp_path, redis_url):
    with throwaway_database(f"two_servers_{os.getpid()}") as database, azurite(tmp_path / "azurite") as store:
        container = new_container(store)
        servers = []
        for name, worker in (("one", "on"), ("two", "off")):
            data = tmp_path / name
            data.mkdir()
            servers.append(Site(data, database, {
                "READ_CACHE_URL": redis_url, "ACTIONTRACK_WORKER": worker, "SESSION_COOKIE_SECURE": "false",
                "CSRF_COOKIE_SECURE": "false", "SECURE_HSTS_SECONDS": "0", "ACTIONTRACK_TASK_BACKEND": "database",
                "FILE_STORAGE": "azure", "AZURE_STORAGE_CONNECTION_STRING": store,
                "AZURE_STORAGE_CONTAINER": container}))
        one, two = servers
        one.run("migrate")
        one.run("demo", "--no-serve")
        one.script("from django.contrib.auth import get_user_model\n"
                   "from actiontrack.reports.demo import load_demo_report\n"
                   "for u in get_user_model().objects.filter(username__in=['pmo', 'cparker']):\n"
                   f"    u.set_password({PASSWORD!r}); u.save()\n"
                   "load_demo_report()\n")
        ports = [free_port(), free_port()]
        processes = [site.start("serve", "--bind", f"127.0.0.1:{port}", "--workers", "2")
                     for site, port in zip(servers, ports, strict=True)]
        try:
            for port in ports:
                wait_until(lambda port=port: _healthy(port), seconds=120, what=f"the server on port {port}")
            first, second = ports
            owner = Browser()
            status, _ = owner.post(first, "/accounts/login/", {"username": "cparker", "password": PASSWORD})
            assert status == 200  # signed in through the first server (redirected to the dashboard)
            assert "Signed in as Chris Parker" in words(owner.get(second, "/")[1])  # and so on the second

            # A progress update saved through the first server is on the plan page read through the second.
            before = words(owner.get(second, "/plans/PIP-PR/")[1])
            assert "Consultation with the building owners closes on Friday." not in before
            status, _ = owner.post(first, "/plans/PIP-PR/actions/5.1/update/",
                                   {"text": "Consultation with the building owners closes on Friday."})
            assert status == 200
            assert "Consultation with the building owners closes on Friday." in words(
                owner.get(second, "/plans/PIP-PR/")[1])

            # A file uploaded through the first server downloads, byte for byte, through the second.
            status, page = owner.post(first, "/plans/PIP-PR/actions/5.1/evidence/",
                                      {"kind": "file", "file-title": "Board minutes"},
                                      {"file-file": ("minutes.pdf", EVIDENCE)})
            assert status == 200 and "Board minutes" in words(page)
            link = re.search(rb'href="(/evidence/\d+/download/)"', owner.get(second, "/plans/PIP-PR/actions/5.1/")[1])
            status, content = owner.get(second, link.group(1).decode())
            assert status == 200 and content == EVIDENCE

            # A report asked to be issued through the second server (no worker of its own) is issued by the
            # first server's worker, and shown as issued through either.
            manager = Browser()
            manager.post(second, "/accounts/login/", {"username": "pmo", "password": PASSWORD})
            issue = "/plans/PIP-PR/reports/1/issue/"
            version = re.search(rb'name="version" value="(\d+)"', manager.get(second, issue)[1]).group(1).decode()
            status, page = manager.post(second, issue, {"version": version})
            assert status == 200 and "is being issued" in words(page)
            wait_until(lambda: "Issued on" in words(manager.get(second, "/plans/PIP-PR/reports/1/")[1]),
                       seconds=120, what="the worker to issue the report")
            assert "Issued on" in words(manager.get(first, "/plans/PIP-PR/reports/1/")[1])

            # Both kept their files in the one container, and nothing in their own data folders.
            kept = blobs(store, container)
            assert EVIDENCE in kept.values() and sum(name.startswith("reports/") for name in kept) == 3
            assert not any((site.data_dir / "uploads").exists() for site in servers)
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                finish(process, timeout=60)


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False
