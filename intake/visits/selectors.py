"""Reads of today's visits: a day's invitations and intakes as one list, each with its state.

Reception's rows load nothing medical (no answer, verdict or flag leaves the database for them),
as in the queue (review/queue.py). Two queries whatever the number of visits.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db import models
from django.utils.translation import pgettext_lazy

from intake import answers
from intake.models import Intake, Invitation
from intake.models.intakes import effective_visit_date

INTAKE_FIELDS = ("reference", "full_name", "full_name_kana", "visit_date", "status", "invitation")
DOCTOR_INTAKE_FIELDS = (*INTAKE_FIELDS, "verdict")
INVITATION_FIELDS = (
    "full_name",
    "full_name_kana",
    "visit_date",
    "language",
    "used_at",
    "started_at",
)


class VisitState(models.TextChoices):
    """Where a visit stands, from the invitation to the doctor's decision."""

    INVITED = "invited", pgettext_lazy("visit state", "Invited")
    STARTED = "started", pgettext_lazy("visit state", "Started")
    SUBMITTED = "submitted", pgettext_lazy("visit state", "Submitted")
    IN_REVIEW = "in_review", pgettext_lazy("visit state", "In review")
    DECIDED = "decided", pgettext_lazy("visit state", "Decided")


INTAKE_STATES = {
    Intake.Status.NEW: VisitState.SUBMITTED,
    Intake.Status.IN_REVIEW: VisitState.IN_REVIEW,
    Intake.Status.DECIDED: VisitState.DECIDED,
}


@dataclass(frozen=True)
class Visit:
    full_name: str
    full_name_kana: str
    state: VisitState
    invitation_pk: int | None = None
    reference: str = ""
    # Doctors only: the screening verdict's code ("" for reception and for no intake yet).
    verdict: str = ""

    def verdict_label(self, language: str) -> str:
        label = answers.VERDICT_LABELS.get(self.verdict)
        return label.in_language(language) if label else ""


def visits_on(day: datetime.date, *, for_doctor: bool) -> list[Visit]:
    """The day's appointments: every invitation for it, and every intake for it that no
    invitation of the day brought (patients who came without one), by name."""
    fields = DOCTOR_INTAKE_FIELDS if for_doctor else INTAKE_FIELDS
    invitations = list(
        Invitation.objects.filter(visit_date=day)
        .select_related("intake")
        .only(*INVITATION_FIELDS, *(f"intake__{field}" for field in fields))
    )
    invited_intakes = {
        invitation.intake.pk for invitation in invitations if _intake_of(invitation) is not None
    }
    # The day the clinic expects the patient: its appointment date when staff set one.
    walk_ins = (
        Intake.objects.alias(visit_on=effective_visit_date())
        .filter(visit_on=day)
        .exclude(pk__in=invited_intakes)
        .only(*fields)
    )
    visits = [_invitation_visit(invitation, for_doctor) for invitation in invitations]
    visits += [_intake_visit(intake, for_doctor) for intake in walk_ins]
    return sorted(visits, key=lambda visit: (visit.full_name_kana or "ー", visit.full_name))


def state_counts(visits: list[Visit]) -> list[tuple[VisitState, int]]:
    counts = Counter(visit.state for visit in visits)
    return [(state, counts[state]) for state in VisitState if counts[state]]


def _intake_of(invitation: Invitation) -> Intake | None:
    try:
        return invitation.intake
    except Intake.DoesNotExist:
        return None


def _invitation_visit(invitation: Invitation, for_doctor: bool) -> Visit:
    intake = _intake_of(invitation)
    if intake is not None:
        return _intake_visit(intake, for_doctor, invitation=invitation)
    state = VisitState.STARTED if invitation.started_at else VisitState.INVITED
    return Visit(
        full_name=invitation.full_name,
        full_name_kana=invitation.full_name_kana,
        state=state,
        invitation_pk=invitation.pk,
    )


def _intake_visit(
    intake: Intake, for_doctor: bool, *, invitation: Invitation | None = None
) -> Visit:
    return Visit(
        full_name=intake.full_name,
        full_name_kana=intake.full_name_kana,
        state=INTAKE_STATES[intake.status],
        invitation_pk=invitation.pk if invitation is not None else intake.invitation_id,
        reference=intake.reference,
        verdict=intake.verdict if for_doctor else "",
    )
