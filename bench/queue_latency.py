"""The review queue and an intake's page at 100, 10,000 and 100,000 intakes: SQL queries per
page and latency.

Intakes are inserted in bulk into a bench database of their own (clinic_bench on the server of
DATABASE_URL for PostgreSQL; bench/out/queue.sqlite3 for SQLite), with varied answers screened by
the real rules (so verdicts, ranks and flags are realistic) over two years of submissions: old
ones decided, recent ones mostly open. Each page is requested in this process through Django's
test client (views, selectors, templates; no network), as a signed-in doctor or receptionist.

The intake's pages (review, print summary, chart text) are those of a returning patient, made
afresh at each size: an open intake with flags, linked to a patient record with an earlier visit
(decided, treated by the clinic), and deferred once already. Each request of them records its
reading (AccessRecord), as in use.

    .venv/bin/python bench/queue_latency.py [--database both|sqlite|postgres]
        [--sizes 100,10000,100000] [--repeat 30] [--explain] [--profile]
        [--postgres-database clinic_bench]

`--explain` prints PostgreSQL's plan (EXPLAIN ANALYZE) of the default doctor page's queries at
the largest size; `--try-indexes` measures the pages again there with the indexes proposed in
bench/RESULTS.md (created on the bench database, then dropped; the app's own need a migration).
`--profile` prints, at the largest size, where the Python time of the default doctor queue and
of the intake's page goes (cProfile, the costliest functions by their own time and in all).
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

import common
from common import (
    machine,
    median,
    percentile,
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
        client.user = user
        people[who] = client
    return people


def returning_patient(people: dict[str, Any], today: datetime.date) -> str:
    """The reference of a newly made returning patient's open intake (see the docstring)."""
    from decimal import Decimal

    from django.db.models import Count

    from intake.models import Intake
    from intake.patients import services as patient_services
    from intake.review import selectors as review_selectors
    from intake.review import services as review_services

    doctor, reception = people["doctor"].user, people["reception"].user
    unlinked = Intake.objects.filter(patient=None).annotate(flag_count=Count("flags"))
    earlier = unlinked.filter(status=Intake.Status.DECIDED, flag_count__gte=1).order_by("pk")[0]
    subject = unlinked.filter(status=Intake.Status.NEW, flag_count__gte=2).order_by("-pk")[0]
    patient = patient_services.patient_create_from_intake(intake=earlier, by=reception)
    review_services.intake_decide(
        intake=earlier,
        doctor=doctor,
        outcome="approved",
        note="",
        acknowledged_flags=[f.code for f in review_selectors.flags_to_acknowledge(earlier)],
        based_on=None,
    )
    patient_services.treatment_record(
        patient=patient,
        doctor=doctor,
        treated_on=earlier.submitted_at.date(),
        product="botox_vista",
        dilution_ml_per_100u=Decimal("5"),
        total_units=Decimal("24"),
        areas=["cheeks", "forehead"],
        lot_number="C1234A",
        intake=earlier,
    )
    patient_services.intake_link(intake=subject, patient=patient, by=reception)
    subject = review_selectors.intake_for_review(reference=subject.reference)
    review_services.intake_decide(
        intake=subject,
        doctor=doctor,
        outcome="deferred",
        note="Bench: wait for the results.",
        acknowledged_flags=[f.code for f in review_selectors.flags_to_acknowledge(subject)],
        based_on=None,
    )
    return subject.reference


def intake_scenarios(reference: str) -> list[tuple[str, str, str]]:
    """(name, who, path) of an intake's pages."""
    from django.urls import reverse

    return [
        (f"doctor · intake page{suffix}", "doctor", reverse(f"review:{name}", args=[reference]))
        for name, suffix in (("intake", ""), ("print", " · print"), ("chart_text", " · chart"))
    ]


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


def profile(client: Any, url: str, repeat: int) -> None:
    """Where the time of `repeat` requests of `url` goes: the costliest functions."""
    import cProfile
    import pstats

    client.get(url)  # warm
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        client.get(url)
    profiler.disable()
    print(f"\nProfile of {url} ({repeat} requests)")
    stats = pstats.Stats(profiler, stream=sys.stdout).strip_dirs()
    stats.sort_stats("tottime").print_stats(15)
    stats.sort_stats("cumulative").print_stats(40)


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


def figures(size: int, name: str, count: int, timings: list[float]) -> tuple:
    p50, p95 = median(timings) * 1000, percentile(timings, 95) * 1000
    return (f"{size:,}", name, count, f"{p50:.1f}", f"{p95:.1f}")


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
            rows.append(figures(size, f"{name} + indexes", count, timings))
    finally:
        with connection.cursor() as cursor:
            for statement in PROPOSED_INDEXES:
                cursor.execute(f"DROP INDEX {statement.split()[2]}")
    return rows


def run_one(url: str, sizes: list[int], options: argparse.Namespace) -> None:
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
        reference = returning_patient(people, today)
        analyse()
        print(f"  {vendor(url)}: {size:,} intakes in {time.perf_counter() - started:.0f} s")
        pages = [(name, who, f"{queue}?{query}") for name, who, query in scenarios()]
        for index, (name, who, page) in enumerate(pages + intake_scenarios(reference)):
            count, timings, sql = measure(people[who], page, options.repeat)
            if index == 0:
                last_sql = sql
            rows.append(figures(size, name, count, timings))
    if options.try_indexes:
        rows += try_indexes(people, queue, sizes[-1], options.repeat)
    print_table(
        f"Review queue and intake pages · {vendor(url)} · {options.repeat} requests each · "
        f"{machine()}",
        ("intakes", "page", "queries", "p50 ms", "p95 ms"),
        rows,
    )
    if options.explain and not url.startswith("sqlite"):
        explain(last_sql)
    if options.profile:
        profile(people["doctor"], queue, options.repeat)
        profile(people["doctor"], intake_scenarios(reference)[0][2], options.repeat)


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
    parser.add_argument(
        "--profile", action="store_true", help="at the largest size, profile two pages"
    )
    parser.add_argument(
        "--postgres-database",
        default=common.BENCH_DATABASE,
        help="the bench database's name on the PostgreSQL server (dropped and made anew)",
    )
    parser.add_argument("--url", help=argparse.SUPPRESS)  # one database, in a child process
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    common.BENCH_DATABASE = args.postgres_database

    if args.url:
        run_one(args.url, sizes, args)
        return
    urls = []
    if args.database in ("both", "sqlite"):
        urls.append(sqlite_url("queue"))
    if args.database in ("both", "postgres"):
        if common.postgres_url() is None:
            print("PostgreSQL skipped: set DATABASE_URL=postgres://… to include it.")
        else:
            urls.append(common.postgres_url())
    # One process per database: Django settles on its database once, at setup.
    for url in urls:
        command = [sys.executable, str(Path(__file__)), "--url", url, "--sizes", args.sizes]
        command += ["--repeat", str(args.repeat), "--postgres-database", args.postgres_database]
        command += ["--explain"] if args.explain else []
        command += ["--try-indexes"] if args.try_indexes else []
        command += ["--profile"] if args.profile else []
        subprocess.run(command, check=True, env=os.environ.copy())


if __name__ == "__main__":
    main()
