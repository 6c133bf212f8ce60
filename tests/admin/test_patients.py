"""intake.admin.patients: patient records, treatments and links, read only; reception never sees
a treatment; every page showing a patient is recorded."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse

from intake.models import AccessRecord, Treatment


def change_url(model: str, pk: int, language: str = "en") -> str:
    from django.utils import translation

    with translation.override(language):
        return reverse(f"admin:intake_{model}_change", args=[pk])


def test_reception_sees_the_patients_contact_details_never_the_treatments(
    staff_client: Callable[[str], Client], objects: dict[str, Any]
) -> None:
    patient = objects["patient"]
    AccessRecord.objects.all().delete()
    response = staff_client("receptionist").get(change_url("patient", patient.pk))
    page = response.content.decode()
    assert patient.phone in page
    assert "Glabella" not in page and "20.0" not in page
    record = AccessRecord.objects.get()
    assert (record.action, record.patient, record.intake) == ("admin", patient, None)


def test_doctors_see_the_treatments_on_the_patients_page_in_both_languages(
    staff_client: Callable[[str], Client], objects: dict[str, Any]
) -> None:
    client = staff_client("doctor")
    patient = objects["patient"]
    assert (
        "Glabella (frown lines)" in client.get(change_url("patient", patient.pk)).content.decode()
    )
    page = client.get(change_url("patient", patient.pk, "ja")).content.decode()
    assert "眉間" in page and "施術記録" in page


def test_a_treatments_page_is_recorded_for_its_patient_and_offers_no_save_or_delete(
    staff_client: Callable[[str], Client], objects: dict[str, Any]
) -> None:
    treatment = objects["treatment"]
    AccessRecord.objects.all().delete()
    response = staff_client("superuser").get(change_url("treatment", treatment.pk))
    page = response.content.decode()
    assert 'name="_save"' not in page
    assert reverse("admin:intake_treatment_delete", args=[treatment.pk]) not in page
    assert AccessRecord.objects.get().patient == treatment.patient

    posted = staff_client("superuser").post(
        change_url("treatment", treatment.pk), {"total_units": "90"}
    )
    assert posted.status_code == 403
    treatment.refresh_from_db()
    assert treatment.total_units == 20
    assert Treatment.objects.count() == 1
