"""Reads of the doctors' workspace: the queue, one intake's page and its print view.

Each assembles what a page shows with a fixed number of queries, whatever the number of intakes.
Reception reads the same queue without anything medical (see `review_queue`).
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Replace
from django.utils.translation import gettext_lazy

from intake import answers, screening
from intake.bilingual import language_code
from intake.models import AccessRecord, Decision, Intake, IntakeFlag, Rescreening
from intake.references import normalise_reference
from intake.selectors import AnswerRow, answer_display
from intake.text import to_katakana

QUEUE_OPEN = "open"
QUEUE_ALL = "all"
# What reception's queue loads at all: no answer, flag or verdict leaves the database for them.
RECEPTION_QUEUE_FIELDS = (
    "reference",
    "full_name",
    "full_name_kana",
    "visit_date",
    "status",
    "submitted_at",
)
DOCTOR_QUEUE_FIELDS = (
    *RECEPTION_QUEUE_FIELDS,
    "date_of_birth",
    "reference_date",
    "verdict",
    "verdict_rank",
    "suitability",
)
PHONE_QUERY = re.compile(r"^[0-9+\-() ]{4,}$")


@dataclass(frozen=True)
class QueueFilters:
    query: str = ""
    status: str = QUEUE_OPEN
    verdict: str = ""
    suitability: str = ""
    flag: str = ""
    visit_from: datetime.date | None = None
    visit_to: datetime.date | None = None

    def for_reception(self) -> QueueFilters:
        """Reception filters on nothing medical: the rows a filter keeps would reveal it."""
        return dataclasses.replace(self, verdict="", suitability="", flag="")


def _phone_digits() -> Any:
    expression: Any = F("phone")
    for character in ("-", " ", "(", ")", "+"):
        expression = Replace(expression, Value(character), Value(""))
    return expression


def _search(query: str) -> Q:
    """Every word in the name or its kana (hiragana typed is read as katakana), or the whole
    query as a reference code, or as a phone number whatever its punctuation."""
    match = Q()
    for word in query.split():
        kana = to_katakana(word)
        match &= Q(full_name__icontains=word) | Q(full_name_kana__icontains=kana)
    match |= Q(reference=normalise_reference(query))
    if PHONE_QUERY.match(query):
        match |= Q(phone_digits__contains=re.sub(r"\D", "", query))
    return match


def _queue_filtered(filters: QueueFilters, *, with_verdict: bool = True) -> QuerySet[Intake]:
    intakes = Intake.objects.all()
    if filters.status == QUEUE_OPEN:
        intakes = intakes.filter(status__in=Intake.OPEN_STATUSES)
    elif filters.status != QUEUE_ALL:
        intakes = intakes.filter(status=filters.status)
    if filters.visit_from:
        intakes = intakes.filter(visit_date__gte=filters.visit_from)
    if filters.visit_to:
        intakes = intakes.filter(visit_date__lte=filters.visit_to)
    query = unicodedata.normalize("NFKC", filters.query).strip()
    if query:
        intakes = intakes.alias(phone_digits=_phone_digits()).filter(_search(query))
    if with_verdict and filters.verdict:
        intakes = intakes.filter(verdict=filters.verdict)
    if filters.suitability:
        intakes = intakes.filter(suitability=filters.suitability)
    if filters.flag:
        # A subquery rather than a join: one row per intake, and exact counts.
        intakes = intakes.filter(
            Exists(IntakeFlag.objects.filter(intake=OuterRef("pk"), code=filters.flag))
        )
    return intakes


def review_queue(*, filters: QueueFilters, for_doctor: bool) -> QuerySet[Intake]:
    """The queue, most urgent first for doctors; by visit date for reception, whose order must
    not give the verdicts away. Two queries per page whatever its size (rows, then flags)."""
    if not for_doctor:
        return (
            _queue_filtered(filters.for_reception())
            .only(*RECEPTION_QUEUE_FIELDS)
            .order_by(F("visit_date").asc(nulls_last=True), "submitted_at", "pk")
        )
    flags = IntakeFlag.objects.only(
        "intake", "code", "severity", "position", "title_ja", "title_en"
    ).order_by("position")
    return (
        _queue_filtered(filters)
        .only(*DOCTOR_QUEUE_FIELDS)
        .prefetch_related(Prefetch("flags", queryset=flags))
        .order_by("verdict_rank", F("visit_date").asc(nulls_last=True), "submitted_at", "pk")
    )


def queue_verdict_counts(*, filters: QueueFilters) -> dict[str, int]:
    """How many intakes of each verdict match the other filters, in one query.

    Counting `verdict` rather than `pk` lets PostgreSQL answer the open queue's counts from the
    (status, verdict) index alone.
    """
    return _queue_filtered(filters, with_verdict=False).aggregate(
        **{
            verdict: Count("verdict", filter=Q(verdict=verdict))
            for verdict in answers.VERDICT_LABELS
        }
    )


@dataclass(frozen=True)
class QueueFlag:
    code: str
    severity: str
    title: str


@dataclass(frozen=True)
class QueueRow:
    reference: str
    full_name: str
    full_name_kana: str
    visit_date: datetime.date | None
    status: str
    status_label: str
    submitted_at: datetime.datetime
    # For doctors only; None or empty in reception's queue.
    age: int | None = None
    verdict: str = ""
    verdict_label: str = ""
    suitability: str = ""
    suitability_label: str = ""
    flags: tuple[QueueFlag, ...] = ()


def queue_rows(intakes: Any, *, for_doctor: bool, language: str) -> list[QueueRow]:
    """One page of the queue as the template shows it; ages are computed here, not queried."""
    suffix = language_code(language)
    rows = []
    for intake in intakes:
        row = QueueRow(
            reference=intake.reference,
            full_name=intake.full_name,
            full_name_kana=intake.full_name_kana,
            visit_date=intake.visit_date,
            status=intake.status,
            status_label=str(intake.get_status_display()),
            submitted_at=intake.submitted_at,
        )
        if for_doctor:
            row = dataclasses.replace(
                row,
                age=screening.completed_years(intake.date_of_birth, intake.reference_date),
                verdict=intake.verdict,
                verdict_label=answers.VERDICT_LABELS[intake.verdict].in_language(language),
                suitability=intake.suitability,
                suitability_label=answers.SUITABILITY_LABELS[intake.suitability].in_language(
                    language
                ),
                flags=tuple(
                    QueueFlag(flag.code, flag.severity, getattr(flag, f"title_{suffix}"))
                    for flag in intake.flags.all()
                ),
            )
        rows.append(row)
    return rows


def intake_for_review(*, reference: str) -> Intake | None:
    """One intake with everything the doctor's page and the print view show, in 5 queries."""
    return (
        Intake.objects.select_related("consent_document", "invitation")
        .prefetch_related(
            Prefetch("flags", queryset=IntakeFlag.objects.order_by("position")),
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("doctor").order_by("-decided_at", "-id"),
            ),
            Prefetch("rescreenings", queryset=Rescreening.objects.order_by("created_at", "id")),
        )
        .filter(reference=reference)
        .first()
    )


@dataclass(frozen=True)
class FlagDetail:
    code: str
    severity: str
    severity_label: str
    title: str
    clinician_note: str
    source: str
    # The answers the rule read, labelled: what set the flag off.
    triggers: tuple[AnswerRow, ...]
    needs_acknowledgement: bool


def flag_details(intake: Intake, *, language: str) -> list[FlagDetail]:
    suffix = language_code(language)
    values = intake.answers()
    details = []
    for flag in intake.flags.all():
        triggers = tuple(
            AnswerRow(
                key=key,
                label=answers.QUESTIONS[key].label.in_language(language),
                value=answer_display(answers.QUESTIONS[key], values[key], language=language),
            )
            for key in flag.keys
            if key in answers.QUESTIONS
        )
        details.append(
            FlagDetail(
                code=flag.code,
                severity=flag.severity,
                severity_label=answers.SEVERITY_LABELS[flag.severity].in_language(language),
                title=getattr(flag, f"title_{suffix}"),
                clinician_note=getattr(flag, f"clinician_note_{suffix}"),
                source=flag.source,
                triggers=triggers,
                needs_acknowledgement=flag.severity in screening.ACKNOWLEDGED_SEVERITIES,
            )
        )
    return details


def flags_to_acknowledge(intake: Intake) -> list[IntakeFlag]:
    """The contraindication and review flags a decision must acknowledge one by one."""
    return [
        flag for flag in intake.flags.all() if flag.severity in screening.ACKNOWLEDGED_SEVERITIES
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


def key_dates(intake: Intake) -> list[KeyDate]:
    dates = []
    for key, label in KEY_DATES:
        date = getattr(intake, key)
        days = (intake.reference_date - date).days if date else None
        dates.append(KeyDate(key=key, label=str(label), date=date, days_before=days))
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
    """How the latest re-screening differs from the result stored at submit."""

    rescreening: Rescreening
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


def rescreening_difference(intake: Intake, *, language: str) -> RescreeningDifference | None:
    """None when the intake was never re-screened, or the latest run matches the original."""
    rescreenings = sorted(intake.rescreenings.all(), key=lambda r: (r.created_at, r.pk))
    if not rescreenings:
        return None
    latest = rescreenings[-1]
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
        FlagChange(code, getattr(flag, f"title_{suffix}"), severity(flag.severity))
        for code, flag in original.items()
        if code not in current
    )
    changed = tuple(
        FlagChange(
            code,
            getattr(original[code], f"title_{suffix}"),
            severity(flag["severity"]),
            severity(original[code].severity),
        )
        for code, flag in current.items()
        if code in original and original[code].severity != flag["severity"]
    )
    difference = RescreeningDifference(
        rescreening=latest,
        verdict_before=answers.VERDICT_LABELS[intake.verdict].in_language(language),
        verdict_after=answers.VERDICT_LABELS[latest.verdict].in_language(language),
        suitability_before=answers.SUITABILITY_LABELS[intake.suitability].in_language(language),
        suitability_after=answers.SUITABILITY_LABELS[latest.suitability].in_language(language),
        flags_added=added,
        flags_removed=removed,
        severity_changed=changed,
    )
    if not (
        difference.verdict_changed or difference.suitability_changed or added or removed or changed
    ):
        return None
    return difference
