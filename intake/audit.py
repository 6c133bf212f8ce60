"""The access record: who opened which intake or patient record, when and from where, never what
was seen.

Every page, print view, admin page and export that shows an intake's answers, flags or decisions
writes here (the summary, the handout, the chart text, the FHIR download and every call to the
FHIR API included); so does a refused decision, which shows the whole intake again. So does every
page that shows a patient record (spec §5): the patient's page, an intake shown in a patient's
history, a patient suggested as a match, the visit's link page and the treatment form.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from intake.models import (
    AccessRecord,
    ClinicProfile,
    ConsentDocument,
    Decision,
    FlagText,
    Intake,
    Patient,
    PatientLink,
    Rescreening,
    Treatment,
)


def client_address(ip_address: str | None) -> str | None:
    """The address as stored: a valid IP address, else nothing."""
    try:
        return str(ipaddress.ip_address(ip_address)) if ip_address else None
    except ValueError:
        return None


def access_record(
    *,
    user: AbstractBaseUser,
    action: str,
    intake: Intake | None = None,
    patient: Patient | None = None,
    ip_address: str | None = None,
) -> AccessRecord:
    """Record that `user` opened `intake` (or `patient`'s record, or both): who, what, when and
    from where, never what was seen."""
    if intake is None and patient is None:
        raise ValueError("An access record names an intake or a patient.")
    return AccessRecord.objects.create(
        user=user,
        username=user.get_username(),
        action=action,
        intake=intake,
        patient=patient,
        ip_address=client_address(ip_address),
    )


def access_records_create(
    *,
    intakes: Iterable[Intake],
    user: AbstractBaseUser,
    action: str,
    patient: Patient | None = None,
    ip_address: str | None = None,
) -> int:
    """Record that one page or file showed `intakes` to `user`: one access record per intake,
    each naming `patient` too when the page showed them as that patient's."""
    address = client_address(ip_address)
    with transaction.atomic():
        records = AccessRecord.objects.bulk_create(
            AccessRecord(
                intake=intake,
                patient=patient,
                user=user,
                username=user.get_username(),
                action=action,
                ip_address=address,
            )
            for intake in intakes
        )
    return len(records)


def patients_shown_record(
    *,
    patients: Iterable[Patient],
    user: AbstractBaseUser,
    action: str,
    ip_address: str | None = None,
) -> int:
    """Record that one page showed these patient records to `user`: one access record each."""
    address = client_address(ip_address)
    with transaction.atomic():
        records = AccessRecord.objects.bulk_create(
            AccessRecord(
                patient=patient,
                user=user,
                username=user.get_username(),
                action=action,
                ip_address=address,
            )
            for patient in patients
        )
    return len(records)


def intakes_export_record(
    *, intakes: Iterable[Intake], user: AbstractBaseUser, ip_address: str | None = None
) -> int:
    """Record an export of `intakes` by `user`, one access record per intake, like any access."""
    return access_records_create(
        intakes=intakes, user=user, action=AccessRecord.Action.EXPORT, ip_address=ip_address
    )


def api_reads_record(
    *, user: AbstractBaseUser, intakes: Iterable[Intake], ip_address: str | None = None
) -> int:
    """Record an integration's call to the FHIR API (`user`: its token's service account): one
    access record per intake it was given, naming the intake's patient, or one naming nothing
    when it was given no intake (the questionnaire, an empty page), so that every call is kept."""
    address = client_address(ip_address)
    base = {
        "user": user,
        "username": user.get_username(),
        "action": AccessRecord.Action.API,
        "ip_address": address,
    }
    rows = [
        AccessRecord(intake=intake, patient_id=intake.patient_id, **base) for intake in intakes
    ] or [AccessRecord(**base)]
    with transaction.atomic():
        return len(AccessRecord.objects.bulk_create(rows))


def users_with_history(users: QuerySet) -> QuerySet:
    """The accounts among `users` that opened an intake or a patient record, recorded a decision
    or a treatment, linked an intake, caused a re-screening or changed one of the clinic's texts:
    the record names them, so they are deactivated, never deleted."""
    return users.filter(
        Exists(AccessRecord.objects.filter(user=OuterRef("pk")))
        | Exists(Decision.objects.filter(doctor=OuterRef("pk")))
        | Exists(Treatment.objects.filter(doctor=OuterRef("pk")))
        | Exists(PatientLink.objects.filter(by=OuterRef("pk")))
        | Exists(Rescreening.objects.filter(requested_by=OuterRef("pk")))
        | Exists(FlagText.history.filter(history_user=OuterRef("pk")))
        | Exists(ConsentDocument.history.filter(history_user=OuterRef("pk")))
        | Exists(ClinicProfile.history.filter(history_user=OuterRef("pk")))
    )
