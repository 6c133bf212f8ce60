"""Writes of the patient record: creating a patient, linking an intake to one (and undoing a
wrong link), setting a visit's appointment date, and recording treatments (append-only).

Each is one transaction, and each re-screens the intakes it affects with the reason and the
person (spec §5): linking or unlinking that intake, a treatment the patient's open intakes, an
appointment its intake. The patient's row is locked first wherever a patient is involved, so a
link and a treatment recorded at the same moment never miss each other.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intake import services
from intake.models import Intake, Patient, PatientLink, Rescreening, Treatment
from intake.patients.checks import (
    TREATMENT_AREA_CODES,
    appointment_date_problem,
    treatment_problems,
)
from intake.patients.selectors import current_treatments


def _locked_patient(patient_id: int) -> Patient:
    return Patient.objects.select_for_update().get(pk=patient_id)


def _locked_intake(intake_id: int) -> Intake:
    return Intake.objects.select_for_update().get(pk=intake_id)


def _sync(intake: Intake, locked: Intake) -> None:
    """Give the caller's object what the transaction stored."""
    for field in (
        "patient_id",
        "appointment_date",
        "status",
        "current_verdict",
        "current_verdict_rank",
        "current_suitability",
    ):
        setattr(intake, field, getattr(locked, field))
    intake._state.fields_cache.pop("patient", None)
    if locked.current_rescreening_id != intake.current_rescreening_id:
        intake.current_rescreening = locked.current_rescreening


# Patients and links ----------------------------------------------------------------------------
def patient_create_from_intake(*, intake: Intake, by: AbstractBaseUser) -> Patient:
    """A new patient record with the intake's details, and the intake linked to it."""
    with transaction.atomic():
        locked = _locked_intake(intake.pk)
        if locked.patient_id is not None:
            raise ValidationError(
                _("This intake is already linked to a patient record."), code="linked"
            )
        patient = Patient.objects.create(
            full_name=locked.full_name,
            full_name_kana=locked.full_name_kana,
            date_of_birth=locked.date_of_birth,
            phone=locked.phone,
            email=locked.email,
            created_by=by,
        )
        intake_link(intake=intake, patient=patient, by=by)
    return patient


def intake_link(*, intake: Intake, patient: Patient, by: AbstractBaseUser) -> Rescreening | None:
    """Link `intake` to `patient`, as staff chose (the app only suggests), and screen it again
    with the patient's recorded treatments. Returns the re-screening, if the result changed."""
    with transaction.atomic():
        _locked_patient(patient.pk)
        locked = _locked_intake(intake.pk)
        if locked.patient_id == patient.pk:
            _sync(intake, locked)
            return None
        if locked.patient_id is not None:
            raise ValidationError(
                _("This intake is linked to another patient record: unlink it first."),
                code="linked_elsewhere",
            )
        locked.patient = patient
        locked.save(update_fields=["patient"])
        PatientLink.objects.create(
            intake=locked, patient=patient, action=PatientLink.Action.LINKED, by=by
        )
        rescreening = services.intake_rescreen(
            intake=locked, reason=Rescreening.Reason.LINKED, by=by
        )
    _sync(intake, locked)
    return rescreening


def intake_unlink(*, intake: Intake, by: AbstractBaseUser, note: str) -> Rescreening | None:
    """Undo a wrong link, saying why; the intake is screened again without the records.

    Refused while a current treatment recorded at this visit is on the patient: it would stay
    on the wrong person. It is withdrawn first (a correction), then the link undone.
    """
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Say why the link was wrong.")})
    with transaction.atomic():
        patient_id = Intake.objects.filter(pk=intake.pk).values_list("patient", flat=True).get()
        if patient_id is None:
            raise ValidationError(_("This intake is not linked to a patient record."))
        _locked_patient(patient_id)
        locked = _locked_intake(intake.pk)
        if current_treatments(Treatment.objects.filter(intake=locked)).exists():
            raise ValidationError(
                _(
                    "A treatment was recorded at this visit for this patient. Withdraw it first "
                    "(“Correct” on the treatment, then “Withdraw this record”), then unlink."
                ),
                code="treated",
            )
        PatientLink.objects.create(
            intake=locked,
            patient_id=patient_id,
            action=PatientLink.Action.UNLINKED,
            by=by,
            note=note,
        )
        locked.patient = None
        locked.save(update_fields=["patient"])
        rescreening = services.intake_rescreen(
            intake=locked, reason=Rescreening.Reason.UNLINKED, by=by
        )
    _sync(intake, locked)
    return rescreening


# Appointments ----------------------------------------------------------------------------------
def intake_set_appointment(
    *,
    intake: Intake,
    appointment_date: datetime.date | None,
    by: AbstractBaseUser,
    today: datetime.date | None = None,
) -> Rescreening | None:
    """Set, move or clear the visit's appointment date, and screen the intake again against it
    (spec §2: the appointment date is the reference date)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = _locked_intake(intake.pk)
        problem = appointment_date_problem(
            appointment_date, submitted_on=timezone.localdate(locked.submitted_at), today=today
        )
        if problem:
            raise ValidationError({"appointment_date": problem})
        if locked.appointment_date == appointment_date:
            _sync(intake, locked)
            return None
        locked.appointment_date = appointment_date
        locked.save(update_fields=["appointment_date"])
        rescreening = services.intake_rescreen(
            intake=locked, reason=Rescreening.Reason.APPOINTMENT, by=by
        )
    _sync(intake, locked)
    return rescreening


# Treatments ------------------------------------------------------------------------------------
def treatment_record(
    *,
    patient: Patient,
    doctor: AbstractBaseUser,
    treated_on: datetime.date,
    product: str,
    dilution_ml_per_100u: Decimal,
    total_units: Decimal,
    areas: Iterable[str],
    lot_number: str = "",
    note: str = "",
    intake: Intake | None = None,
    supersedes: Treatment | None = None,
    withdrawn: bool = False,
    now: datetime.datetime | None = None,
) -> Treatment:
    """Record a treatment the clinic gave, or a correction of one (`supersedes`: the record it
    replaces, never changed itself; `withdrawn`: the earlier one was entered by mistake). Then
    the patient's open intakes are screened again with the records as they now stand."""
    now = now or timezone.now()
    areas = list(areas)
    note = note.strip()
    problems = treatment_problems(
        patient=patient,
        treated_on=treated_on,
        product=product,
        dilution_ml_per_100u=dilution_ml_per_100u,
        total_units=total_units,
        areas=areas,
        note=note,
        today=timezone.localdate(now),
    )
    if withdrawn and not note:
        problems["note"] = _("Say why the record is withdrawn.")
    if problems:
        raise ValidationError(problems)
    areas = [code for code in TREATMENT_AREA_CODES if code in set(areas)]  # once, in order
    try:
        with transaction.atomic():
            _locked_patient(patient.pk)
            if intake is not None and (
                Intake.objects.filter(pk=intake.pk).values_list("patient", flat=True).get()
                != patient.pk
            ):
                raise ValidationError(_("This intake is not linked to this patient record."))
            if supersedes is not None:
                if supersedes.patient_id != patient.pk:
                    raise ValidationError(_("This record belongs to another patient."))
                if Treatment.objects.filter(supersedes=supersedes).exists():
                    raise TreatmentConflict()
            treatment = Treatment.objects.create(
                patient=patient,
                intake=intake,
                treated_on=treated_on,
                product=product,
                lot_number=lot_number.strip(),
                dilution_ml_per_100u=dilution_ml_per_100u,
                total_units=total_units,
                areas=areas,
                note=note,
                withdrawn=withdrawn,
                doctor=doctor,
                recorded_at=now,
                supersedes=supersedes,
            )
            for open_intake in Intake.objects.filter(
                patient=patient, status__in=Intake.OPEN_STATUSES
            ).order_by("pk"):
                services.intake_rescreen(
                    intake=open_intake, reason=Rescreening.Reason.TREATMENT, by=doctor
                )
    except IntegrityError as error:
        # Two corrections of the same record at once: the unique `supersedes` lets one through.
        raise TreatmentConflict() from error
    return treatment


class TreatmentConflict(ValidationError):
    """The record was corrected meanwhile: the correction must start from the latest one."""

    def __init__(self) -> None:
        super().__init__(
            _("This record has already been corrected: correct the latest record instead."),
            code="corrected",
        )
