"""The parameters of the API's search for intakes' Bundles (`GET Bundle?...`), read strictly:
a parameter the API knows with a value it can't read is a 400 that says why; parameters it does
not know are ignored, as FHIR servers do by default."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core import signing
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from intake.models import Intake

DEFAULT_COUNT = 20
MAX_COUNT = 100
CURSOR_SALT = "intake.api.bundle-cursor"
DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
COUNT = re.compile(r"^[0-9]{1,3}$")


class SearchError(ValueError):
    """A parameter the API can't read; the message says which and why, in the caller's
    language."""


@dataclass(frozen=True)
class BundleSearch:
    # Changes at or after this moment (None: every intake).
    since: datetime.datetime | None
    # `_lastUpdated` as given, for the links to the next pages.
    last_updated: str | None
    count: int
    # Where the previous page ended: its last intake's change and id.
    after: tuple[datetime.datetime, int] | None


def _one(query: QueryDict, name: str) -> str | None:
    values = query.getlist(name)
    if len(values) > 1:
        raise SearchError(_("Give %(name)s once.") % {"name": name})
    return values[0] if values else None


def _moment(value: str) -> datetime.datetime:
    """A date (its midnight in the clinic's time zone) or a time with its time zone, in UTC."""
    value = value.strip().replace(" ", "+")  # a "+" the caller did not encode arrives as a space
    try:
        if DATE_ONLY.match(value):
            day = datetime.date.fromisoformat(value)
            moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
        else:
            moment = datetime.datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise SearchError(
                _("_lastUpdated needs a time zone, for example 2026-12-01T09:00:00+09:00.")
            )
        return moment.astimezone(datetime.UTC)
    except SearchError:
        raise
    except (ValueError, OverflowError) as error:
        raise SearchError(
            _("_lastUpdated is not a date or a time: write ge2026-12-01 or gt2026-12-01T09:00:00Z.")
        ) from error


def _since(value: str) -> datetime.datetime:
    prefix, rest = value[:2], value[2:]
    if prefix not in ("ge", "gt"):
        raise SearchError(
            _("_lastUpdated takes the prefix ge (at or after) or gt (after), e.g. ge2026-12-01.")
        )
    moment = _moment(rest)
    if prefix == "ge":
        return moment
    # After a whole day is from the next one; after a moment, from its next microsecond.
    whole_day = DATE_ONLY.match(rest.strip())
    step = datetime.timedelta(days=1) if whole_day else datetime.timedelta(microseconds=1)
    try:
        return moment + step
    except OverflowError as error:
        raise SearchError(_("_lastUpdated is too far in the future.")) from error


def cursor(intake: Intake) -> str:
    """Where a page ends, for the next page's link: signed, so it is read back as given."""
    return signing.dumps([intake.changed_at.isoformat(), intake.pk], salt=CURSOR_SALT)


def _after(value: str) -> tuple[datetime.datetime, int]:
    try:
        moment, pk = signing.loads(value, salt=CURSOR_SALT)
        return datetime.datetime.fromisoformat(moment), int(pk)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise SearchError(
            _("_cursor is not one this server gave: follow the next link as it is.")
        ) from error


def bundle_search(query: QueryDict) -> BundleSearch:
    last_updated = _one(query, "_lastUpdated")
    count_given = _one(query, "_count")
    cursor_given = _one(query, "_cursor")
    count = DEFAULT_COUNT
    if count_given is not None:
        if not COUNT.match(count_given) or not 1 <= int(count_given) <= MAX_COUNT:
            raise SearchError(_("_count is a whole number from 1 to %(max)d.") % {"max": MAX_COUNT})
        count = int(count_given)
    return BundleSearch(
        since=_since(last_updated) if last_updated is not None else None,
        last_updated=last_updated,
        count=count,
        after=_after(cursor_given) if cursor_given is not None else None,
    )
