"""Reliability against a real gunicorn (4 workers) on a real database, over HTTP on 127.0.0.1.

A real gunicorn rather than pytest-django's `live_server`: production runs several worker
processes, each with its own database connection, so that is where a lost or doubled intake
would show; and only a separate process can be killed and started again.

Most tests run on the test database and need PostgreSQL: the SQLite test database lives in
pytest's memory, out of the server's reach. CI runs them in its PostgreSQL stage. The SQLite
tests make a database file of their own with `manage.py migrate`, as a new installation does,
and run in the SQLite stage.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
import subprocess
import sys
import threading
import urllib.parse
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections
from django.test import RequestFactory
from django.utils import timezone

from intake import answers, screening, throttle
from intake.models import Intake, SubmissionCount
from tests.live_server import HOST, ROOT, database_url, gunicorn, server_env, stop
from tests.wizard_http import (
    REVIEW_STEP,
    STEP_NAMES,
    HttpClient,
    Response,
    new_csrf_secret,
    review_fields,
    review_post_data,
    step_path,
    walk_wizard,
)

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (DATABASE_URL): a server process can't reach pytest's "
    "in-memory SQLite database, and SQLite serialises writes",
)
# Committed data, seen by the server's own connections; the migrations' rows come back after.
committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)
needs_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="an SQLite file of its own: run once, in the SQLite stage",
)

PATIENTS = 20
TIMEOUT = 60


def environment(**extra: str) -> dict[str, str]:
    # Twenty patients behind one address (127.0.0.1): the spam limit is not under test here.
    return server_env(
        database_url(connection.settings_dict), **{"INTAKE_SUBMIT_RATE_LIMIT": "1000", **extra}
    )


@pytest.fixture
def server() -> Iterator[int]:
    with gunicorn(environment(), workers=4) as (_process, port):
        yield port


def patient_answers(valid_answers: dict[str, Any], number: int) -> dict[str, Any]:
    """Each patient distinct, so an intake can be traced back to the browser that sent it."""
    return {**valid_answers, "full_name": f"患者 {number:02d}", "email": f"p{number}@example.jp"}


def submit(client: HttpClient, shown: dict[str, str], barrier: threading.Barrier) -> Response:
    barrier.wait(timeout=TIMEOUT)
    return client.post(step_path(REVIEW_STEP), review_post_data(shown))


@needs_postgresql
@committed
def test_twenty_patients_submitting_at_the_same_moment_make_exactly_twenty_intakes(
    server: int, valid_answers: dict[str, Any]
) -> None:
    clients = [HttpClient(HOST, server, timeout=TIMEOUT) for _ in range(PATIENTS)]
    given = [patient_answers(valid_answers, number) for number in range(PATIENTS)]

    def prepare(number: int) -> dict[str, str]:
        walk_wizard(clients[number], given[number])
        return review_fields(clients[number])

    with ThreadPoolExecutor(max_workers=8) as pool:
        shown = list(pool.map(prepare, range(PATIENTS)))
    tokens = [fields[f"{REVIEW_STEP}-submission_token"] for fields in shown]
    barrier = threading.Barrier(PATIENTS)
    with ThreadPoolExecutor(max_workers=PATIENTS) as pool:
        responses = list(pool.map(submit, clients, shown, [barrier] * PATIENTS))

    assert [response.status for response in responses] == [302] * PATIENTS
    locations = [response.location for response in responses]
    assert all("/intake/submitted/" in location for location in locations)
    assert len(set(locations)) == PATIENTS
    expected_flags = len(screening.screen(valid_answers, today=timezone.localdate()).flags)
    intakes = {str(i.submission_token): i for i in Intake.objects.all()}
    assert len(intakes) == PATIENTS
    assert set(intakes) == set(tokens)
    for number, token in enumerate(tokens):
        intake = intakes[token]
        assert intake.full_name == given[number]["full_name"]
        assert locations[number].endswith(f"/{intake.reference}/")
        assert intake.flags.count() == expected_flags
    # Each browser, and only that one, sees its own confirmation.
    page = clients[0].get(locations[0])
    assert page.status == 200
    assert intakes[tokens[0]].reference in page.body
    assert clients[1].get(locations[0]).status == 404


@needs_postgresql
@committed
def test_one_browser_sending_its_final_post_twice_at_once_makes_one_intake(
    server: int, valid_answers: dict[str, Any]
) -> None:
    client = HttpClient(HOST, server, timeout=TIMEOUT)
    walk_wizard(client, valid_answers)
    shown = review_fields(client)
    token = shown[f"{REVIEW_STEP}-submission_token"]
    barrier = threading.Barrier(2)
    # Two tabs of one browser: the same cookies, the same form, sent together.
    twin = HttpClient(HOST, server, timeout=TIMEOUT, cookies=dict(client.cookies))

    with ThreadPoolExecutor(max_workers=2) as pool:
        first, second = pool.map(submit, [client, twin], [shown, shown], [barrier, barrier])

    assert (first.status, second.status) == (302, 302)
    assert first.location == second.location
    intake = Intake.objects.get()
    assert intake.submission_token == uuid.UUID(token)
    assert first.location.endswith(f"/{intake.reference}/")


@needs_postgresql
@committed
def test_a_wizard_half_filled_before_a_server_restart_continues_after_it(
    valid_answers: dict[str, Any],
) -> None:
    first_steps, other_steps = STEP_NAMES[:2], STEP_NAMES[2:]
    with gunicorn(environment(), workers=2) as (process, port):
        client = HttpClient(HOST, port, timeout=TIMEOUT)
        walk_wizard(client, valid_answers, steps=first_steps)
        # A crash, not a polite shutdown: whatever the workers held in memory is gone.
        stop(process, crash=True)

    with gunicorn(environment(), workers=2) as (_process, port):
        client.port = port
        page = client.get(step_path(other_steps[0]))
        assert page.status == 200
        walk_wizard(client, valid_answers, steps=other_steps)
        shown = review_fields(client)
        review = client.get(step_path(REVIEW_STEP))
        assert valid_answers["full_name"] in review.body  # step 1, answered before the crash
        response = client.post(step_path(REVIEW_STEP), review_post_data(shown))

    assert response.status == 302
    intake = Intake.objects.get()
    for key in answers.QUESTIONS:
        assert getattr(intake, key) == valid_answers[key], key


@needs_postgresql
@committed
def test_ten_patients_sending_at_once_from_one_address_with_a_limit_of_three_make_three_intakes(
    valid_answers: dict[str, Any],
) -> None:
    senders = 10

    def prepare(client: HttpClient) -> dict[str, str]:
        walk_wizard(client, valid_answers)
        return review_fields(client)

    with gunicorn(environment(INTAKE_SUBMIT_RATE_LIMIT="3"), workers=4) as (_process, port):
        clients = [HttpClient(HOST, port, timeout=TIMEOUT) for _ in range(senders)]
        with ThreadPoolExecutor(max_workers=5) as pool:
            shown = list(pool.map(prepare, clients))
        barrier = threading.Barrier(senders)
        with ThreadPoolExecutor(max_workers=senders) as pool:
            responses = list(pool.map(submit, clients, shown, [barrier] * senders))

    assert sorted(response.status for response in responses) == [302] * 3 + [429] * 7
    assert Intake.objects.count() == 3
    refused = next(response for response in responses if response.status == 429)
    assert "Too many questionnaires have been sent from this connection" in refused.body


@needs_postgresql
@committed
def test_ten_simultaneous_takes_of_a_limit_of_three_let_exactly_three_through(
    settings: Any,
) -> None:
    """The count itself, each thread on its own database connection."""
    settings.INTAKE_SUBMIT_RATE_LIMIT = 3
    takers = 10
    barrier = threading.Barrier(takers)

    def take(_: int) -> bool:
        request = RequestFactory().post("/en/intake/review/", REMOTE_ADDR="198.51.100.20")
        try:
            barrier.wait(timeout=TIMEOUT)
            return throttle.submission_take(request)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=takers) as pool:
        taken = list(pool.map(take, range(takers)))

    assert taken.count(True) == 3
    assert SubmissionCount.objects.get().count == 3


# SQLite: a database file made by `migrate` alone ---------------------------------------------
# Two doctors, each signed in, and intakes to decide: written into the file by the app itself.
DECISION_FIXTURES = """
import json, uuid
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone
from intake import answers, selectors, services
from intake.review.selectors import flags_to_acknowledge
sessions = []
for name in ("dr_sato", "dr_suzuki"):
    user = User.objects.create_user(name)
    user.groups.add(Group.objects.get(name="Doctors"))
    browser = Client()
    browser.force_login(user)
    sessions.append(browser.cookies["sessionid"].value)
intakes = []
for _ in range(ROUNDS):
    intake = services.intake_submit(
        answers_given=answers.example_answers(timezone.localdate()) | {"keloid_history": True},
        language="en",
        consent_document=selectors.current_consent_document(),
        submission_token=uuid.uuid4(),
    )
    codes = [flag.code for flag in flags_to_acknowledge(intake)]
    intakes.append({"pk": intake.pk, "reference": intake.reference, "acknowledge": codes})
print(json.dumps({"sessions": sessions, "intakes": intakes}))
"""


def manage(database: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=server_env(database),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def migrated_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite database made as a new installation makes it: `migrate`, nothing else."""
    path = tmp_path_factory.mktemp("sqlite") / "migrated.sqlite3"
    manage(f"sqlite:///{path}", "migrate", "--no-input")
    return path


@pytest.fixture
def sqlite_database(migrated_file: Path, tmp_path: Path) -> str:
    path = tmp_path / "db.sqlite3"
    shutil.copyfile(migrated_file, path)
    return f"sqlite:///{path}"


@needs_sqlite
def test_a_database_made_by_migrate_alone_takes_a_patients_intake(
    sqlite_database: str, valid_answers: dict[str, Any]
) -> None:
    with gunicorn(server_env(sqlite_database), workers=1) as (_process, port):
        client = HttpClient(HOST, port, timeout=TIMEOUT)
        walk_wizard(client, valid_answers)
        response = client.post(step_path(REVIEW_STEP), review_post_data(review_fields(client)))

    assert response.status == 302
    assert "/intake/submitted/" in response.location


@needs_sqlite
def test_two_doctors_deciding_at_once_on_sqlite_get_one_decision_and_one_conflict_page(
    sqlite_database: str,
) -> None:
    rounds = 12
    script = DECISION_FIXTURES.replace("ROUNDS", str(rounds))
    made = json.loads(manage(sqlite_database, "shell", "--no-imports", "-c", script))
    doctors = [
        {"sessionid": session, "csrftoken": new_csrf_secret()} for session in made["sessions"]
    ]

    def decide(cookies: dict[str, str], intake: dict[str, Any], barrier: threading.Barrier) -> int:
        client = HttpClient(HOST, port, timeout=TIMEOUT, cookies=dict(cookies))
        data = {"outcome": ["approved"], "note": [""], "based_on": [""]}
        data |= {f"ack_{code}": ["on"] for code in intake["acknowledge"]}
        barrier.wait(timeout=TIMEOUT)
        return client.post(f"/en/review/{intake['reference']}/decide/", data).status

    statuses = []
    with gunicorn(server_env(sqlite_database), workers=2) as (_process, port):
        for intake in made["intakes"]:
            assert intake["acknowledge"], "the decision form must have flags to acknowledge"
            barrier = threading.Barrier(2)
            with ThreadPoolExecutor(max_workers=2) as pool:
                statuses.append(sorted(pool.map(decide, doctors, [intake] * 2, [barrier] * 2)))

    assert statuses == [[302, 409]] * rounds
    path = urllib.parse.urlsplit(sqlite_database).path
    with contextlib.closing(sqlite3.connect(path)) as database:
        counts = dict(
            database.execute("SELECT intake_id, count(*) FROM intake_decision GROUP BY intake_id")
        )
    assert counts == {intake["pk"]: 1 for intake in made["intakes"]}
