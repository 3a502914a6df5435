"""What a process loads when it starts. A server worker loads every page, but no document library until a document
is asked for; a command that does one job (`actiontrack rag`, a scheduled `backup`) loads neither the pages nor
the API, whose URLs only Django's system checks would ask for: `actiontrack check`, `serve` and `demo`
still run those."""

import subprocess
import sys

from tests.ops.installations import installation_environment, sqlite_demo_copy

DOCUMENT_LIBRARIES = ("openpyxl", "docx", "weasyprint", "matplotlib", "numpy")
SHOW_LOADED = ("import atexit, sys\n"
               "atexit.register(lambda: print('loaded:', sorted(m for m in {names!r} if m in sys.modules)))\n")


def loaded(code: str, env: dict[str, str], names) -> tuple[subprocess.CompletedProcess, list[str]]:
    result = subprocess.run([sys.executable, "-c", SHOW_LOADED.format(names=tuple(names)) + code], env=env,
                            capture_output=True, text=True, timeout=120)
    line = next((line for line in result.stdout.splitlines() if line.startswith("loaded: ")), "loaded: None")
    return result, eval(line.removeprefix("loaded: "))  # noqa: S307 - our own script's printed list of names


def test_a_server_worker_loads_every_page_but_no_document_library(tmp_path):
    env = installation_environment(tmp_path / "data", None, DEBUG="false")
    result, found = loaded("from actiontrack.wsgi import application", env,
                           ("actiontrack.web.views", "actiontrack.api.reads", *DOCUMENT_LIBRARIES))
    assert result.returncode == 0, result.stderr
    assert found == ["actiontrack.api.reads", "actiontrack.web.views"]


def test_a_scheduled_line_written_with_skip_checks_still_runs(tmp_path_factory, tmp_path):
    site = sqlite_demo_copy(tmp_path_factory, tmp_path / "site")
    result = site.run("rag", "PIP-PR", "--as-at", "30/11/2021", "--skip-checks")
    assert "10 actions: 0 Red – Overdue" in result.stdout


def test_a_job_command_does_its_job_without_loading_the_pages_and_check_still_checks_them(tmp_path_factory, tmp_path):
    site = sqlite_demo_copy(tmp_path_factory, tmp_path / "site")
    pages = ("actiontrack.urls", "actiontrack.web.views", "actiontrack.api.reads")
    run_rag = "from actiontrack.cli import main\nmain(['rag', 'PIP-PR', '--as-at', '30/11/2021'])"
    result, found = loaded(run_rag, site.env, pages)
    assert result.returncode == 0, result.stderr
    assert "10 actions: 0 Red – Overdue, 3 Amber – On track but to be completed, 7 Green – Complete" in result.stdout
    assert found == []
    result, found = loaded("from actiontrack.cli import main\nmain(['check'])", site.env, pages)
    assert result.returncode == 0 and "System check identified no issues" in result.stdout, result.stderr
    assert found == sorted(pages)
