"""The checks of a treatment record and an appointment date, shared by the forms (which explain
them field by field) and the services (which check again before writing). No database."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _

from intake import answers
from intake.fields import MAX_DAYS_TO_VISIT
from intake.models import Patient
from intake.models.patients import (
    DILUTION_MAX,
    DILUTION_MESSAGE,
    DILUTION_MIN,
    UNITS_MAX,
    UNITS_MESSAGE,
    UNITS_MIN,
)

TREATMENT_PRODUCTS = tuple(
    choice.code
    for choice in answers.QUESTIONS["botulinum_product"].choices
    if choice.code not in answers.TREATMENT_PRODUCT_EXCLUDED
)
TREATMENT_AREA_CODES = tuple(choice.code for choice in answers.TREATMENT_AREAS)


def appointment_date_problem(
    value: datetime.date | None, *, submitted_on: datetime.date, today: datetime.date
) -> str | None:
    """Why an appointment date can't be set, or None: not before the intake was sent (the
    screening measures to it), at most a year from today (like a visit date)."""
    if value is None:
        return None
    if value < submitted_on:
        return _(
            "The appointment can't be before the day the questionnaire was sent (%(day)s)."
        ) % {"day": submitted_on.isoformat()}
    if (value - today).days > MAX_DAYS_TO_VISIT:
        return _("Enter an appointment date within a year from today.")
    return None


def treatment_problems(
    *,
    patient: Patient,
    treated_on: datetime.date | None,
    product: str,
    dilution_ml_per_100u: Decimal | None,
    total_units: Decimal | None,
    areas: Iterable[str],
    note: str,
    today: datetime.date,
) -> dict[str, str]:
    """What is wrong with a treatment record, by field, in the active language; the form shows
    the same checks, this is the service's own guard."""
    areas = list(areas)
    problems: dict[str, str] = {}
    if treated_on is None:
        problems["treated_on"] = _("Enter the treatment date.")
    elif treated_on > today:
        problems["treated_on"] = _("The treatment date can't be after today.")
    elif treated_on < patient.date_of_birth:
        problems["treated_on"] = _(
            "The treatment date can't be before the patient's date of birth."
        )
    if product not in TREATMENT_PRODUCTS:
        problems["product"] = _("Choose the product given.")
    if dilution_ml_per_100u is None or not (DILUTION_MIN <= dilution_ml_per_100u <= DILUTION_MAX):
        problems["dilution_ml_per_100u"] = DILUTION_MESSAGE % {
            "min": DILUTION_MIN,
            "max": DILUTION_MAX,
        }
    if total_units is None or not (UNITS_MIN <= total_units <= UNITS_MAX):
        problems["total_units"] = UNITS_MESSAGE % {"min": UNITS_MIN, "max": UNITS_MAX}
    if not areas or any(code not in TREATMENT_AREA_CODES for code in areas):
        problems["areas"] = _("Choose at least one area.")
    elif "other" in areas and not note.strip():
        problems["note"] = _("Name the area in the note when you choose “Other”.")
    if product == "other" and not note.strip():
        problems["note"] = _("Name the product in the note when you choose “Other”.")
    return problems
