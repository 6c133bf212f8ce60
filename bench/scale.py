"""The app at 100,000 and 1,000,000 intakes (PostgreSQL only): staff pages, the CSV export,
`rescreen --all` and the purge.

    .venv/bin/python bench/scale.py [--size 100000] [--database-url postgres://…/bench_scale]
        [--reload] [--repeat 20] [--only load|pages|export|rescreen|purge] [--purge N]

The data (bench/scale_load.py: intakes with flags, decisions, access records, patient records)
goes into a database of its own, made by the real migrations, and stays there: a later run at the
same size reuses it (--reload loads it again). The database is --database-url, else bench_scale
on the server of DATABASE_URL; without either (SQLite) the benchmark skips. Pages are requested
through Django's test client in this process (queries, p50/p95 of --repeat requests); the export,
rescreen and purge each run in a process of their own (time, its peak RSS, commits, the longest
transaction). Figures: bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import math
import resource
import subprocess
import sys
import time
import urllib.parse
from typing import Any

import psycopg
from common import (
    bench_env,
    machine,
    median,
    named_postgres_url,
    percentile,
    print_table,
    setup_django,
)

from bench import scale_load, scale_ops

DEFAULT_DATABASE = "bench_scale"
OPERATIONS = ("load", "pages", "export", "rescreen", "purge")
STATE = "bench_scale_state"
MEASURE = ("measure", "value")


def database_url(given: str | None) -> str | None:
    return named_postgres_url(given, DEFAULT_DATABASE)


def _maintenance(url: str) -> tuple[str, str]:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/postgres")), parts.path.lstrip("/")


def loaded_state(url: str) -> dict[str, int]:
    """What an earlier run loaded here (size, next intake index), or {} (no database, no load)."""
    maintenance, name = _maintenance(url)
    with psycopg.connect(maintenance, autocommit=True) as connection:
        if not connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone():
            return {}
    with psycopg.connect(url, autocommit=True) as connection:
        if not connection.execute("SELECT to_regclass(%s)", [STATE]).fetchone()[0]:
            return {}
        state = dict(connection.execute(f"SELECT key, value FROM {STATE}").fetchall())
        (count,) = connection.execute("SELECT count(*) FROM intake_intake").fetchone()
    return state if state.get("size") == count else {}


def recreate(url: str) -> None:
    maintenance, name = _maintenance(url)
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def migrate(url: str) -> None:
    """The real migrations (a no-op on a loaded database, unless new ones were merged since)."""
    command = [sys.executable, "manage.py", "migrate", "--no-input"]
    subprocess.run(
        command,
        cwd=scale_ops.ROOT,
        env=bench_env(url),
        check=True,
        timeout=3600,
        stdout=subprocess.DEVNULL,
    )


def save_state(**values: int) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {STATE} (key text PRIMARY KEY, value bigint)")
        for key, value in values.items():
            cursor.execute(
                f"INSERT INTO {STATE} VALUES (%s, %s) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )


def staff() -> dict[str, Any]:
    """Signed-in test clients: a doctor, a receptionist, an administrator (superuser)."""
    from django.contrib.auth.models import User
    from django.test import Client

    people = {}
    for who, username in (
        ("doctor", "bench_doctor_1"),
        ("reception", "bench_reception_1"),
        ("admin", "bench_admin"),
    ):
        client = Client()
        client.force_login(User.objects.get(username=username))
        people[who] = client
    return people


def scenarios() -> list[tuple[str, str, str]]:
    from django.contrib import admin
    from django.urls import reverse

    from intake.admin.lists import COUNT_BOUND
    from intake.models import Intake

    queue = reverse("review:queue")
    detail = Intake.objects.filter(status="decided").order_by("pk")
    middle = detail[detail.count() // 2]
    intakes = reverse("admin:intake_intake_changelist")
    # The deepest page the list offers (it counts at most COUNT_BOUND rows; pages past it are
    # not offered), as many rows from the top as a list of a million can be read.
    per_page = admin.site._registry[Intake].list_per_page
    last = max(1, math.ceil(min(Intake.objects.count(), COUNT_BOUND) / per_page))
    return [
        ("queue · doctor (default)", "doctor", queue),
        ("queue · doctor · 佐藤", "doctor", f"{queue}?q=佐藤"),
        ("queue · doctor · phone 090-12", "doctor", f"{queue}?q=090-12"),
        ("queue · reception (default)", "reception", queue),
        ("queue · reception · 佐藤", "reception", f"{queue}?q=佐藤"),
        ("queue · reception · phone 090-12", "reception", f"{queue}?q=090-12"),
        ("intake page (doctor)", "doctor", reverse("review:intake", args=[middle.reference])),
        ("admin intakes (default)", "admin", intakes),
        ("admin intakes · 佐藤", "admin", f"{intakes}?q=佐藤"),
        ("admin intakes · deepest page", "admin", f"{intakes}?p={last}"),
        ("admin intakes · not suitable", "admin", f"{intakes}?current_verdict__exact=not_suitable"),
        ("admin decisions", "admin", reverse("admin:intake_decision_changelist")),
        ("admin access records", "admin", reverse("admin:intake_accessrecord_changelist")),
        ("patient records · 佐藤", "admin", f"{reverse('patients:list')}?q=佐藤"),
    ]


def pages(size: int, repeat: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    translation.activate("ja")
    people = staff()
    rows = []
    for name, who, url in scenarios():
        client = people[who]
        client.get(url)  # warm
        connection.queries_log.clear()  # a full log (DEBUG, the load) would capture nothing
        with CaptureQueriesContext(connection) as captured:
            status = client.get(url).status_code
        queries = len(captured)  # counted before the timed requests
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(url)
            timings.append(time.perf_counter() - started)
        rows.append(
            (
                name,
                status,
                queries,
                f"{median(timings) * 1000:.0f}",
                f"{percentile(timings, 95) * 1000:.0f}",
            )
        )
    print_table(
        f"Staff pages · {size:,} intakes · {repeat} requests each · {machine()}",
        ("page", "status", "queries", "p50 ms", "p95 ms"),
        rows,
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process (loader and pages): {peak:.0f} MB")


def counts() -> list[tuple[str, str]]:
    from django.db import connection

    rows = []
    with connection.cursor() as cursor:
        for model in scale_load.MODELS:
            cursor.execute(f"SELECT count(*) FROM intake_{model}")
            rows.append((f"intake_{model}", f"{cursor.fetchone()[0]:,}"))
        cursor.execute("SELECT count(*) FILTER (WHERE status = 'decided') * 100.0 / count(*) "
                       "FROM intake_intake")  # fmt: skip
        rows.append(("decided", f"{cursor.fetchone()[0]:.1f} %"))
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        rows.append(("database size", cursor.fetchone()[0]))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000, help="intakes (e.g. 2000, 1000000)")
    parser.add_argument("--database-url", help=f"default: {DEFAULT_DATABASE} on DATABASE_URL's")
    parser.add_argument("--reload", action="store_true", help="load again even if loaded")
    parser.add_argument("--repeat", type=int, default=20, help="requests per page")
    parser.add_argument("--only", choices=OPERATIONS, action="append", help="repeatable")
    parser.add_argument("--purge", type=int, help="intakes to purge (default: 100,000 or 10 %%)")
    parser.add_argument("--child", choices=("export",), help=argparse.SUPPRESS)
    args = parser.parse_args()

    url = database_url(args.database_url)
    if url is None:
        print("skipped: PostgreSQL only (set DATABASE_URL=postgres://… or pass --database-url)")
        return 0
    if args.child:
        setup_django(url)
        scale_ops.export_child()
        return 0
    only = set(args.only or OPERATIONS)
    state = {} if args.reload else loaded_state(url)
    if state.get("size") != args.size:
        recreate(url)
    migrate(url)
    setup_django(url)
    from django.db import connection

    if state.get("size") != args.size:
        started = time.perf_counter()
        scale_load.load(connection, count=args.size)
        seconds = time.perf_counter() - started
        save_state(size=args.size, next_index=args.size, load_seconds=round(seconds))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"loaded {args.size:,} intakes in {seconds:.0f} s (peak RSS {peak:.0f} MB)")
        state = loaded_state(url)
    else:
        print(f"reusing the {args.size:,} intakes loaded before (--reload to load again)")
    print_table(f"Data · {url.rsplit('/', 1)[-1]}", ("table", "rows"), counts())
    env = bench_env(url)

    if "pages" in only:
        pages(args.size, args.repeat)
    if "export" in only:
        print_table(
            f"CSV export of every intake · {args.size:,}", MEASURE, scale_ops.export(url, env)
        )
    if "rescreen" in only:
        print_table(f"rescreen --all · {args.size:,}", MEASURE, scale_ops.rescreen(url, env))
    if "purge" in only:
        count = args.purge or min(100_000, args.size // 10)
        rows, deleted = scale_ops.purge(url, env, count)
        print_table(f"purge_intakes · {args.size:,}", MEASURE, rows)
        # As many intakes again, so the next run finds the size it loaded.
        scale_load.load(connection, count=deleted, start=state["next_index"], total=args.size)
        save_state(next_index=state["next_index"] + deleted)
    return 0


if __name__ == "__main__":
    sys.exit(main())
