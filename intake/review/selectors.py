"""Reads of the doctors' workspace: one intake's page, its consultation summary and chart text
(the queue: queue.py).

Each assembles what a page shows with a fixed number of queries, whatever the number of intakes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy

from intake import answers, screening
from intake.answers.short_labels import SHORT_LABELS, SHORT_STEP_LABELS
from intake.bilingual import language_code
from intake.models import AccessRecord, Decision, Intake, IntakeFlag, Rescreening, Treatment
from intake.patients.selectors import current_treatments, patient_toxin_dates
from intake.screening.sources import DETAILS, SOURCES
from intake.selectors import AnswerRow, AnswerSection, answer_display


def intake_for_review(*, reference: str) -> Intake | None:
    """One intake with everything the doctor's page and the print view show, in 5 queries."""
    return (
        Intake.objects.select_related(
            "consent_document",
            "invitation",
            "patient",
            "current_rescreening",
            "current_rescreening__requested_by",
        )
        .prefetch_related(
            Prefetch("flags", queryset=IntakeFlag.objects.order_by("position")),
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("doctor").order_by("-decided_at", "-id"),
            ),
            # Every change of the result, for the page's list of them.
            Prefetch(
                "rescreenings",
                queryset=Rescreening.objects.select_related("requested_by").order_by(
                    "created_at", "id"
                ),
            ),
        )
        .filter(reference=reference)
        .first()
    )


@dataclass(frozen=True)
class SourceWords:
    """One source a rule cites, in words: "JP 禁忌" is the Japanese package insert (the label of
    Botox Vista), its contraindications."""

    code: str  # as the spec writes it; "" for a source the table does not know
    name: str
    refers_to: str
    detail: str


def _source_parts(source: str) -> list[str]:
    """The sources of "JP (≥ 3 months apart), S1 (...)": split on the commas outside brackets."""
    parts, depth, current = [], 0, ""
    for character in source:
        depth += {"(": 1, ")": -1}.get(character, 0)
        if character == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += character
    return [part.strip() for part in [*parts, current] if part.strip()]


def source_in_words(source: str, *, language: str) -> tuple[SourceWords, ...]:
    """A rule's source as the doctor reads it; a part the tables don't know stays as written."""
    words = []
    for part in _source_parts(source):
        code, _space, detail = part.partition(" ")
        known = SOURCES.get(code)
        if known is None:
            words.append(SourceWords(code="", name=part, refers_to="", detail=""))
            continue
        detail = detail.strip()
        if detail.startswith("(") and detail.endswith(")"):
            detail = detail[1:-1]
        detail_text = DETAILS.get(detail)
        words.append(
            SourceWords(
                code=code,
                name=known.name.in_language(language),
                refers_to=known.refers_to.in_language(language),
                detail=detail_text.in_language(language) if detail_text else detail,
            )
        )
    return tuple(words)


@dataclass(frozen=True)
class FlagDetail:
    code: str
    severity: str
    severity_label: str
    title: str
    clinician_note: str
    source: str
    # The same in words, with the document each part refers to.
    sources: tuple[SourceWords, ...]
    # The answers the rule read, labelled: what set the flag off.
    triggers: tuple[AnswerRow, ...]
    needs_acknowledgement: bool


def flag_details(intake: Intake, *, language: str, short: bool = False) -> list[FlagDetail]:
    """The flags of the current result (the latest re-screening's, else those of submit); with
    `short`, the answers that set each off under their short labels (the printed summary)."""
    values = intake.answers()
    labels = SHORT_LABELS if short else {k: q.label for k, q in answers.QUESTIONS.items()}
    details = []
    for flag in intake.current_flags():
        triggers = tuple(
            AnswerRow(
                key=key,
                label=labels[key].in_language(language),
                value=answer_display(
                    answers.QUESTIONS[key], values[key], language=language, staff=True
                ),
            )
            for key in flag.keys
            if key in answers.QUESTIONS
        )
        details.append(
            FlagDetail(
                code=flag.code,
                severity=flag.severity,
                severity_label=answers.SEVERITY_LABELS[flag.severity].in_language(language),
                title=flag.text("title", language),
                clinician_note=flag.text("clinician_note", language),
                source=flag.source,
                sources=source_in_words(flag.source, language=language),
                triggers=triggers,
                needs_acknowledgement=flag.severity in screening.ACKNOWLEDGED_SEVERITIES,
            )
        )
    return details


def flags_to_acknowledge(intake: Intake) -> list[IntakeFlag]:
    """The contraindication and review flags of the current result, which a decision must
    acknowledge one by one."""
    return [
        flag
        for flag in intake.current_flags()
        if flag.severity in screening.ACKNOWLEDGED_SEVERITIES
    ]


KEY_DATES = (
    ("botulinum_last_date", gettext_lazy("Last botulinum toxin")),
    ("topical_retinoid_started", gettext_lazy("Topical retinoid started")),
    ("isotretinoin_last_dose", gettext_lazy("Last isotretinoin dose")),
    ("last_resurfacing_date", gettext_lazy("Last laser, peel or microneedling")),
    ("upcoming_event_date", gettext_lazy("Important event")),
)


@dataclass(frozen=True)
class KeyDate:
    key: str
    label: str
    date: datetime.date | None
    # Days from the date to the reference date (the visit, else the submission): negative
    # when the date comes after it, like an event after the visit.
    days_before: int | None

    @property
    def days_after(self) -> int | None:
        return -self.days_before if self.days_before is not None else None


RECORDED_TOXIN_LABEL = gettext_lazy("Last toxin recorded by the clinic")


def key_dates(intake: Intake) -> list[KeyDate]:
    """The dates the rules measure, each in days before the current reference date; for an
    intake linked to a patient, the latest toxin treatment the clinic recorded before it too
    (what RECENT_TOXIN and RECORD_MISMATCH read beside the answer)."""
    reference = intake.current_reference_date
    dates = []
    for key, label in KEY_DATES:
        date = getattr(intake, key)
        days = (reference - date).days if date else None
        dates.append(KeyDate(key=key, label=str(label), date=date, days_before=days))
    if intake.patient_id is not None:
        recorded = patient_toxin_dates(patient_id=intake.patient_id)
        latest = max((day for day in recorded if day < reference), default=None)
        dates.insert(
            1,
            KeyDate(
                key="recorded_toxin",
                label=str(RECORDED_TOXIN_LABEL),
                date=latest,
                days_before=(reference - latest).days if latest else None,
            ),
        )
    return dates


@dataclass(frozen=True)
class DecisionEntry:
    decision: Decision
    superseded: bool


def decision_history(intake: Intake) -> list[DecisionEntry]:
    """Every decision, latest first; a decision a later one replaced is marked superseded."""
    decisions = sorted(intake.decisions.all(), key=lambda d: (d.decided_at, d.pk), reverse=True)
    replaced = {decision.supersedes_id for decision in decisions if decision.supersedes_id}
    return [DecisionEntry(decision, decision.pk in replaced) for decision in decisions]


def latest_decision(intake: Intake) -> Decision | None:
    history = decision_history(intake)
    return history[0].decision if history else None


def access_records(*, intake: Intake, limit: int = 100) -> list[AccessRecord]:
    """Who opened the intake, latest first: the last `limit` opens."""
    return list(
        AccessRecord.objects.filter(intake=intake)
        .select_related("user")
        .order_by("-at", "-id")[:limit]
    )


@dataclass(frozen=True)
class FlagChange:
    code: str
    title: str
    severity_label: str
    earlier_severity_label: str = ""


@dataclass(frozen=True)
class RescreeningDifference:
    """How the current result (the latest re-screening) differs from the one stored at submit,
    and when and why it changed."""

    rescreening: Rescreening
    reference_date_before: datetime.date
    reference_date_after: datetime.date
    verdict_before: str
    verdict_after: str
    suitability_before: str
    suitability_after: str
    flags_added: tuple[FlagChange, ...]
    flags_removed: tuple[FlagChange, ...]
    severity_changed: tuple[FlagChange, ...]

    @property
    def verdict_changed(self) -> bool:
        return self.verdict_before != self.verdict_after

    @property
    def suitability_changed(self) -> bool:
        return self.suitability_before != self.suitability_after

    @property
    def reference_date_changed(self) -> bool:
        return self.reference_date_before != self.reference_date_after


def rescreening_difference(intake: Intake, *, language: str) -> RescreeningDifference | None:
    """None when the intake was never re-screened, or its current result matches the original."""
    latest = intake.current_rescreening
    if latest is None:
        return None
    suffix = language_code(language)

    def severity(code: str) -> str:
        return answers.SEVERITY_LABELS[code].in_language(language)

    original = {flag.code: flag for flag in intake.flags.all()}
    current = {flag["code"]: flag for flag in latest.result.get("flags", [])}
    added = tuple(
        FlagChange(code, flag["title"][suffix], severity(flag["severity"]))
        for code, flag in current.items()
        if code not in original
    )
    removed = tuple(
        FlagChange(code, flag.text("title", language), severity(flag.severity))
        for code, flag in original.items()
        if code not in current
    )
    changed = tuple(
        FlagChange(
            code,
            original[code].text("title", language),
            severity(flag["severity"]),
            severity(original[code].severity),
        )
        for code, flag in current.items()
        if code in original and original[code].severity != flag["severity"]
    )
    difference = RescreeningDifference(
        rescreening=latest,
        reference_date_before=intake.reference_date,
        reference_date_after=latest.reference_date,
        verdict_before=answers.VERDICT_LABELS[intake.verdict].in_language(language),
        verdict_after=answers.VERDICT_LABELS[latest.verdict].in_language(language),
        suitability_before=answers.SUITABILITY_LABELS[intake.suitability].in_language(language),
        suitability_after=answers.SUITABILITY_LABELS[latest.suitability].in_language(language),
        flags_added=added,
        flags_removed=removed,
        severity_changed=changed,
    )
    if not (
        difference.verdict_changed
        or difference.suitability_changed
        or difference.reference_date_changed
        or added
        or removed
        or changed
    ):
        return None
    return difference


# The consultation summary and the chart text -----------------------------------------------------
# What the head of a staff document shows already: not repeated among its answers.
HEADER_KEYS = frozenset({"full_name", "full_name_kana", "date_of_birth", "sex", "visit_date"})


def _is_empty(value: object) -> bool:
    return value in (None, "", [], ())


def answer_summary(
    intake: Intake, *, language: str, omit: frozenset[str] = HEADER_KEYS, iso_dates: bool = False
) -> list[AnswerSection]:
    """Every non-empty answer by step, compact: the short labels, the staff's labels of the
    choices, questions that did not apply and steps left empty left out. `iso_dates` writes
    dates as YYYY-MM-DD (the chart text), else as the language writes them."""
    values = intake.answers()
    sections = []
    for step in answers.STEPS:
        rows = []
        for question in step.questions:
            value = values.get(question.key)
            if question.key in omit or _is_empty(value) or not answers.is_shown(question, values):
                continue
            if iso_dates and isinstance(value, datetime.date):
                shown = value.isoformat()
            else:
                shown = answer_display(question, value, language=language, staff=True)
            label = SHORT_LABELS[question.key].in_language(language)
            rows.append(AnswerRow(key=question.key, label=label, value=shown))
        if rows:
            label = SHORT_STEP_LABELS[step.name].in_language(language)
            sections.append(AnswerSection(step.name, label, tuple(rows)))
    return sections


def last_treatment(intake: Intake) -> Treatment | None:
    """The latest treatment the clinic holds as given to the intake's patient (corrected and
    withdrawn records aside); None for an intake not linked to a patient."""
    if intake.patient_id is None:
        return None
    return (
        current_treatments(Treatment.objects.filter(patient_id=intake.patient_id))
        .select_related("doctor")
        .order_by("-treated_on", "-recorded_at", "-id")
        .first()
    )
