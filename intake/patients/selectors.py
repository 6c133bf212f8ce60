"""Reads of the patient record: search, the patient's page, suggested matches, treatments, and
the history and changed answers a doctor sees for a returning patient.

Reception's reads load no answer about health, verdict, flag or treatment (see `VISIT_FIELDS`).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from intake import answers
from intake.models import AccessRecord, Decision, Intake, Patient, PatientLink, Treatment
from intake.search import patients_matching
from intake.selectors import answer_display
from intake.text import to_katakana

# What a visit list or the visit's page loads for anyone: who, when, how to reach them, status.
VISIT_FIELDS = (
    "reference",
    "full_name",
    "full_name_kana",
    "date_of_birth",
    "phone",
    "email",
    "visit_date",
    "appointment_date",
    "status",
    "submitted_at",
    "language",
    "patient",
)
# Answers that always differ or say nothing about the patient: not listed as changes.
NOT_COMPARED = frozenset({"visit_date", *answers.CONSENT_KEYS})


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value or "")


def _kana_key(value: str) -> str:
    return "".join(to_katakana(value or "").split())


# Reads of the screening ----------------------------------------------------------------------
def current_treatments(treatments: QuerySet[Treatment]) -> QuerySet[Treatment]:
    """Records neither corrected by a later one nor withdrawn: what the clinic holds as given."""
    return treatments.filter(superseded_by__isnull=True, withdrawn=False)


def patient_toxin_dates(*, patient_id: int | None) -> tuple[datetime.date, ...]:
    """The days the clinic recorded a botulinum toxin treatment for this patient (the current
    records; every product of a record is a toxin): what the screening reads beside answers."""
    if patient_id is None:
        return ()
    return tuple(
        current_treatments(Treatment.objects.filter(patient_id=patient_id))
        .order_by("treated_on")
        .values_list("treated_on", flat=True)
    )


def patients_toxin_dates(*, patient_ids: Iterable[int]) -> dict[int, tuple[datetime.date, ...]]:
    """`patient_toxin_dates` of several patients in one query, by patient (none: no entry)."""
    dates: dict[int, tuple[datetime.date, ...]] = {}
    for patient_id, treated_on in (
        current_treatments(Treatment.objects.filter(patient_id__in=list(patient_ids)))
        .order_by("patient_id", "treated_on")
        .values_list("patient_id", "treated_on")
    ):
        dates[patient_id] = (*dates.get(patient_id, ()), treated_on)
    return dates


# Search and the patient's page -----------------------------------------------------------------
def patient_search(*, query: str) -> QuerySet[Patient]:
    """Patients whose name or kana has every word (hiragana read as katakana), or whose phone
    or date of birth is the query; all of them, by kana, without one."""
    patients = patients_matching(Patient.objects.all(), query)
    return patients.order_by("full_name_kana", "full_name", "pk")


def patient_by_pk(*, pk: int) -> Patient | None:
    return Patient.objects.select_related("created_by").filter(pk=pk).first()


def patient_visits(*, patient: Patient, for_doctor: bool) -> list[Intake]:
    """The patient's intakes, latest first; for doctors with their current result and
    decisions, for reception with nothing medical."""
    intakes = Intake.objects.filter(patient=patient).order_by("-submitted_at", "-pk")
    if not for_doctor:
        return list(intakes.only(*VISIT_FIELDS))
    return list(
        intakes.select_related("current_rescreening").prefetch_related(
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("doctor").order_by("-decided_at", "-id"),
            )
        )
    )


@dataclass(frozen=True)
class TreatmentEntry:
    treatment: Treatment
    # Corrected by a later record (shown struck through), or the record that withdrew one.
    superseded: bool


def patient_treatments(*, patient: Patient) -> list[TreatmentEntry]:
    """Every treatment record, latest first, corrections and corrected ones alike."""
    treatments = list(
        Treatment.objects.filter(patient=patient)
        .select_related("doctor", "intake", "supersedes")
        .order_by("-treated_on", "-recorded_at", "-id")
    )
    replaced = {t.supersedes_id for t in treatments if t.supersedes_id}
    return [TreatmentEntry(t, t.pk in replaced) for t in treatments]


def treatment_by_pk(*, pk: int) -> Treatment | None:
    return (
        Treatment.objects.select_related("patient", "doctor", "intake", "superseded_by")
        .filter(pk=pk)
        .first()
    )


def patient_access_records(*, patient: Patient, limit: int = 100) -> list[AccessRecord]:
    """Who opened the patient's record or an intake shown as theirs, latest first."""
    return list(
        AccessRecord.objects.filter(patient=patient)
        .select_related("user", "intake")
        .order_by("-at", "-id")[:limit]
    )


# An intake's visit page: the link and the suggestions ------------------------------------------
def intake_for_visit(*, reference: str) -> Intake | None:
    """An intake as its visit page shows it to anyone: contact details and dates, no answer
    about health."""
    return (
        Intake.objects.only(*VISIT_FIELDS)
        .select_related("patient")
        .filter(reference=reference)
        .first()
    )


def intake_by_reference(*, reference: str) -> Intake | None:
    return Intake.objects.filter(reference=reference).first()


def match_suggestions(*, intake: Intake) -> list[Patient]:
    """Patients with the intake's date of birth and its kana or phone (spec §5): suggestions
    for staff, never a link. The patient already linked is not suggested."""
    kana, phone = _kana_key(intake.full_name_kana), _digits(intake.phone)
    candidates = Patient.objects.filter(date_of_birth=intake.date_of_birth).exclude(
        pk=intake.patient_id or 0
    )
    return [
        patient
        for patient in candidates.order_by("full_name_kana", "pk")
        if (kana and _kana_key(patient.full_name_kana) == kana)
        or (phone and _digits(patient.phone) == phone)
    ]


def intake_links(*, intake: Intake) -> list[PatientLink]:
    return list(
        PatientLink.objects.filter(intake=intake)
        .select_related("by", "patient")
        .order_by("-at", "-id")
    )


# What a doctor sees of a returning patient -----------------------------------------------------
@dataclass(frozen=True)
class AnswerChange:
    key: str
    label: str
    before: str
    after: str


def earlier_intakes(*, intake: Intake) -> list[Intake]:
    """The patient's intakes submitted before this one, latest first, with their current result
    and decisions."""
    if intake.patient_id is None:
        return []
    return list(
        Intake.objects.filter(patient_id=intake.patient_id, submitted_at__lt=intake.submitted_at)
        .exclude(pk=intake.pk)
        .select_related("current_rescreening")
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("doctor").order_by("-decided_at", "-id"),
            )
        )
        .order_by("-submitted_at", "-pk")
    )


def _shown_value(question: answers.Question, values: dict[str, Any]) -> Any:
    if not answers.is_shown(question, values):
        return [] if question.kind == "multi" else None
    value = values.get(question.key)
    return None if value in ("", [], ()) and question.kind != "multi" else value


def answer_changes(*, intake: Intake, previous: Intake, language: str) -> list[AnswerChange]:
    """The answers of `intake` that differ from `previous` (spec §5 "What changed"), in the
    order of the questions, both sides as a person reads them; a question that did not apply
    reads as not answered."""
    now, before = intake.answers(), previous.answers()
    changes = []
    for key, question in answers.QUESTIONS.items():
        if key in NOT_COMPARED:
            continue
        old, new = _shown_value(question, before), _shown_value(question, now)
        if (old or None) == (new or None):
            continue
        changes.append(
            AnswerChange(
                key=key,
                label=question.label.in_language(language),
                before=answer_display(question, old, language=language),
                after=answer_display(question, new, language=language),
            )
        )
    return changes


def latest_decision_of(intake: Intake) -> Decision | None:
    """The latest decision among those prefetched (decisions ordered latest first)."""
    decisions: Sequence[Decision] = intake.decisions.all()
    return decisions[0] if decisions else None
