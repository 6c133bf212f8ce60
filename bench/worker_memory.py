"""Resident memory of a gunicorn worker after 1,000 submits.

One sync worker serves every request, so it handles all of them: its RSS is read from /proc
after start, after a warm-up of 20 submits, then after each further 250 up to 1,000. A leak
shows as growth between the later readings; the aim is under 150 MB after 1,000.

    .venv/bin/python bench/worker_memory.py [--submits 1000] [--clients 4]

PostgreSQL (database clinic_bench) when DATABASE_URL is set, else SQLite.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from common import (
    bench_env,
    default_url,
    machine,
    print_table,
    recreate_database,
    setup_django,
    vendor,
)
from submit_throughput import SUBMIT_PATH, Phase, prepare_sessions, run_phase

WARMUP = 20
AIM_MB = 150


def status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise LookupError(field)


def children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def megabytes(kilobytes: int) -> str:
    return f"{kilobytes / 1024:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submits", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()

    url = default_url()
    recreate_database(url)
    setup_django(url)
    from django.utils import timezone

    from tests.live_server import gunicorn

    sessions = prepare_sessions(WARMUP + args.submits, timezone.localdate())
    readings = []
    failures = 0
    with gunicorn(bench_env(url), workers=1) as (process, port):
        (worker,) = children(process.pid)
        readings.append(("started, /healthz answered", status_kb(worker, "VmRSS")))
        done = Phase("warm-up")
        run_phase(done, port, SUBMIT_PATH, sessions[:WARMUP], args.clients)
        readings.append((f"after {WARMUP} submits", status_kb(worker, "VmRSS")))
        step = max(1, args.submits // 4)
        sent = 0
        while sent < args.submits:
            chunk = sessions[WARMUP + sent : WARMUP + min(args.submits, sent + step)]
            run_phase(done, port, SUBMIT_PATH, chunk, args.clients)
            sent += len(chunk)
            readings.append((f"after {WARMUP + sent} submits", status_kb(worker, "VmRSS")))
        failures = done.failures
        peak = status_kb(worker, "VmHWM")
        master = status_kb(process.pid, "VmRSS")
        assert children(process.pid) == [worker], "the worker was restarted during the run"

    rows = [(label, megabytes(kb)) for label, kb in readings]
    rows += [("worker peak (VmHWM)", megabytes(peak)), ("gunicorn master", megabytes(master))]
    print_table(
        f"gunicorn worker memory · {vendor(url)} · 1 sync worker · {machine()}",
        ("moment", "RSS MB"),
        rows,
    )
    final = readings[-1][1]
    verdict = "within" if final / 1024 < AIM_MB else "over"
    print(f"\nafter {WARMUP + args.submits} submits: {megabytes(final)} MB, {verdict} the aim")
    print(f"growth over the last three quarters: {megabytes(final - readings[2][1])} MB")
    print(f"failed submits: {failures}")


if __name__ == "__main__":
    main()
