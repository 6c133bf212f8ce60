"""The date of birth typed on a guarded link, checked against the one on record and counted."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models, transaction
from django.db.models import F

from intake.birthdate import BIRTH_DATE_TRIES, FAILURES_FIELD


@dataclass(frozen=True)
class BirthDateCheck:
    confirmed: bool
    # Wrong dates the link still takes; 0 once locked.
    tries_left: int

    @property
    def locked(self) -> bool:
        return not self.confirmed and self.tries_left == 0


def birth_date_check(
    *,
    record: models.Model,
    expected: datetime.date,
    given: datetime.date,
    tries: int = BIRTH_DATE_TRIES,
) -> BirthDateCheck:
    """Whether `given` is the date of birth on record and the link on `record` is not locked.

    A wrong date is counted on `record`'s row by one UPDATE (`failures = failures + 1` while
    under `tries`): two wrong dates sent at the same moment count two, from any browser, and
    none is counted past the limit. Once locked, the right date opens nothing either.
    """
    rows = type(record)._default_manager.filter(pk=record.pk)
    with transaction.atomic():
        if given != expected:
            rows.filter(**{f"{FAILURES_FIELD}__lt": tries}).update(
                **{FAILURES_FIELD: F(FAILURES_FIELD) + 1}
            )
        failures = rows.values_list(FAILURES_FIELD, flat=True).get()
    setattr(record, FAILURES_FIELD, failures)
    tries_left = max(tries - failures, 0)
    return BirthDateCheck(confirmed=given == expected and tries_left > 0, tries_left=tries_left)
