"""The shape of the data dictionary: a step, its questions, their answer codes and labels."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from intake.bilingual import Text

__all__ = ["Choice", "Kind", "Question", "Step", "Text", "choices"]

Kind = Literal["text", "email", "phone", "date", "code", "multi", "bool"]


@dataclass(frozen=True)
class Choice:
    """One answer code. `label` is what the patient reads; `staff_label`, where given, is what
    staff read instead (the review, the print view, the admin, the export): a clinical grade a
    patient would take for a diagnosis belongs there, never in `label`."""

    code: str
    label: Text
    staff_label: Text | None = None

    def label_for(self, *, staff: bool) -> Text:
        return self.staff_label if staff and self.staff_label is not None else self.label


@dataclass(frozen=True)
class Question:
    key: str
    step: str
    kind: Kind
    label: Text
    required: bool = False
    choices: tuple[Choice, ...] = ()
    max_length: int | None = None
    help: Text | None = None
    # The key and the answers that make this question relevant; None means always asked.
    shown_when: tuple[str, tuple[object, ...]] | None = None
    # Required whenever it is shown (a conditional question that can't be skipped).
    required_when_shown: bool = False
    # A yes/no answer that must be yes (the consents).
    must_be_true: bool = False

    def choice_label(self, code: str, language: str | None, *, staff: bool = False) -> str:
        """The label of `code` in `language`: the patient's, or with `staff` the staff's."""
        for choice in self.choices:
            if choice.code == code:
                return choice.label_for(staff=staff).in_language(language)
        return code


@dataclass(frozen=True)
class Step:
    name: str
    label: Text
    questions: tuple[Question, ...] = field(default=())


def choices(*items: tuple[str, ...]) -> tuple[Choice, ...]:
    """Choices from (code, ja, en), or (code, ja, en, staff_ja, staff_en) where staff read
    another label than the patient."""
    built = []
    for code, ja, en, *staff in items:
        staff_label = Text(*staff) if staff else None
        built.append(Choice(code, Text(ja, en), staff_label))
    return tuple(built)
