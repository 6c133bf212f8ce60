"""Every benchmark, one after the other, each printing its table (`make bench`).

    .venv/bin/python bench/run_all.py [--quick]

Set DATABASE_URL=postgres://… to run the database benchmarks on PostgreSQL (the queue runs on
SQLite and PostgreSQL then); the benchmarks use a database of their own (clinic_bench; the scale
benchmark, PostgreSQL only, bench_scale), never DATABASE_URL's. `--quick` runs smaller sizes, for
a smoke test. Figures: bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

BENCHMARKS = (
    (
        "patient journey vs bare journey",
        "journey.py",
        ["--rounds", "1", "--journeys", "10", "--clients", "4", "--fcp-runs", "3"],
    ),
    ("screening throughput", "screening_throughput.py", []),
    ("final submit vs bare view", "submit_throughput.py", ["--requests", "100", "--rounds", "1"]),
    ("review queue", "queue_latency.py", ["--sizes", "100,10000", "--repeat", "10"]),
    ("gunicorn worker memory", "worker_memory.py", []),
    # PostgreSQL only (it says so and skips on SQLite); the data stays in bench_scale for reruns.
    ("scale (100,000 intakes)", "scale.py", ["--size", "2000", "--repeat", "3"]),
    ("CSV export of every intake", "export_memory.py", ["--intakes", "1000"]),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller runs, for a smoke test")
    args = parser.parse_args()

    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"{datetime.datetime.now():%Y-%m-%d %H:%M} · {os.cpu_count()} CPUs · load {load}")
    print("database:", "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite")
    failed = []
    for title, script, quick in BENCHMARKS:
        print(f"\n=== {title} ===", flush=True)
        started = time.perf_counter()
        command = [sys.executable, str(HERE / script), *(quick if args.quick else [])]
        if subprocess.run(command, check=False).returncode != 0:
            failed.append(title)
        print(f"({time.perf_counter() - started:.0f} s)", flush=True)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
