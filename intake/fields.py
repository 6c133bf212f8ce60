"""Form fields and checks that every room's forms share, built on `intake.text`.

A date typed any way people type one, katakana names, phone numbers, labels in the active
language, and a form field for any question of the data dictionary. The wizard's steps, reception's
invitation form, the doctors' queue filters and the admin use them.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from intake.answers import YES_NO_LABELS, Question, Text
from intake.text import (
    DATE_INPUT_FORMATS,
    is_katakana_name,
    is_phone_number,
    normalise_kana,
    normalise_phone,
    normalise_width,
    parse_date,
)

MAX_DAYS_TO_VISIT = 365
# The id of every form's error summary (templates/_error_summary.html), which fields may name.
ERROR_SUMMARY_ID = "error-summary"
# Autofill for the patient's own details (WCAG 1.3.5); reception typing someone else's uses none.
AUTOCOMPLETE = {"full_name": "name", "email": "email", "date_of_birth": "bday", "phone": "tel"}
TRUE_FALSE = (("true", YES_NO_LABELS[True]), ("false", YES_NO_LABELS[False]))


def clean_kana(value: str) -> str:
    """フリガナ: hiragana and half-width katakana are converted to full-width katakana first
    (spec §1); then katakana, the prolonged-sound mark and spaces only. The patient's form,
    reception's invitation form and the `screen` command all read it this way."""
    value = normalise_kana(value)
    if value and not is_katakana_name(value):
        raise forms.ValidationError(
            _("Write the name in katakana (カタカナ), for example ヤマダ ハナコ."), code="katakana"
        )
    return value


def clean_phone_number(value: str) -> str:
    """A phone number typed in full or half width, with the dashes people use; 10–15 digits."""
    value = normalise_phone(value)
    if value and not is_phone_number(value):
        raise forms.ValidationError(
            _(
                "Enter a phone number of 10 to 15 digits; "
                "only digits, spaces and + - ( ) are allowed."
            ),
            code="phone",
        )
    return value


class AccessibleBoundField(BoundField):
    """A field is invalid only once it has been checked.

    Chromium reports an empty required date or radio button as invalid (`aria-invalid`) before
    anything is answered; saying "false" until the form comes back with an error stops that.
    Django itself says "true" for a field with errors.
    """

    def build_widget_attrs(self, attrs: Any, widget: Any = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        if not (widget or self.field.widget).is_hidden:
            attrs.setdefault("aria-invalid", "false")
        return attrs


def _label_text(label: Text) -> str:
    return label.in_language(get_language())


lazy_label = lazy(_label_text, str)


class NormalisedDateInput(forms.DateInput):
    """`<input type=date>` needs ISO dates: a date typed another way is shown back in ISO."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, str):
            parsed = parse_date(value)
            return parsed.isoformat() if parsed else value
        return super().format_value(value)


class NormalisedDateField(forms.DateField):
    """A date from `<input type=date>`, or typed by hand in full-width digits or with slashes."""

    widget = NormalisedDateInput
    input_formats = DATE_INPUT_FORMATS
    default_error_messages = {
        "invalid": _("Enter a real date, for example 2026-04-01."),
    }

    def to_python(self, value: Any) -> datetime.date | None:
        if isinstance(value, str):
            value = normalise_width(value).strip()
        return super().to_python(value)


class CodesField(forms.MultipleChoiceField):
    """A multi-select: each code chosen once, in the data dictionary's order (spec §1), however
    many times or in whatever order it was sent (a crafted POST, the `screen` command's JSON)."""

    def clean(self, value: Any) -> list[str]:
        chosen = set(super().clean(value))
        return [str(code) for code, _label in self.choices if code in chosen]


def _choices(question: Question) -> list[tuple[str, str]]:
    return [(c.code, lazy_label(c.label)) for c in question.choices]


def build_field(question: Question) -> forms.Field:
    field = _build_field(question)
    if question.required_when_shown:
        # Not `required`: a question that does not apply is never asked. While it is shown it
        # is marked as required (the label's mark, see templates/bootstrap5/field.html).
        field.required_when_shown = True  # type: ignore[attr-defined]
        field.widget.attrs["aria-required"] = "true"
    if question.key in AUTOCOMPLETE:
        field.widget.attrs["autocomplete"] = AUTOCOMPLETE[question.key]
    return field


def _build_field(question: Question) -> forms.Field:
    common: dict[str, Any] = {
        "label": lazy_label(question.label),
        "required": question.required,
        "help_text": lazy_label(question.help) if question.help else "",
    }
    if question.kind == "text":
        widget = forms.Textarea(attrs={"rows": 3}) if (question.max_length or 0) > 100 else None
        return forms.CharField(max_length=question.max_length, widget=widget, **common)
    if question.kind == "email":
        return forms.EmailField(max_length=question.max_length, **common)
    if question.kind == "phone":
        widget = forms.TextInput(attrs={"type": "tel", "inputmode": "tel"})
        return forms.CharField(max_length=question.max_length, widget=widget, **common)
    if question.kind == "date":
        return NormalisedDateField(**common)
    if question.kind == "code":
        if len(question.choices) > 7:
            choices = [("", lazy_label(Text("選択してください", "Choose…"))), *_choices(question)]
            return forms.ChoiceField(choices=choices, **common)
        return forms.ChoiceField(choices=_choices(question), widget=forms.RadioSelect, **common)
    if question.kind == "multi":
        return CodesField(choices=_choices(question), widget=forms.CheckboxSelectMultiple, **common)
    if question.must_be_true:
        return forms.BooleanField(
            error_messages={"required": _("Please confirm this to continue.")}, **common
        )
    return forms.TypedChoiceField(
        choices=[(value, lazy_label(label)) for value, label in TRUE_FALSE],
        coerce=lambda value: value == "true",
        empty_value=None,
        widget=forms.RadioSelect,
        **common,
    )
