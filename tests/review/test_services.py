"""intake.review.services: recording decisions, never overwriting one made meanwhile."""

from __future__ import annotations

import datetime
import threading
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection
from django.utils import timezone

from intake.models import Decision, Intake
from intake.review import services as review_services
from tests.review.helpers import decide


def test_decisions_are_never_changed_or_deleted_by_a_new_one(
    doctor: User, other_doctor: User, intake: Intake
) -> None:
    first = decide(intake, doctor, note="One")
    decide(intake, other_doctor, outcome="declined", note="Two", based_on=first.pk)
    first.refresh_from_db()
    assert (first.doctor, first.outcome, first.note) == (doctor, "deferred", "One")
    assert Decision.objects.count() == 2


def test_a_stale_based_on_is_refused_by_the_service(
    doctor: User, other_doctor: User, intake: Intake
) -> None:
    first = decide(intake, doctor)
    second = decide(intake, other_doctor, based_on=first.pk)
    with pytest.raises(review_services.DecisionConflict) as raised:
        decide(intake, doctor, based_on=first.pk)
    assert raised.value.latest == second
    assert Decision.objects.count() == 2


# The service checks again --------------------------------------------------------------------
def test_the_service_refuses_a_decision_without_every_acknowledgement(
    doctor: User, intake: Intake
) -> None:
    with pytest.raises(ValidationError, match="KELOID"):
        decide(intake, doctor, acknowledged_flags=["PREGNANCY_BREASTFEEDING"])
    assert not Decision.objects.exists()
    intake.refresh_from_db()
    assert intake.status == Intake.Status.NEW


def test_the_service_refuses_a_missing_note_and_an_unknown_outcome(
    doctor: User, intake: Intake
) -> None:
    with pytest.raises(ValidationError):
        decide(intake, doctor, outcome="declined", note=" ")
    with pytest.raises(ValidationError):
        decide(intake, doctor, outcome="maybe")
    assert not Decision.objects.exists()


def test_the_service_stores_the_time_it_is_given(doctor: User, intake: Intake) -> None:
    when = timezone.now() - datetime.timedelta(hours=1)
    assert decide(intake, doctor, now=when).decided_at == when


def test_a_database_still_locked_after_waiting_is_a_conflict_and_saves_nothing(
    doctor: User, other_doctor: User, intake: Intake
) -> None:
    """SQLite: a writer that waited its whole timeout gets the conflict page, not a 500."""
    first = decide(intake, other_doctor)
    locked = OperationalError("database is locked")

    with (
        mock.patch.object(Decision.objects, "create", side_effect=locked),
        pytest.raises(review_services.DecisionConflict) as raised,
    ):
        decide(intake, doctor, based_on=first.pk)

    assert raised.value.latest == first
    assert Decision.objects.count() == 1


def test_other_database_errors_while_deciding_are_not_taken_for_a_conflict(
    doctor: User, intake: Intake
) -> None:
    with (
        mock.patch.object(Decision.objects, "create", side_effect=OperationalError("disk full")),
        pytest.raises(OperationalError),
    ):
        decide(intake, doctor)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (DATABASE_URL): SQLite has no row locks and serialises writes",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_doctors_deciding_at_the_same_moment_record_exactly_one_decision(
    doctor: User, other_doctor: User, intake: Intake
) -> None:
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def decide_now(who: User) -> None:
        try:
            start.wait()
            decide(intake, who, based_on=None)
            outcomes.append("recorded")
        except review_services.DecisionConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=decide_now, args=(who,)) for who in (doctor, other_doctor)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["conflict", "recorded"]
    assert Decision.objects.filter(intake=intake).count() == 1
