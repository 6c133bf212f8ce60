"""intake.review.queue: the queue's filters and the labels it reads."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from intake import answers, screening
from intake.models import Intake
from intake.review import queue


def test_the_verdict_codes_of_the_labels_are_the_engine_s() -> None:
    # The counts and badges read the labels; the engine's codes must be the same, in order.
    assert tuple(answers.VERDICT_LABELS) == screening.VERDICTS
    assert queue.QueueFilters().status == queue.QUEUE_OPEN


# The effective visit date: the appointment the clinic set, else the patient's date ------------
@pytest.fixture
def three_visits(make_intake: Callable[..., Intake], today: datetime.date) -> dict[str, Intake]:
    """Three intakes of one verdict: `moved` gave a visit in 10 days but has an appointment
    tomorrow; `plain` gave 5 days, no appointment; `later` gave 2 days, booked in 8."""
    made = {
        "moved": make_intake(visit_date=days(today, 10)),
        "plain": make_intake(visit_date=days(today, 5)),
        "later": make_intake(visit_date=days(today, 2)),
        "unbooked": make_intake(visit_date=None),
    }
    for name, appointment in (("moved", 1), ("later", 8)):
        Intake.objects.filter(pk=made[name].pk).update(appointment_date=days(today, appointment))
    return made


def days(today: datetime.date, n: int) -> datetime.date:
    return today + datetime.timedelta(days=n)


def names(intakes: Any, made: dict[str, Intake]) -> list[str]:
    by_pk = {intake.pk: name for name, intake in made.items()}
    return [by_pk[intake.pk] for intake in intakes]


@pytest.mark.parametrize("for_doctor", [True, False])
def test_the_queue_is_in_order_of_the_appointment_when_the_clinic_set_one(
    three_visits: dict[str, Intake], for_doctor: bool
) -> None:
    rows = queue.review_queue(filters=queue.QueueFilters(), for_doctor=for_doctor)

    assert names(rows, three_visits) == ["moved", "plain", "later", "unbooked"]


def test_the_visit_date_filter_reads_the_appointment_when_the_clinic_set_one(
    three_visits: dict[str, Intake], today: datetime.date
) -> None:
    def between(start: int, end: int) -> list[str]:
        filters = queue.QueueFilters(visit_from=days(today, start), visit_to=days(today, end))
        return names(queue.review_queue(filters=filters, for_doctor=True), three_visits)

    assert between(0, 2) == ["moved"]  # not `later`, whose own date is in 2 days
    assert between(5, 10) == ["plain", "later"]  # not `moved`, whose own date is in 10
    counts = queue.queue_verdict_counts(
        filters=queue.QueueFilters(visit_from=days(today, 5), visit_to=days(today, 10))
    )
    assert sum(counts.values()) == 2


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL's plan: SQLite can't read NULLS LAST from an ascending index anyway",
)


@needs_postgresql
@pytest.mark.parametrize(
    ("for_doctor", "filters", "index"),
    [
        (True, queue.QueueFilters(), "intake_open_queue_idx"),
        (True, queue.QueueFilters(status=queue.QUEUE_ALL), "intake_queue_all_idx"),
        (False, queue.QueueFilters(), "intake_visit_idx"),
    ],
)
def test_the_queue_s_order_is_read_from_its_index_on_postgresql(
    three_visits: dict[str, Intake], for_doctor: bool, filters: queue.QueueFilters, index: str
) -> None:
    # With a handful of rows, reading the table and sorting it is cheapest: both are forbidden
    # here, so the plan reads the order from an index if one has the queue's expression (else
    # a Sort of the whole result remains); only the last key, the id, may be sorted after it.
    page = queue.review_queue(filters=filters, for_doctor=for_doctor)[:50]
    with connection.cursor() as cursor:
        for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
            cursor.execute(f"SET LOCAL {setting} = off")
        if index == "intake_queue_all_idx":
            # This index holds the whole order, id included. With a handful of rows the admin's
            # index (verdict rank, the patient's own date...) and an incremental sort of the rest
            # cost the same; at 1,000,000 rows the planner reads this one (bench/RESULTS.md §5).
            cursor.execute("SET LOCAL enable_incremental_sort = off")
        sql, params = page.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert f"Index Scan using {index} on intake_intake" in plan, plan
    assert "Seq Scan" not in plan, plan
    nodes = [line.strip().removeprefix("->  ") for line in plan.splitlines()]
    assert not [node for node in nodes if node.startswith("Sort  (")], plan
    # An incremental sort (of the id) takes everything up to the visit date from the index.
    presorted = [node for node in nodes if node.startswith("Presorted Key:")]
    assert all("COALESCE(" in node for node in presorted), plan
