"""Writes of the doctors' workspace: opening an intake for review, and recording a decision."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intake import audit, screening
from intake.models import AccessRecord, Decision, Intake


class DecisionConflict(Exception):
    """Someone else recorded a decision after the one the deciding doctor last saw."""

    def __init__(self, latest: Decision | None) -> None:
        super().__init__("The intake was decided meanwhile by someone else.")
        self.latest = latest


def intake_open_for_review(
    *,
    intake: Intake,
    user: AbstractBaseUser,
    history: Iterable[Intake] = (),
    ip_address: str | None = None,
) -> Intake:
    """A doctor opens an intake: record the access (and, for a returning patient, one for each
    earlier intake whose result, decisions or answers the page shows as history); the first
    open moves it to in review."""
    with transaction.atomic():
        audit.access_record(
            user=user,
            action=AccessRecord.Action.DETAIL,
            intake=intake,
            patient=intake.patient,
            ip_address=ip_address,
        )
        audit.access_records_create(
            intakes=history,
            user=user,
            action=AccessRecord.Action.HISTORY,
            patient=intake.patient,
            ip_address=ip_address,
        )
        if intake.status == Intake.Status.NEW:
            # Conditional update: a concurrent open or decision is never undone.
            moved = Intake.objects.filter(pk=intake.pk, status=Intake.Status.NEW).update(
                status=Intake.Status.IN_REVIEW
            )
            if moved:
                intake.status = Intake.Status.IN_REVIEW
    return intake


def intake_read_record(
    *,
    intake: Intake,
    user: AbstractBaseUser,
    action: str,
    history: Iterable[Intake] = (),
    ip_address: str | None = None,
) -> None:
    """Record a reading of `intake` other than its page (the consultation summary, the
    patient's handout, the chart text, the FHIR download), and of the earlier intakes it shows
    as the patient's history."""
    with transaction.atomic():
        audit.access_record(
            user=user, action=action, intake=intake, patient=intake.patient, ip_address=ip_address
        )
        audit.access_records_create(
            intakes=history,
            user=user,
            action=AccessRecord.Action.HISTORY,
            patient=intake.patient,
            ip_address=ip_address,
        )


def _latest_decision(intake: Intake) -> Decision | None:
    return (
        Decision.objects.filter(intake=intake)
        .select_related("doctor")
        .order_by("-decided_at", "-id")
        .first()
    )


def _latest_decision_if_readable(intake: Intake) -> Decision | None:
    try:
        return _latest_decision(intake)
    except OperationalError:
        return None


def intake_decide(
    *,
    intake: Intake,
    doctor: AbstractBaseUser,
    outcome: str,
    note: str,
    acknowledged_flags: Iterable[str],
    based_on: int | None,
    now: datetime.datetime | None = None,
) -> Decision:
    """Record a doctor's decision; it supersedes the previous one, which stays in the history.

    `based_on` is the id of the latest decision the doctor saw (None when there was none). If
    another decision was recorded since, nothing is saved and DecisionConflict carries it.
    """
    note = note.strip()
    if outcome not in Decision.Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    if outcome != Decision.Outcome.APPROVED and not note:
        raise ValidationError({"note": _("A note is required unless the outcome is approved.")})
    acknowledged = set(acknowledged_flags)
    try:
        with transaction.atomic():
            locked = (
                Intake.objects.select_for_update(of=("self",))
                .select_related("current_rescreening")
                .get(pk=intake.pk)
            )
            # The flags of the current result: a re-screening may have raised one since the
            # page was shown, and then the decision waits for its acknowledgement.
            required = [
                flag.code
                for flag in sorted(locked.current_flags(), key=lambda flag: flag.position)
                if flag.severity in screening.ACKNOWLEDGED_SEVERITIES
            ]
            missing = [code for code in required if code not in acknowledged]
            if missing:
                raise ValidationError(
                    _("Not acknowledged: %(codes)s.") % {"codes": ", ".join(missing)},
                    code="unacknowledged",
                )
            latest = _latest_decision(locked)
            if (latest.pk if latest else None) != based_on:
                raise DecisionConflict(latest)
            decision = Decision.objects.create(
                intake=locked,
                doctor=doctor,
                outcome=outcome,
                note=note,
                acknowledged_flags=required,
                decided_at=now or timezone.now(),
                supersedes=latest,
            )
            locked.status = Intake.Status.DECIDED
            locked.save(update_fields=["status"])
    except IntegrityError as error:
        # Two decisions superseding the same one (databases without row locks, like SQLite):
        # the unique `supersedes` lets only the first through.
        raise DecisionConflict(_latest_decision(intake)) from error
    except OperationalError as error:
        # SQLite: another writer held the database longer than the settings' timeout. Nothing
        # was saved; the doctor sees the decision page again with what they typed, as on a
        # conflict, and whatever was recorded meanwhile.
        if "database is locked" not in str(error):
            raise
        raise DecisionConflict(_latest_decision_if_readable(intake)) from error
    intake.status = Intake.Status.DECIDED
    return decision
