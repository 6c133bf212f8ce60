"""The whole patient journey under gunicorn, against a bare journey of as many requests, in one run.

A journey is one patient's intake, 16 requests from a new browser (its own session and CSRF
cookies, its own address as the reverse proxy reports it): the landing page, the six steps each
fetched and answered with valid answers (consent included), the review page, the submit and the
confirmation (bench/journeys.py). The bare journey sends the same 16 requests to bare Django
views (bench/bench_urls.py): a plain form on a small template, a POST that validates it and
writes the session, one INSERT at the end, through the same middleware, gunicorn and database.
Kinds alternate round by round so that neither gets the quieter moments of the machine.

The server runs as production does (DJANGO_ENV=production: hashed, compressed static files
served by WhiteNoise) but over plain HTTP. Core-ms per journey: CPU time (user + system) of the
gunicorn workers and of the PostgreSQL backends serving the bench database, read from
/proc/<pid>/stat before and after each round, divided by the journeys of the round. Then the
bytes of each page on the wire and step 1's first contentful paint on a throttled phone
(bench/page_weight.py).

    .venv/bin/python bench/journey.py [--rounds 3] [--clients 8] [--journeys 100] [--skip-fcp]
        [--database-url postgres://postgres@127.0.0.1:5432/clinic_bench]

Without --database-url: PostgreSQL (database clinic_bench on DATABASE_URL's server) when
DATABASE_URL is set, else SQLite (then no database CPU: SQLite runs inside the workers).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import secrets
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from common import (
    OUT,
    bench_env,
    default_url,
    machine,
    median,
    percentile,
    print_table,
    recreate_database,
    setup_django,
    valid_answers,
    vendor,
)
from journeys import REQUESTS_PER_JOURNEY, Browser, app_journey, bare_journey
from page_weight import first_paint_seconds, page_weights, render_cpu

SEED = 20261214
TICKS = os.sysconf("SC_CLK_TCK")
STEP_ONE = "/ja/intake/about_you/"
PRODUCTION_SETTINGS = (
    "DJANGO_ENV",
    "DJANGO_SECRET_KEY",
    "DJANGO_STATIC_ROOT",
    "DJANGO_SECURE_SSL_REDIRECT",
)


@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0
    app_cpu: float = 0.0
    db_cpu: float = 0.0
    rounds: list[float] = field(default_factory=list)  # journeys/s of each round

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def per_journey_ms(self, seconds: float) -> float:
        return seconds * 1000 / len(self.latencies) if self.latencies else float("nan")


# CPU of the server's processes -------------------------------------------------------------------
def cpu_seconds(pid: int) -> float:
    """User + system CPU of one process so far (0 when it has gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
    return (int(fields[11]) + int(fields[12])) / TICKS


def children(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                found.append(int(entry.name))
    return found


def database_backends() -> list[int]:
    """The PostgreSQL backends connected to the bench database, this process's own aside."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


def snapshot(master: int) -> tuple[dict[int, float], dict[int, float]]:
    workers = {pid: cpu_seconds(pid) for pid in children(master)}
    backends = {pid: cpu_seconds(pid) for pid in database_backends()}
    return workers, backends


def spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU spent between two snapshots; a process born in between counts from its start."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


# Running journeys --------------------------------------------------------------------------------
def run_journeys(
    phase: Phase | None, count: int, clients: int, journey: Callable[[int], str]
) -> tuple[float, int]:
    """`count` journeys with `clients` concurrent browsers: (seconds, journeys completed)."""
    lock = threading.Lock()
    numbers = iter(range(count))
    done = 0

    def client() -> None:
        nonlocal done
        while True:
            with lock:
                number = next(numbers, None)
            if number is None:
                return
            started = time.perf_counter()
            try:
                journey(number)
            except Exception as error:  # noqa: BLE001 - counted and shown, the run goes on
                with lock:
                    if phase is not None:
                        phase.failures.append(f"{type(error).__name__}: {error}"[:300])
                continue
            with lock:
                done += 1
                if phase is not None:
                    phase.latencies.append(time.perf_counter() - started)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, done


def measured_round(
    phase: Phase, master: int, count: int, clients: int, journey: Callable[[int], str]
) -> None:
    workers, backends = snapshot(master)
    seconds, done = run_journeys(phase, count, clients, journey)
    workers_after, backends_after = snapshot(master)
    phase.seconds += seconds
    phase.rounds.append(done / seconds)
    phase.app_cpu += spent(workers, workers_after)
    phase.db_cpu += spent(backends, backends_after)


def production_env(url: str, static_root: Path) -> dict[str, str]:
    """The bench server's environment: production's settings, over plain HTTP on 127.0.0.1."""
    return bench_env(
        url,
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_STATIC_ROOT=str(static_root),
        DJANGO_SECURE_SSL_REDIRECT="0",
    )


def collect_static(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--clear", "-v", "0"],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        check=True,
        timeout=600,
    )


# Reporting ---------------------------------------------------------------------------------------
def milliseconds(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def kilobytes(count: float) -> str:
    return f"{count / 1000:.1f}"


def print_journeys(app: Phase, bare: Phase, title: str, database: bool) -> None:
    rows = []
    for phase in (app, bare):
        app_ms = phase.per_journey_ms(phase.app_cpu)
        db_ms = phase.per_journey_ms(phase.db_cpu) if database else float("nan")
        rows.append(
            (
                phase.name,
                len(phase.latencies),
                len(phase.failures),
                f"{phase.rate:.2f}",
                f"{phase.rate * REQUESTS_PER_JOURNEY:.0f}",
                " ".join(f"{rate:.2f}" for rate in phase.rounds),
                f"{percentile(phase.latencies, 50) * 1000:.0f}",
                f"{percentile(phase.latencies, 95) * 1000:.0f}",
                f"{app_ms:.1f}",
                f"{db_ms:.1f}" if database else "-",
                f"{app_ms + (db_ms if database else 0):.1f}",
            )
        )
    print_table(
        title,
        (
            "journey",
            "ok",
            "failed",
            "journeys/s",
            "req/s",
            "journeys/s by round",
            "p50 ms",
            "p95 ms",
            "app core-ms",
            "db core-ms",
            "core-ms",
        ),
        rows,
    )
    ratio = app.rate / bare.rate if bare.rate else float("nan")
    print(f"\njourney throughput ratio app/bare: {ratio:.2f} (aim ≥ 0.6)")
    for phase in (app, bare):
        for failure in sorted(set(phase.failures))[:3]:
            print(f"{phase.name} failed: {failure}")


def print_pages(port: int, given: dict[str, object]) -> None:
    pages, assets = page_weights(port, given)
    cpu = render_cpu(given)
    rows = []
    for page in pages:
        first = page.html_bytes + sum(assets[path].bytes for path in page.assets)
        rows.append(
            (
                page.name,
                kilobytes(first),
                kilobytes(page.html_bytes),
                len(page.assets),
                milliseconds(percentile(page.server_seconds, 50)),
                milliseconds(cpu[page.name]),
            )
        )
    print_table(
        "Bytes received per page, Accept-Encoding: gzip (kB = 1000 bytes; headers included)"
        " · server ms: a GET's wall time, one client, median · render CPU ms: a GET in"
        " process (test client, no network), median",
        ("page", "first visit kB", "repeat visit kB", "static files", "server ms", "CPU ms"),
        rows,
    )
    print_table(
        "Static files",
        ("file", "kB on the wire", "Cache-Control"),
        [(a.path, kilobytes(a.bytes), a.cache_control or "(none)") for a in assets.values()],
    )
    print("aims: step 1 first visit ≤ 35 kB, later steps ≤ 8 kB, step page render ≤ 3 ms")


def wait_for_chromium(limit: float) -> bool:
    """Whether Chromium is there, waiting up to `limit` seconds (while apt installs it)."""
    from page_weight import CHROMIUM

    deadline = time.monotonic() + limit
    while not CHROMIUM.exists() and time.monotonic() < deadline:
        print(f"waiting for {CHROMIUM} …", flush=True)
        time.sleep(15)
    return CHROMIUM.exists()


def print_first_paint(port: int, runs: int, wait: float) -> None:
    if not wait_for_chromium(wait):
        print("first contentful paint: skipped, no /usr/bin/chromium")
        return
    paints = first_paint_seconds(f"http://127.0.0.1:{port}{STEP_ONE}", runs)
    listed = ", ".join(f"{paint:.2f}" for paint in paints)
    middle = median(paints)
    print(
        f"\nstep 1 first contentful paint, throttled phone (150 ms RTT, 1.6 Mbit/s down, "
        f"CPU ×4), cold cache: median {middle:.2f} s of {len(paints)} runs ({listed}); aim ≤ 0.7 s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="app/bare alternations")
    parser.add_argument("--clients", type=int, default=8, help="concurrent browsers")
    parser.add_argument("--journeys", type=int, default=100, help="journeys per kind and round")
    parser.add_argument(
        "--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1, help="gunicorn workers"
    )
    parser.add_argument("--fcp-runs", type=int, default=7, help="first paint measurements")
    parser.add_argument("--skip-fcp", action="store_true", help="no first paint (no Chromium)")
    parser.add_argument(
        "--wait-for-chromium", type=float, default=0, help="seconds to wait for /usr/bin/chromium"
    )
    parser.add_argument("--database-url", help="the bench database, dropped and made again")
    args = parser.parse_args()

    url = args.database_url or default_url()
    recreate_database(url)
    env = production_env(url, OUT / "static")
    collect_static(env)
    setup_django(url, **{key: env[key] for key in PRODUCTION_SETTINGS})
    from django.utils import timezone

    from intake.models import Intake
    from tests.live_server import gunicorn

    today = timezone.localdate()
    rng = random.Random(SEED)
    given = [valid_answers(rng, today) for _ in range(args.rounds * args.journeys + 1)]
    warmup = 2 * args.workers
    before = Intake.objects.count()
    app, bare = Phase("patient journey (wizard)"), Phase("bare journey")
    started = datetime.datetime.now().astimezone()
    with gunicorn(env, workers=args.workers) as (process, port):
        warm_answers = [valid_answers(rng, today) for _ in range(warmup)]
        run_journeys(
            None, warmup, args.clients, lambda n: app_journey(Browser(port), warm_answers[n])
        )
        run_journeys(None, warmup, args.clients, lambda n: bare_journey(Browser(port)))
        for round_number in range(args.rounds):
            offset = round_number * args.journeys
            kinds = [
                (app, lambda n, o=offset: app_journey(Browser(port), given[o + n])),
                (bare, lambda n: bare_journey(Browser(port))),
            ]
            for phase, journey in kinds if round_number % 2 == 0 else kinds[::-1]:
                measured_round(phase, process.pid, args.journeys, args.clients, journey)
        saved = Intake.objects.count() - before
        load = " ".join(f"{value:.2f}" for value in os.getloadavg())
        print_journeys(
            app,
            bare,
            f"Patient journey vs bare journey · {vendor(url)} · gunicorn {args.workers} sync "
            f"workers · {args.clients} clients · {args.rounds} rounds of {args.journeys} "
            f"journeys · {started:%Y-%m-%d %H:%M %Z} · load {load} · {machine()}",
            database=vendor(url) == "PostgreSQL",
        )
        expected = len(app.latencies) + len(bare.latencies) + 2 * warmup
        print(f"intakes saved: {saved} (expected {expected})")
        print_pages(port, given[-1])
        if not args.skip_fcp:
            print_first_paint(port, args.fcp_runs, args.wait_for_chromium)


if __name__ == "__main__":
    main()
