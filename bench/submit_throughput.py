"""The final submit under gunicorn, against a bare Django view that saves one row, in one run.

Every request is the review page's POST of a patient whose answers are already in the session
(sessions are written to the database beforehand, one per request): the wizard validates all six
steps again, screens, saves the intake and its flags, counts the submission for the rate limit
and redirects. The bare view (bench/bench_urls.py) reads the same answers from the same kind of
session and saves one Intake row, nothing else. Both go through the same middleware, gunicorn
and database; phases alternate so that neither gets the quieter moments of the machine. Requests
arrive as through the reverse proxy (DJANGO_BEHIND_PROXY), each from its own patient address.

    .venv/bin/python bench/submit_throughput.py [--clients 8] [--requests 400] [--rounds 3]

PostgreSQL (database clinic_bench on DATABASE_URL's server) when DATABASE_URL is set, else SQLite.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import itertools
import os
import random
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from typing import Any

from common import (
    bench_env,
    default_url,
    machine,
    percentile,
    print_table,
    recreate_database,
    setup_django,
    valid_answers,
    vendor,
)

SUBMIT_PATH = "/ja/intake/review/"
BARE_PATH = "/bench/bare-submit/"
CSRF_SECRET = "benchmarkbenchmarkbenchmark12345"  # 32 characters: a valid CSRF cookie value
SEED = 20261121
URLENCODED = "application/x-www-form-urlencoded"


@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)
    failures: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


def prepare_sessions(count: int, today: datetime.date) -> list[tuple[str, dict[str, str]]]:
    """`count` sessions whose wizard has every step answered: (session key, the hidden fields
    of its review page: the submission token and the digest of the answers shown)."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from tests.wizard_http import SESSION_KEY, stored_review_fields, wizard_session_data

    rng = random.Random(SEED)
    store = SessionStore()
    expires = timezone.now() + datetime.timedelta(days=1)
    prepared, rows = [], []
    for _ in range(count):
        key = store._get_new_session_key()
        stored = wizard_session_data(valid_answers(rng, today), token=str(uuid.uuid4()))
        data = {SESSION_KEY: stored}
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expires))
        prepared.append((key, stored_review_fields(stored)))
    Session.objects.bulk_create(rows, batch_size=500)
    return prepared


def request_body(shown: dict[str, str]) -> bytes:
    from tests.wizard_http import CSRF_FIELD, review_post_data

    data = review_post_data(shown) | {CSRF_FIELD: [CSRF_SECRET]}
    return urllib.parse.urlencode(data, doseq=True).encode()


ADDRESSES = itertools.count(1)


def patient_address() -> str:
    """A different client address for every request, as the reverse proxy would report it."""
    number = next(ADDRESSES)
    return f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"


def post(port: int, path: str, session_key: str, body: bytes) -> tuple[int, str, float]:
    headers = {
        "Host": f"127.0.0.1:{port}",
        "Cookie": f"sessionid={session_key}; csrftoken={CSRF_SECRET}",
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Forwarded-For": patient_address(),
    }
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        location = response.getheader("Location", "")
    finally:
        connection.close()
    return response.status, location, time.perf_counter() - started


def run_phase(
    phase: Phase, port: int, path: str, sessions: list[tuple[str, dict[str, str]]], clients: int
) -> None:
    """Send one POST per session with `clients` concurrent connections."""
    lock = threading.Lock()
    remaining = list(sessions)

    def client() -> None:
        while True:
            with lock:
                if not remaining:
                    return
                key, shown = remaining.pop()
            status, location, seconds = post(port, path, key, request_body(shown))
            with lock:
                if status == 302 and "/intake/submitted/" in location:
                    phase.latencies.append(seconds)
                else:
                    phase.failures += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    phase.seconds += time.perf_counter() - started


def in_process_costs(today: datetime.date, repeat: int = 30) -> dict[str, tuple[int, float]]:
    """(SQL statements, CPU seconds) of one request of each kind, in this process.

    Through Django's test client, without the network: what the app itself spends, whatever
    else the machine is doing.
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    def send(path: str, key: str, shown: dict[str, str]) -> None:
        client = Client(HTTP_X_FORWARDED_FOR=patient_address())
        client.cookies["sessionid"] = key
        response = client.post(
            path, request_body(shown), content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code == 302, response.status_code

    costs = {}
    for name, path in (("submit", SUBMIT_PATH), ("bare", BARE_PATH)):
        sessions = prepare_sessions(repeat + 2, today)
        send(path, *sessions[0])  # warm
        with CaptureQueriesContext(connection) as queries:
            send(path, *sessions[1])
        statements = len(queries)
        started = time.process_time()
        for key, shown in sessions[2:]:
            send(path, key, shown)
        costs[name] = (statements, (time.process_time() - started) / repeat)
    return costs


def cost_breakdown(today: datetime.date, repeat: int = 50) -> list[tuple[str, float]]:
    """Where one submit's CPU goes, in this process: (part, CPU seconds per submit)."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.forms.forms import BaseForm
    from django.test import Client

    from intake import screening, services, throttle, views

    parts = {
        "build the step forms (wizard get_form)": (views.IntakeWizard, "get_form"),
        "validate them (Form.full_clean)": (BaseForm, "full_clean"),
        "intake_submit: insert intake and flags": (services, "intake_submit"),
        "  of which screening rules": (screening, "screen"),
        "rate limit check and count": (throttle, "submission_take"),
        "session load": (SessionStore, "load"),
        "session save": (SessionStore, "save"),
    }
    spent = dict.fromkeys(parts, 0.0)
    originals = {name: getattr(owner, attribute) for name, (owner, attribute) in parts.items()}

    def timed(name: str, function: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += time.process_time() - started

        return wrapper

    sessions = prepare_sessions(repeat + 1, today)
    client = Client()
    client.cookies["sessionid"] = sessions[0][0]
    client.post(SUBMIT_PATH, request_body(sessions[0][1]), content_type=URLENCODED)  # warm
    for name, (owner, attribute) in parts.items():
        setattr(owner, attribute, timed(name, originals[name]))
    try:
        started = time.process_time()
        for key, shown in sessions[1:]:
            client = Client(HTTP_X_FORWARDED_FOR=patient_address())
            client.cookies["sessionid"] = key
            client.post(SUBMIT_PATH, request_body(shown), content_type=URLENCODED)
        total = time.process_time() - started
    finally:
        for name, (owner, attribute) in parts.items():
            setattr(owner, attribute, originals[name])
    measured = sum(v for k, v in spent.items() if not k.startswith("  "))
    rows = [(name, seconds / repeat) for name, seconds in spent.items()]
    rows.append(
        ("everything else (request, middleware, ORM of the view)", (total - measured) / repeat)
    )
    rows.append(("whole submit", total / repeat))
    return rows


def milliseconds(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8, help="concurrent connections")
    parser.add_argument("--requests", type=int, default=400, help="requests per phase and round")
    parser.add_argument("--rounds", type=int, default=3, help="submit/bare alternations")
    parser.add_argument(
        "--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1, help="gunicorn workers"
    )
    parser.add_argument(
        "--breakdown", action="store_true", help="also show where a submit's CPU time goes"
    )
    args = parser.parse_args()

    url = default_url()
    recreate_database(url)
    setup_django(url)
    from django.utils import timezone

    from intake.models import Intake
    from tests.live_server import gunicorn

    today = timezone.localdate()
    costs = in_process_costs(today)
    warmup = 2 * args.workers
    per_kind = warmup + args.rounds * args.requests
    submit_sessions = prepare_sessions(per_kind, today)
    bare_sessions = prepare_sessions(per_kind, today)
    before = Intake.objects.count()

    submit, bare = Phase("submit (wizard)"), Phase("bare view")
    with gunicorn(bench_env(url), workers=args.workers) as (_process, port):
        warm = Phase("warm-up")
        run_phase(warm, port, SUBMIT_PATH, submit_sessions[:warmup], args.clients)
        run_phase(warm, port, BARE_PATH, bare_sessions[:warmup], args.clients)
        for round_number in range(args.rounds):
            start = warmup + round_number * args.requests
            chunk = slice(start, start + args.requests)
            run_phase(submit, port, SUBMIT_PATH, submit_sessions[chunk], args.clients)
            run_phase(bare, port, BARE_PATH, bare_sessions[chunk], args.clients)
    saved = Intake.objects.count() - before

    rows = [
        (
            phase.name,
            len(phase.latencies),
            phase.failures,
            costs[kind][0],
            milliseconds(costs[kind][1]),
            f"{phase.rate:.0f}",
            milliseconds(percentile(phase.latencies, 50)),
            milliseconds(percentile(phase.latencies, 95)),
            milliseconds(percentile(phase.latencies, 99)),
        )
        for phase, kind in ((submit, "submit"), (bare, "bare"))
    ]
    print_table(
        f"Final submit vs bare view · {vendor(url)} · gunicorn {args.workers} sync workers · "
        f"{args.clients} clients · {machine()}",
        ("request", "ok", "failed", "queries", "CPU ms", "req/s", "p50 ms", "p95 ms", "p99 ms"),
        rows,
    )
    ratio = submit.rate / bare.rate if bare.rate else float("nan")
    print(f"\nthroughput ratio submit/bare: {ratio:.2f} (aim ≥ 0.80)")
    expected = len(submit.latencies) + len(bare.latencies) + len(warm.latencies)
    print(f"intakes saved: {saved} (expected {expected})")
    if args.breakdown:
        print_table(
            "Where one submit's CPU goes (in process, no network)",
            ("part", "CPU ms"),
            [(name, milliseconds(seconds)) for name, seconds in cost_breakdown(today)],
        )


if __name__ == "__main__":
    main()
