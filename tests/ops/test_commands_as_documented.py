"""Every command README.md and docs/*.md show runs as written, as a newcomer has it: the README's quick start first
(`actiontrack demo` on a new data folder, served and signed in to, then stopped with SIGTERM), then each command in
the order the pages show them, against that demo data folder, with nothing set but the data folder.

The commands are read from the pages, so this stays true as they change: every line of a shell code block, each
`ExecStart=` of a systemd unit and each cron line, and each `actiontrack ...` in the text. Each one is run, or skipped
for a reason given in SKIPPED below; a command this test does not know how to treat fails it until it is added.

What differs from the pages, and why (nothing else does):
- the server's paths: /srv/actiontrack/.venv is this test's virtual environment, /var/backups/actiontrack a folder
  of the test's own (made as the deploy page's `install -d` would);
- the port: a free one instead of 8000, which may be in use on the machine;
- the mail server: a local SMTP server (aiosmtpd) stands in for EMAIL_HOST, for `remind` and `sendtestemail`;
- the files the pages import: tracker.xlsx is the demo plan's own export, plan.docx the agreed plan's Word table,
  appendix.csv a committee appendix with no completion dates and a row to leave out
  (tests/interchange/test_preview_choices.py), tracker-choices.json the choices a preview downloads;
- `actiontrack restore` goes into an empty data folder, as the page says, from the backup made by the commands
  above it, under the name the page shows;
- `createsuperuser` and `changepassword` ask questions: they run in a pseudo-terminal and are answered.

Servers (`demo`, `serve`) are started, checked to answer, then stopped with SIGTERM, which must leave no process
behind and the port free. It runs in CI's SQLite pass only, as the README's newcomer does."""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import pty
import re
import select
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from actiontrack.interchange.importing.decisions import AS_AT
from tests.interchange.fixtures import HEADER, docx_bytes, source_plan_rows
from tests.interchange.test_preview_choices import APPENDIX

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
VENV = Path(sys.executable).parent.parent  # not resolved: the virtual environment, not the Python it links to
THEIRS = ("SECRET_KEY", "DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "LOG_FORMAT", "LOG_LEVEL")

SKIPPED = [  # (what the command looks like, why it is not run here)
    (r"^\./scripts/test$", "the test suite itself"),
    (r"^sudo ", "setting up a server as root (a system user, folders under /srv and /var/backups)"),
    (r"^[A-Z_]+=\S*(\s+#.*)?$", "a variable of an environment file or of the example around it, not a command"),
    (r"^curl ", "asks the API of a site at plans.example.org with a personal token: tests/api makes these requests"),
    (r"^sha256sum report\.pdf$", "checks the PDF the curl example above downloads"),
    (r"^Authorization: ", "an HTTP header, not a command"),
    (r"^cd /srv/actiontrack && ", "a cron line on the server; the same `actiontrack remind` runs from the systemd "
                                  "unit on the same page"),
    (r"^az storage ", "the Azure command line, against a real Azure subscription: the tests keep files in Azurite, "
                      "the Azure Blob Storage emulator, instead (tests/ops/test_file_store_on_azure.py)"),
    (r"\b(FILE|USERNAME|PLAN)\b", "a template: FILE, USERNAME or PLAN stands for one of your own (`actiontrack "
                                   "publish` is run by tests/web/test_public_register.py)"),
]
QUICK_START = "python3 -m venv .venv && .venv/bin/pip install -e . && "  # installed already, by scripts/test
SHELL = {"", "sh", "bash", "shell", "console"}
FENCE = re.compile(r"^(?P<indent> *)```(?P<lang>[\w-]*)\n(?P<body>.*?)^(?P=indent)```", re.S | re.M)
SPAN = re.compile(r"`((?:\.venv/bin/)?actiontrack [a-z][^`]*)`")
PROGRAM = re.compile(r"^(?:\.venv/bin/|/srv/actiontrack/\.venv/bin/)?actiontrack ")
DEBUG_PAGE = ("URLconf", "Django tried these URL patterns", "DEBUG = True", "Traceback", 'data-debug="True"')
PASSWORD = "a long password for the docs test 2026"


@dataclass(frozen=True)
class Shown:
    where: str  # page:line
    command: str  # as written (an ExecStart= after systemd's %% for %)
    prose: bool  # in the text rather than a code block

    @property
    def key(self) -> str:
        """The same command shown in two places runs once."""
        return PROGRAM.sub("actiontrack ", self.command)


def logical_lines(body: str, first: int):
    """(line number, line) of a code block, a line ending with a backslash or inside quotes joined to the next."""
    pending, start, continued = "", first, False
    for number, line in enumerate(body.splitlines(), start=first):
        if not pending:
            start = number
        pending = line if not pending else pending + line.lstrip() if continued else f"{pending}\n{line}"
        continued = pending.endswith("\\")
        if continued:
            pending = pending[:-1].rstrip() + " "
            continue
        try:
            shlex.split(pending, comments=True)
        except ValueError:  # an open quotation: the command goes on
            continue
        yield start, pending.strip()
        pending = ""


def shown_commands() -> list[Shown]:
    found = []
    for page in PAGES:
        text, name = page.read_text(), page.relative_to(ROOT).as_posix()
        for fence in FENCE.finditer(text):
            first = text.count("\n", 0, fence.start("body")) + 1
            for number, line in logical_lines(fence["body"], first):
                where = f"{name}:{number}"
                if fence["lang"] in SHELL and line and not line.startswith("#"):
                    found.append(Shown(where, line, False))
                elif fence["lang"] == "ini" and line.startswith("ExecStart="):
                    found.append(Shown(where, line.removeprefix("ExecStart=").replace("%%", "%"), False))
                elif fence["lang"] == "cron" and line and not line.startswith("#"):
                    found.append(Shown(where, line.split(None, 5)[5], False))
        prose = FENCE.sub(lambda fence: "\n" * fence[0].count("\n"), text)
        for span in SPAN.finditer(prose):
            found.append(Shown(f"{name}:{prose.count(chr(10), 0, span.start()) + 1}", span[1], True))
    return found


def why_skipped(shown: Shown, everything: list[Shown]) -> str | None:
    for pattern, reason in SKIPPED:
        if re.search(pattern, shown.command):
            return reason
    if shown.prose and re.fullmatch(r"actiontrack [a-z_]+", shown.key):
        fuller = [other for other in everything if other.key.startswith(shown.key + " ")
                  and not any(re.search(pattern, other.command) for pattern, _ in SKIPPED)]
        if fuller:
            return f"named in the text; run with its arguments as shown at {fuller[0].where}"
    return None


# Running them -----------------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


@dataclass
class Newcomer:
    work: Path  # the folder the commands run in, with .venv and the files the pages use
    data: Path
    smtp_port: int

    def env(self, data: Path | None = None) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items()
               if key not in THEIRS and not key.startswith(("ACTIONTRACK_", "SECURE_", "DJANGO_", "EMAIL_"))}
        return {**env, "ACTIONTRACK_DATA_DIR": str(data or self.data), "PATH": f"{VENV / 'bin'}:{env['PATH']}",
                "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(self.smtp_port)}

    def as_here(self, command: str) -> str:
        return (command.replace("/srv/actiontrack/.venv/", ".venv/")
                .replace("/var/backups/actiontrack/", f"{self.work / 'backups'}/"))

    def run(self, command: str, data: Path | None = None, timeout: float = 180) -> subprocess.CompletedProcess:
        return subprocess.run(["bash", "-c", command], cwd=self.work, env=self.env(data), capture_output=True,
                              text=True, timeout=timeout, stdin=subprocess.DEVNULL)


def problem(result: subprocess.CompletedProcess) -> str | None:
    if result.returncode != 0 or "Traceback" in result.stderr:
        return f"exit status {result.returncode}\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
    return None


# A new session whose controlling terminal is standard input, as getpass needs, then the command in bash.
OWN_TERMINAL = "import os, sys; os.login_tty(0); os.execvp('bash', ['bash', '-c', sys.argv[1]])"


def answered(newcomer: Newcomer, command: str, answers: dict[str, str], done: str) -> str | None:
    """Run a command that asks questions in a pseudo-terminal (its controlling terminal, as getpass needs), giving
    each prompt's answer; returns a problem, or None if it ended well, saying `done`."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen([sys.executable, "-c", OWN_TERMINAL, command], cwd=newcomer.work, env=newcomer.env(),
                               stdin=terminal, stdout=terminal, stderr=terminal)
    os.close(terminal)
    shown, unanswered, deadline = "", "", time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([controller], [], [], 1)
        if not ready:
            continue
        try:
            chunk = os.read(controller, 4096).decode()
        except OSError:
            break
        if not chunk:
            break
        shown, unanswered = shown + chunk, unanswered + chunk
        for prompt, answer in answers.items():
            if prompt in unanswered and unanswered.endswith(": "):
                os.write(controller, (answer + "\n").encode())
                unanswered = ""
                break
    os.close(controller)
    status = process.wait(timeout=60)
    if status != 0 or "Traceback" in shown or done not in shown:
        return f"exit status {status}\n{shown[-2000:]}"
    return None


class Browser:
    """Enough of a browser for the demo: cookies (sent back over plain HTTP only if not marked Secure), no
    redirects followed, and the status of error pages."""

    def __init__(self, port: int):
        self.base = f"http://127.0.0.1:{port}"
        self.cookies = http.cookiejar.CookieJar()

        class Stay(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), Stay)

    def get(self, path: str, data: dict | None = None, headers: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def answers_on(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def served(newcomer: Newcomer, command: str, port: int, check) -> str | None:
    """Start a server command, wait until it answers, run `check(port, output)`, stop it with SIGTERM as a service
    manager would; returns a problem, or None."""
    log = newcomer.work / f"server-{port}.log"
    with log.open("w") as output:
        process = subprocess.Popen(["bash", "-c", command], cwd=newcomer.work, env=newcomer.env(), stdout=output,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 240  # the quick start loads the demo first
        while not answers_on(port):
            if process.poll() is not None or time.monotonic() > deadline:
                return f"it never answered on port {port}:\n{log.read_text()[-3000:]}"
            time.sleep(0.5)
        trouble = check(port, log.read_text())
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            return trouble or f"SIGTERM did not stop it within 40 s:\n{log.read_text()[-2000:]}"
        try:
            os.killpg(process.pid, 0)
            left = True
        except ProcessLookupError:
            left = False
        if left:
            return trouble or "SIGTERM stopped the command but left a process of it running"
        if not port_is_free(port):
            return trouble or f"port {port} is still in use after SIGTERM"
        return trouble
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def keeps_running(newcomer: Newcomer, command: str) -> str | None:
    """A command that works until stopped (`actiontrack worker`): still running after a few seconds, and stopped by
    SIGTERM as a service manager would, leaving no process behind; returns a problem, or None."""
    log = newcomer.work / "worker.log"
    with log.open("w") as output:
        process = subprocess.Popen(["bash", "-c", f"exec {command}"], cwd=newcomer.work, env=newcomer.env(),
                                   stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
    try:
        time.sleep(5)
        if process.poll() is not None:
            return f"it stopped by itself (exit {process.returncode}):\n{log.read_text()[-3000:]}"
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            return f"SIGTERM did not stop it within 40 s:\n{log.read_text()[-2000:]}"
        return None
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def production_server_answers(port: int, output: str) -> str | None:
    return None  # answering /healthz with 200 is what a load balancer asks of it


def demo_is_what_users_get(port: int, output: str) -> str | None:
    """The demo's pages are production's: no debug pages; its static files served; signing in works over plain
    HTTP with the password it printed."""
    passwords = dict(re.findall(r"^  (\w+) +(\S+) +", output, re.M))
    if "pmo" not in passwords:
        return f"the demo printed no password for pmo:\n{output[-2000:]}"
    browser = Browser(port)
    status, page = browser.get("/no-such-page/")
    if status != 404 or any(sign in page for sign in DEBUG_PAGE):
        return f"a missing page answered {status} with a debug page:\n{page[:1000]}"
    status, css = browser.get("/static/web/actiontrack.css")
    if status != 200 or ".tag--green" not in css:
        return f"the stylesheet answered {status}"
    status, login = browser.get("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login)
    status, _ = browser.get("/accounts/login/", {"csrfmiddlewaretoken": token[1] if token else "",
                                                 "username": "pmo", "password": passwords["pmo"]})
    if status != 302:
        return f"signing in as pmo with the printed password answered {status}"
    status, page = browser.get("/plans/PIP-PR/?as_at=30/11/2021")
    if status != 200 or "Protection Improvement Plan" not in page or any(sign in page for sign in DEBUG_PAGE):
        return f"the plan page answered {status}:\n{page[:1000]}"
    for headers in ({}, {"HX-Request": "true", "HX-Target": "plan-body"}):
        status, page = browser.get("/plans/PIP-PR/?as_at=31/02/2021", headers=headers)
        if "The as-at date could not be read" not in page or any(sign in page for sign in DEBUG_PAGE):
            return f"a bad as-at date answered {status} {'(htmx)' if headers else ''} without saying so:\n{page[:1000]}"
    return None


# The test ---------------------------------------------------------------------------------------------------------

@pytest.fixture
def newcomer(tmp_path):
    work = tmp_path / "work"
    (work / "backups").mkdir(parents=True)  # as docs/deploy.md's `install -d` makes /var/backups/actiontrack
    (work / ".venv").symlink_to(VENV)
    plan = [[("Lead officer" if cell == "Owner" else cell) for cell in HEADER], *source_plan_rows()[1:]]
    (work / "plan.docx").write_bytes(docx_bytes([plan]))
    (work / "appendix.csv").write_bytes(APPENDIX)
    (work / "tracker-choices.json").write_text(json.dumps({AS_AT: "2021-11-30"}))
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    yield Newcomer(work, tmp_path / "actiontrack-data", smtp.port)
    smtp.stop()


def test_the_pages_show_the_commands_this_test_runs():
    keys = {shown.key for shown in shown_commands()}
    assert {"actiontrack rag PIP-PR --as-at 30/11/2021", "actiontrack changepassword pmo",
            QUICK_START + "actiontrack demo"} <= {key.replace(".venv/bin/actiontrack", "actiontrack") for key in keys}
    assert any(key.startswith("actiontrack serve --bind") for key in keys)
    assert any(key.startswith("actiontrack import ") for key in keys)


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")),
                    reason="the documented commands run once, on SQLite as the README's newcomer does (CI's SQLite "
                           "pass)")
def test_every_command_the_readme_and_docs_show_runs_as_written(newcomer):
    everything = shown_commands()
    ran: dict[str, str] = {}
    skipped: dict[str, str] = {}
    problems = []
    for shown in everything:
        if shown.key in ran:
            continue
        reason = why_skipped(shown, everything)
        if reason:
            skipped.setdefault(shown.key, f"{shown.where} `{shown.command}`: {reason}")
            continue
        ran[shown.key] = f"{shown.where} `{shown.command}`"
        trouble = run_shown(newcomer, shown)
        if trouble:
            problems.append(f"{shown.where} `{shown.command}`: {trouble}")
    sys.stdout.write("Ran:\n  " + "\n  ".join(ran.values()) + "\nSkipped:\n  " + "\n  ".join(skipped.values()) + "\n")
    (newcomer.work / "problems.txt").write_text("\n\n".join(problems))
    assert not problems, "\n\n".join(problems)


def run_shown(newcomer: Newcomer, shown: Shown) -> str | None:
    command = newcomer.as_here(shown.command)
    if command.startswith(QUICK_START):
        command = command.removeprefix(QUICK_START)
    words = shlex.split(command)
    program = next((i for i, word in enumerate(words) if PROGRAM.match(word + " ")), None)
    name = words[program + 1] if program is not None and program + 1 < len(words) else ""
    if not PROGRAM.match(command) and program is None and not command.startswith(
            ("pdftoppm ", "pdftotext ", ".venv/bin/pdfua ", ".venv/bin/python ", "/bin/sh -c ")):
        return "this test does not know how to run it: run it in run_shown, or say why not in SKIPPED"
    if name == "demo" and "--no-serve" not in words:
        port = free_port()
        return served(newcomer, f"{command} --port {port}", port, demo_is_what_users_get)
    if name == "worker" and "--once" not in words:
        return keeps_running(newcomer, command)
    if name == "serve":
        port = free_port()
        bound = command.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
        if "--bind" not in words:
            bound += f" --bind 127.0.0.1:{port}"
        return served(newcomer, bound, port, production_server_answers)
    if name == "import" and not (newcomer.work / "tracker.xlsx").exists():
        made = newcomer.run("actiontrack export PIP-PR --format xlsx -o tracker.xlsx")
        if problem(made):
            return f"could not make tracker.xlsx to import: {problem(made)}"
    if name == "createsuperuser":
        return answered(newcomer, command, {"Username": "ada", "Email address": "ada@example.org",
                                            "Password:": PASSWORD, "Password (again)": PASSWORD},
                        "Superuser created successfully.")
    if name == "changepassword":
        return answered(newcomer, command, {"Password:": PASSWORD, "Password (again)": PASSWORD},
                        "Password changed successfully for user 'pmo'")
    if name == "restore":
        target = Path(words[program + 2])
        if not target.exists():
            made = sorted((newcomer.work / "backups").glob("*.tar.gz"))
            if not made:
                return "no backup was made by the commands shown before it"
            shutil.copy(made[-1], target)
        return problem(newcomer.run(command, data=newcomer.work / "restored"))
    return problem(newcomer.run(command))
