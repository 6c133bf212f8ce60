"""Writes of reception's room: an invitation, the patient's link into the intake, and the e-mail
that carries it (queued here, sent by the worker: intake/tasks.py)."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intake.models import EmailDelivery, Invitation, Patient
from intake.tasks import send_invitation_email

INVITATION_TOKEN_BYTES = 32  # token_urlsafe(32) is 43 characters: Invitation.token's length


def invitation_create(
    *,
    full_name: str,
    visit_date: datetime.date,
    language: str,
    full_name_kana: str = "",
    phone: str = "",
    email: str = "",
    created_by: AbstractBaseUser | None = None,
    patient: Patient | None = None,
) -> Invitation:
    """Reception invites a patient to the intake before the visit: a link that works once.

    With `patient`, a repeat intake (spec §5): the link asks for the patient's date of birth,
    then opens prefilled from their latest intake, and the intake is tied to them at submit.
    """
    if not phone and not email:
        raise ValidationError(_("Enter a phone number or an email address."), code="no_contact")
    with transaction.atomic():
        return Invitation.objects.create(
            token=secrets.token_urlsafe(INVITATION_TOKEN_BYTES),
            full_name=full_name,
            full_name_kana=full_name_kana,
            phone=phone,
            email=email,
            visit_date=visit_date,
            language=language,
            created_by=created_by,
            patient=patient,
        )


def invitation_mark_started(*, invitation: Invitation) -> None:
    """The patient has sent the first answers from the link (today's visits: "started")."""
    Invitation.objects.filter(pk=invitation.pk, started_at__isnull=True).update(
        started_at=timezone.now()
    )
    invitation.started_at = invitation.started_at or timezone.now()


class EmailNotQueued(Exception):
    """The e-mail can't be queued; the message says why, for reception."""


def invitation_email_queue(
    *, invitation: Invitation, created_by: AbstractBaseUser | None = None
) -> EmailDelivery:
    """Queue the invitation's link by e-mail, for the worker to send.

    One at a time: while one is queued, asking again returns it. Queuing a new one stops the
    retries of an earlier one that failed, so the patient gets one e-mail, not two.
    """
    if not settings.EMAIL_ENABLED:
        raise EmailNotQueued(_("E-mail is not set up on this server."))
    if not invitation.email:
        raise EmailNotQueued(_("This invitation has no e-mail address."))
    if invitation.used_at is not None or invitation.visit_date < timezone.localdate():
        raise EmailNotQueued(_("This link no longer opens the questionnaire."))
    with transaction.atomic():
        # The invitation's row serialises two clicks on "send": the second finds the first.
        Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
        deliveries = EmailDelivery.objects.filter(
            invitation=invitation, kind=EmailDelivery.Kind.INVITATION
        )
        queued = deliveries.filter(status=EmailDelivery.Status.QUEUED).first()
        if queued is not None:
            return queued
        deliveries.filter(status=EmailDelivery.Status.FAILED).update(next_attempt_at=None)
        delivery = EmailDelivery.objects.create(
            invitation=invitation, kind=EmailDelivery.Kind.INVITATION, created_by=created_by
        )
        # In the same transaction: the worker sees the task only with its delivery.
        send_invitation_email.enqueue(delivery.pk)
    return delivery
