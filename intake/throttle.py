"""A per-address limit on intake submissions, shared by every app server through the database.

The counters live in a table of their own (SubmissionCount, made by `migrate`), one row per
address and hour. Checking and counting are one conditional UPDATE, so simultaneous submissions
from one address can't all slip under the limit. A spam guard must never cost a patient their
intake: if the counters can't be reached, the submission goes through and a warning is logged.
The clinic's own intake tablets (intake/tablet/) are not limited: one device, many patients.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import logging

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from intake.models import SubmissionCount
from intake.tablet.mode import is_tablet

logger = logging.getLogger(__name__)


def _address_hash(request: HttpRequest) -> str:
    # The address is kept only as a keyed hash, and only for about an hour.
    address = request.META.get("REMOTE_ADDR", "")
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()
    return digest[:32]


def _window_start(now: datetime.datetime) -> datetime.datetime:
    return now.replace(minute=0, second=0, microsecond=0)


def submission_take(request: HttpRequest) -> bool:
    """Count this submission and return True, or return False (counting nothing) at the limit.

    The limit is INTAKE_SUBMIT_RATE_LIMIT submissions per address per clock hour. A clinic's
    tablet is neither limited nor counted: the waiting room's patients would soon reach it, and
    the clinic's other devices share its address.
    """
    if is_tablet(request):
        return True
    limit = settings.INTAKE_SUBMIT_RATE_LIMIT
    if limit <= 0:
        return False
    try:
        # A savepoint inside a request's transaction: a failure here leaves it usable.
        with transaction.atomic():
            return _take(_address_hash(request), _window_start(timezone.now()), limit)
    except DatabaseError as error:
        # The class name only: a database message may quote the values of the statement.
        logger.warning(
            "The submission limit could not be checked (%s); the submission is let through.",
            type(error).__name__,
        )
        return True


def _take(address_hash: str, window_start: datetime.datetime, limit: int) -> bool:
    window = SubmissionCount.objects.filter(address_hash=address_hash, window_start=window_start)
    # Under the limit and counted, in one statement: concurrent UPDATEs of a row take turns,
    # and each sees the count the one before it left.
    if window.filter(count__lt=limit).update(count=F("count") + 1):
        return True
    try:
        with transaction.atomic():
            SubmissionCount.objects.create(
                address_hash=address_hash, window_start=window_start, count=1
            )
    except IntegrityError:
        # The row exists: at the limit, or another submission has just created it.
        return bool(window.filter(count__lt=limit).update(count=F("count") + 1))
    # This address's first submission of the hour: a good moment to forget earlier hours.
    SubmissionCount.objects.filter(window_start__lt=window_start).delete()
    return True
