"""One form per wizard step, built from the data dictionary; they validate and present, never save.

The `screen` command runs the same forms over a JSON mapping (its `validate_answers`), so the web
form and the command share one definition of what is valid. Their fields come from
`intake.fields`, built from the questions of the data dictionary.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from intake import answers
from intake.answers import Question
from intake.fields import (
    MAX_DAYS_TO_VISIT,
    AccessibleBoundField,
    build_field,
    clean_kana,
    clean_phone_number,
)
from intake.screening import completed_years
from intake.text import normalise_width

MAX_AGE_YEARS = 120
# The review form's error when the answers changed after the page was shown (another tab).
ANSWERS_CHANGED = "answers_changed"


class StepForm(forms.Form):
    """A step of the intake: fields from the data dictionary, validation from the spec."""

    step_name: str = ""
    bound_field_class = AccessibleBoundField

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
        for question in self.questions:
            if question.shown_when is not None:
                # The answer that shows a follow-up question names it (its wrapper's id,
                # div_<field id>), so assistive technology can tie the two together.
                widget = self.fields[question.shown_when[0]].widget
                controlled = f"div_{self[question.key].auto_id}"
                widget.attrs["aria-controls"] = " ".join(
                    filter(None, (widget.attrs.get("aria-controls"), controlled))
                )

    # Fields beside the questions, hidden from people but not from bots (a honeypot).
    honeypot_fields: tuple[str, ...] = ()

    def shown_when_attrs(self, question: Question) -> tuple[str, dict[str, str]]:
        """A follow-up question's wrapper class and the attributes static/intake/intake.js
        reads to show it as its answer changes (templates/intake/_step_fields.html)."""
        if question.shown_when is None:
            return "", {}
        key, values = question.shown_when
        hidden = "" if self.is_shown(question) else " d-none"
        return f" js-conditional{hidden}", {
            "data-shown-when": key,
            "data-shown-values": " ".join("true" if v is True else str(v) for v in values),
        }

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

    # A honeypot: hidden from people (off screen, out of the tab order, out of the accessibility
    # tree), filled in by spam bots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    honeypot_fields = ("website",)

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


def answers_digest(step_data: Mapping[str, Any]) -> str:
    """A keyed digest of the answers as stored for each step, which the review page is drawn from.

    The review page carries it and its submit must send it back unchanged: answers changed in
    another tab meanwhile are not sent unseen. Keyed (HMAC) because it is printed in the page and
    some answers have few possible values: a plain hash could be matched by trying them all.
    """
    canonical = {
        step: sorted(
            (key, list(values))
            for key, values in _lists(data)
            if key.startswith(f"{step}-")  # the step's own fields, no buttons or CSRF token
        )
        for step, data in step_data.items()
        if data
    }
    serialised = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return salted_hmac("intake.forms.answers_digest", serialised, algorithm="sha256").hexdigest()


def _lists(data: Any) -> Iterable[tuple[str, list[str]]]:
    # The session gives a MultiValueDict back (.lists()); a test's plain dict holds lists.
    return data.lists() if hasattr(data, "lists") else data.items()


class ReviewForm(forms.Form):
    """The last page: every answer listed; submitting it creates the intake exactly once.

    `submission_token` only recognises a re-sent POST of the same session (the intake is created
    with the session's own token); `answers_digest` is the digest of the answers the page showed,
    compared with `current_digest`, that of the answers the session holds now.
    """

    submission_token = forms.UUIDField(widget=forms.HiddenInput)
    answers_digest = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, current_digest: str = "", **kwargs: Any) -> None:
        kwargs.pop("today", None)
        kwargs.pop("date_of_birth", None)
        super().__init__(*args, **kwargs)
        self.current_digest = current_digest

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        shown = cleaned.get("answers_digest") or ""
        if not constant_time_compare(shown, self.current_digest):
            raise forms.ValidationError(
                _("Your answers were changed in another window; check them below and send again."),
                code=ANSWERS_CHANGED,
            )
        return cleaned


def step_initial(step: str, given: Mapping[str, Any]) -> dict[str, Any]:
    """Answers as stored (`given`), those of `step`'s questions, as its form's initial data: a
    yes/no as its radio button's value. The review page (`step` "review") has no question."""
    initial: dict[str, Any] = {}
    questions = answers.STEPS_BY_NAME[step].questions if step in answers.STEPS_BY_NAME else ()
    for question in questions:
        if question.key in given:
            value = given[question.key]
            if question.kind == "bool" and value is not None:
                value = "true" if value else "false"
            initial[question.key] = value
    return initial


STEP_FORMS: dict[str, type[StepForm]] = {
    form.step_name: form
    for form in (AboutYouForm, SkinForm, RetinoidsForm, TreatmentsForm, HealthForm, ConsentForm)
}
