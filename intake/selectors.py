"""Reads of the patient's side, and the reads every room shares: answers as people read them,
the clinic's profile, the consent in force and the flag texts to keep. A fixed number of queries
each; the doctors' and reception's reads are in their rooms (`review/`, `invitations/`)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from intake import answers, screening
from intake.bilingual import LANGUAGE_CODES, LIST_SEPARATOR, Text
from intake.models import ClinicProfile, ConsentDocument, FlagText, Intake, Invitation

# How a review row's answer relates to the one carried over from the last visit (spec §5).
CARRIED_KEPT = "kept"
CARRIED_CHANGED = "changed"


@dataclass(frozen=True)
class AnswerRow:
    key: str
    label: str
    value: str
    # CARRIED_KEPT or CARRIED_CHANGED on a repeat intake's review page; empty elsewhere.
    carried: str = ""


@dataclass(frozen=True)
class AnswerSection:
    step: str
    label: str
    rows: tuple[AnswerRow, ...]


def answer_display(
    question: answers.Question, value: Any, *, language: str, staff: bool = False
) -> str:
    """An answer as a person reads it, in `language`; empty answers say so.

    The patient's labels unless `staff`: a page for staff (the review, the print view, the admin,
    the export) passes `staff=True` and gets the staff's label where a choice has one.
    """
    if value in (None, "", [], ()):
        with translation.override(language):
            return _("None") if question.kind == "multi" else _("Not answered")
    if question.kind == "multi":
        return LIST_SEPARATOR.in_language(language).join(
            question.choice_label(code, language, staff=staff) for code in value
        )
    if question.kind == "code":
        return question.choice_label(value, language, staff=staff)
    if question.kind == "bool":
        return answers.YES_NO_LABELS[bool(value)].in_language(language)
    if isinstance(value, datetime.date):
        with translation.override(language):
            return formats.date_format(value, "DATE_FORMAT")
    return str(value)


def _same_answer(first: Any, second: Any) -> bool:
    """Two answers to one question alike: empty is empty, a multi-select in any order."""
    first, second = (None if v in (None, "", [], ()) else v for v in (first, second))
    if isinstance(first, list | tuple) and isinstance(second, list | tuple):
        return sorted(first) == sorted(second)
    return first == second


def carried_mark(question: answers.Question, value: Any, carried: Mapping[str, Any]) -> str:
    """CARRIED_KEPT or CARRIED_CHANGED when `carried` (answers carried over) has the question,
    else ""."""
    if question.key not in carried:
        return ""
    return CARRIED_KEPT if _same_answer(carried[question.key], value) else CARRIED_CHANGED


def answer_sections(
    given: Mapping[str, Any] | Intake,
    *,
    language: str,
    include_consent: bool = True,
    staff: bool = False,
    carried: Mapping[str, Any] | None = None,
) -> list[AnswerSection]:
    """Every answer by step, labelled in `language`; questions that did not apply are left out.

    The patient's labels unless `staff` (see `answer_display`). With `carried`, the answers a
    repeat intake carried over, each row says whether the answer is still the carried one."""
    values = given.answers() if isinstance(given, Intake) else dict(given)
    carried = carried or {}
    sections = []
    for step in answers.STEPS:
        if step.name == "consent" and not include_consent:
            continue
        rows = tuple(
            AnswerRow(
                key=question.key,
                label=question.label.in_language(language),
                value=answer_display(
                    question, values.get(question.key), language=language, staff=staff
                ),
                carried=carried_mark(question, values.get(question.key), carried),
            )
            for question in step.questions
            if answers.is_shown(question, values)
        )
        sections.append(AnswerSection(step.name, step.label.in_language(language), rows))
    return sections


def patient_notes(intake: Intake, *, language: str) -> list[str]:
    """The notes the patient is shown on the confirmation page, from the texts kept at submit.

    Each note once: the page shows them without titles, so two flags whose notes staff worded
    the same would read as one note said twice."""
    notes = ((flag.text("patient_note", language) or "").strip() for flag in intake.flags.all())
    return list(dict.fromkeys(note for note in notes if note))


def clinic_profile() -> ClinicProfile | None:
    return ClinicProfile.objects.first()


def current_consent_document(*, today: datetime.date | None = None) -> ConsentDocument:
    today = today or timezone.localdate()
    return (
        ConsentDocument.objects.filter(published=True, effective_date__lte=today)
        .order_by("-effective_date", "-id")
        .first()
    ) or ConsentDocument.objects.filter(published=True).earliest("effective_date")


def flag_text_overrides() -> dict[str, FlagText]:
    """Every code's FlagText row, by code: what `flag_texts` reads, once for a batch."""
    return {text.code: text for text in FlagText.objects.all()}


def flag_texts(
    flags: Iterable[screening.Flag], *, overrides: Mapping[str, FlagText] | None = None
) -> list[dict[str, str]]:
    """The texts to show and keep for each flag: what staff wrote, else the flag's own.

    Field by field and language by language, a blank FlagText field means the code's text. So a
    rule whose patient note varies with an answer (PLANNING_PREGNANCY, by sex) gives each patient
    their variant until staff write a note of their own, and a rule without a patient note never
    gets one, whatever is stored.
    """
    flags = list(flags)
    if overrides is None:
        overrides = {
            text.code: text for text in FlagText.objects.filter(code__in=[f.code for f in flags])
        }
    texts = []
    for flag in flags:
        override = overrides.get(flag.code)
        row: dict[str, str] = {}
        for field in FlagText.TEXT_FIELDS:
            own: Text | None = getattr(flag, field)
            for language in LANGUAGE_CODES:
                staff_text = override.staff_text(field, language) if override else ""
                # A rule without a patient note keeps none: nothing staff wrote makes one appear.
                row[f"{field}_{language}"] = (
                    "" if own is None else staff_text or own.in_language(language)
                )
        texts.append(row)
    return texts


def invitation_unused(*, pk: int | None) -> Invitation | None:
    """The invitation an intake was opened from, while it has not led to an intake yet."""
    if pk is None:
        return None
    return Invitation.objects.select_related("patient").filter(pk=pk, used_at__isnull=True).first()


def repeat_answers(*, patient_id: int) -> dict[str, Any]:
    """What a repeat intake carries over (spec §5, `answers.REPEAT_KEYS`) from the patient's
    latest intake: the answers it gave. A question that did not apply, or was left empty, carries
    nothing over and is asked as for anyone."""
    latest = Intake.objects.filter(patient_id=patient_id).order_by("-submitted_at", "-pk").first()
    if latest is None:
        return {}
    values = latest.answers()
    return {
        key: values[key]
        for key in answers.REPEAT_KEYS
        if answers.is_shown(answers.QUESTIONS[key], values) and values[key] not in (None, "", [])
    }


def intake_submitted(*, reference: str) -> Intake | None:
    """An intake with its flags, for the patient's confirmation page."""
    return Intake.objects.prefetch_related("flags").filter(reference=reference).first()


def database_available() -> bool:
    """Whether the database answers a trivial query: the health check of a load balancer."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means unavailable
        return False
    return True
