"""What `send_reminders` does: remind patients who have not sent their questionnaire, and tell
doctors how many intakes wait for them before near visits.

A reminder goes once per invitation (a unique constraint on EmailDelivery, so two runs at once
can't both send one), INTAKE_REMINDER_DAYS before the visit or later, to a patient invited
before today whose link still works. The doctors' e-mail says how many open intakes have a visit
in the next 48 hours and links to the queue: never a name or an answer. Both are queued here and
sent by the worker (intake/tasks.py).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Permission
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from intake.invitations.selectors import InvitationStatus, invitations_in_status
from intake.models import EmailDelivery, Intake, Invitation
from intake.tasks import send_invitation_email, send_review_digest

REVIEW_WINDOW = datetime.timedelta(hours=48)
REVIEW_PERMISSION = ("intake", "review_intake")


def reminders_due(*, now: datetime.datetime) -> QuerySet[Invitation]:
    """Invitations to remind now: unfinished, with an address, a visit within
    INTAKE_REMINDER_DAYS, made before today, not reminded yet."""
    today = timezone.localdate(now)
    start_of_today = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    return (
        Invitation.objects.filter(
            invitations_in_status(InvitationStatus.PENDING, today=today),
            visit_date__lte=today + datetime.timedelta(days=settings.INTAKE_REMINDER_DAYS),
            created_at__lt=start_of_today,
        )
        .exclude(email="")
        .exclude(deliveries__kind=EmailDelivery.Kind.REMINDER)
        .order_by("visit_date", "pk")
    )


def reminders_queue(*, now: datetime.datetime) -> int:
    """Queue the reminders due; returns how many were queued."""
    queued = 0
    for invitation in reminders_due(now=now):
        try:
            with transaction.atomic():
                delivery = EmailDelivery.objects.create(
                    invitation=invitation, kind=EmailDelivery.Kind.REMINDER
                )
                send_invitation_email.enqueue(delivery.pk)
        except IntegrityError:
            continue  # another run has just reminded this patient
        queued += 1
    return queued


@dataclass(frozen=True)
class ReviewDigest:
    count: int
    visit_from: datetime.date
    visit_to: datetime.date
    doctors: int


def review_waiting(*, now: datetime.datetime) -> tuple[int, datetime.date, datetime.date]:
    """How many open intakes (new or in review) have a visit from today to 48 hours from now."""
    visit_from = timezone.localdate(now)
    visit_to = timezone.localdate(now + REVIEW_WINDOW)
    count = Intake.objects.filter(
        status__in=Intake.OPEN_STATUSES, visit_date__gte=visit_from, visit_date__lte=visit_to
    ).count()
    return count, visit_from, visit_to


def review_digest_recipients() -> QuerySet[AbstractBaseUser]:
    """Active staff who review intakes (by their group or themselves) and have an address."""
    app_label, codename = REVIEW_PERMISSION
    permission = Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    ).first()
    if permission is None:
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .filter(Q(groups__permissions=permission) | Q(user_permissions=permission))
        .distinct()
        .order_by("pk")
    )


def review_digest_queue(*, now: datetime.datetime) -> ReviewDigest:
    """Queue each doctor's e-mail with the count, if any intake is waiting."""
    count, visit_from, visit_to = review_waiting(now=now)
    doctors = 0
    if count:
        for user in review_digest_recipients():
            send_review_digest.enqueue(user.pk, count, visit_from.isoformat(), visit_to.isoformat())
            doctors += 1
    return ReviewDigest(count=count, visit_from=visit_from, visit_to=visit_to, doctors=doctors)
