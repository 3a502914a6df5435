"""gunicorn's server hooks for `actiontrack serve` (and `actiontrack demo`): start one background worker
(`actiontrack worker`) when the server is ready, and stop it when the server stops, so one command runs the whole
installation. ACTIONTRACK_WORKER=off leaves it out (several app servers: run one worker on its own)."""

import subprocess
import sys

_worker: list[subprocess.Popen] = []


def when_ready(server):
    from django.conf import settings  # read as the workers read them: the one settings file decides

    if not settings.RUN_WORKER or settings.TASK_BACKEND != "database":
        return
    # Django's own command line, with the settings module the server was started with (DJANGO_SETTINGS_MODULE).
    _worker.append(subprocess.Popen([sys.executable, "-m", "django", "worker"]))
    server.log.info("Started the background worker (pid %s)", _worker[0].pid)


def on_exit(server):
    for process in _worker:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
