"""The gunicorn workers' and the machine's processes, read from Linux /proc: when the workers have loaded the app,
their memory, and the CPU a run's requests cost (bench/load.py)."""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from pathlib import Path


def workers_rss_mb(master: int) -> list[float]:
    """Each gunicorn worker's resident memory in MB (Linux /proc); empty where /proc cannot tell."""
    sizes = []
    for pid in workers_of(master):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            sizes.append(int(next(line for line in status.splitlines() if line.startswith("VmRSS:")).split()[1]) / 1024)
        except (OSError, StopIteration, ValueError):
            continue
    return sizes


def wait_until_booted(master: int, workers: int, limit: float = 60) -> bool:
    """Until every worker has loaded the app (Linux /proc: all `workers` are there and none used CPU in the last
    half second); whether that was seen within `limit` seconds. The master listens before its workers have loaded
    the app, so without this the first requests of a run would wait for them, and count it."""
    if not Path(f"/proc/{master}/task/{master}/children").exists():
        return False  # nothing to watch: the caller says so
    deadline, before = time.monotonic() + limit, None
    while time.monotonic() < deadline:
        pids = workers_of(master)
        now = (tuple(pids), cpu_seconds(pids))
        if len(pids) >= workers and now == before:
            return True
        before = now
        time.sleep(0.5)
    return False


def workers_of(master: int) -> list[str]:
    """The gunicorn master's worker processes (Linux /proc); empty where /proc cannot tell."""
    try:
        return Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return []


def cpu_seconds(pids: list[str]) -> float:
    """CPU time (user and system) these processes have used so far."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone since it was listed
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def postgres_pids() -> list[str]:
    """The PostgreSQL server's processes on this machine (the benchmark's server is local)."""
    found = []
    for pid in (p for p in os.listdir("/proc") if p.isdigit()):
        try:
            if Path(f"/proc/{pid}/comm").read_text().strip().startswith("postgres"):
                found.append(pid)
        except OSError:
            continue
    return found


def machine_busy_seconds() -> float:
    """CPU time every core has spent not idle since boot (Linux /proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")  # less idle and iowait


@contextmanager
def cpu_per_request(master: int, result: dict):
    """Around a run: the CPU its requests cost, in ms per request, into result["cpu"] (workers, PostgreSQL, the
    whole machine) beside how many cores were busy. A figure of the work itself, which the clients' count and the
    machine's speed during the run move less than they move the latencies. Nothing on systems without /proc."""
    if not Path("/proc/stat").exists():
        yield
        return
    workers, pg = workers_of(master), postgres_pids()
    before = (cpu_seconds(workers), cpu_seconds(pg), machine_busy_seconds(), time.perf_counter())
    yield
    after = (cpu_seconds(workers), cpu_seconds(pg), machine_busy_seconds(), time.perf_counter())
    n = max(1, result.get("n", 0))
    used = [b - a for a, b in zip(before, after, strict=True)]
    result["cpu"] = (1000 * used[0] / n, 1000 * used[1] / n, 1000 * used[2] / n, used[2] / used[3])
