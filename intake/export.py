"""Intakes as CSV: every answer as its code and, beside it, its label in the chosen language.

The header row holds the codes of spec §1 (`<key>` for the code, `<key>_label` for the label), so
a spreadsheet or a script reads the same columns whatever the language of the labels. The
screening's columns are the result at submission (`verdict`, `flags`...), then the current
result (`current_verdict`...), which differs when the intake was re-screened (`rescreened`).

The file is streamed a batch of intakes at a time, in order of submission: its memory and its
queries per batch stay the same whatever the number of intakes (a million included), and each
batch's access records are written before its rows leave.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Callable, Iterator
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone, translation

from intake import answers, heartbeat
from intake.bilingual import LIST_SEPARATOR
from intake.models import Intake, IntakeFlag
from intake.selectors import answer_display

LABELLED_KINDS = frozenset({"code", "multi", "bool"})
# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Intakes read, recorded and sent at a time: a few megabytes of rows.
BATCH_SIZE = 500
# Excel opens UTF-8 Japanese correctly only with a byte order mark.
BOM = "\ufeff".encode()


def columns() -> list[str]:
    header = ["reference", "submitted_at", "language", "status", "status_label"]
    header += ["consent_version"]
    for question in answers.QUESTIONS.values():
        header.append(question.key)
        if question.kind in LABELLED_KINDS:
            header.append(f"{question.key}_label")
    header += ["ruleset_version", "reference_date", "verdict", "verdict_label"]
    header += ["suitability", "suitability_label", "flags", "flags_label"]
    header += CURRENT_COLUMNS
    return header


# The current result (spec §5): the latest re-screening's, else the one at submission, with
# the rule set and reference date it was screened under, and when and why it was re-screened.
CURRENT_COLUMNS = [
    "rescreened",
    "rescreened_at",
    "rescreen_reason",
    "rescreen_reason_label",
    "current_ruleset_version",
    "current_reference_date",
    "current_verdict",
    "current_verdict_label",
    "current_suitability",
    "current_suitability_label",
    "current_flags",
    "current_flags_label",
]


def _code(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ";".join(str(code) for code in value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _cell(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def row(intake: Intake, *, language: str) -> list[str]:
    """One intake's cells, in the order of `columns()`; flags with the texts kept when screened
    (at submit, or by the current re-screening)."""
    values = intake.answers()
    with translation.override(language):
        cells = [
            intake.reference,
            _code(intake.submitted_at),
            intake.language,
            intake.status,
            str(Intake.Status(intake.status).label),
            intake.consent_document.version,
        ]
        for question in answers.QUESTIONS.values():
            shown = answers.is_shown(question, values)
            value = values[question.key]
            cells.append(_code(value) if shown else "")
            if question.kind in LABELLED_KINDS:
                label = answer_display(question, value, language=language, staff=True)
                cells.append(label if shown else "")
        flags = list(intake.flags.all())  # at submission
        cells += [
            intake.ruleset_version,
            _code(intake.reference_date),
            intake.verdict,
            answers.VERDICT_LABELS[intake.verdict].in_language(language),
            intake.suitability,
            answers.SUITABILITY_LABELS[intake.suitability].in_language(language),
            *_flag_cells(flags, language=language),
        ]
        cells += _current_cells(intake, language=language)
    return [_cell(cell) for cell in cells]


def _flag_cells(flags: list[IntakeFlag], *, language: str) -> list[str]:
    separator = LIST_SEPARATOR.in_language(language)
    return [
        ";".join(flag.code for flag in flags),
        separator.join(flag.text("title", language) for flag in flags),
    ]


def _current_cells(intake: Intake, *, language: str) -> list[str]:
    """The cells of CURRENT_COLUMNS; as at submission (and `rescreened` false) when the intake
    was never re-screened to another result. Called with `language` active."""
    rescreening = intake.current_rescreening
    return [
        _code(rescreening is not None),
        _code(rescreening.created_at) if rescreening else "",
        rescreening.reason if rescreening else "",
        str(rescreening.get_reason_display()) if rescreening else "",
        rescreening.ruleset_version if rescreening else intake.ruleset_version,
        _code(intake.current_reference_date),
        intake.current_verdict,
        answers.VERDICT_LABELS[intake.current_verdict].in_language(language),
        intake.current_suitability,
        answers.SUITABILITY_LABELS[intake.current_suitability].in_language(language),
        *_flag_cells(intake.current_flags(), language=language),
    ]


def intakes_in_batches(intakes: QuerySet, *, size: int) -> Iterator[list[Intake]]:
    """`intakes` in order of submission, `size` at a time, each batch with what its rows read.

    Each batch starts after the last one's (submitted_at, id) rather than at an offset, so that
    the millionth intake costs the index lookup the first did; `submitted_at >= ...` comes
    first so that the index on it narrows the read.
    """
    ordered = (
        intakes.select_related("consent_document", "current_rescreening")
        .prefetch_related("flags")
        .order_by("submitted_at", "pk")
    )
    batch = list(ordered[:size])
    while batch:
        yield batch
        if len(batch) < size:
            return
        last = batch[-1]
        after = Q(submitted_at__gt=last.submitted_at) | Q(pk__gt=last.pk)
        batch = list(ordered.filter(Q(submitted_at__gte=last.submitted_at), after)[:size])


class _Lines:
    """What csv.writer writes, kept until taken as UTF-8."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def take(self) -> bytes:
        text, self.parts = "".join(self.parts), []
        return text.encode()


def csv_stream(
    intakes: QuerySet, *, language: str, before_sending: Callable[[list[Intake]], object]
) -> Iterator[bytes]:
    """The CSV of `intakes` in UTF-8 with a byte order mark: the header, then a part per batch.

    `before_sending(batch)` runs before the batch's rows are yielded (the access record: no row
    leaves unrecorded). After each part is sent the worker reports itself alive (heartbeat), so
    an export longer than the app server's timeout completes.
    """
    lines = _Lines()
    writer = csv.writer(lines)
    writer.writerow(columns())
    yield BOM + lines.take()
    heartbeat.beat()
    for batch in intakes_in_batches(intakes, size=BATCH_SIZE):
        before_sending(batch)
        writer.writerows(row(intake, language=language) for intake in batch)
        yield lines.take()
        heartbeat.beat()
