"""Forms of the doctors' review: the queue's filters, the decision, and the staff's sign-in.
They validate, never save."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from crispy_forms.bootstrap import FormActions
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout, Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from intake import answers, screening
from intake.bilingual import LIST_SEPARATOR, Text
from intake.fields import ERROR_SUMMARY_ID, AccessibleBoundField, NormalisedDateField
from intake.models import Decision, Intake, IntakeFlag
from intake.review import queue
from intake.widgets import PythonSearchInput, PythonSelect

# Filters only doctors get: a receptionist filtering on them would learn what they match.
DOCTOR_ONLY_FILTERS = ("verdict", "suitability", "flag")
ACKNOWLEDGEMENT_PREFIX = "ack_"
# A flag named in a message: its code, then its title.
NAMED_FLAG = Text("{}（{}）", "{} ({})")


class FilterBoundField(forms.BoundField):
    """Bootstrap's classes on a filter's control, as crispy gives them (the widget's name first),
    and `is-invalid` on a value that was left out."""

    def build_widget_attrs(self, attrs: Any, widget: Any = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        kind = "form-select" if isinstance(widget, forms.Select) else "form-control"
        invalid = " is-invalid" if self.errors else ""
        attrs["class"] = f"{type(widget).__name__.lower()} {kind}{invalid}"
        return attrs


class QueueFilterForm(forms.Form):
    """The queue's filters, read from the query string; an invalid filter is left out, not fatal.

    Drawn by templates/review/_queue_filters.html in the fields' order, without crispy: the queue
    is the page staff load most, and crispy's layout cost as much as a third of its rows.
    """

    bound_field_class = FilterBoundField

    q = forms.CharField(
        label=gettext_lazy("Search"),
        required=False,
        max_length=100,
        widget=PythonSearchInput,
        help_text=gettext_lazy("Name, kana, reference code or phone number"),
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False, widget=PythonSelect)
    verdict = forms.ChoiceField(label=gettext_lazy("Verdict"), required=False, widget=PythonSelect)
    suitability = forms.ChoiceField(
        label=gettext_lazy("Suitability"), required=False, widget=PythonSelect
    )
    flag = forms.ChoiceField(label=gettext_lazy("Flag"), required=False, widget=PythonSelect)
    visit_from = NormalisedDateField(label=gettext_lazy("Visit from"), required=False)
    visit_to = NormalisedDateField(label=gettext_lazy("Visit until"), required=False)

    def __init__(self, *args: Any, for_doctor: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = get_language()
        self.fields["status"].choices = [
            (queue.QUEUE_OPEN, _("Open (new and in review)")),
            *Intake.Status.choices,
            (queue.QUEUE_ALL, _("All")),
        ]
        self.fields["verdict"].choices = [
            ("", _("Any verdict")),
            *(
                (code, label.in_language(language))
                for code, label in answers.VERDICT_LABELS.items()
            ),
        ]
        self.fields["suitability"].choices = [
            ("", _("Any suitability")),
            *(
                (code, label.in_language(language))
                for code, label in answers.SUITABILITY_LABELS.items()
            ),
        ]
        self.fields["flag"].choices = [
            ("", _("Any flag")),
            *(
                (rule.code, f"{rule.code} · {rule.title.in_language(language)}")
                for rule in screening.RULES
            ),
        ]
        if not for_doctor:
            for name in DOCTOR_ONLY_FILTERS:
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("visit_from"), cleaned.get("visit_to")
        if start and end and start > end:
            self.add_error("visit_to", _("The end of the range comes before its start."))
            # The range as a whole is wrong: neither end alone is what was meant.
            cleaned.pop("visit_from", None)
        return cleaned

    def filters(self) -> queue.QueueFilters:
        """The valid filters; a field with an error is left out and the rest still apply."""
        self.is_valid()
        data = self.cleaned_data
        return queue.QueueFilters(
            query=data.get("q") or "",
            status=data.get("status") or queue.QUEUE_OPEN,
            verdict=data.get("verdict") or "",
            suitability=data.get("suitability") or "",
            flag=data.get("flag") or "",
            visit_from=data.get("visit_from"),
            visit_to=data.get("visit_to"),
        )


class DecisionForm(forms.Form):
    """A doctor's decision: an outcome, a note unless approved, and an explicit acknowledgement
    of each contraindication and review flag."""

    bound_field_class = AccessibleBoundField

    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"), choices=Decision.Outcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Required unless approved: the conditions, or why the treatment waits or is declined."
        ),
    )
    # The latest decision the doctor saw: if another is recorded meanwhile, nothing is saved.
    based_on = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, flags: Sequence[IntakeFlag], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = get_language()
        self.flags = list(flags)
        for flag in self.flags:
            severity = answers.SEVERITY_LABELS[flag.severity].in_language(language)
            self.fields[self.acknowledgement_field(flag)] = forms.BooleanField(
                label=f"{severity} · {flag.code} · {flag.title}", required=False
            )

        self.helper = FormHelper()
        self.helper.form_tag = False
        acknowledgements = [self.acknowledgement_field(flag) for flag in self.flags]
        self.helper.layout = Layout(
            Fieldset(
                _("I have read and considered each of these flags"),
                *acknowledgements,
                css_class="acknowledgements",
            )
            if acknowledgements
            else Div(),
            Field("outcome"),
            Field("note"),
            Field("based_on"),
            FormActions(Submit("decide", _("Record the decision"), css_class="btn-primary")),
        )

    @staticmethod
    def acknowledgement_field(flag: IntakeFlag) -> str:
        return f"{ACKNOWLEDGEMENT_PREFIX}{flag.code}"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        missing = [flag for flag in self.flags if not cleaned.get(self.acknowledgement_field(flag))]
        for flag in missing:
            self.add_error(self.acknowledgement_field(flag), _("Not acknowledged yet."))
        if missing:
            language = get_language()
            separator = LIST_SEPARATOR.in_language(language)
            named = NAMED_FLAG.in_language(language)
            self.add_error(
                None,
                _(
                    "Acknowledge every contraindication and review flag before deciding. "
                    "Not acknowledged yet: %(flags)s."
                )
                % {
                    "flags": separator.join(named.format(flag.code, flag.title) for flag in missing)
                },
            )
        outcome = cleaned.get("outcome")
        if outcome and outcome != Decision.Outcome.APPROVED and not cleaned.get("note", "").strip():
            self.add_error(
                "note",
                _("Write a note: it is required for the outcome “%(outcome)s”.")
                % {"outcome": Decision.Outcome(outcome).label},
            )
        return cleaned

    @property
    def acknowledged_codes(self) -> list[str]:
        return [
            flag.code
            for flag in self.flags
            if self.cleaned_data.get(self.acknowledgement_field(flag))
        ]


class CredentialsBoundField(AccessibleBoundField):
    """A refused sign-in is an error of the form as a whole (which of the two was wrong is not
    said), but it concerns both fields: each says it is invalid and is described by the error."""

    def build_widget_attrs(self, attrs: Any, widget: Any = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        if self.form.non_field_errors():
            attrs["aria-invalid"] = "true"
            described = (ERROR_SUMMARY_ID, attrs.get("aria-describedby"))
            attrs["aria-describedby"] = " ".join(filter(None, described))
        return attrs


class StaffAuthenticationForm(AuthenticationForm):
    """Django's sign-in form, its error tied to the fields (clinic/urls.py's LoginView)."""

    bound_field_class = CredentialsBoundField
