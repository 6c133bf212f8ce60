"""The review queue at 100, 10,000 and 100,000 intakes: SQL queries per page and latency.

Intakes are inserted in bulk into a bench database of their own (clinic_bench on the server of
DATABASE_URL for PostgreSQL; bench/out/queue.sqlite3 for SQLite), with varied answers screened by
the real rules (so verdicts, ranks and flags are realistic) over two years of submissions: old
ones decided, recent ones mostly open. Each page is requested in this process through Django's
test client (views, selectors, templates; no network), as a signed-in doctor or receptionist.

    .venv/bin/python bench/queue_latency.py [--database both|sqlite|postgres]
        [--sizes 100,10000,100000] [--repeat 30] [--explain]

`--explain` prints PostgreSQL's plan (EXPLAIN ANALYZE) of the default doctor page's queries at
the largest size; `--try-indexes` measures the pages again there with the indexes proposed in
bench/RESULTS.md (created on the bench database, then dropped; the app's own need a migration).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from common import (
    machine,
    median,
    percentile,
    postgres_url,
    print_table,
    recreate_database,
    setup_django,
    sqlite_url,
    valid_answers,
    vendor,
)

SEED = 20261121
HISTORY_DAYS = 730
BATCH = 2_000


def make_intakes(count: int, rng: random.Random, today: datetime.date, taken: set[str]) -> None:
    """Insert `count` intakes and their flags, screened as the service screens them."""
    from django.db import transaction
    from django.utils import timezone

    from intake import answers, references, screening, selectors
    from intake.models import Intake, IntakeFlag

    consent = selectors.current_consent_document()
    texts: dict[str, dict[str, str]] = {}
    tz = timezone.get_current_timezone()
    made = 0
    while made < count:
        batch = min(BATCH, count - made)
        intakes, results = [], []
        for _ in range(batch):
            age_days = int(rng.triangular(0, HISTORY_DAYS, 0))  # more recent than old
            day = today - datetime.timedelta(days=age_days)
            given = valid_answers(rng, day)
            values = {key: given.get(key) for key in answers.QUESTIONS}
            result = screening.screen(values, today=day)
            if age_days > 30:
                status = "decided" if rng.random() < 0.97 else rng.choice(["new", "in_review"])
            else:
                status = rng.choices(["new", "in_review", "decided"], weights=(5, 2, 3))[0]
            reference = references.new_reference()
            while reference in taken:
                reference = references.new_reference()
            taken.add(reference)
            submitted = datetime.datetime.combine(
                day, datetime.time(rng.randint(8, 22), rng.randint(0, 59)), tzinfo=tz
            )
            intakes.append(
                Intake(
                    reference=reference,
                    submission_token=uuid.uuid4(),
                    language=rng.choices(["ja", "en"], weights=(9, 1))[0],
                    submitted_at=submitted,
                    status=status,
                    consent_document=consent,
                    consent_at=submitted,
                    ruleset_version=result.ruleset,
                    reference_date=result.reference_date,
                    verdict=result.verdict,
                    verdict_rank=screening.verdict_rank(result.verdict),
                    suitability=result.suitability,
                    current_verdict=result.verdict,
                    current_verdict_rank=screening.verdict_rank(result.verdict),
                    current_suitability=result.suitability,
                    **values,
                )
            )
            results.append(result)
        with transaction.atomic():
            Intake.objects.bulk_create(intakes)
            flags = []
            for intake, result in zip(intakes, results, strict=True):
                for position, flag in enumerate(result.flags):
                    if flag.code not in texts:
                        texts[flag.code] = selectors.flag_texts([flag])[0]
                    flags.append(
                        IntakeFlag(
                            intake=intake,
                            position=position,
                            code=flag.code,
                            severity=flag.severity,
                            source=flag.source,
                            keys=list(flag.keys),
                            **texts[flag.code],
                        )
                    )
            IntakeFlag.objects.bulk_create(flags, batch_size=BATCH)
        made += batch


def analyse() -> None:
    """Fresh planner statistics, as autovacuum would have them on a live database."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in ("intake_intake", "intake_intakeflag"):
                cursor.execute(f"VACUUM ANALYZE {table}")
        else:
            cursor.execute("ANALYZE")


def scenarios() -> list[tuple[str, str, str]]:
    """(name, who, query string) of the pages measured; the first is the one the aim is about."""
    return [
        ("doctor · open queue (default)", "doctor", ""),
        ("reception · open queue (default)", "reception", ""),
        ("doctor · verdict filter", "doctor", "verdict=not_suitable"),
        ("doctor · flag filter", "doctor", "flag=DRY_SKIN"),
        ("doctor · search by name", "doctor", "q=山田"),
        ("doctor · all statuses", "doctor", "status=all"),
        ("doctor · all statuses, last page", "doctor", "status=all&page=last"),
    ]


def clients() -> dict[str, Any]:
    from django.contrib.auth.models import Group, User
    from django.test import Client

    people = {}
    for who, group in (("doctor", "Doctors"), ("reception", "Reception")):
        user, _ = User.objects.get_or_create(username=f"bench_{who}")
        user.groups.add(Group.objects.get(name=group))
        client = Client()
        client.force_login(user)
        people[who] = client
    return people


def measure(client: Any, url: str, repeat: int) -> tuple[int, list[float], list[str]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    sql = [query["sql"] for query in captured.captured_queries]
    # Queries of the page itself: the session and the user are every page's, counted apart.
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        timings.append(time.perf_counter() - started)
    return len(sql), timings, sql


def explain(sql: list[str]) -> None:
    from django.db import connection

    print("\nPlans of the default doctor page's queries (EXPLAIN ANALYZE):")
    with connection.cursor() as cursor:
        for statement in sql:
            if "intake_intake" not in statement and "intake_intakeflag" not in statement:
                continue
            print(f"\n-- {statement[:300]}{'…' if len(statement) > 300 else ''}")
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {statement}")
            for (line,) in cursor.fetchall():
                print(f"   {line}")


# Indexes proposed for intake_intake (they need a migration): tried on the bench database only.
PROPOSED_INDEXES = (
    # The verdict counts of the open queue (and of all statuses) from the index alone; SQLite
    # has no INCLUDE, but its indexes carry the row id anyway.
    "CREATE INDEX bench_status_verdict ON intake_intake (status, verdict) INCLUDE (id)",
    # The queue with every status, in the doctors' order, without sorting the whole table.
    "CREATE INDEX bench_queue_all ON intake_intake (verdict_rank, visit_date, submitted_at, id)",
)


def try_indexes(people: dict[str, Any], queue: str, size: int, repeat: int) -> list[tuple]:
    """The pages again at `size` with PROPOSED_INDEXES in place; the indexes are dropped after."""
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in PROPOSED_INDEXES:
            if connection.vendor == "sqlite":
                statement = statement.replace(" INCLUDE (id)", "")
            cursor.execute(statement)
    analyse()
    rows = []
    try:
        for name, who, query in scenarios():
            count, timings, _sql = measure(people[who], f"{queue}?{query}", repeat)
            rows.append(
                (
                    f"{size:,}",
                    f"{name} + indexes",
                    count,
                    f"{median(timings) * 1000:.1f}",
                    f"{percentile(timings, 95) * 1000:.1f}",
                )
            )
    finally:
        with connection.cursor() as cursor:
            for statement in PROPOSED_INDEXES:
                cursor.execute(f"DROP INDEX {statement.split()[2]}")
    return rows


def run_one(url: str, sizes: list[int], repeat: int, show_plans: bool, with_indexes: bool) -> None:
    recreate_database(url)
    setup_django(url)
    from django.urls import reverse
    from django.utils import timezone, translation

    translation.activate("ja")
    queue = reverse("review:queue")
    today = timezone.localdate()
    rng = random.Random(SEED)
    taken: set[str] = set()
    people = clients()
    rows = []
    inserted = 0
    last_sql: list[str] = []
    for size in sizes:
        started = time.perf_counter()
        make_intakes(size - inserted, rng, today, taken)
        inserted = size
        analyse()
        print(f"  {vendor(url)}: {size:,} intakes in {time.perf_counter() - started:.0f} s")
        for index, (name, who, query) in enumerate(scenarios()):
            count, timings, sql = measure(people[who], f"{queue}?{query}", repeat)
            if index == 0:
                last_sql = sql
            rows.append(
                (
                    f"{size:,}",
                    name,
                    count,
                    f"{median(timings) * 1000:.1f}",
                    f"{percentile(timings, 95) * 1000:.1f}",
                )
            )
    if with_indexes:
        rows += try_indexes(people, queue, sizes[-1], repeat)
    print_table(
        f"Review queue · {vendor(url)} · {repeat} requests each · {machine()}",
        ("intakes", "page", "queries", "p50 ms", "p95 ms"),
        rows,
    )
    if show_plans and not url.startswith("sqlite"):
        explain(last_sql)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("both", "sqlite", "postgres"), default="both")
    parser.add_argument("--sizes", default="100,10000,100000")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument(
        "--try-indexes",
        action="store_true",
        help="at the largest size, measure again with the proposed indexes (then dropped)",
    )
    parser.add_argument("--url", help=argparse.SUPPRESS)  # one database, in a child process
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))

    if args.url:
        run_one(args.url, sizes, args.repeat, args.explain, args.try_indexes)
        return
    urls = []
    if args.database in ("both", "sqlite"):
        urls.append(sqlite_url("queue"))
    if args.database in ("both", "postgres"):
        if postgres_url() is None:
            print("PostgreSQL skipped: set DATABASE_URL=postgres://… to include it.")
        else:
            urls.append(postgres_url())
    # One process per database: Django settles on its database once, at setup.
    for url in urls:
        command = [sys.executable, str(Path(__file__)), "--url", url, "--sizes", args.sizes]
        command += ["--repeat", str(args.repeat)]
        command += ["--explain"] if args.explain else []
        command += ["--try-indexes"] if args.try_indexes else []
        subprocess.run(command, check=True, env=os.environ.copy())


if __name__ == "__main__":
    main()
