"""The answers prepared for the rules, and the small builders that make each rule's test.

Standard library only, like the whole of `intake.screening`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
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


@dataclass(frozen=True, slots=True)
class Answers:
    """One intake's answers, prepared once so that every rule is a cheap lookup.

    `age` is None only when date_of_birth is missing, which validation does not let through.
    """

    values: Mapping[str, Any]
    reference_date: dt.date
    age: int | None
    chosen: Mapping[str, frozenset[str]]  # multi-select key -> the codes chosen
    days_before: Mapping[str, int]  # date key -> (reference_date - date).days, for dates given

    @classmethod
    def build(cls, values: Mapping[str, Any], *, today: dt.date) -> Answers:
        get = values.get
        reference: dt.date = get("visit_date") or today
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
        return cls(
            values=values,
            reference_date=reference,
            age=completed_years(born, reference) if born else None,
            chosen=chosen,
            days_before=days_before,
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
