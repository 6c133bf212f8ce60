"""intake.patients.services: linking (never automatic), appointments, treatments (append-only),
and the re-screening each one causes, with its reason and its author."""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import ProtectedError
from django.utils import timezone, translation

from intake import services as intake_services
from intake.models import Intake, Patient, PatientLink, Rescreening, Treatment
from intake.patients import services


def codes(intake: Intake) -> list[str]:
    intake.refresh_from_db()
    return [flag.code for flag in intake.current_flags()]


# Linking ---------------------------------------------------------------------------------------
def test_an_intake_is_never_linked_by_itself(returning: dict[str, Any]) -> None:
    # Same date of birth, kana and phone as the patient record: still not linked.
    current = returning["current"]
    current.refresh_from_db()
    assert current.patient is None
    assert codes(current) == ["OFF_LABEL"]


def test_linking_screens_the_intake_again_with_the_patients_treatments(
    returning: dict[str, Any], receptionist: User
) -> None:
    current, patient = returning["current"], returning["patient"]

    rescreening = services.intake_link(intake=current, patient=patient, by=receptionist)

    assert rescreening is not None
    assert rescreening.reason == Rescreening.Reason.LINKED
    assert rescreening.requested_by == receptionist
    assert codes(current) == ["RECENT_TOXIN", "RECORD_MISMATCH", "OFF_LABEL"]
    current.refresh_from_db()
    assert current.patient == patient
    assert (current.verdict, current.current_verdict) == ("suitable", "needs_review")
    assert current.current_verdict_rank == 1
    assert current.current_rescreening == rescreening
    # The original result stays as it was.
    assert list(current.flags.values_list("code", flat=True)) == ["OFF_LABEL"]
    link = PatientLink.objects.get(intake=current)
    assert (link.action, link.patient, link.by) == ("linked", patient, receptionist)


def test_linking_again_to_the_same_patient_changes_nothing(
    returning: dict[str, Any], receptionist: User
) -> None:
    current, patient = returning["current"], returning["patient"]
    services.intake_link(intake=current, patient=patient, by=receptionist)
    assert services.intake_link(intake=current, patient=patient, by=receptionist) is None
    assert current.rescreenings.count() == 1
    assert PatientLink.objects.filter(intake=current).count() == 1


def test_an_intake_linked_to_another_patient_must_be_unlinked_first(
    returning: dict[str, Any], receptionist: User
) -> None:
    other = Patient.objects.create(full_name="別人", date_of_birth=datetime.date(1990, 1, 1))
    services.intake_link(intake=returning["current"], patient=other, by=receptionist)
    with pytest.raises(ValidationError, match="unlink it first"):
        services.intake_link(
            intake=returning["current"], patient=returning["patient"], by=receptionist
        )


def test_unlinking_needs_a_reason_is_recorded_and_screens_again_without_the_records(
    returning: dict[str, Any], receptionist: User
) -> None:
    current, patient = returning["current"], returning["patient"]
    services.intake_link(intake=current, patient=patient, by=receptionist)
    with pytest.raises(ValidationError):
        services.intake_unlink(intake=current, by=receptionist, note="  ")

    rescreening = services.intake_unlink(
        intake=current, by=receptionist, note="Another 山田 花子, same birthday."
    )

    assert rescreening.reason == Rescreening.Reason.UNLINKED
    assert codes(current) == ["OFF_LABEL"]
    current.refresh_from_db()
    assert current.patient is None
    assert current.current_verdict == "suitable"
    assert list(PatientLink.objects.filter(intake=current).values_list("action", "note")) == [
        ("unlinked", "Another 山田 花子, same birthday."),
        ("linked", ""),
    ]


def test_unlinking_waits_until_the_treatment_recorded_at_that_visit_is_withdrawn(
    returning: dict[str, Any], receptionist: User, doctor: User
) -> None:
    earlier, treatment = returning["earlier"], returning["treatment"]
    with pytest.raises(ValidationError, match="Withdraw it first"):
        services.intake_unlink(intake=earlier, by=receptionist, note="Wrong person.")

    services.treatment_record(
        patient=returning["patient"],
        doctor=doctor,
        treated_on=treatment.treated_on,
        product=treatment.product,
        dilution_ml_per_100u=treatment.dilution_ml_per_100u,
        total_units=treatment.total_units,
        areas=treatment.areas,
        note="Given to another person.",
        intake=earlier,
        supersedes=treatment,
        withdrawn=True,
    )
    services.intake_unlink(intake=earlier, by=receptionist, note="Wrong person.")
    earlier.refresh_from_db()
    assert earlier.patient is None


def test_a_patient_created_from_an_intake_has_its_details_and_is_linked(
    submit_on: Callable[..., Intake], receptionist: User
) -> None:
    intake = submit_on(0, email="hanako@example.jp")
    patient = services.patient_create_from_intake(intake=intake, by=receptionist)
    assert (patient.full_name, patient.full_name_kana, patient.date_of_birth, patient.phone) == (
        intake.full_name,
        intake.full_name_kana,
        intake.date_of_birth,
        intake.phone,
    )
    assert patient.email == "hanako@example.jp"
    assert patient.created_by == receptionist
    intake.refresh_from_db()
    assert intake.patient == patient
    with pytest.raises(ValidationError, match="already linked"):
        services.patient_create_from_intake(intake=intake, by=receptionist)


def test_a_patient_with_an_intake_cannot_be_deleted(returning: dict[str, Any]) -> None:
    with pytest.raises(ProtectedError):
        returning["patient"].delete()


# Treatments ------------------------------------------------------------------------------------
def test_recording_a_treatment_screens_the_patients_open_intakes_again(
    submit_on: Callable[..., Intake],
    patient: Patient,
    receptionist: User,
    doctor: User,
    record_treatment: Callable[..., Treatment],
    today: datetime.date,
) -> None:
    open_intake = submit_on(0, visit_date=today + datetime.timedelta(days=5))
    decided = submit_on(30)
    for intake in (open_intake, decided):
        services.intake_link(intake=intake, patient=patient, by=receptionist)
    Intake.objects.filter(pk=decided.pk).update(status=Intake.Status.DECIDED)

    record_treatment(patient, today - datetime.timedelta(days=10))

    rescreening = Rescreening.objects.get(intake=open_intake)
    assert (rescreening.reason, rescreening.requested_by) == ("treatment", doctor)
    assert codes(open_intake) == ["RECENT_TOXIN", "RECORD_MISMATCH", "OFF_LABEL"]
    assert not decided.rescreenings.exists()


def test_a_treatment_on_or_after_the_visit_does_not_flag_that_visit(
    returning: dict[str, Any], receptionist: User, record_treatment: Callable[..., Treatment]
) -> None:
    # Recorded at the earlier visit itself: that visit's reference date, not before it.
    earlier = returning["earlier"]
    earlier.refresh_from_db()
    assert earlier.current_rescreening is None
    assert codes(earlier) == ["OFF_LABEL"]


def test_a_correction_supersedes_and_the_screening_reads_the_corrected_date(
    returning: dict[str, Any],
    receptionist: User,
    doctor: User,
    record_treatment: Callable[..., Treatment],
    today: datetime.date,
) -> None:
    current, patient, treatment = returning["current"], returning["patient"], returning["treatment"]
    services.intake_link(intake=current, patient=patient, by=receptionist)
    assert "RECENT_TOXIN" in codes(current)

    correction = record_treatment(
        patient, today - datetime.timedelta(days=100), supersedes=treatment, note="Date typo."
    )

    treatment.refresh_from_db()
    assert treatment.treated_on == today - datetime.timedelta(days=60)  # never edited
    assert correction.supersedes == treatment
    assert treatment.superseded_by == correction
    assert codes(current) == ["RECORD_MISMATCH", "OFF_LABEL"]
    assert current.rescreenings.order_by("-created_at", "-pk").first().reason == "treatment"
    with pytest.raises(ValidationError, match="already been corrected"):
        record_treatment(patient, today - datetime.timedelta(days=99), supersedes=treatment)


def test_a_withdrawn_record_no_longer_counts(
    returning: dict[str, Any], receptionist: User, doctor: User
) -> None:
    current, patient, treatment = returning["current"], returning["patient"], returning["treatment"]
    services.intake_link(intake=current, patient=patient, by=receptionist)
    with pytest.raises(ValidationError) as refused:
        services.treatment_record(
            patient=patient,
            doctor=doctor,
            treated_on=treatment.treated_on,
            product=treatment.product,
            dilution_ml_per_100u=treatment.dilution_ml_per_100u,
            total_units=treatment.total_units,
            areas=treatment.areas,
            supersedes=treatment,
            withdrawn=True,
        )
    assert "note" in refused.value.message_dict

    services.treatment_record(
        patient=patient,
        doctor=doctor,
        treated_on=treatment.treated_on,
        product=treatment.product,
        dilution_ml_per_100u=treatment.dilution_ml_per_100u,
        total_units=treatment.total_units,
        areas=treatment.areas,
        note="Entered for the wrong patient.",
        supersedes=treatment,
        withdrawn=True,
    )
    assert codes(current) == ["OFF_LABEL"]


@pytest.mark.parametrize(
    ("units", "dilution", "field"),
    [
        (Decimal("0"), Decimal("2.5"), "total_units"),
        (Decimal("-5"), Decimal("2.5"), "total_units"),
        (Decimal("0.4"), Decimal("2.5"), "total_units"),
        (Decimal("500.1"), Decimal("2.5"), "total_units"),
        (Decimal("24"), Decimal("0"), "dilution_ml_per_100u"),
        (Decimal("24"), Decimal("0.1"), "dilution_ml_per_100u"),
        (Decimal("24"), Decimal("25"), "dilution_ml_per_100u"),
    ],
)
def test_units_and_dilution_out_of_bounds_are_refused_with_a_clear_message(
    patient: Patient,
    record_treatment: Callable[..., Treatment],
    today: datetime.date,
    units: Decimal,
    dilution: Decimal,
    field: str,
) -> None:
    with pytest.raises(ValidationError) as refused:
        record_treatment(patient, today, total_units=units, dilution_ml_per_100u=dilution)
    assert list(refused.value.message_dict) == [field]
    assert not Treatment.objects.exists()


@pytest.mark.parametrize(
    ("units", "dilution"),
    [(Decimal("0.5"), Decimal("0.2")), (Decimal("500"), Decimal("20")), (Decimal("22.5"), 2)],
)
def test_units_and_dilution_at_the_bounds_are_accepted(
    patient: Patient,
    record_treatment: Callable[..., Treatment],
    today: datetime.date,
    units: Decimal,
    dilution: Decimal,
) -> None:
    record_treatment(patient, today, total_units=units, dilution_ml_per_100u=Decimal(dilution))
    assert Treatment.objects.get().total_units == units


def test_the_bounds_message_is_in_japanese_for_japanese_staff(
    patient: Patient, record_treatment: Callable[..., Treatment], today: datetime.date
) -> None:
    with translation.override("ja"), pytest.raises(ValidationError) as refused:
        record_treatment(patient, today, total_units=Decimal("2400"))
    assert "総単位数を0.5〜500の範囲で" in refused.value.message_dict["total_units"][0]


def test_the_database_refuses_units_out_of_bounds_too(
    patient: Patient, doctor: User, today: datetime.date
) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Treatment.objects.create(
            patient=patient,
            doctor=doctor,
            treated_on=today,
            product="botox",
            dilution_ml_per_100u=Decimal("2.5"),
            total_units=Decimal("0"),
            areas=["cheeks"],
            recorded_at=timezone.now(),
        )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"treated_on": "tomorrow"}, "treated_on"),
        ({"treated_on": "before_birth"}, "treated_on"),
        ({"product": "unknown"}, "product"),
        ({"product": "other"}, "note"),
        ({"areas": []}, "areas"),
        ({"areas": ["chin", "elbow"]}, "areas"),
        ({"areas": ["other"]}, "note"),
    ],
)
def test_a_treatment_record_is_checked_field_by_field(
    patient: Patient,
    record_treatment: Callable[..., Treatment],
    today: datetime.date,
    overrides: dict[str, Any],
    field: str,
) -> None:
    dates = {
        "tomorrow": today + datetime.timedelta(days=1),
        "before_birth": patient.date_of_birth - datetime.timedelta(days=1),
    }
    if "treated_on" in overrides:
        overrides = {**overrides, "treated_on": dates[overrides["treated_on"]]}
    with pytest.raises(ValidationError) as refused:
        record_treatment(patient, overrides.pop("treated_on", today), **overrides)
    assert field in refused.value.message_dict


def test_areas_are_kept_once_in_the_dictionarys_order(
    patient: Patient, record_treatment: Callable[..., Treatment], today: datetime.date
) -> None:
    treatment = record_treatment(patient, today, areas=["neck", "forehead", "neck"])
    assert treatment.areas == ["forehead", "neck"]


def test_a_treatment_from_an_intake_of_another_patient_is_refused(
    returning: dict[str, Any], record_treatment: Callable[..., Treatment], today: datetime.date
) -> None:
    other = Patient.objects.create(full_name="別人", date_of_birth=datetime.date(1990, 1, 1))
    with pytest.raises(ValidationError, match="not linked to this patient"):
        record_treatment(other, today, intake=returning["earlier"])


# Appointments ----------------------------------------------------------------------------------
def test_setting_the_appointment_screens_again_against_it(
    returning: dict[str, Any], receptionist: User, today: datetime.date
) -> None:
    current, patient = returning["current"], returning["patient"]
    services.intake_link(intake=current, patient=patient, by=receptionist)
    assert "RECENT_TOXIN" in codes(current)  # treated 63 days before the visit

    later = today + datetime.timedelta(days=40)  # 100 days after the treatment
    rescreening = services.intake_set_appointment(
        intake=current, appointment_date=later, by=receptionist
    )

    assert rescreening.reason == Rescreening.Reason.APPOINTMENT
    assert rescreening.reference_date == later
    assert codes(current) == ["RECORD_MISMATCH", "OFF_LABEL"]
    current.refresh_from_db()
    assert current.appointment_date == later
    assert current.current_reference_date == later
    assert current.reference_date == today + datetime.timedelta(days=3)  # the original's


def test_moving_the_appointment_stores_a_re_screening_even_when_the_flags_stay(
    submit_on: Callable[..., Intake], receptionist: User, today: datetime.date
) -> None:
    intake = submit_on(0)
    moved = today + datetime.timedelta(days=20)
    rescreening = services.intake_set_appointment(
        intake=intake, appointment_date=moved, by=receptionist
    )
    assert rescreening.reference_date == moved
    assert (
        services.intake_set_appointment(intake=intake, appointment_date=moved, by=receptionist)
        is None
    )


@pytest.mark.parametrize("days", [-1, 366])
def test_an_appointment_out_of_range_is_refused(
    submit_on: Callable[..., Intake], receptionist: User, today: datetime.date, days: int
) -> None:
    intake = submit_on(0)
    with pytest.raises(ValidationError) as refused:
        services.intake_set_appointment(
            intake=intake, appointment_date=today + datetime.timedelta(days=days), by=receptionist
        )
    assert "appointment_date" in refused.value.message_dict


def test_a_decided_intake_whose_result_changes_before_its_visit_goes_back_to_review(
    returning: dict[str, Any], receptionist: User
) -> None:
    current = returning["current"]
    Intake.objects.filter(pk=current.pk).update(status=Intake.Status.DECIDED)
    services.intake_link(intake=current, patient=returning["patient"], by=receptionist)
    current.refresh_from_db()
    assert current.status == Intake.Status.IN_REVIEW


def test_a_past_decided_intake_keeps_its_status_when_its_result_changes(
    submit_on: Callable[..., Intake],
    patient: Patient,
    receptionist: User,
    doctor: User,
    record_treatment: Callable[..., Treatment],
    today: datetime.date,
) -> None:
    record_treatment(patient, today - datetime.timedelta(days=40))
    past = submit_on(20)  # visited 20 days ago, 20 days after a treatment it does not mention
    Intake.objects.filter(pk=past.pk).update(status=Intake.Status.DECIDED)
    assert services.intake_link(intake=past, patient=patient, by=receptionist) is not None
    past.refresh_from_db()
    assert past.status == Intake.Status.DECIDED


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (DATABASE_URL): SQLite has no row locks and serialises writes",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_link_and_a_treatment_recorded_at_the_same_moment_never_miss_each_other(
    monkeypatch: pytest.MonkeyPatch,
    submit_on: Callable[..., Intake],
    patient: Patient,
    receptionist: User,
    doctor: User,
    today: datetime.date,
) -> None:
    # The worst order: the link reads the patient's records, then, before it commits, the
    # treatment is recorded and looks for the patient's open intakes. The patient's row lock
    # makes the treatment wait for the link, and then re-screen the linked intake.
    read_records = intake_services.patient_toxin_dates

    def slow_reader(*, patient_id: int | None) -> tuple[datetime.date, ...]:
        dates = read_records(patient_id=patient_id)
        time.sleep(0.5)
        return dates

    monkeypatch.setattr(intake_services, "patient_toxin_dates", slow_reader)
    intake = submit_on(0, visit_date=today + datetime.timedelta(days=5))

    def link() -> object:
        return services.intake_link(intake=intake, patient=patient, by=receptionist)

    def treat() -> object:
        time.sleep(0.1)  # the link goes first
        return services.treatment_record(
            patient=patient,
            doctor=doctor,
            treated_on=today - datetime.timedelta(days=10),
            product="botox",
            dilution_ml_per_100u=Decimal("2.5"),
            total_units=Decimal("20"),
            areas=["cheeks"],
        )

    assert at_the_same_moment(link, treat) == []
    assert codes(intake) == ["RECENT_TOXIN", "RECORD_MISMATCH", "OFF_LABEL"]


def at_the_same_moment(*works: Callable[[], object]) -> list[BaseException]:
    """Run `works` in threads released together; the errors they raised."""
    start = threading.Barrier(len(works))
    errors: list[BaseException] = []

    def run(work: Callable[[], object]) -> None:
        try:
            start.wait()
            work()
        except BaseException as error:  # noqa: BLE001 - reported to the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors
