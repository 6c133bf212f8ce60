"""Writes of reception's room: an invitation, the patient's link into the intake."""

from __future__ import annotations

import datetime
import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from intake.models import Invitation, Patient

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
