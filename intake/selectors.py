"""Reads: what pages show, assembled with a fixed number of queries."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from intake import answers
from intake.models import ClinicProfile, Intake


@dataclass(frozen=True)
class AnswerRow:
    key: str
    label: str
    value: str


@dataclass(frozen=True)
class AnswerSection:
    step: str
    label: str
    rows: tuple[AnswerRow, ...]


def answer_display(question: answers.Question, value: Any, *, language: str) -> str:
    """An answer as a person reads it, in `language`; empty answers say so."""
    if value in (None, "", [], ()):
        return _("Not answered") if question.kind not in {"multi"} else _("None")
    if question.kind == "multi":
        return (
            "、".join(question.choice_label(code, language) for code in value)
            if language == "ja"
            else ", ".join(question.choice_label(code, language) for code in value)
        )
    if question.kind == "code":
        return question.choice_label(value, language)
    if question.kind == "bool":
        yes_no = answers.Label("はい", "Yes") if value else answers.Label("いいえ", "No")
        return yes_no.in_language(language)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def answer_sections(
    given: Mapping[str, Any] | Intake, *, language: str, include_consent: bool = True
) -> list[AnswerSection]:
    """Every answer by step, labelled in `language`; questions that did not apply are left out."""
    values = (
        {key: getattr(given, key) for key in answers.QUESTIONS}
        if isinstance(given, Intake)
        else dict(given)
    )
    sections = []
    for step in answers.STEPS:
        if step.name == "consent" and not include_consent:
            continue
        rows = tuple(
            AnswerRow(
                key=question.key,
                label=question.label.in_language(language),
                value=answer_display(question, values.get(question.key), language=language),
            )
            for question in step.questions
            if answers.is_shown(question, values)
        )
        sections.append(AnswerSection(step.name, step.label.in_language(language), rows))
    return sections


def patient_notes(intake: Intake, *, language: str) -> list[str]:
    """The notes the patient is shown on the confirmation page, from the texts kept at submit."""
    field = "patient_note_en" if language.startswith("en") else "patient_note_ja"
    return [getattr(flag, field) for flag in intake.flags.all() if getattr(flag, field)]


def clinic_profile() -> ClinicProfile | None:
    return ClinicProfile.objects.first()
