"""The question a guarded link asks first: the patient's date of birth, typed any way the
intake's own date of birth is (the same field, label and help)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from intake import answers
from intake.fields import NormalisedDateField, lazy_label

QUESTION = answers.QUESTIONS["date_of_birth"]


class BirthDateForm(forms.Form):
    date_of_birth = NormalisedDateField(
        label=lazy_label(QUESTION.label),
        help_text=lazy_label(QUESTION.help),
        error_messages={"required": _("Enter your date of birth.")},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date_of_birth"].widget.attrs.update(autocomplete="bday")
