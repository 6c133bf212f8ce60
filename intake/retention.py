"""Retention and erasure: which intakes are past the clinic's retention period, and deleting them.

An intake goes with its flags, decisions, re-screenings and invitation; the access records stay,
without the intake, so who opened something and when remains while whose data it was does not.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet

from intake.models import AccessRecord, Decision, Intake, IntakeFlag, Invitation, Rescreening


def intakes_past_retention(*, cutoff: datetime.date) -> QuerySet[Intake]:
    """Intakes whose visit, or submission when there is no visit date, is before `cutoff`."""
    return Intake.objects.filter(
        Q(visit_date__lt=cutoff) | Q(visit_date__isnull=True, submitted_at__date__lt=cutoff)
    ).order_by("submitted_at", "pk")


@dataclass(frozen=True)
class PurgeResult:
    """What a purge removed (or, in a dry run, would remove)."""

    cutoff: datetime.date
    references: tuple[str, ...]
    flags: int
    decisions: int
    rescreenings: int
    invitations: int
    access_records_kept: int
    dry_run: bool


def intakes_purge(*, cutoff: datetime.date, dry_run: bool = False) -> PurgeResult:
    """Delete the intakes past retention (visit, or submission without one, before `cutoff`).

    Their flags, decisions and re-screenings go with them, and so do their invitations and any
    invitation whose visit date is before `cutoff`. Access records stay, counted, without the
    intake (the foreign key is SET_NULL): who opened something, when, remains; whose data it was
    does not. A dry run computes the same result in the same transaction and changes nothing.
    """
    with transaction.atomic():
        rows = list(
            intakes_past_retention(cutoff=cutoff).select_for_update().values_list("pk", "reference")
        )
        ids = [pk for pk, _reference in rows]
        references = tuple(reference for _pk, reference in rows)
        invitations = Invitation.objects.filter(
            Q(intake__pk__in=ids) | Q(visit_date__lt=cutoff, intake__isnull=True)
        )
        result = PurgeResult(
            cutoff=cutoff,
            references=references,
            flags=IntakeFlag.objects.filter(intake__in=ids).count(),
            decisions=Decision.objects.filter(intake__in=ids).count(),
            rescreenings=Rescreening.objects.filter(intake__in=ids).count(),
            invitations=invitations.count(),
            access_records_kept=AccessRecord.objects.filter(intake__in=ids).count(),
            dry_run=dry_run,
        )
        if dry_run:
            return result
        invitation_ids = list(invitations.values_list("pk", flat=True))
        intakes_delete(ids=ids)
        Invitation.objects.filter(pk__in=invitation_ids).delete()
    return result


def intakes_delete(*, ids: Iterable[int]) -> int:
    """Delete intakes with their flags, decisions and re-screenings; access records stay.

    A decision PROTECTs the one it superseded (no decision leaves the middle of a history), so
    the histories of the intakes being deleted are taken apart first, inside the transaction.
    """
    ids = list(ids)
    with transaction.atomic():
        Decision.objects.filter(intake__in=ids).update(supersedes=None)
        deleted, _per_model = Intake.objects.filter(pk__in=ids).delete()
    return len(ids) if deleted else 0
