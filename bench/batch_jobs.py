"""`rescreen --all` and `purge_intakes` over many intakes: time, peak memory, transactions.

Loads N intakes with bulk_create (copies of one submitted through the service, each with its
flags; a share past retention, a tenth of those with an invitation and a decision), takes the
flags off a share of them so that re-screening finds a difference there, then runs each command
in a process of its own and reads its wall time, its peak resident memory (getrusage) and the
transactions the database committed meanwhile (pg_stat_database.xact_commit, PostgreSQL only).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME \\
        .venv/bin/python bench/batch_jobs.py [--intakes 20000] [--changed 0.1] [--old 0.5]
        [--batch-size 500]

The database NAME is dropped and created again first: give one of its own.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOAD_CHUNK = 2000


def child(command: list[str]) -> None:
    """Run one management command here and print what it cost, as JSON."""
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command(*command, verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb}))


def recreate(url: str) -> None:
    """An empty database for a PostgreSQL DATABASE_URL (SQLite: the file is left as it is)."""
    parts = urllib.parse.urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        return
    import psycopg

    name = parts.path.lstrip("/")
    maintenance = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def commits() -> int | None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
        )
        return cursor.fetchone()[0]


def load(*, count: int, changed: float, old: float) -> None:
    import datetime
    import uuid

    from django.contrib.auth.models import User
    from django.utils import timezone

    from intake import answers, selectors, services
    from intake.models import Decision, Intake, IntakeFlag, Invitation
    from intake.references import new_reference

    today = timezone.localdate()
    template = services.intake_submit(
        answers_given={**answers.example_answers(today), "keloid_history": True},
        language="ja",
        consent_document=selectors.current_consent_document(),
        submission_token=uuid.uuid4(),
    )
    flags = list(template.flags.all())
    doctor, _ = User.objects.get_or_create(username="bench_doctor")
    fields = {
        field.attname: getattr(template, field.attname)
        for field in Intake._meta.concrete_fields
        if field.attname not in {"id", "reference", "submission_token"}
    }
    long_ago = today - datetime.timedelta(days=4000)
    made = 1
    while made < count:
        size = min(LOAD_CHUNK, count - made)
        rows = []
        for index in range(made, made + size):
            past = index % 1000 < old * 1000
            rows.append(
                Intake(
                    **{**fields, "visit_date": long_ago if past else fields["visit_date"]},
                    reference=new_reference(),
                    submission_token=uuid.uuid4(),
                )
            )
        rows = Intake.objects.bulk_create(rows)
        IntakeFlag.objects.bulk_create(
            IntakeFlag(**{**_copy(flag), "intake_id": row.pk})
            for index, row in enumerate(rows, start=made)
            if index % 1000 >= changed * 1000
            for flag in flags
        )
        with_more = [row for row in rows if row.visit_date == long_ago and row.pk % 10 == 0]
        Decision.objects.bulk_create(
            Decision(intake=row, doctor=doctor, outcome="approved", decided_at=timezone.now())
            for row in with_more
        )
        for row in with_more:
            invitation = Invitation.objects.create(
                full_name="招待 ベンチ",
                phone="0900000000",
                visit_date=long_ago,
                language="ja",
                token=uuid.uuid4().hex,
            )
            Intake.objects.filter(pk=row.pk).update(invitation=invitation)
        made += size
    print(f"loaded {Intake.objects.count()} intakes, {IntakeFlag.objects.count()} flags")


def _copy(flag: object) -> dict[str, object]:
    return {
        field.attname: getattr(flag, field.attname)
        for field in flag._meta.concrete_fields
        if field.attname not in {"id", "intake_id"}
    }


def measure(command: list[str]) -> dict[str, float]:
    before = commits()
    done = subprocess.run(
        [sys.executable, __file__, "--child", json.dumps(command)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    time.sleep(1.5)  # the child's statistics reach pg_stat_database when it ends
    after = commits()
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if before is not None and after is not None:
        result["transactions"] = after - before - 1  # less this process's own read
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--intakes", type=int, default=20000)
    parser.add_argument("--changed", type=float, default=0.1, help="share re-screening changes")
    parser.add_argument("--old", type=float, default=0.5, help="share past retention")
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    sys.path.insert(0, str(ROOT))
    if args.child:
        child(json.loads(args.child))
        return
    recreate(os.environ.get("DATABASE_URL", ""))
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input"],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    import django

    django.setup()
    load(count=args.intakes, changed=args.changed, old=args.old)
    batch = ["--batch-size", str(args.batch_size)] if args.batch_size else []
    purge = ["purge_intakes", "--older-than", "365"]
    for command in (["rescreen", "--all", *batch], [*purge, *batch]):
        print(" ".join(command), json.dumps(measure(command)))


if __name__ == "__main__":
    main()
