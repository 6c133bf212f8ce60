"""Choices read from the data dictionary, labelled in the active language, never copied into
migrations."""

from __future__ import annotations

from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import get_language

from intake import answers


@deconstructible(path="intake.models.AnswerChoices")
class AnswerChoices:
    """Choices of one question of the data dictionary, labelled in the active language with
    the staff's labels (model fields are read in the admin, by staff).

    Deconstructible so migrations refer to the question by key instead of copying its labels.
    """

    def __init__(self, key: str) -> None:
        self.key = key

    def __call__(self) -> list[tuple[str, str]]:
        language = get_language()
        return [
            (c.code, c.label_for(staff=True).in_language(language))
            for c in answers.QUESTIONS[self.key].choices
        ]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AnswerChoices) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)


@deconstructible(path="intake.models.LabelChoices")
class LabelChoices:
    """Choices from one of the label tables of intake.answers (verdicts, suitability, severity)."""

    def __init__(self, table: str) -> None:
        self.table = table

    def __call__(self) -> list[tuple[str, str]]:
        language = get_language()
        return [
            (code, label.in_language(language))
            for code, label in getattr(answers, self.table).items()
        ]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LabelChoices) and other.table == self.table

    def __hash__(self) -> int:
        return hash(self.table)


def answer_code(key: str, **kwargs: object) -> models.CharField:
    return models.CharField(max_length=32, choices=AnswerChoices(key), **kwargs)
