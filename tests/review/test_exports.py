"""What carries an intake out of the review workspace (intake/review/views.py): the one-page
consultation summary, the patient's handout, the chart text (its page and the text the copy
button fetches) and the FHIR download. Each is a reading, recorded like the intake's page."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import translation

from intake import chart, screening
from intake.models import AccessRecord, ClinicProfile, Intake
from intake.patients import services as patient_services
from intake.review import selectors
from tests.fhir.helpers import validate
from tests.fixed_intake import REFERENCE, fixed_intake


def url(name: str, intake: Intake, language: str = "en") -> str:
    with translation.override(language):
        return reverse(name, kwargs={"reference": intake.reference})


@pytest.fixture
def golden(doctor: User, receptionist: User) -> Intake:
    """The fixed intake: a returning patient, approved with conditions."""
    return fixed_intake(doctor=doctor, receptionist=receptionist)


# The intake page offers them all ----------------------------------------------------------------
def test_the_intake_page_offers_the_copy_the_summary_the_handout_and_the_fhir_file(
    doctor_client: Client, golden: Intake
) -> None:
    page = doctor_client.get(url("review:intake", golden)).content.decode()
    copy = (
        f'<a class="btn btn-primary btn-sm" id="copy-for-chart" '
        f'href="{url("review:chart", golden)}" data-chart-copy="{url("review:chart_text", golden)}"'
    )
    assert copy in page
    for name in ("review:print", "review:handout", "review:fhir"):
        assert f'href="{url(name, golden)}"' in page
    assert "review/chart.js" in page


# The chart text ---------------------------------------------------------------------------------
def test_the_chart_text_is_served_as_plain_text_in_the_doctors_language_and_recorded(
    doctor_client: Client, doctor: User, golden: Intake
) -> None:
    response = doctor_client.get(url("review:chart_text", golden, "ja"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    loaded = selectors.intake_for_review(reference=REFERENCE)
    assert response.content.decode() == chart.chart_text(loaded, language="ja")
    english = doctor_client.get(url("review:chart_text", golden, "en")).content.decode()
    assert english.startswith(f"[Intake] {REFERENCE}\n")
    records = AccessRecord.objects.filter(action=AccessRecord.Action.CHART)
    assert records.count() == 2
    assert {(r.user, r.intake, r.patient) for r in records} == {(doctor, golden, golden.patient)}


def test_the_chart_texts_page_holds_the_text_to_select_and_copy_without_javascript(
    doctor_client: Client, golden: Intake
) -> None:
    response = doctor_client.get(url("review:chart", golden))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<textarea class="form-control font-monospace" id="chart-text"' in page
    assert "readonly" in page and 'wrap="off"' in page
    # The text, escaped for HTML only: the browser shows exactly the chart text.
    assert response.context["text"].startswith(f"[Intake] {REFERENCE}\n")
    assert "[Decision] Approved with conditions, 2026-11-24, Sato" in page
    assert "review/chart.js" in page
    assert AccessRecord.objects.filter(action=AccessRecord.Action.CHART, intake=golden).exists()


# The FHIR download ------------------------------------------------------------------------------
def test_the_fhir_download_is_the_intakes_bundle_as_a_file_and_is_recorded(
    doctor_client: Client, doctor: User, golden: Intake
) -> None:
    response = doctor_client.get(url("review:fhir", golden))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="intake-{REFERENCE}.json"'
    bundle = json.loads(response.content)
    validate(bundle)
    assert bundle["id"] == REFERENCE
    # The canonical URLs are the API's, so a download and an API read agree.
    response_entry = bundle["entry"][1]["resource"]
    assert response_entry["questionnaire"].startswith("http://testserver/api/fhir/Questionnaire/")
    record = AccessRecord.objects.get(action=AccessRecord.Action.FHIR)
    assert (record.user, record.intake, record.patient) == (doctor, golden, golden.patient)


def test_an_unknown_reference_gets_the_404_page_for_every_export(doctor_client: Client) -> None:
    for name in ("review:chart", "review:chart_text", "review:fhir", "review:handout"):
        with translation.override("en"):
            target = reverse(name, kwargs={"reference": "ZZZZ-ZZZZ"})
        assert doctor_client.get(target).status_code == 404, name
    assert not AccessRecord.objects.exists()


# The consultation summary -----------------------------------------------------------------------
def test_the_summary_has_every_non_empty_answer_compact_and_grouped(
    doctor_client: Client, golden: Intake
) -> None:
    response = doctor_client.get(url("review:print", golden))
    sections = {section.step: section for section in response.context["sections"]}
    assert list(sections) == ["about_you", "skin", "retinoids", "treatments", "health", "consent"]
    skin = {row.key: row for row in sections["skin"].rows}
    assert skin["skin_type"].label == "Skin type" and skin["skin_type"].value == "Combination"
    assert skin["acne_lesion_count"].value == "6–20 (moderate)"  # the staff's label
    health = {row.key for row in sections["health"].rows}
    assert "neuromuscular" not in health  # nothing ticked: left out
    assert "allergy_details" in health
    # The head already says who: not repeated among the answers.
    assert "full_name" not in {row.key for row in sections["about_you"].rows}
    page = response.content.decode()
    assert 'id="print-step-retinoids"' in page and "Retinoid irritation" in page


def test_the_summary_has_every_flag_with_its_note_caution_and_info_included(
    doctor_client: Client, golden: Intake
) -> None:
    page = doctor_client.get(url("review:print", golden)).content.decode()
    for flag in golden.current_flags():
        assert f'id="print-flag-{flag.code}"' in page
        assert flag.clinician_note_en in page.replace("&#x27;", "'"), flag.code
    assert screening.RULES_BY_CODE["OFF_LABEL"].clinician_note.en in page.replace("&#x27;", "'")


def test_the_summary_has_the_key_dates_the_decision_and_lines_to_sign(
    doctor_client: Client, golden: Intake
) -> None:
    page = doctor_client.get(url("review:print", golden)).content.decode()
    assert "77 days before" in page and "5 days after" in page
    assert "Approved with conditions" in page and "トレチノインは施術の5日前から中止。" in page
    assert "Doctor's signature" in page and 'class="print-line"' in page


def test_the_summary_of_a_returning_patient_has_the_history_and_records_reading_it(
    doctor_client: Client, returning: dict[str, Any], receptionist: User, doctor: User
) -> None:
    current: Intake = returning["current"]
    patient_services.intake_link(intake=current, patient=returning["patient"], by=receptionist)
    response = doctor_client.get(url("review:print", current))
    page = response.content.decode()
    assert 'id="print-history-section"' in page
    assert returning["earlier"].reference in page
    assert 'id="print-treatments"' in page and "C1234A" in page
    assert 'id="print-changes"' in page  # the skin type changed
    history = AccessRecord.objects.filter(action=AccessRecord.Action.HISTORY, user=doctor)
    assert list(history.values_list("intake", flat=True)) == [returning["earlier"].pk]
    assert AccessRecord.objects.filter(action=AccessRecord.Action.PRINT, intake=current).exists()


def test_the_summary_of_a_first_visit_has_no_history_section(
    doctor_client: Client, make_intake: Callable[..., Intake]
) -> None:
    page = doctor_client.get(url("review:print", make_intake())).content.decode()
    assert 'id="print-history-section"' not in page
    assert not AccessRecord.objects.filter(action=AccessRecord.Action.HISTORY).exists()


def test_the_summary_is_in_japanese_for_a_japanese_url(
    doctor_client: Client, golden: Intake
) -> None:
    page = doctor_client.get(url("review:print", golden, "ja")).content.decode()
    assert "診察用サマリー" in page
    assert "肌タイプ" in page and "混合肌" in page
    assert "医師署名" in page


# The patient's handout --------------------------------------------------------------------------
def test_the_handout_is_in_the_patients_language_whatever_the_doctor_reads(
    doctor_client: Client, doctor: User, make_intake: Callable[..., Intake], clinic: ClinicProfile
) -> None:
    intake = make_intake(language="ja", skin_type="dry")
    response = doctor_client.get(url("review:handout", intake, "en"))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="ja">' in page
    assert screening.RULES_BY_CODE["DRY_SKIN"].patient_note.ja in page
    assert "梅田スキンクリニック" in page and "大阪市北区梅田1-1-1" in page
    # The doctor's things stay off the patient's sheet.
    assert "DRY_SKIN" not in page and "注意事項あり" not in page
    record = AccessRecord.objects.get(action=AccessRecord.Action.HANDOUT)
    assert (record.user, record.intake) == (doctor, intake)


def test_the_handout_of_an_english_speaking_patient_is_in_english(
    doctor_client: Client, make_intake: Callable[..., Intake]
) -> None:
    intake = make_intake(language="en", visit_date=datetime.date.today())
    page = doctor_client.get(url("review:handout", intake, "ja")).content.decode()
    assert '<html lang="en">' in page
    assert "About micro-Botox" in page
