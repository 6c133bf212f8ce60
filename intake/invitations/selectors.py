"""Reads of reception's room: an invitation's status, its link, and who has not finished yet."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from intake.birthdate import birth_date_tries_left
from intake.models import EmailDelivery, Intake, Invitation, Patient


class InvitationStatus(models.TextChoices):
    """Where an invitation stands; derived from it and the day, never stored."""

    PENDING = "pending", _("Waiting for the patient")
    USED = "used", _("Questionnaire sent")
    EXPIRED = "expired", _("Expired")


def invitation_status(invitation: Invitation, *, today: datetime.date) -> InvitationStatus:
    """Pending until the intake is submitted; used after; expired once the visit date passed."""
    if invitation.used_at is not None:
        return InvitationStatus.USED
    if invitation.visit_date < today:
        return InvitationStatus.EXPIRED
    return InvitationStatus.PENDING


def invitations_in_status(status: str, *, today: datetime.date) -> Q:
    """The same statuses as `invitation_status`, as a filter of invitations."""
    return {
        InvitationStatus.PENDING: Q(used_at__isnull=True, visit_date__gte=today),
        InvitationStatus.USED: Q(used_at__isnull=False),
        InvitationStatus.EXPIRED: Q(used_at__isnull=True, visit_date__lt=today),
    }[InvitationStatus(status)]


def invitations_pending(*, today: datetime.date) -> QuerySet[Invitation]:
    """Invited patients who have not finished the intake and whose visit is today or later,
    each with its e-mails (`deliveries`, newest first)."""
    return (
        Invitation.objects.filter(invitations_in_status(InvitationStatus.PENDING, today=today))
        .prefetch_related(_deliveries())
        .order_by("visit_date", "full_name_kana", "full_name", "pk")
    )


def _deliveries() -> Prefetch:
    return Prefetch("deliveries", queryset=EmailDelivery.objects.order_by("-created_at", "-pk"))


def invitation_by_token(*, token: str) -> Invitation | None:
    return Invitation.objects.select_related("patient").filter(token=token).first()


def invitation_by_pk(*, pk: int) -> Invitation | None:
    """An invitation with the intake it led to and its e-mails, for reception's page."""
    return (
        Invitation.objects.select_related("intake")
        .prefetch_related(_deliveries())
        .filter(pk=pk)
        .first()
    )


def invitation_link(request: HttpRequest, invitation: Invitation) -> str:
    """The absolute link the patient opens, in the invitation's language."""
    with translation.override(invitation.language):
        path = reverse("invitations:open", kwargs={"token": invitation.token})
    return request.build_absolute_uri(path)


def invitation_url(invitation: Invitation) -> str:
    """The same link for an e-mail, sent by the worker: on the site's address (SITE_URL)."""
    with translation.override(invitation.language):
        path = reverse("invitations:open", kwargs={"token": invitation.token})
    return settings.SITE_URL + path


# Repeat intakes (spec §5): an invitation made from a patient's page ------------------------------
def patient_to_invite(*, pk: int) -> Patient | None:
    return Patient.objects.filter(pk=pk).first()


def invitation_initial(*, patient: Patient) -> dict[str, str]:
    """The invitation form's details from the patient record, in the language of the patient's
    latest intake; the visit date is left to type."""
    language = (
        Intake.objects.filter(patient=patient)
        .order_by("-submitted_at", "-pk")
        .values_list("language", flat=True)
        .first()
    )
    return {
        "full_name": patient.full_name,
        "full_name_kana": patient.full_name_kana,
        "phone": patient.phone,
        "email": patient.email,
        "language": language or "ja",
    }


@dataclass(frozen=True)
class PatientInvitation:
    invitation: Invitation
    status: InvitationStatus
    # Too many wrong dates of birth: the patient must contact the clinic for a new link.
    locked: bool


def patient_invitations(*, patient: Patient, today: datetime.date) -> list[PatientInvitation]:
    """The invitations made for this patient, latest visit first, with where each stands."""
    invitations = Invitation.objects.filter(patient=patient).order_by("-visit_date", "-pk")
    return [
        PatientInvitation(
            invitation=invitation,
            status=invitation_status(invitation, today=today),
            locked=invitation.used_at is None and not birth_date_tries_left(invitation),
        )
        for invitation in invitations
    ]
