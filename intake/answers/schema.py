"""The shape of the data dictionary: a step, its questions, their answer codes and labels."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from intake.bilingual import Text

__all__ = ["Choice", "Kind", "Question", "Step", "Text", "choices"]

Kind = Literal["text", "email", "phone", "date", "code", "multi", "bool"]


@dataclass(frozen=True)
class Choice:
    code: str
    label: Text


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

    def choice_label(self, code: str, language: str | None) -> str:
        for choice in self.choices:
            if choice.code == code:
                return choice.label.in_language(language)
        return code


@dataclass(frozen=True)
class Step:
    name: str
    label: Text
    questions: tuple[Question, ...] = field(default=())


def choices(*items: tuple[str, str, str]) -> tuple[Choice, ...]:
    return tuple(Choice(code, Text(ja, en)) for code, ja, en in items)
