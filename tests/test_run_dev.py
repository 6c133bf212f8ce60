"""scripts/run_dev.py (`make run`): the development server and the task worker, stopped together."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import ROOT
from tests.live_server import HOST, free_port, server_env
from tests.wizard_http import HttpClient

SCRIPT = ROOT / "scripts" / "run_dev.py"


def alive(group: int) -> bool:
    """Whether a process of the group is running (each was started as a group's leader; one
    that has exited but is not yet reaped does not count)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        state, process_group = fields[0], int(fields[2])
        if process_group == group and state != "Z":
            return True
    return False


def wait_for(condition, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.2)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    environment = server_env(f"sqlite:///{tmp_path / 'db.sqlite3'}", DJANGO_DEBUG="1")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input"],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
    )
    return environment


def started(process: subprocess.Popen[str], log: list[str]) -> dict[str, int]:
    pids: dict[str, int] = {}
    while len(pids) < 2:
        line = process.stdout.readline()  # type: ignore[union-attr]
        assert line, "".join(log)
        log.append(line)
        if match := re.match(r"run_dev: (server|worker) started \(pid (\d+)\)", line):
            pids[match[1]] = int(match[2])
    return pids


def test_ctrl_c_stops_the_server_and_the_worker_together(env: dict[str, str]) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(SCRIPT), f"{HOST}:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    log: list[str] = []
    try:
        pids = started(process, log)
        client = HttpClient(HOST, port, timeout=5)

        def serving() -> bool:
            try:
                return client.get("/healthz").status == 200
            except OSError:
                return False

        wait_for(serving)
        assert alive(pids["server"]) and alive(pids["worker"])

        process.send_signal(signal.SIGINT)  # what the terminal sends on Ctrl-C
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        rest = process.stdout.read()  # type: ignore[union-attr]
    assert "stopped the server and the worker" in rest
    assert not alive(pids["server"]) and not alive(pids["worker"])


def test_when_the_worker_stops_the_server_stops_too(env: dict[str, str]) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(SCRIPT), f"{HOST}:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    log: list[str] = []
    try:
        pids = started(process, log)
        os.killpg(pids["worker"], signal.SIGKILL)
        assert process.wait(timeout=30) != 0
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert not alive(pids["server"])
