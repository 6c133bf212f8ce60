"""The screening of an intake (spec §2): standard library only, no Django.

`screen(answers, today=..., treated_on=..., appointment_date=...)` takes one intake's answers
(keys and codes of spec §1, dates as `datetime.date`) and, beside them, what the clinic itself
knows: the dates of the toxin treatments it recorded for the patient (spec §5) and the appointment
date it set. It returns a `ScreeningResult`: the flags raised, the verdict (safety) and the
suitability (expected benefit). It is for the doctor's review before the visit, never a decision.

The rules themselves are data in `rules.py`, their tests built from `conditions.py`.

Validation is not done here: the caller (form, `screen` command) validates first. The engine is
defensive only where that is free: a missing optional answer reads as "no" / "none of these".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from intake.answers import VERDICT_LABELS
from intake.screening.conditions import Answers, completed_years, reference_date
from intake.screening.rules import (
    ACKNOWLEDGED_SEVERITIES,
    CAUTION,
    CONTRAINDICATION,
    INFO,
    REVIEW,
    RULES,
    SEVERITIES,
    Flag,
    Rule,
)

__all__ = [
    "ACKNOWLEDGED_SEVERITIES",
    "CAUTION",
    "CONTRAINDICATION",
    "INFO",
    "REVIEW",
    "RULES",
    "RULESET_VERSION",
    "RULES_BY_CODE",
    "SEVERITIES",
    "VERDICTS",
    "Answers",
    "Flag",
    "Rule",
    "ScreeningResult",
    "completed_years",
    "reference_date",
    "screen",
    "suitability",
    "verdict_rank",
]

# YYYY.MM-N: year and month the rule set was approved, N counting revisions within that month.
# Bump it with any change that can alter a flag, its text, the verdict or the suitability: every
# stored result carries it, so an old result can be explained by the rules that produced it.
RULESET_VERSION = "2026.12-1"

VERDICTS = tuple(VERDICT_LABELS)  # strongest first

TARGET_CONCERNS = frozenset(
    {"oiliness", "enlarged_pores", "active_acne", "acne_redness", "rosacea_redness"}
)
SEBUM_SKIN_TYPES = ("oily", "combination")

RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}
_SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}
_VERDICT_RANK = {verdict: rank for rank, verdict in enumerate(VERDICTS)}
_VERDICT_FOR_SEVERITY = dict(zip(SEVERITIES, VERDICTS, strict=True))
# Sorted once: strongest severity first, table order within a severity (sorted() is stable), so
# the flags come out in order and the first one gives the verdict.
_RULES_IN_FLAG_ORDER = tuple(sorted(RULES, key=lambda rule: _SEVERITY_RANK[rule.severity]))
_CHECKS = tuple((rule.test, rule) for rule in _RULES_IN_FLAG_ORDER)


def verdict_rank(verdict: str) -> int:
    """0 for not_suitable up to 3 for suitable: sorts a review queue most urgent first."""
    return _VERDICT_RANK[verdict]


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    ruleset: str
    reference_date: dt.date
    verdict: str
    suitability: str
    flags: tuple[Flag, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "ruleset": self.ruleset,
            "reference_date": self.reference_date.isoformat(),
            "verdict": self.verdict,
            "suitability": self.suitability,
            "flags": [flag.as_dict() for flag in self.flags],
        }


def suitability(answers: Answers) -> str:
    wants_target = not answers.chosen["concerns"].isdisjoint(TARGET_CONCERNS)
    sebum_skin = answers.values.get("skin_type") in SEBUM_SKIN_TYPES
    if wants_target and sebum_skin:
        return "good"
    if wants_target or sebum_skin:
        return "partial"
    return "poor"


def screen(
    answers: Mapping[str, object],
    *,
    today: dt.date,
    treated_on: Iterable[dt.date] = (),
    appointment_date: dt.date | None = None,
) -> ScreeningResult:
    """Screen one intake on the screening date `today`.

    `treated_on`: the dates on which the clinic recorded a botulinum toxin treatment for this
    patient; only those before the reference date count (a treatment given at the visit does not
    flag its own intake). `appointment_date`: the visit date the clinic set (an invitation's, or
    one staff set later). Intervals and age are measured to the reference date: the appointment
    date, else the patient's visit_date answer, else `today`.
    """
    prepared = Answers.build(
        answers, today=today, treated_on=treated_on, appointment_date=appointment_date
    )
    flags = tuple([rule.flag_for(prepared) for test, rule in _CHECKS if test(prepared)])
    return ScreeningResult(
        ruleset=RULESET_VERSION,
        reference_date=prepared.reference_date,
        verdict=_VERDICT_FOR_SEVERITY[flags[0].severity] if flags else "suitable",
        suitability=suitability(prepared),
        flags=flags,
    )
