"""A real gunicorn on 127.0.0.1 for the tests and benchmarks that need one.

Started as production starts it (`gunicorn clinic.wsgi`, this folder's gunicorn.conf.py), in its
own process group so that it and its workers always go away, even when killed on purpose.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from tests.helpers import clean_environment
from tests.wizard_http import HttpClient

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def database_url(settings_dict: Mapping[str, Any]) -> str:
    """The DATABASE_URL of a Django connection's settings (PostgreSQL or an SQLite file)."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    user = urllib.parse.quote(settings_dict.get("USER") or "")
    password = settings_dict.get("PASSWORD") or ""
    credentials = f"{user}:{urllib.parse.quote(password)}" if password else user
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or "5432"
    return f"postgres://{credentials}@{host}:{port}/{settings_dict['NAME']}"


def server_env(database: str, **extra: str) -> dict[str, str]:
    """A clean environment: nothing from the developer's shell but the path and the locale."""
    env = clean_environment(
        DJANGO_SETTINGS_MODULE="clinic.settings",
        DATABASE_URL=database,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    env.update(extra)
    return env


@contextlib.contextmanager
def gunicorn(
    env: Mapping[str, str],
    *,
    workers: int = 4,
    port: int | None = None,
    args: tuple[str, ...] = (),
    startup_timeout: float = 60.0,
    app: str = "clinic.wsgi",
) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """Run gunicorn until the block ends; yields (process, port) once /healthz answers 200."""
    port = port or free_port()
    command = [str(GUNICORN), app, "--bind", f"{HOST}:{port}", "--workers", str(workers)]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [*command, *args],
            cwd=ROOT,
            env=dict(env),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_until_healthy(process, port, log, timeout=startup_timeout)
            yield process, port
        finally:
            stop(process)


def wait_until_healthy(
    process: subprocess.Popen[bytes], port: int, log: Any, *, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    client = HttpClient(HOST, port, timeout=5)
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{log.read().decode()}")
        with contextlib.suppress(OSError):
            if client.get("/healthz").status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer /healthz within {timeout:.0f} s")


def stop(process: subprocess.Popen[bytes], *, crash: bool = False) -> None:
    """Stop gunicorn and its workers: gracefully (SIGTERM), or as a crash would (SIGKILL).

    The signal goes to the process group gunicorn leads, so a crash takes the workers with it.
    """
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL if crash else signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
