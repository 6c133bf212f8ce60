"""Reads of the queue page: filters, search, one page of rows and the counts per verdict.

Two queries per page (rows, then their flags) and one for the counts, whatever the number of
intakes. Reception reads the same queue without anything medical (see `review_queue`).
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

from intake import answers, screening
from intake.models import Intake, IntakeFlag
from intake.references import normalise_reference
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
                    QueueFlag(flag.code, flag.severity, flag.text("title", language))
                    for flag in intake.flags.all()
                ),
            )
        rows.append(row)
    return rows
