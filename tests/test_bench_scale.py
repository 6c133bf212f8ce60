"""The scale benchmark's loader (bench/scale_load.py) at a tiny size: it writes with PostgreSQL's
COPY, so it runs on PostgreSQL only; these tests keep it from breaking silently when a model or
the screening changes."""

from __future__ import annotations

import pytest
from django.db import connection

from bench import scale_load
from intake import screening, services
from intake.models import AccessRecord, Decision, Intake, IntakeFlag, Patient, PatientLink

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the loader writes with PostgreSQL's COPY"
)
pytestmark = [needs_postgresql, pytest.mark.django_db]

SIZE = 50


@pytest.fixture
def loaded() -> None:
    scale_load.load(connection, count=SIZE)


def test_loader_writes_intakes_with_their_flags_decisions_and_reads(loaded: None) -> None:
    assert Intake.objects.count() == SIZE
    assert IntakeFlag.objects.count() >= SIZE  # every intake has one flag at least (off-label)
    decided = Intake.objects.filter(status=Intake.Status.DECIDED).count()
    assert decided > SIZE // 2
    assert Decision.objects.values("intake").distinct().count() == decided
    assert AccessRecord.objects.count() > SIZE // 2
    assert PatientLink.objects.count() == Intake.objects.filter(patient__isnull=False).count()
    assert Patient.objects.count() > 0


def test_loaded_screening_is_what_the_rules_give_again(loaded: None) -> None:
    for intake in Intake.objects.all():
        assert (intake.current_verdict, intake.current_suitability) == (
            intake.verdict,
            intake.suitability,
        )
        assert intake.current_verdict_rank == screening.verdict_rank(intake.verdict)
        # The real re-screening finds nothing to change: stored flags and verdicts are consistent.
        assert services.intake_rescreen(intake=intake) is None


def test_a_second_load_adds_intakes_after_the_first(loaded: None) -> None:
    scale_load.load(connection, count=10, start=SIZE, total=SIZE)

    assert Intake.objects.count() == SIZE + 10
    assert Intake.objects.values("reference").distinct().count() == SIZE + 10
