"""A per-address limit on intake submissions, shared by every app server through the database.

The counters live in a table of their own (SubmissionCount, made by `migrate`), one row per
address and hour. Checking and counting are one statement (an insert that updates the hour's row
where it is under the limit), so simultaneous submissions from one address can't all slip under
the limit. A spam guard must never cost a patient their intake: if the counters can't be reached,
the submission goes through and a warning is logged. The clinic's own intake tablets
(intake/tablet/) are not limited: one device, many patients.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import logging
from contextlib import nullcontext

from django.conf import settings
from django.db import DatabaseError, connection, transaction
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
    # Inside a transaction (a caller's), a savepoint: a failure here leaves it usable. Outside,
    # each statement is its own transaction.
    guard = transaction.atomic() if connection.in_atomic_block else nullcontext()
    try:
        with guard:
            return _take(_address_hash(request), _window_start(timezone.now()), limit)
    except DatabaseError as error:
        # The class name only: a database message may quote the values of the statement.
        logger.warning(
            "The submission limit could not be checked (%s); the submission is let through.",
            type(error).__name__,
        )
        return True


# The hour whose earlier windows this process has last removed.
_forgotten_before: datetime.datetime | None = None


def _take(address_hash: str, window_start: datetime.datetime, limit: int) -> bool:
    global _forgotten_before
    if window_start != _forgotten_before:
        # This process's first submission of the hour: a good moment to forget earlier hours.
        SubmissionCount.objects.filter(window_start__lt=window_start).delete()
        _forgotten_before = window_start
    # Counted if under the limit, in one statement: the hour's first submission inserts the
    # row; the others update it where it is still under the limit, and simultaneous ones take
    # turns on the row, each seeing the count the one before it left. No row back: at the limit.
    # (PostgreSQL, and SQLite from 3.35.)
    quote = connection.ops.quote_name
    table, count = quote(SubmissionCount._meta.db_table), quote("count")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({quote('address_hash')}, {quote('window_start')}, {count}) "
            f"VALUES (%s, %s, 1) "
            f"ON CONFLICT ({quote('address_hash')}, {quote('window_start')}) "
            f"DO UPDATE SET {count} = {table}.{count} + 1 WHERE {table}.{count} < %s "
            f"RETURNING {count}",
            [address_hash, connection.ops.adapt_datetimefield_value(window_start), limit],
        )
        return cursor.fetchone() is not None
