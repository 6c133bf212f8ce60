"""intake.audit: the access record holds who, what, when and where, nothing medical."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.db.models import ProtectedError
from django.utils import timezone

from intake import audit
from intake.models import AccessRecord, Decision, Intake


def test_an_access_record_holds_who_what_when_where_and_nothing_medical(
    doctor: User, make_intake: Callable[..., Intake]
) -> None:
    intake = make_intake(pregnancy="pregnant")
    record = audit.access_record(
        user=doctor, action=AccessRecord.Action.DETAIL, intake=intake, ip_address="not an address"
    )
    assert record.ip_address is None
    stored = {field.attname for field in AccessRecord._meta.concrete_fields}
    assert stored == {
        "id",
        "intake_id",
        "patient_id",
        "user_id",
        "username",
        "action",
        "at",
        "ip_address",
    }
    assert record.username == "dr_sato"


def test_an_export_record_keeps_the_username_too(
    doctor: User, make_intake: Callable[..., Intake]
) -> None:
    audit.intakes_export_record(intakes=[make_intake(), make_intake()], user=doctor)

    assert list(AccessRecord.objects.values_list("username", flat=True)) == ["dr_sato"] * 2


def test_a_user_who_opened_an_intake_cannot_be_deleted_the_record_keeps_its_author(
    doctor: User, make_intake: Callable[..., Intake]
) -> None:
    audit.access_record(user=doctor, action=AccessRecord.Action.DETAIL, intake=make_intake())

    with pytest.raises(ProtectedError):
        doctor.delete()

    assert AccessRecord.objects.get().user == doctor


def test_a_user_with_a_decision_cannot_be_deleted(
    doctor: User, make_intake: Callable[..., Intake]
) -> None:
    Decision.objects.create(
        intake=make_intake(),
        doctor=doctor,
        outcome=Decision.Outcome.APPROVED,
        decided_at=timezone.now(),
    )

    with pytest.raises(ProtectedError):
        doctor.delete()


def test_an_access_record_names_an_intake_or_a_patient(doctor: User) -> None:
    with pytest.raises(ValueError):
        audit.access_record(user=doctor, action=AccessRecord.Action.PATIENT)


def test_those_who_recorded_treatments_or_linked_intakes_are_kept_too(
    returning: dict, doctor: User, receptionist: User, other_doctor: User
) -> None:
    from intake.patients import services as patient_services

    patient_services.intake_link(
        intake=returning["current"], patient=returning["patient"], by=receptionist
    )
    # The doctor recorded the treatment, reception linked (and caused the re-screening).
    with_history = audit.users_with_history(User.objects.all())
    assert set(with_history) == {doctor, receptionist}
    assert other_doctor not in with_history
