"""The admin's intake list (and the queue's search) at a size of choice: queries and latency.

Intakes as bench/queue_latency.py makes them, in a bench database of this script's own
(clinic_bench_admin on the server of DATABASE_URL; bench/out/admin.sqlite3 for SQLite). Short runs
only here; the real measurement is on a quiet machine.

    .venv/bin/python bench/admin_latency.py [--database sqlite|postgres] [--size 20000]
        [--repeat 10]
"""

from __future__ import annotations

import argparse
import random
import sys

import common
import queue_latency
from common import machine, median, percentile, print_table, setup_django, sqlite_url, vendor

common.BENCH_DATABASE = "clinic_bench_admin"  # not the queue benchmark's database


def pages() -> list[tuple[str, str, str, str]]:
    return [
        ("admin · intakes, doctor", "doctor", "admin:intake_intake_changelist", ""),
        ("admin · intakes, reception", "reception", "admin:intake_intake_changelist", ""),
        ("admin · search 佐藤", "doctor", "admin:intake_intake_changelist", "q=佐藤"),
        ("admin · search 佐藤美咲", "doctor", "admin:intake_intake_changelist", "q=佐藤美咲"),
        ("admin · search phone", "doctor", "admin:intake_intake_changelist", "q=090-1234"),
        ("admin · status filter", "doctor", "admin:intake_intake_changelist", "status__exact=new"),
        ("admin · page 200", "doctor", "admin:intake_intake_changelist", "p=200"),
        ("queue · search 佐藤美咲", "doctor", "review:queue", "q=佐藤美咲"),
    ]


def run(url: str, size: int, repeat: int) -> None:
    common.recreate_database(url)
    setup_django(url)
    from django.contrib.auth.models import User
    from django.urls import reverse
    from django.utils import timezone, translation

    translation.activate("ja")
    queue_latency.make_intakes(size, random.Random(queue_latency.SEED), timezone.localdate(), set())
    queue_latency.analyse()
    people = queue_latency.clients()
    for user in User.objects.filter(username__startswith="bench_"):
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    rows = []
    for name, who, view, query in pages():
        count, timings, _sql = queue_latency.measure(
            people[who], f"{reverse(view)}?{query}", repeat
        )
        rows.append(
            (f"{size:,}", name, count, f"{median(timings) * 1000:.1f}",
             f"{percentile(timings, 95) * 1000:.1f}")
        )  # fmt: skip
    print_table(
        f"Admin lists · {vendor(url)} · {repeat} requests each · {machine()}",
        ("intakes", "page", "queries", "p50 ms", "p95 ms"),
        rows,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="postgres")
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    url = common.postgres_url() if args.database == "postgres" else sqlite_url("admin")
    if url is None:
        sys.exit("--database postgres needs DATABASE_URL")
    run(url, args.size, args.repeat)


if __name__ == "__main__":
    main()
