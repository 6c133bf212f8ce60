"""The CSV export of every intake: time and peak memory at 20,000 intakes (or --intakes).

Intakes are inserted in bulk as bench/queue_latency.py inserts them (varied answers, screened by
the real rules, with their flags) into the bench database. A fresh Python process then exports
them all as a doctor with the export permission does, through the admin action (Django's test
client, no network), reading the file part by part as a browser would, and reports the time to
the last byte and its peak resident memory (ru_maxrss) against its memory before the export.

    .venv/bin/python bench/export_memory.py [--intakes 20000] [--rounds 1] [--code PATH ...]
        [--pg-database clinic_bench]

`--code` names the checkouts whose export is measured, on the same intakes (default: this one),
e.g. `--code /path/to/main --code .` for before and after.
PostgreSQL (database clinic_bench) when DATABASE_URL is set, else SQLite.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from pathlib import Path

import common
from common import (
    ROOT,
    bench_env,
    default_url,
    machine,
    print_table,
    recreate_database,
    setup_django,
    vendor,
)
from queue_latency import SEED, analyse, make_intakes

# Run in the measured checkout: export everything once, print the figures as JSON.
EXPORT = """
import json, resource, sys, time
import django
django.setup()
from django.contrib.auth.models import Group, Permission, User
from django.test import Client
from django.urls import reverse
from intake.models import AccessRecord, Intake

def rss_kb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])

user, _ = User.objects.get_or_create(username="bench_exporter", defaults={"is_staff": True})
user.groups.add(Group.objects.get(name="Doctors"))
user.user_permissions.add(Permission.objects.get(codename="export_intake"))
client = Client()
client.force_login(user)
first = Intake.objects.order_by("pk").values_list("pk", flat=True).first()
data = {"action": "export_csv_ja", "_selected_action": [first], "select_across": "1", "index": "0"}
before = rss_kb()
records = AccessRecord.objects.count()
started = time.perf_counter()
response = client.post(reverse("admin:intake_intake_changelist"), data)
first_byte = None
size = 0
parts = response.streaming_content if response.streaming else [response.content]
for part in parts:
    if first_byte is None:
        first_byte = time.perf_counter() - started
    size += len(part)
took = time.perf_counter() - started
assert response.status_code == 200, response.status_code
print(json.dumps({
    "seconds": took, "first_byte": first_byte, "bytes": size, "before_kb": before,
    "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    "records": AccessRecord.objects.count() - records,
}))
"""


def export_once(code: Path, url: str) -> dict[str, float]:
    env = bench_env(url, DJANGO_SETTINGS_MODULE="clinic.settings")
    result = subprocess.run(
        [sys.executable, "-c", EXPORT],
        cwd=code,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--intakes", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--code", action="append", type=Path, help="a checkout to measure")
    parser.add_argument("--pg-database", default=common.BENCH_DATABASE, help="on PostgreSQL")
    args = parser.parse_args()
    checkouts = [path.resolve() for path in args.code or [ROOT]]
    common.BENCH_DATABASE = args.pg_database

    url = default_url()
    recreate_database(url)
    setup_django(url)
    from django.utils import timezone

    started = time.perf_counter()
    make_intakes(args.intakes, random.Random(SEED), timezone.localdate(), set())
    analyse()  # else PostgreSQL reads each batch's flags by scanning the whole table
    print(f"{args.intakes:,} intakes inserted in {time.perf_counter() - started:.0f} s")

    rows = []
    for code in checkouts:
        for _ in range(args.rounds):
            figures = export_once(code, url)
            assert figures["records"] == args.intakes, figures
            rows.append(
                (
                    code.name,
                    f"{figures['seconds']:.1f}",
                    f"{figures['first_byte']:.2f}",
                    f"{figures['bytes'] / 2**20:.1f}",
                    f"{figures['before_kb'] / 1024:.0f}",
                    f"{figures['peak_kb'] / 1024:.0f}",
                    f"{(figures['peak_kb'] - figures['before_kb']) / 1024:.0f}",
                )
            )
    print_table(
        f"CSV export of {args.intakes:,} intakes · {vendor(url)} · {machine()}",
        ("checkout", "s", "first byte s", "file MB", "RSS before MB", "peak MB", "growth MB"),
        rows,
    )


if __name__ == "__main__":
    main()
