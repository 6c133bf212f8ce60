"""intake.retention: erasure removes or anonymises every copy of an intake and its invitation."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from intake import audit, retention
from intake.invitations import services as invitation_services
from intake.models import AccessRecord, Decision, Intake, Invitation
from tests.review.helpers import decide

DAY = datetime.timedelta(days=1)


@pytest.fixture
def invited_intake(
    make_intake: Callable[..., Intake], receptionist: User, today: datetime.date
) -> Intake:
    """An intake that came through an invitation carrying the patient's name, phone and e-mail."""
    invitation = invitation_services.invitation_create(
        full_name="招待 消子",
        phone="090-1111-2222",
        email="keshiko@example.jp",
        visit_date=today - 40 * DAY,
        language="ja",
        created_by=receptionist,
    )
    intake = make_intake(visit_date=today - 40 * DAY, full_name="招待 消子")
    Intake.objects.filter(pk=intake.pk).update(invitation=invitation)
    intake.refresh_from_db()
    return intake


def log(user: User, obj: Any, flag: int, message: str = "") -> LogEntry:
    """An admin log entry as the admin writes it: with the object's own text."""
    return LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[obj],
        action_flag=flag,
        change_message=message,
        single_object=True,
    )


def session_with_answers(*, expired: bool) -> str:
    """A patient's session holding unfinished answers; an expired one was abandoned."""
    store = SessionStore()
    store["wizard_intake_wizard"] = {"step_data": {"about_you": {"full_name": ["途中 放棄子"]}}}
    store.create()
    if expired:
        Session.objects.filter(pk=store.session_key).update(
            expire_date=timezone.now() - datetime.timedelta(seconds=1)
        )
    return store.session_key


# Deleting intakes --------------------------------------------------------------------------------
def test_deleting_an_intake_deletes_its_invitation(invited_intake: Intake) -> None:
    invitation_id = invited_intake.invitation_id

    retention.intakes_delete(ids=[invited_intake.pk])

    assert not Intake.objects.exists()
    assert not Invitation.objects.filter(pk=invitation_id).exists()


def test_deleting_an_intake_anonymises_the_admin_log_of_it_and_of_its_invitation(
    invited_intake: Intake, superuser: User, make_intake: Callable[..., Intake]
) -> None:
    other = make_intake()
    log(superuser, invited_intake.invitation, ADDITION, '[{"added": {}}]')
    log(superuser, invited_intake.invitation, CHANGE, '[{"changed": {"fields": ["Phone"]}}]')
    log(superuser, invited_intake, DELETION)
    kept = log(superuser, other, DELETION)

    retention.intakes_delete(ids=[invited_intake.pk])

    erased = LogEntry.objects.exclude(pk=kept.pk)
    assert sorted(erased.values_list("action_flag", flat=True)) == [ADDITION, CHANGE, DELETION]
    assert {(e.user, e.object_id, e.object_repr, e.change_message) for e in erased} == {
        (superuser, None, "—", "")
    }
    kept.refresh_from_db()
    assert (kept.object_id, kept.object_repr) == (str(other.pk), other.reference)


def test_deleting_an_intake_deletes_its_decisions_and_keeps_who_opened_it(
    invited_intake: Intake, doctor: User
) -> None:
    audit.access_record(user=doctor, action=AccessRecord.Action.DETAIL, intake=invited_intake)
    first = decide(invited_intake, doctor, acknowledged_flags=[])
    decide(invited_intake, doctor, acknowledged_flags=[], based_on=first.pk)

    retention.intakes_delete(ids=[invited_intake.pk])

    assert not Decision.objects.exists()
    record = AccessRecord.objects.get()
    assert (record.intake, record.user, record.username) == (None, doctor, "dr_sato")


# The purge ---------------------------------------------------------------------------------------
def test_the_purge_anonymises_the_admin_log_of_what_it_deletes_and_counts_it(
    invited_intake: Intake, superuser: User, today: datetime.date
) -> None:
    stale = invitation_services.invitation_create(
        full_name="未使用 消子", phone="0900000003", visit_date=today, language="ja"
    )
    Invitation.objects.filter(pk=stale.pk).update(visit_date=today - 60 * DAY)
    log(superuser, stale, ADDITION)
    log(superuser, invited_intake.invitation, ADDITION)

    dry = retention.intakes_purge(cutoff=today - 30 * DAY, dry_run=True)
    untouched = set(LogEntry.objects.values_list("object_repr", flat=True))
    result = retention.intakes_purge(cutoff=today - 30 * DAY)

    assert dry.log_entries == result.log_entries == 2
    assert untouched == {str(stale), str(invited_intake.invitation)}
    assert set(LogEntry.objects.values_list("object_repr", "object_id")) == {("—", None)}


def test_the_purge_clears_the_sessions_of_abandoned_intakes_and_keeps_live_ones(
    db: Any, today: datetime.date
) -> None:
    abandoned = session_with_answers(expired=True)
    live = session_with_answers(expired=False)

    dry = retention.intakes_purge(cutoff=today - 30 * DAY, dry_run=True)
    both_there = Session.objects.filter(pk__in=[abandoned, live]).count()
    result = retention.intakes_purge(cutoff=today - 30 * DAY)

    assert dry.sessions == result.sessions == 1
    assert both_there == 2
    assert list(Session.objects.values_list("pk", flat=True)) == [live]


def test_deleting_an_intake_erases_the_log_of_its_decisions_deleted_when_the_admin_allowed_it(
    invited_intake: Intake, superuser: User, doctor: User, make_intake: Callable[..., Intake]
) -> None:
    other = make_intake()
    gone = log(superuser, decide(invited_intake, doctor, acknowledged_flags=[]), DELETION)
    kept = log(superuser, decide(other, doctor, acknowledged_flags=[]), DELETION)
    assert gone.object_repr.startswith(f"{invited_intake.reference} · ")

    retention.intakes_delete(ids=[invited_intake.pk])

    gone.refresh_from_db()
    kept.refresh_from_db()
    assert (gone.user, gone.object_id, gone.object_repr) == (superuser, None, "—")
    assert kept.object_repr.startswith(f"{other.reference} · ")


# Patient records (spec §5) -----------------------------------------------------------------------
@pytest.fixture
def old_patient(
    submit_on: Callable[..., Intake],
    patient: Any,
    receptionist: User,
    doctor: User,
    record_treatment: Callable[..., Any],
    today: datetime.date,
) -> dict[str, Any]:
    """A patient created 400 days ago, with one visit and a treatment that long ago."""
    from intake.models import Patient
    from intake.patients import services as patient_services

    Patient.objects.filter(pk=patient.pk).update(created_at=timezone.now() - 400 * DAY)
    intake = submit_on(400)
    patient_services.intake_link(intake=intake, patient=patient, by=receptionist)
    treatment = record_treatment(patient, today - 400 * DAY, intake=intake)
    record_treatment(patient, today - 399 * DAY, supersedes=treatment, note="Corrected date.")
    audit.access_record(
        user=doctor, action=AccessRecord.Action.DETAIL, intake=intake, patient=patient
    )
    audit.access_record(user=doctor, action=AccessRecord.Action.PATIENT, patient=patient)
    return {"patient": patient, "intake": intake}


def test_the_purge_of_a_patients_last_intake_takes_the_patient_and_treatments_too(
    old_patient: dict[str, Any], today: datetime.date
) -> None:
    from intake.models import Patient, PatientLink, Treatment

    dry = retention.intakes_purge(cutoff=today - 365 * DAY, dry_run=True)
    assert dry.patients == 1
    assert Patient.objects.exists()

    result = retention.intakes_purge(cutoff=today - 365 * DAY)

    assert result.patients == 1
    assert not Patient.objects.exists()
    assert not Treatment.objects.exists()
    assert not PatientLink.objects.exists()
    # Who opened what stays, without whose it was.
    assert AccessRecord.objects.count() == 2
    assert not AccessRecord.objects.filter(patient__isnull=False).exists()
    assert not AccessRecord.objects.filter(intake__isnull=False).exists()


def test_a_patient_with_a_later_intake_or_a_recent_treatment_stays(
    old_patient: dict[str, Any],
    submit_on: Callable[..., Intake],
    receptionist: User,
    record_treatment: Callable[..., Any],
    today: datetime.date,
) -> None:
    from intake.models import Patient
    from intake.patients import services as patient_services

    patient = old_patient["patient"]
    later = submit_on(10)
    patient_services.intake_link(intake=later, patient=patient, by=receptionist)
    result = retention.intakes_purge(cutoff=today - 365 * DAY)
    assert result.patients == 0
    assert list(Patient.objects.all()) == [patient]
    # The access record of the purged intake no longer names the patient; the page's does.
    assert list(AccessRecord.objects.values_list("action", "patient")) in (
        [("detail", None), ("patient", patient.pk)],
        [("patient", patient.pk), ("detail", None)],
    )

    retention.intakes_delete(ids=[later.pk])
    record_treatment(patient, today - 5 * DAY)
    assert retention.intakes_purge(cutoff=today - 365 * DAY).patients == 0
    assert Patient.objects.exists()


def test_a_patient_invited_to_a_coming_visit_stays_and_old_invitations_go_with_the_patient(
    old_patient: dict[str, Any], receptionist: User, today: datetime.date
) -> None:
    from intake.models import Patient

    patient = old_patient["patient"]
    waiting = invitation_services.invitation_create(
        full_name=patient.full_name,
        phone=patient.phone,
        visit_date=today + 3 * DAY,
        language="ja",
        created_by=receptionist,
        patient=patient,
    )
    old = invitation_services.invitation_create(
        full_name=patient.full_name,
        phone=patient.phone,
        visit_date=today,
        language="ja",
        created_by=receptionist,
        patient=patient,
    )
    Invitation.objects.filter(pk=old.pk).update(visit_date=today - 370 * DAY)

    kept = retention.intakes_purge(cutoff=today - 365 * DAY)

    # The coming visit keeps the record its link opens; the expired invitation is purged.
    assert kept.patients == 0
    assert list(Patient.objects.all()) == [patient]
    assert list(Invitation.objects.all()) == [waiting]

    Invitation.objects.filter(pk=waiting.pk).update(used_at=timezone.now())
    log(receptionist, waiting, ADDITION)
    purged = retention.intakes_purge(cutoff=today - 365 * DAY)

    assert purged.patients == 1
    assert not Patient.objects.exists()
    assert not Invitation.objects.exists()  # with its patient, never left without one
    assert LogEntry.objects.get().object_repr == retention.ERASED
