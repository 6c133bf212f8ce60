"""The access record: who opened which intake, when and from where, never what was seen.

Every page, print view, admin page and export that shows an intake's answers writes here.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from intake.models import AccessRecord, Intake


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
    intake: Intake,
    ip_address: str | None = None,
) -> AccessRecord:
    """Record that `user` opened `intake`: who, what, when and from where, never what was seen."""
    return AccessRecord.objects.create(
        user=user, action=action, intake=intake, ip_address=client_address(ip_address)
    )


def intakes_export_record(
    *, intakes: Iterable[Intake], user: AbstractBaseUser, ip_address: str | None = None
) -> int:
    """Record an export of `intakes` by `user`, one access record per intake, like any access."""
    address = client_address(ip_address)
    with transaction.atomic():
        records = AccessRecord.objects.bulk_create(
            AccessRecord(
                intake=intake, user=user, action=AccessRecord.Action.EXPORT, ip_address=address
            )
            for intake in intakes
        )
    return len(records)
