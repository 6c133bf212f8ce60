"""Reliability against a real gunicorn (4 workers) on the test database, over HTTP on 127.0.0.1.

A real gunicorn rather than pytest-django's `live_server`: production runs several worker
processes, each with its own database connection, so that is where a lost or doubled intake
would show; and only a separate process can be killed and started again.

PostgreSQL only: the SQLite test database lives in pytest's memory, out of the server's reach,
and SQLite serialises writers anyway. CI runs this file in its PostgreSQL stage.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from intake import answers, screening
from intake.models import Intake
from tests.live_server import HOST, database_url, gunicorn, server_env, stop
from tests.wizard_http import (
    REVIEW_STEP,
    STEP_NAMES,
    HttpClient,
    Response,
    review_fields,
    review_post_data,
    step_path,
    walk_wizard,
)

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (DATABASE_URL): a server process can't reach pytest's "
        "in-memory SQLite database, and SQLite serialises writes",
    ),
    # Committed data, seen by the server's own connections; the migrations' rows come back after.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PATIENTS = 20
TIMEOUT = 60


def environment() -> dict[str, str]:
    return server_env(
        database_url(connection.settings_dict),
        # Twenty patients behind one address (127.0.0.1): the spam limit is not under test here.
        INTAKE_SUBMIT_RATE_LIMIT="1000",
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
