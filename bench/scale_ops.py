"""The scale benchmark's batch operations, each in a process of its own so its peak memory is its
own: the CSV export of every intake (through the admin action, as staff run it), `rescreen --all`
with a tenth of the intakes changed, and the purge of the oldest intakes.

While one runs, a thread watches pg_stat_activity for the longest open transaction of another
client, and pg_stat_database's commits are counted before and after. Each operation leaves the
database as it found it (the rows it adds removed, its changes undone, purged intakes loaded
again), so the benchmark can run again on the same data.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_SECONDS = 0.05
LONGEST_XACT = """
    SELECT coalesce(max(extract(epoch FROM clock_timestamp() - xact_start)), 0)
    FROM pg_stat_activity
    WHERE datname = current_database() AND backend_type = 'client backend'
      AND pid <> pg_backend_pid() AND xact_start IS NOT NULL
"""
COMMITS = "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"


@dataclass
class Run:
    seconds: float
    peak_rss_mb: float
    returncode: int
    stdout: str
    longest_transaction_s: float
    commits: int


class Watcher(threading.Thread):
    """Samples the longest transaction of the other clients until stopped."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.longest = 0.0
        self.samples = 0
        self.stopping = threading.Event()

    def run(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as connection:
            while not self.stopping.is_set():
                (seconds,) = connection.execute(LONGEST_XACT).fetchone()
                self.samples += 1
                self.longest = max(self.longest, float(seconds))
                time.sleep(SAMPLE_SECONDS)


def commits(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("SELECT pg_stat_clear_snapshot()")
        return int(connection.execute(COMMITS).fetchone()[0])


def run_measured(url: str, command: list[str], env: dict[str, str]) -> Run:
    """`command` in a child process: wall time, its own peak RSS (wait4), the longest transaction
    seen meanwhile and the commits made (those of the sampling thread taken off)."""
    before = commits(url)
    watcher = Watcher(url)
    watcher.start()
    with tempfile.TemporaryFile(mode="w+") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        watcher.stopping.set()
        watcher.join()
        out.seek(0)
        stdout = out.read()
    time.sleep(1.1)  # other backends flush their statistics at least every second
    # The watcher's own statements and the two reads of the counter are commits too.
    made = commits(url) - before - watcher.samples - 1
    return Run(
        seconds=seconds,
        peak_rss_mb=usage.ru_maxrss / 1024,
        returncode=process.returncode,
        stdout=stdout,
        longest_transaction_s=watcher.longest,
        commits=made,
    )


def manage(*arguments: str) -> list[str]:
    return [sys.executable, str(ROOT / "manage.py"), *arguments]


# Export --------------------------------------------------------------------------------------
def export_child() -> None:
    """In the child: the admin's "export to CSV" of every intake, read chunk by chunk."""
    from django.contrib.auth.models import User
    from django.test import Client
    from django.urls import reverse

    from intake.models import Intake

    client = Client()
    client.force_login(User.objects.get(username="bench_admin"))
    url = reverse("admin:intake_intake_changelist")
    data = {
        "action": "export_csv_ja",
        "select_across": "1",
        "index": "0",
        "_selected_action": [str(Intake.objects.values_list("pk", flat=True).first())],
    }
    started = time.perf_counter()
    response = client.post(url, data)
    if response.status_code in (301, 302, 303):  # an export that runs as a page of its own
        response = client.get(response["Location"])
    size = lines = chunks = 0
    chunks_in = response.streaming_content if response.streaming else [response.content]
    for chunk in chunks_in:
        chunks += 1
        size += len(chunk)
        lines += chunk.count(b"\n")
    print(
        json.dumps(
            {
                "status": response.status_code,
                "streaming": response.streaming,
                "chunks": chunks,
                "bytes": size,
                "lines": lines,
                "seconds": time.perf_counter() - started,
            }
        )
    )


def export(url: str, env: dict[str, str]) -> list[tuple[str, str]]:
    from django.db import connection

    first_new = _next_id(connection, "intake_accessrecord")
    script = [sys.executable, str(Path(__file__).with_name("scale.py")), "--child", "export"]
    run = run_measured(url, [*script, "--database-url", url], env)
    # The export records one access per intake: taken away again, the data stays the same.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM intake_accessrecord WHERE id >= %s", [first_new])
    result = json.loads(run.stdout.strip().splitlines()[-1]) if run.returncode == 0 else {}
    return [
        ("status", str(result.get("status", f"failed ({run.returncode})"))),
        ("streaming response", "yes" if result.get("streaming") else "no"),
        ("chunks read", f"{result.get('chunks', 0):,}"),
        ("CSV size", f"{result.get('bytes', 0) / 2**20:.1f} MB, {result.get('lines', 0):,} lines"),
        ("time (request to last byte)", f"{result.get('seconds', 0):.1f} s"),
        ("process wall time", f"{run.seconds:.1f} s"),
        ("peak RSS of the process", f"{run.peak_rss_mb:.0f} MB"),
        ("longest transaction", f"{run.longest_transaction_s:.1f} s"),
    ]


# Rescreen ------------------------------------------------------------------------------------
CHANGED = (
    "id % 10 = 7"  # a tenth of the intakes get the opposite keloid answer: a flag more or less
)


def rescreen(url: str, env: dict[str, str]) -> list[tuple[str, str]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, status FROM intake_intake WHERE {CHANGED}")
        statuses = cursor.fetchall()
        cursor.execute(
            f"UPDATE intake_intake SET keloid_history = NOT keloid_history WHERE {CHANGED}"
        )
        cursor.execute("ANALYZE intake_intake")
    try:
        run = run_measured(url, manage("rescreen", "--all"), env)
    finally:
        _rescreen_undo(connection, statuses)
    summary = re.search(r"(\d+) changed", run.stdout)
    return [
        ("intakes altered first", f"{len(statuses):,}"),
        ("rescreen says", run.stdout.strip().splitlines()[-1] if run.stdout.strip() else "-"),
        ("changed", summary.group(1) if summary else "?"),
        ("exit status", str(run.returncode)),
        ("time", f"{run.seconds:.1f} s"),
        ("peak RSS of the process", f"{run.peak_rss_mb:.0f} MB"),
        ("commits (pg_stat_database)", f"≈{run.commits:,}"),
        ("longest transaction", f"{run.longest_transaction_s:.2f} s"),
    ]


def _rescreen_undo(connection: Any, statuses: list[tuple[int, str]]) -> None:
    """The answers, current results and statuses as loaded; the re-screenings gone."""
    from django.db import transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE intake_intake SET keloid_history = NOT keloid_history WHERE {CHANGED}"
        )
        cursor.execute(
            "UPDATE intake_intake SET current_rescreening_id = NULL, current_verdict = verdict, "
            "current_verdict_rank = verdict_rank, current_suitability = suitability "
            "WHERE current_rescreening_id IS NOT NULL"
        )
        cursor.execute("DELETE FROM intake_rescreening")
        cursor.executemany(
            "UPDATE intake_intake SET status = %s WHERE id = %s AND status <> %s",
            [(status, pk, status) for pk, status in statuses],
        )


# Purge ---------------------------------------------------------------------------------------
AGED_YEARS = 20
OLDER_THAN_DAYS = 4_000  # past the ten years loaded (and their visits up to 60 days later)


def purge(url: str, env: dict[str, str], count: int) -> tuple[list[tuple[str, str]], int]:
    """The oldest `count` intakes moved AGED_YEARS back, then `purge_intakes`. Returns the rows
    and how many intakes were deleted (the caller loads as many again)."""
    from django.db import connection

    aged = f"interval '{AGED_YEARS} years'"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE intake_intake SET submitted_at = submitted_at - {aged}, "
            f"consent_at = consent_at - {aged}, visit_date = visit_date - {aged}, "
            f"appointment_date = appointment_date - {aged} "
            "WHERE id IN (SELECT id FROM intake_intake ORDER BY id LIMIT %s)",
            [count],
        )
        # Their patient records too, so those left without intakes go with them.
        cursor.execute(
            f"UPDATE intake_patient SET created_at = created_at - {aged} WHERE id IN "
            f"(SELECT patient_id FROM intake_intake WHERE submitted_at < now() - {aged})"
        )
        cursor.execute("ANALYZE intake_intake")
        cursor.execute("SELECT count(*) FROM intake_intake")
        before = cursor.fetchone()[0]
    run = run_measured(url, manage("purge_intakes", "--older-than", str(OLDER_THAN_DAYS)), env)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM intake_intake")
        deleted = before - cursor.fetchone()[0]
    report = [
        line.strip()
        for line in run.stdout.splitlines()
        if line.startswith(("Deleted", "Kept", "Anonymised"))
    ]
    rows = [
        ("intakes aged past retention", f"{count:,}"),
        ("intakes deleted", f"{deleted:,}"),
        ("exit status", str(run.returncode)),
        ("time", f"{run.seconds:.1f} s"),
        ("peak RSS of the process", f"{run.peak_rss_mb:.0f} MB"),
        ("commits (pg_stat_database)", f"≈{run.commits:,}"),
        ("longest transaction", f"{run.longest_transaction_s:.2f} s"),
        *((f"purge says ({number})", line) for number, line in enumerate(report, 1)),
    ]
    return rows, deleted


def _next_id(connection: Any, table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")
        return cursor.fetchone()[0]
