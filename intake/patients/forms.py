"""Forms of the patient record: search, unlinking, the appointment date and the treatment record.
They validate and explain in the user's language, never save (the services do)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from crispy_forms.bootstrap import FormActions
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row, Submit
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intake import answers
from intake.fields import AccessibleBoundField, CodesField, NormalisedDateField, lazy_label
from intake.models import Patient
from intake.models.patients import (
    DILUTION_MAX,
    DILUTION_MESSAGE,
    DILUTION_MIN,
    UNITS_MAX,
    UNITS_MESSAGE,
    UNITS_MIN,
)
from intake.patients.checks import TREATMENT_PRODUCTS, appointment_date_problem, treatment_problems
from intake.text import normalise_width


class PatientSearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Search"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Name, kana, phone number or date of birth"),
    )

    def query(self) -> str:
        return self.cleaned_data.get("q", "") if self.is_valid() else ""


class UnlinkForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Why is the link wrong?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("Say why the link was wrong.")},
    )


class AppointmentForm(forms.Form):
    appointment_date = NormalisedDateField(
        label=gettext_lazy("Appointment date"),
        required=False,
        help_text=gettext_lazy("Leave empty to clear it. The intake is screened again."),
    )

    def __init__(
        self, *args: Any, submitted_on: datetime.date, today: datetime.date, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.submitted_on, self.today = submitted_on, today

    def clean_appointment_date(self) -> datetime.date | None:
        value = self.cleaned_data.get("appointment_date")
        problem = appointment_date_problem(value, submitted_on=self.submitted_on, today=self.today)
        if problem:
            raise forms.ValidationError(problem, code="out_of_range")
        return value


class NormalisedDecimalField(forms.DecimalField):
    """A number typed in full or half width (２．５ is 2.5): a text box, since a number box
    refuses what a Japanese keyboard types."""

    widget = forms.TextInput

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str):
            value = normalise_width(value).strip()
        return super().to_python(value)


def _product_choices() -> list[tuple[str, Any]]:
    question = answers.QUESTIONS["botulinum_product"]
    labels = {choice.code: choice.label for choice in question.choices}
    return [
        ("", gettext_lazy("Choose…")),
        *((c, lazy_label(labels[c])) for c in TREATMENT_PRODUCTS),
    ]


class TreatmentForm(forms.Form):
    """What was given (spec §5). Units and dilution within sane bounds (see models/patients.py)."""

    bound_field_class = AccessibleBoundField

    treated_on = NormalisedDateField(label=gettext_lazy("Treatment date"))
    product = forms.ChoiceField(label=gettext_lazy("Product"))
    lot_number = forms.CharField(label=gettext_lazy("Lot number"), max_length=40, required=False)
    dilution_ml_per_100u = NormalisedDecimalField(
        label=gettext_lazy("Dilution (mL of saline per 100 units)"),
        max_digits=5,
        decimal_places=2,
    )
    total_units = NormalisedDecimalField(
        label=gettext_lazy("Total units"), max_digits=5, decimal_places=1
    )
    areas = CodesField(
        label=gettext_lazy("Areas"),
        choices=[(c.code, lazy_label(c.label)) for c in answers.TREATMENT_AREAS],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one area.")},
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        patient: Patient,
        today: datetime.date,
        correction: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.patient, self.today = patient, today
        self.fields["product"].choices = _product_choices()
        self.fields["product"].error_messages["required"] = _("Choose the product given.")
        units = UNITS_MESSAGE % {"min": UNITS_MIN, "max": UNITS_MAX}
        dilution = DILUTION_MESSAGE % {"min": DILUTION_MIN, "max": DILUTION_MAX}
        for name, message in (("total_units", units), ("dilution_ml_per_100u", dilution)):
            field = self.fields[name]
            field.help_text = message
            field.widget.attrs.update(inputmode="decimal", autocomplete="off")
            for code in ("required", "invalid", "max_digits", "max_decimal_places"):
                field.error_messages[code] = message
            field.error_messages["max_whole_digits"] = message
        self.fields["lot_number"].widget.attrs.update(autocomplete="off")
        names = ["treated_on", "product", "lot_number", "dilution_ml_per_100u", "total_units"]
        if correction:
            self.fields["withdraw"] = forms.BooleanField(
                label=_("Withdraw this record: it was entered by mistake (say why in the note)"),
                required=False,
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(*(Column(name, css_class="col-sm-6 col-lg-4") for name in names)),
            Field("areas"),
            Field("note"),
            *([Field("withdraw")] if correction else []),
            FormActions(Submit("record", _("Record the treatment"), css_class="btn-primary")),
        )

    def clean_lot_number(self) -> str:
        return " ".join(normalise_width(self.cleaned_data.get("lot_number", "")).split()).upper()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        problems = treatment_problems(
            patient=self.patient,
            treated_on=cleaned.get("treated_on"),
            product=cleaned.get("product", ""),
            dilution_ml_per_100u=cleaned.get("dilution_ml_per_100u"),
            total_units=cleaned.get("total_units"),
            areas=cleaned.get("areas", []),
            note=cleaned.get("note", ""),
            today=self.today,
        )
        if cleaned.get("withdraw") and not cleaned.get("note", "").strip():
            problems["note"] = _("Say why the record is withdrawn.")
        for name, message in problems.items():
            if name not in self.errors:  # a field's own error already says what is wrong
                self.add_error(name, message)
        return cleaned
