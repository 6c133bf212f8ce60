"""One form per wizard step, built from the data dictionary; they validate and present, never save.

The `screen` command runs the same forms over a JSON mapping (its `validate_answers`), so the web
form and the command share one definition of what is valid. The date field and the kana and phone
checks here serve reception's and the doctors' forms too.
"""

from __future__ import annotations

import datetime
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.utils.functional import cached_property, lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from intake import answers
from intake.answers import YES_NO_LABELS, Question, Text
from intake.screening import completed_years
from intake.text import (
    DATE_INPUT_FORMATS,
    is_katakana_name,
    is_phone_number,
    normalise_kana,
    normalise_phone,
    normalise_width,
    parse_date,
)

MAX_AGE_YEARS = 120
MAX_DAYS_TO_VISIT = 365
TRUE_FALSE = (("true", YES_NO_LABELS[True]), ("false", YES_NO_LABELS[False]))


def clean_kana(value: str, *, from_hiragana: bool = False) -> str:
    """フリガナ: full width, single spaces, katakana and the prolonged-sound mark only.

    The patient's form asks for katakana as the spec says; reception's form converts hiragana.
    """
    value = normalise_kana(value, from_hiragana=from_hiragana)
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


def _choices(question: Question) -> list[tuple[str, str]]:
    return [(c.code, lazy_label(c.label)) for c in question.choices]


def build_field(question: Question) -> forms.Field:
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
        widget = forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"})
        return forms.CharField(max_length=question.max_length, widget=widget, **common)
    if question.kind == "date":
        return NormalisedDateField(**common)
    if question.kind == "code":
        if len(question.choices) > 7:
            choices = [("", lazy_label(Text("選択してください", "Choose…"))), *_choices(question)]
            return forms.ChoiceField(choices=choices, **common)
        return forms.ChoiceField(choices=_choices(question), widget=forms.RadioSelect, **common)
    if question.kind == "multi":
        return forms.MultipleChoiceField(
            choices=_choices(question), widget=forms.CheckboxSelectMultiple, **common
        )
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


class StepForm(forms.Form):
    """A step of the intake: fields from the data dictionary, validation from the spec."""

    step_name: str = ""

    def __init__(
        self,
        *args: Any,
        today: datetime.date,
        date_of_birth: datetime.date | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.date_of_birth = date_of_birth
        self.questions = answers.STEPS_BY_NAME[self.step_name].questions
        for question in self.questions:
            self.fields[question.key] = build_field(question)

    @cached_property
    def helper(self) -> FormHelper:
        """The crispy layout, made only when the page is rendered (never for a submit)."""
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        helper.layout = Layout(
            *(self._layout_field(q) for q in self.questions), *self.extra_layout_fields
        )
        return helper

    extra_layout_fields: tuple[Field, ...] = ()

    def _layout_field(self, question: Question) -> Field:
        if question.shown_when is None:
            return Field(question.key)
        key, values = question.shown_when
        hidden = "" if self.is_shown(question) else " d-none"
        return Field(
            question.key,
            wrapper_class=f"js-conditional{hidden}",
            data_shown_when=key,
            data_shown_values=" ".join("true" if v is True else str(v) for v in values),
        )

    def is_shown(self, question: Question) -> bool:
        """Whether a conditional question applies, decided on the server from the answers given.

        A question with an error stays shown, so the patient sees what to correct.
        """
        if question.shown_when is None:
            return True
        key = question.shown_when[0]
        if not self.is_bound:
            return answers.is_shown(question, {key: self.initial.get(key)})
        field = self.fields[key]
        raw = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(key))
        try:
            value = field.clean(raw)
        except forms.ValidationError:
            value = None
        return answers.is_shown(question, {key: value}) or bool(self.errors.get(question.key))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for question in self.questions:
            if question.shown_when is None:
                continue
            key, _values = question.shown_when
            if key in self.errors:
                continue
            shown = answers.is_shown(question, cleaned)
            if question.key in self.errors:
                if not shown and question.kind != "multi":
                    # Dropped like any answer to a question that does not apply: a wrong date
                    # left in a hidden question must not block the step.
                    del self.errors[question.key]
                    cleaned[question.key] = None
                continue
            value = cleaned.get(question.key)
            if shown:
                if question.required_when_shown and value in (None, "", []):
                    self.add_error(question.key, self.required_when_shown_message(question))
            elif question.kind == "multi" and value:
                self.add_error(question.key, self.must_be_empty_message(question))
            else:
                # An answer to a question that does not apply is dropped, never stored.
                cleaned[question.key] = [] if question.kind == "multi" else None
        return cleaned

    def required_when_shown_message(self, question: Question) -> str:
        return _("Please answer this question.")

    def must_be_empty_message(self, question: Question) -> str:
        return _("Please answer this question.")

    # Date rules shared by the steps -------------------------------------------------------
    def _not_in_future(self, key: str) -> datetime.date | None:
        value = self.cleaned_data.get(key)
        if value and value > self.today:
            raise forms.ValidationError(
                _("This date is in the future. Enter today or an earlier date."), code="future"
            )
        return value

    def _not_in_past(self, key: str) -> datetime.date | None:
        value = self.cleaned_data.get(key)
        if value and value < self.today:
            raise forms.ValidationError(
                _("This date has passed. Enter today or a later date."), code="past"
            )
        return value

    def _not_before_birth(self, value: datetime.date | None) -> datetime.date | None:
        if value and self.date_of_birth and value < self.date_of_birth:
            raise forms.ValidationError(
                _("This date is before your date of birth."), code="before_birth"
            )
        return value


class AboutYouForm(StepForm):
    step_name = "about_you"

    # A honeypot: hidden from people (off screen, out of the tab order), filled in by spam bots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    extra_layout_fields = (Field("website", wrapper_class="honeypot"),)

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Leave this field empty."), code="honeypot")
        return ""

    def clean_full_name(self) -> str:
        return normalise_width(self.cleaned_data["full_name"]).strip()

    def clean_full_name_kana(self) -> str:
        return clean_kana(self.cleaned_data.get("full_name_kana", ""))

    def clean_date_of_birth(self) -> datetime.date | None:
        value = self._not_in_future("date_of_birth")
        if value and completed_years(value, self.today) > MAX_AGE_YEARS:
            raise forms.ValidationError(
                _("Please check the year: this date of birth means an age over 120."),
                code="too_old",
            )
        return value

    def clean_phone(self) -> str:
        return clean_phone_number(self.cleaned_data["phone"])

    def clean_email(self) -> str:
        return self.cleaned_data.get("email", "").strip().lower()

    def clean_visit_date(self) -> datetime.date | None:
        value = self._not_in_past("visit_date")
        if value and (value - self.today).days > MAX_DAYS_TO_VISIT:
            raise forms.ValidationError(
                _("Enter a visit date within a year from today."), code="too_far"
            )
        return value


class SkinForm(StepForm):
    step_name = "skin"


class RetinoidsForm(StepForm):
    step_name = "retinoids"

    def clean_topical_retinoid_started(self) -> datetime.date | None:
        return self._not_before_birth(self._not_in_future("topical_retinoid_started"))

    def clean_isotretinoin_last_dose(self) -> datetime.date | None:
        return self._not_before_birth(self._not_in_future("isotretinoin_last_dose"))

    def required_when_shown_message(self, question: Question) -> str:
        if question.key == "isotretinoin_last_dose":
            return _("Enter the date of your last dose (an approximate date is fine).")
        return _("Enter when you started it (an approximate date is fine).")

    def must_be_empty_message(self, question: Question) -> str:
        return _(
            "You said you use no retinoid now: leave this empty, or choose the retinoid above."
        )


class TreatmentsForm(StepForm):
    step_name = "treatments"

    def clean_botulinum_last_date(self) -> datetime.date | None:
        return self._not_before_birth(self._not_in_future("botulinum_last_date"))

    def clean_last_resurfacing_date(self) -> datetime.date | None:
        return self._not_before_birth(self._not_in_future("last_resurfacing_date"))

    def required_when_shown_message(self, question: Question) -> str:
        return _("Enter the date of your last treatment (an approximate date is fine).")

    def must_be_empty_message(self, question: Question) -> str:
        return _(
            "You said you have not had a botulinum toxin treatment: leave this empty, "
            "or answer yes above."
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("botulinum_before"):
            cleaned["botulinum_product"] = ""
        return cleaned


class HealthForm(StepForm):
    step_name = "health"

    def clean_upcoming_event_date(self) -> datetime.date | None:
        return self._not_in_past("upcoming_event_date")

    def clean_allergy_details(self) -> str:
        return self.cleaned_data.get("allergy_details", "").strip()

    def clean_medication_details(self) -> str:
        return self.cleaned_data.get("medication_details", "").strip()


class ConsentForm(StepForm):
    """The consents, and which version of the consent text was shown."""

    step_name = "consent"

    consent_version = forms.CharField(widget=forms.HiddenInput, required=False)
    extra_layout_fields = (Field("consent_version"),)

    def __init__(self, *args: Any, consent_version: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current_consent_version = consent_version
        self.fields["consent_version"].initial = consent_version

    def clean_consent_version(self) -> str:
        value = self.cleaned_data.get("consent_version") or self.current_consent_version
        if value != self.current_consent_version:
            raise forms.ValidationError(
                _("The consent text has been updated. Please read it again and confirm."),
                code="consent_changed",
            )
        return value


class ReviewForm(forms.Form):
    """The last page: every answer listed; submitting it creates the intake exactly once."""

    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("today", None)
        kwargs.pop("date_of_birth", None)
        super().__init__(*args, **kwargs)


STEP_FORMS: dict[str, type[StepForm]] = {
    form.step_name: form
    for form in (AboutYouForm, SkinForm, RetinoidsForm, TreatmentsForm, HealthForm, ConsentForm)
}
