"""Reads of the queue page: filters, search, one page of rows and the counts per verdict.

Two queries per page (rows with their current re-screening, then their flags) and one for the
counts, whatever the number of intakes. The verdict, suitability and flags are those of the
current result (the latest re-screening, else the original): sorted and counted on the intake's
indexed `current_*` columns. The visit date sorted and filtered on is the effective one: the
appointment date the clinic set, else the patient's (`effective_visit_date`, indexed as such).
Reception reads the same queue without anything medical (see `review_queue`).
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from intake import answers, screening
from intake.models import Intake, IntakeFlag, Rescreening
from intake.models.intakes import effective_visit_date
from intake.search import intakes_matching

QUEUE_OPEN = "open"
QUEUE_ALL = "all"
# What reception's queue loads at all: no answer, flag or verdict leaves the database for them.
RECEPTION_QUEUE_FIELDS = (
    "reference",
    "full_name",
    "full_name_kana",
    "visit_date",
    "appointment_date",
    "status",
    "submitted_at",
)
DOCTOR_QUEUE_FIELDS = (
    *RECEPTION_QUEUE_FIELDS,
    "date_of_birth",
    "reference_date",
    "current_verdict",
    "current_verdict_rank",
    "current_suitability",
    "current_rescreening",
    "current_rescreening__created_at",
    "current_rescreening__reason",
    "current_rescreening__reference_date",
    "current_rescreening__result",
)


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


def _queue_filtered(filters: QueueFilters, *, with_verdict: bool = True) -> QuerySet[Intake]:
    intakes = Intake.objects.all()
    if filters.status == QUEUE_OPEN:
        intakes = intakes.filter(status__in=Intake.OPEN_STATUSES)
    elif filters.status != QUEUE_ALL:
        intakes = intakes.filter(status=filters.status)
    if filters.visit_from or filters.visit_to:
        intakes = intakes.alias(visit_on=effective_visit_date())
    if filters.visit_from:
        intakes = intakes.filter(visit_on__gte=filters.visit_from)
    if filters.visit_to:
        intakes = intakes.filter(visit_on__lte=filters.visit_to)
    intakes = intakes_matching(intakes, filters.query)
    if with_verdict and filters.verdict:
        intakes = intakes.filter(current_verdict=filters.verdict)
    if filters.suitability:
        intakes = intakes.filter(current_suitability=filters.suitability)
    if filters.flag:
        intakes = intakes.filter(_has_current_flag(filters.flag))
    return intakes


def _has_current_flag(code: str) -> Q:
    """The current result raised `code`: the flags of submit when never re-screened, else the
    current re-screening's codes. Subqueries rather than joins: one row per intake, exact counts."""
    at_submit = Exists(IntakeFlag.objects.filter(intake=OuterRef("pk"), code=code))
    rescreened = Exists(
        Rescreening.objects.filter(
            pk=OuterRef("current_rescreening"), flag_codes__contains=f" {code} "
        )
    )
    return (Q(current_rescreening__isnull=True) & at_submit) | (
        Q(current_rescreening__isnull=False) & rescreened
    )


def review_queue(*, filters: QueueFilters, for_doctor: bool) -> QuerySet[Intake]:
    """The queue, most urgent first for doctors; by visit date for reception, whose order must
    not give the verdicts away. Two queries per page whatever its size (rows, then flags)."""
    if not for_doctor:
        return (
            _queue_filtered(filters.for_reception())
            .only(*RECEPTION_QUEUE_FIELDS)
            .order_by(effective_visit_date().asc(nulls_last=True), "submitted_at", "pk")
        )
    flags = IntakeFlag.objects.only(
        "intake", "code", "severity", "position", "title_ja", "title_en"
    ).order_by("position")
    return (
        _queue_filtered(filters)
        .select_related("current_rescreening")
        .only(*DOCTOR_QUEUE_FIELDS)
        .prefetch_related(Prefetch("flags", queryset=flags))
        .order_by(
            "current_verdict_rank",
            effective_visit_date().asc(nulls_last=True),
            "submitted_at",
            "pk",
        )
    )


def queue_verdict_counts(*, filters: QueueFilters) -> dict[str, int]:
    """How many intakes of each verdict match the other filters, in one query.

    Counting `current_verdict` rather than `pk` lets PostgreSQL answer the open queue's counts
    from the (status, current_verdict) index alone.
    """
    return _queue_filtered(filters, with_verdict=False).aggregate(
        **{
            verdict: Count("current_verdict", filter=Q(current_verdict=verdict))
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
    appointment_date: datetime.date | None = None
    # For doctors only; None or empty in reception's queue. The current result.
    age: int | None = None
    verdict: str = ""
    verdict_label: str = ""
    suitability: str = ""
    suitability_label: str = ""
    flags: tuple[QueueFlag, ...] = ()
    # When and why the current result differs from the one at submission.
    rescreened_at: datetime.datetime | None = None
    rescreened_reason: str = ""


def queue_rows(intakes: Any, *, for_doctor: bool, language: str) -> list[QueueRow]:
    """One page of the queue as the template shows it; ages are computed here, not queried.
    Status labels are translated once a page: `get_status_display` would translate them all for
    each row."""
    statuses = {status: str(label) for status, label in Intake.Status.choices}
    rows = []
    for intake in intakes:
        row = QueueRow(
            reference=intake.reference,
            full_name=intake.full_name,
            full_name_kana=intake.full_name_kana,
            visit_date=intake.visit_date,
            status=intake.status,
            status_label=statuses[intake.status],
            submitted_at=intake.submitted_at,
            appointment_date=intake.appointment_date,
        )
        if for_doctor:
            rescreening = intake.current_rescreening
            row = dataclasses.replace(
                row,
                age=screening.completed_years(intake.date_of_birth, intake.current_reference_date),
                verdict=intake.current_verdict,
                verdict_label=answers.VERDICT_LABELS[intake.current_verdict].in_language(language),
                suitability=intake.current_suitability,
                suitability_label=answers.SUITABILITY_LABELS[
                    intake.current_suitability
                ].in_language(language),
                flags=tuple(
                    QueueFlag(flag.code, flag.severity, flag.text("title", language))
                    for flag in intake.current_flags()
                ),
                rescreened_at=rescreening.created_at if rescreening else None,
                rescreened_reason=str(rescreening.get_reason_display()) if rescreening else "",
            )
        rows.append(row)
    return rows
