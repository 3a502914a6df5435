"""Real servers the tests start from npm (package.json here; scripts/test installs them): each started on a free
port by the tests that need it, and stopped when they end."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@contextlib.contextmanager
def running(arguments: list[str], port: int, what: str, env: dict | None = None):
    """Start a server (with `env` as its environment, if given), wait until it accepts connections on `port`, and
    stop it when the block ends."""
    server = subprocess.Popen(arguments, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    try:
        deadline = time.monotonic() + 60
        while not answers(port):
            if server.poll() is not None:
                raise RuntimeError(f"{what} stopped at start: {server.stderr.read().decode()[:2000]}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not answer within 60 s")
            time.sleep(0.2)
        yield
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(10)
        server.stderr.close()
