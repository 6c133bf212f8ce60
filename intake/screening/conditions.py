"""The answers prepared for the rules, and the small builders that make each rule's test.

Standard library only, like the whole of `intake.screening`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from intake.answers import DATE_KEYS, MULTI_KEYS

# The dates the rules measure against the reference date: every date of the data dictionary but
# the date of birth (it gives the age) and the visit date (it is the reference date).
INTERVAL_KEYS = tuple(key for key in DATE_KEYS if key not in {"date_of_birth", "visit_date"})
_NONE_CHOSEN: frozenset[str] = frozenset()


def completed_years(born: dt.date, on: dt.date) -> int:
    """Age in completed years; a 29 February birthday counts from 1 March in common years."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def reference_date(
    values: Mapping[str, Any], *, today: dt.date, appointment_date: dt.date | None = None
) -> dt.date:
    """What intervals and age are measured to (spec §2): the appointment date the clinic set,
    else the patient's visit_date answer, else the screening date."""
    return appointment_date or values.get("visit_date") or today


@dataclass(frozen=True, slots=True)
class Answers:
    """One intake's answers, prepared once so that every rule is a cheap lookup, with what the
    clinic's own record adds to them.

    `age` is None only when date_of_birth is missing, which validation does not let through.
    `recorded_toxin_days_before` is None when the clinic recorded no toxin treatment before the
    reference date: one on that day or later is the visit's own (or a later one), not history.
    """

    values: Mapping[str, Any]
    reference_date: dt.date
    age: int | None
    chosen: Mapping[str, frozenset[str]]  # multi-select key -> the codes chosen
    days_before: Mapping[str, int]  # date key -> (reference_date - date).days, for dates given
    recorded_toxin_days_before: int | None = None  # the latest recorded treatment, in days

    @classmethod
    def build(
        cls,
        values: Mapping[str, Any],
        *,
        today: dt.date,
        treated_on: Iterable[dt.date] = (),
        appointment_date: dt.date | None = None,
    ) -> Answers:
        get = values.get
        reference = reference_date(values, today=today, appointment_date=appointment_date)
        born: dt.date | None = get("date_of_birth")
        chosen: dict[str, frozenset[str]] = {}
        for key in MULTI_KEYS:
            codes = get(key)
            chosen[key] = frozenset(codes) if codes else _NONE_CHOSEN
        days_before: dict[str, int] = {}
        for key in INTERVAL_KEYS:
            date = get(key)
            if date:
                days_before[key] = (reference - date).days
        recorded = [(reference - date).days for date in treated_on if date < reference]
        return cls(
            values=values,
            reference_date=reference,
            age=completed_years(born, reference) if born else None,
            chosen=chosen,
            days_before=days_before,
            recorded_toxin_days_before=min(recorded) if recorded else None,
        )


# Conditions: each builds the test of one rule (or part of one) from the keys and codes it reads.
# They are closures rather than methods of Answers because a screening runs 35 of them: a closure
# over a ready frozenset costs half a method call with *codes.
Test = Callable[[Answers], bool]


def chose(key: str, *codes: str) -> Test:
    """The multi-select `key` has any of `codes`, or any code at all when none are named."""
    if not codes:
        return lambda a: bool(a.chosen[key])
    wanted = frozenset(codes)
    return lambda a: not a.chosen[key].isdisjoint(wanted)


def is_one_of(key: str, *values: object) -> Test:
    return lambda a: a.values.get(key) in values


def yes(key: str) -> Test:
    return lambda a: bool(a.values.get(key))


def within_days_before(key: str, days: int) -> Test:
    """The date `key` is less than `days` days before the reference date."""

    # A date after the reference date cannot pass validation; if one comes anyway it counts as
    # recent, the direction that shows the doctor more rather than less.
    def test(a: Answers) -> bool:
        delta = a.days_before.get(key)
        return delta is not None and delta < days

    return test


def recorded_toxin_within_days_before(days: int) -> Test:
    """The clinic's latest recorded toxin treatment is less than `days` days before the
    reference date."""

    def test(a: Answers) -> bool:
        delta = a.recorded_toxin_days_before
        return delta is not None and delta < days

    return test


def recorded_toxin_not_reported(yes_key: str, date_key: str) -> Test:
    """The clinic recorded a toxin treatment before the reference date, and the answers say no
    to `yes_key`, or give a `date_key` earlier than the latest recorded treatment.

    A reported date later than the record is not a contradiction (a treatment elsewhere since);
    neither is a yes without a date, which validation does not let through.
    """

    def test(a: Answers) -> bool:
        recorded = a.recorded_toxin_days_before
        if recorded is None:
            return False
        if not a.values.get(yes_key):
            return True
        reported = a.days_before.get(date_key)
        return reported is not None and reported > recorded

    return test


def within_days_after(key: str, days: int) -> Test:
    """The date `key` is on the reference date or after it, and less than `days` days after it."""

    def test(a: Answers) -> bool:
        delta = a.days_before.get(key)
        return delta is not None and -days < delta <= 0

    return test


def age_under(years: int) -> Test:
    return lambda a: a.age is not None and a.age < years


def age_at_least(years: int) -> Test:
    return lambda a: a.age is not None and a.age >= years


def either(first: Test, second: Test) -> Test:
    return lambda a: first(a) or second(a)


def both(first: Test, second: Test) -> Test:
    return lambda a: first(a) and second(a)


def always(a: Answers) -> bool:
    return True
