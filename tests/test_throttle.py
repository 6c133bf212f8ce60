"""intake.throttle: the per-address limit on intake submissions, counted in the database."""

from __future__ import annotations

import datetime
import logging
import uuid
from typing import Any
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from intake import throttle
from intake.models import Intake, SubmissionCount
from tests.helpers import step_url
from tests.wizard_http import (
    SESSION_KEY,
    review_post_data,
    stored_review_fields,
    wizard_session_data,
)

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.7"


def request_from(address: str = ADDRESS) -> Any:
    return RequestFactory().post("/en/intake/review/", REMOTE_ADDR=address)


def send_intake(valid_answers: dict[str, Any], address: str = ADDRESS) -> Any:
    """A patient's browser with every step answered sends the review page."""
    client = Client(REMOTE_ADDR=address)
    client.get("/en/intake/")
    stored = wizard_session_data(valid_answers, token=str(uuid.uuid4()))
    session = client.session
    session[SESSION_KEY] = stored
    session.save()
    return client.post(step_url("review"), review_post_data(stored_review_fields(stored)))


def test_submissions_are_counted_up_to_the_limit_then_refused_without_counting(
    settings: Any,
) -> None:
    settings.INTAKE_SUBMIT_RATE_LIMIT = 3

    taken = [throttle.submission_take(request_from()) for _ in range(5)]

    assert taken == [True, True, True, False, False]
    assert SubmissionCount.objects.get().count == 3


def test_each_address_has_its_own_count(settings: Any) -> None:
    settings.INTAKE_SUBMIT_RATE_LIMIT = 1
    assert throttle.submission_take(request_from("192.0.2.1"))

    assert throttle.submission_take(request_from("192.0.2.2"))
    assert not throttle.submission_take(request_from("192.0.2.1"))


def test_a_limit_of_zero_refuses_every_submission(settings: Any) -> None:
    settings.INTAKE_SUBMIT_RATE_LIMIT = 0

    assert not throttle.submission_take(request_from())
    assert not SubmissionCount.objects.exists()


def test_the_next_hour_counts_afresh_and_forgets_the_hours_before(settings: Any) -> None:
    settings.INTAKE_SUBMIT_RATE_LIMIT = 1
    ten_past = timezone.now().replace(minute=10)
    with mock.patch("intake.throttle.timezone.now", return_value=ten_past):
        assert throttle.submission_take(request_from())
        assert throttle.submission_take(request_from("192.0.2.99"))
        assert not throttle.submission_take(request_from())

    with mock.patch(
        "intake.throttle.timezone.now", return_value=ten_past + datetime.timedelta(hours=1)
    ):
        assert throttle.submission_take(request_from())

    (row,) = SubmissionCount.objects.all()
    assert row.window_start == ten_past.replace(minute=0, second=0, microsecond=0) + (
        datetime.timedelta(hours=1)
    )


def test_the_address_is_kept_only_as_a_keyed_hash(settings: Any) -> None:
    throttle.submission_take(request_from())

    stored = SubmissionCount.objects.values_list("address_hash", flat=True).get()
    assert ADDRESS not in stored
    settings.SECRET_KEY = "another-key-" * 4
    throttle.submission_take(request_from())
    assert SubmissionCount.objects.count() == 2  # the hash depends on the key


def test_when_the_counters_fail_the_submission_is_let_through_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with (
        mock.patch.object(throttle, "_take", side_effect=OperationalError("disk I/O error")),
        caplog.at_level(logging.WARNING, logger="intake.throttle"),
    ):
        assert throttle.submission_take(request_from())

    assert [record.levelname for record in caplog.records] == ["WARNING"]
    assert "let through" in caplog.text
    assert ADDRESS not in caplog.text


def test_a_patient_still_sends_the_intake_when_the_counters_table_is_missing(
    valid_answers: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    # Dropped inside the test's transaction, which puts it back afterwards.
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {SubmissionCount._meta.db_table}")

    with caplog.at_level(logging.WARNING, logger="intake.throttle"):
        response = send_intake(valid_answers)

    assert response.status_code == 302
    intake = Intake.objects.get()
    assert response["Location"].endswith(f"/{intake.reference}/")
    assert "The submission limit could not be checked" in caplog.text
    assert valid_answers["full_name"] not in caplog.text


def test_a_submission_after_the_hours_first_is_checked_and_counted_in_one_statement(
    settings: Any,
) -> None:
    settings.INTAKE_SUBMIT_RATE_LIMIT = 2
    assert throttle.submission_take(request_from())

    with CaptureQueriesContext(connection) as queries:
        taken = [throttle.submission_take(request_from()) for _ in range(2)]

    assert taken == [True, False]
    statements = [
        query["sql"]
        for query in queries.captured_queries
        if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]
    assert len(statements) == 2
