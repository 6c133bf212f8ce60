"""`make run`'s processes: Django's development server and the task worker, started and stopped
together.

    python scripts/run_dev.py [ADDRESS:PORT]

The worker (`manage.py db_worker`) sends the e-mails the pages queue; without it they would stay
queued. Each process runs in a process group of its own, so Ctrl-C reaches this script alone,
which then stops both groups (their autoreloaders included) and waits for them; if either stops
by itself, the other is stopped too. Standard library only.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GRACE_SECONDS = 10


def start(name: str, arguments: list[str]) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [sys.executable, "manage.py", *arguments], cwd=ROOT, start_new_session=True
    )
    print(f"run_dev: {name} started (pid {process.pid})", flush=True)
    return process


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    """Ctrl-C for each process group, then a kill for any still there after the grace time."""
    for process in processes:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGINT)
    deadline = time.monotonic() + GRACE_SECONDS
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
    for process in processes:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # the group: leftover children too
        process.wait()


def main(argv: list[str]) -> int:
    address = argv[1] if len(argv) > 1 else "127.0.0.1:8000"
    stopping: list[int] = []

    def on_signal(signum: int, frame: object) -> None:
        stopping.append(signum)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    processes = [
        start("server", ["runserver", address]),
        start("worker", ["db_worker", "--interval", "1"]),
    ]
    try:
        while not stopping and all(process.poll() is None for process in processes):
            time.sleep(0.2)
    finally:
        stop(processes)
    if stopping:
        print("run_dev: stopped the server and the worker", flush=True)
        return 0
    ended = next(process for process in processes if process.returncode is not None)
    return ended.returncode or 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
