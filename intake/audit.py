"""The access record: who opened which intake, when and from where, never what was seen.

Every page, print view, admin page and export that shows an intake's answers, flags or decisions
writes here; so does a refused decision, which shows the whole intake again.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from intake.models import AccessRecord, Decision, Intake


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
        user=user,
        username=user.get_username(),
        action=action,
        intake=intake,
        ip_address=client_address(ip_address),
    )


def access_records_create(
    *,
    intakes: Iterable[Intake],
    user: AbstractBaseUser,
    action: str,
    ip_address: str | None = None,
) -> int:
    """Record that one page or file showed `intakes` to `user`: one access record per intake."""
    address = client_address(ip_address)
    with transaction.atomic():
        records = AccessRecord.objects.bulk_create(
            AccessRecord(
                intake=intake,
                user=user,
                username=user.get_username(),
                action=action,
                ip_address=address,
            )
            for intake in intakes
        )
    return len(records)


def intakes_export_record(
    *, intakes: Iterable[Intake], user: AbstractBaseUser, ip_address: str | None = None
) -> int:
    """Record an export of `intakes` by `user`, one access record per intake, like any access."""
    return access_records_create(
        intakes=intakes, user=user, action=AccessRecord.Action.EXPORT, ip_address=ip_address
    )


def users_with_history(users: QuerySet) -> QuerySet:
    """The accounts among `users` that opened an intake or recorded a decision: the access
    record and the decisions name them, so they are deactivated, never deleted."""
    return users.filter(
        Exists(AccessRecord.objects.filter(user=OuterRef("pk")))
        | Exists(Decision.objects.filter(doctor=OuterRef("pk")))
    )
