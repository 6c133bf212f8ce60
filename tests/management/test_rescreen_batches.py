"""intake.management.commands.rescreen in batches: one transaction each, the same work per batch
whatever its size, the same results as re-screening one intake at a time, progress as it goes."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from intake import services
from intake.models import Intake, Rescreening
from tests.helpers import transactions_of
from tests.management.test_rescreen import keloids_become_a_contraindication

DAY = datetime.timedelta(days=1)


def run(*args: str, verbosity: int = 1) -> str:
    out = StringIO()
    call_command("rescreen", *args, stdout=out, verbosity=verbosity)
    return out.getvalue()


def queries_per_transaction(*args: str) -> list[int]:
    """Run the command and undo what it did: the queries of each of its transactions."""
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        run(*args)
        transaction.set_rollback(True)
    return transactions_of(captured.captured_queries, level=1)


def test_each_batch_is_one_transaction(
    monkeypatch: pytest.MonkeyPatch, make_intake: Callable[..., Intake]
) -> None:
    for _ in range(5):
        make_intake(keloid_history=True)
    keloids_become_a_contraindication(monkeypatch)

    with CaptureQueriesContext(connection) as captured:
        output = run("--batch-size", "2")

    assert len(transactions_of(captured.captured_queries)) == 3  # 2 + 2 + 1, not 5
    assert "Re-screened 5 open intakes" in output
    assert "5 changed, 0 unchanged" in output
    assert Rescreening.objects.count() == 5


def test_a_batch_costs_the_same_queries_whatever_its_size(
    monkeypatch: pytest.MonkeyPatch, make_intake: Callable[..., Intake]
) -> None:
    for _ in range(12):
        make_intake(keloid_history=True)
    keloids_become_a_contraindication(monkeypatch)

    six_batches = queries_per_transaction("--batch-size", "2")
    two_batches = queries_per_transaction("--batch-size", "6")

    # Nothing is read or written intake by intake: a batch of 6 costs what a batch of 2 does
    # (the intakes, their flags, the flag texts; one INSERT, one UPDATE), and a last look finds
    # that none is left.
    assert six_batches == [5] * 6 + [1]
    assert two_batches == [5] * 2 + [1]


def test_batches_store_what_rescreening_one_intake_at_a_time_would(
    monkeypatch: pytest.MonkeyPatch,
    make_intake: Callable[..., Intake],
    returning: dict[str, Any],
    receptionist: Any,
    today: datetime.date,
) -> None:
    from intake.patients import services as patient_services

    affected = make_intake(keloid_history=True)
    unaffected = make_intake(pregnancy="pregnant")
    decided_coming = make_intake(keloid_history=True, visit_date=today + 3 * DAY)
    decided_past = make_intake(keloid_history=True, visit_date=today - 3 * DAY)
    Intake.objects.filter(pk__in=[decided_coming.pk, decided_past.pk]).update(
        status=Intake.Status.DECIDED
    )
    patient_services.intake_link(
        intake=returning["current"], patient=returning["patient"], by=receptionist
    )
    keloids_become_a_contraindication(monkeypatch)

    output = run("--all", "--batch-size", "2")

    # Each intake now holds the result the service computes for it alone: nothing more differs.
    for intake in Intake.objects.all():
        assert services.intake_rescreen(intake=intake) is None
    assert not unaffected.rescreenings.exists()
    rescreened = {affected.pk, decided_coming.pk, decided_past.pk}
    by_the_command = Rescreening.objects.filter(reason=Rescreening.Reason.RULESET)
    assert set(by_the_command.values_list("intake", flat=True)) == rescreened
    assert "Re-screened 6 intakes with ruleset 2099.01-1: 3 changed, 3 unchanged." in output
    for intake in Intake.objects.filter(pk__in=rescreened):
        latest = intake.rescreenings.order_by("-created_at", "-pk").first()
        assert intake.current_rescreening == latest
        assert (intake.current_verdict, latest.verdict) == ("not_suitable", "not_suitable")
        assert latest.reason == Rescreening.Reason.RULESET and latest.requested_by is None
    # A decided intake whose visit is to come goes back to review; one already seen does not.
    statuses = dict(Intake.objects.values_list("pk", "status"))
    assert statuses[decided_coming.pk] == Intake.Status.IN_REVIEW
    assert statuses[decided_past.pk] == Intake.Status.DECIDED


def test_progress_after_each_batch(
    monkeypatch: pytest.MonkeyPatch, make_intake: Callable[..., Intake]
) -> None:
    make_intake(keloid_history=True)
    make_intake(pregnancy="pregnant")
    make_intake(keloid_history=True)
    keloids_become_a_contraindication(monkeypatch)

    with transaction.atomic():
        lines = run("--batch-size", "2").splitlines()
        transaction.set_rollback(True)
    with translation.override("ja"):
        japanese = run("--batch-size", "2").splitlines()

    assert lines[:2] == [
        "Re-screened 2 / 3 (1 changed).",
        "Re-screened 3 / 3 (2 changed).",
    ]
    assert japanese[:2] == [
        "再判定 2 / 3 件（変更あり 1 件）",
        "再判定 3 / 3 件（変更あり 2 件）",
    ]


def test_no_progress_at_verbosity_0(
    monkeypatch: pytest.MonkeyPatch, make_intake: Callable[..., Intake]
) -> None:
    make_intake(keloid_history=True)
    keloids_become_a_contraindication(monkeypatch)

    lines = run("--batch-size", "1", verbosity=0).splitlines()

    assert len(lines) == 1 and lines[0].startswith("Re-screened 1 open intakes")


@pytest.mark.parametrize("size", ["0", "-1", "many"])
def test_a_batch_size_is_a_positive_number(size: str, db: Any) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        run("--batch-size", size)
