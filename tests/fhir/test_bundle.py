"""An intake as a FHIR Bundle (intake/fhir/bundle.py), and when it last changed
(intake/fhir/selectors.py). Every resource is validated with fhir.resources' R4B models."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from intake import answers
from intake.fhir import questionnaire as fhir_questionnaire
from intake.fhir import selectors
from intake.fhir.bundle import intake_bundle
from intake.fhir.common import system
from intake.models import Intake, Patient, Treatment
from intake.patients import services as patient_services
from intake.review import services as review_services
from tests.fhir.helpers import english, entries, references, validate
from tests.fixed_intake import REFERENCE, VISIT, fixed_intake

BASE = "https://intake.example-clinic.jp/api/fhir"


def bundle_of(intake: Intake) -> dict[str, Any]:
    loaded = selectors.intake_for_fhir(reference=intake.reference)
    assert loaded is not None
    bundle = intake_bundle(loaded, base=BASE)
    validate(bundle)
    return bundle


@pytest.fixture
def treated(doctor: User, receptionist: User) -> dict[str, Any]:
    """The fixed intake, approved with conditions, and the treatment given at its visit."""
    intake = fixed_intake(doctor=doctor, receptionist=receptionist)
    treatment = patient_services.treatment_record(
        patient=intake.patient,
        doctor=doctor,
        treated_on=VISIT,
        product="botox_vista",
        dilution_ml_per_100u=Decimal("2.5"),
        total_units=Decimal("20"),
        areas=["cheeks", "nose"],
        lot_number="D5678B",
        note="No lidocaine.",
        intake=intake,
        now=timezone.make_aware(datetime.datetime(2026, 12, 1, 15, 0)),
    )
    return {"intake": intake, "treatment": treatment}


def test_the_bundle_of_a_treated_returning_patient_validates_and_holds_every_part(
    treated: dict[str, Any],
) -> None:
    bundle = bundle_of(treated["intake"])
    assert bundle["type"] == "collection"
    assert bundle["id"] == REFERENCE
    assert bundle["identifier"] == {"system": f"{BASE}/intake", "value": REFERENCE}
    kinds = [entry["resource"]["resourceType"] for entry in bundle["entry"]]
    assert kinds == [
        "Patient",
        "QuestionnaireResponse",
        "RiskAssessment",
        "Observation",
        "MedicationAdministration",
    ]
    # Every reference is to an entry of the Bundle, or to a resource contained in its own.
    full_urls = {entry["fullUrl"] for entry in bundle["entry"]}
    for entry in bundle["entry"]:
        for found in references(entry["resource"]):
            assert found in full_urls or found == "#product", found


def test_the_patient_is_the_clinics_record_with_the_kana_name(treated: dict[str, Any]) -> None:
    patient = entries(bundle_of(treated["intake"]), "Patient")[0]
    record: Patient = treated["intake"].patient
    assert patient["identifier"] == [{"system": f"{BASE}/patient", "value": str(record.pk)}]
    assert patient["meta"]["tag"][0]["code"] == "clinic-record"
    assert patient["name"][0] == {
        "use": "official",
        "text": "山田 花子",
        "family": "山田",
        "given": ["花子"],
    }
    assert patient["name"][1]["text"] == "ヤマダ ハナコ"
    assert patient["name"][1]["extension"][0]["valueCode"] == "SYL"
    assert patient["gender"] == "female" and patient["birthDate"] == "1995-04-10"


def test_the_response_holds_every_answer_conforming_to_the_questionnaire(
    treated: dict[str, Any],
) -> None:
    intake: Intake = treated["intake"]
    response = entries(bundle_of(intake), "QuestionnaireResponse")[0]
    assert response["questionnaire"] == f"{BASE}/Questionnaire/intake|2026.12-1"
    assert response["status"] == "completed"
    assert response["authored"] == "2026-11-20T09:30:00+09:00"
    questionnaire = fhir_questionnaire.questionnaire(BASE)
    asked = {item["linkId"]: item for group in questionnaire["item"] for item in group["item"]}
    given = {item["linkId"]: item for group in response["item"] for item in group["item"]}
    values = intake.answers()
    for key, question in answers.QUESTIONS.items():
        value = values[key]
        shown = answers.is_shown(question, values)
        if not shown or (value in (None, "") and question.kind != "multi"):
            assert key not in given, key
            continue
        item = given[key]
        assert item["text"] == asked[key]["text"]
        options = [option["valueCoding"] for option in asked[key].get("answerOption", [])]
        for answer in item["answer"]:
            ((kind, answered),) = answer.items()
            expected_kind = {
                "string": "valueString",
                "date": "valueDate",
                "choice": "valueCoding",
                "boolean": "valueBoolean",
            }[asked[key]["type"]]
            assert kind == expected_kind, key
            if kind == "valueCoding":
                assert answered in options, (key, answered)
    assert [a["valueCoding"]["code"] for a in given["concerns"]["answer"]] == values["concerns"]
    assert given["keloid_history"]["answer"] == [{"valueBoolean": False}]
    assert given["topical_retinoid_started"]["answer"] == [{"valueDate": "2026-11-10"}]
    # Nothing ticked: "none of these", said explicitly.
    assert [a["valueCoding"]["code"] for a in given["neuromuscular"]["answer"]] == ["none"]
    assert "isotretinoin_last_dose" not in given  # not asked: never taken


def test_the_screening_is_a_risk_assessment_with_rule_codes_severities_and_the_ruleset(
    treated: dict[str, Any],
) -> None:
    intake: Intake = treated["intake"]
    assessment = entries(bundle_of(intake), "RiskAssessment")[0]
    assert assessment["status"] == "final"
    assert assessment["method"]["coding"][0] == {
        "system": system(BASE, "ruleset"),
        "code": "2026.12-1",
        "display": "スクリーニング規則 2026.12-1",
        "_display": assessment["method"]["coding"][0]["_display"],
    }
    flags = intake.current_flags()
    predictions = assessment["prediction"]
    assert [p["outcome"]["coding"][0]["code"] for p in predictions] == [f.code for f in flags]
    assert [p["qualitativeRisk"]["coding"][0]["code"] for p in predictions] == [
        f.severity for f in flags
    ]
    first = predictions[0]
    assert first["outcome"]["coding"][0]["system"] == system(BASE, "screening-rule")
    assert first["outcome"]["coding"][0]["display"] == flags[0].title_ja
    assert english(first["outcome"]["coding"][0], "display") == flags[0].title_en
    assert first["rationale"] == flags[0].clinician_note_ja
    assert english(first, "rationale") == flags[0].clinician_note_en
    extensions = {ext["url"].rsplit("/", 1)[1]: ext for ext in assessment["extension"]}
    assert extensions["screening-verdict"]["valueCoding"]["code"] == "needs_review"
    assert extensions["screening-suitability"]["valueCoding"]["code"] == "good"
    assert extensions["screening-reference-date"]["valueDate"] == "2026-12-01"


def test_the_decision_is_an_observation_with_the_outcome_doctor_note_and_acknowledgements(
    treated: dict[str, Any],
) -> None:
    intake: Intake = treated["intake"]
    observation = entries(bundle_of(intake), "Observation")[0]
    assert observation["status"] == "final"
    assert observation["valueCodeableConcept"]["coding"][0]["code"] == "approved_with_conditions"
    assert observation["valueCodeableConcept"]["coding"][0]["display"] == "条件付きで施術可"
    assert english(observation["valueCodeableConcept"]["coding"][0], "display") == (
        "Approved with conditions"
    )
    assert observation["performer"] == [{"display": "Sato"}]
    assert observation["effectiveDateTime"] == "2026-11-24T18:05:00+09:00"
    assert observation["note"][0]["text"].startswith("トレチノインは施術の5日前から中止。")
    acknowledged = [ext["valueCoding"]["code"] for ext in observation["extension"]]
    assert acknowledged == intake.decisions.get().acknowledged_flags


def test_the_treatment_of_the_visit_is_a_medication_administration(
    treated: dict[str, Any],
) -> None:
    administration = entries(bundle_of(treated["intake"]), "MedicationAdministration")[0]
    assert administration["status"] == "completed"
    assert administration["effectiveDateTime"] == "2026-12-01"
    medication = administration["contained"][0]
    assert medication["code"]["coding"][0]["code"] == "botox_vista"
    assert medication["batch"] == {"lotNumber": "D5678B"}
    assert administration["dosage"]["dose"] == {
        "value": 20,
        "unit": "U",
        "system": "http://unitsofmeasure.org",
        "code": "[U]",
    }
    assert administration["dosage"]["text"] == "希釈 2.5 mL/100単位、部位：頬、鼻"
    assert english(administration["dosage"], "text") == (
        "Dilution 2.5 mL per 100 U; areas: Cheeks, Nose"
    )
    # The earlier visit's treatment belongs to that visit's Bundle, not this one.
    assert len(entries(bundle_of(treated["intake"]), "MedicationAdministration")) == 1


def test_a_corrected_treatment_is_replaced_in_the_bundle_by_its_correction(
    treated: dict[str, Any], doctor: User
) -> None:
    corrected: Treatment = treated["treatment"]
    patient_services.treatment_record(
        patient=corrected.patient,
        doctor=doctor,
        treated_on=VISIT,
        product="botox_vista",
        dilution_ml_per_100u=Decimal("2.5"),
        total_units=Decimal("22"),
        areas=["cheeks", "nose"],
        intake=treated["intake"],
        supersedes=corrected,
        now=timezone.make_aware(datetime.datetime(2026, 12, 1, 16, 0)),
    )
    administrations = entries(bundle_of(treated["intake"]), "MedicationAdministration")
    assert [a["dosage"]["dose"]["value"] for a in administrations] == [22]


def test_an_intake_not_linked_nor_decided_has_the_patient_as_answered_and_no_decision(
    make_intake: Callable[..., Intake],
) -> None:
    intake = make_intake(full_name="佐藤美咲", full_name_kana="", sex="undisclosed", email="")
    bundle = bundle_of(intake)
    patient = entries(bundle, "Patient")[0]
    assert "identifier" not in patient
    assert patient["meta"]["tag"][0]["code"] == "self-reported"
    assert patient["name"] == [{"use": "official", "text": "佐藤美咲"}]
    assert patient["gender"] == "unknown"
    assert patient["telecom"] == [{"system": "phone", "value": intake.phone}]
    assert entries(bundle, "Observation") == []
    assert entries(bundle, "MedicationAdministration") == []


def test_a_rescreened_intake_gives_its_current_result_as_an_amended_assessment(
    make_intake: Callable[..., Intake], patient: Patient, receptionist: User, record_treatment: Any
) -> None:
    intake = make_intake()  # no toxin before, by the answers
    record_treatment(patient, timezone.localdate() - datetime.timedelta(days=30))
    patient_services.intake_link(intake=intake, patient=patient, by=receptionist)
    assessment = entries(bundle_of(intake), "RiskAssessment")[0]
    assert assessment["status"] == "amended"
    codes = [p["outcome"]["coding"][0]["code"] for p in assessment["prediction"]]
    assert "RECORD_MISMATCH" in codes and "RECENT_TOXIN" in codes


def test_an_entrys_full_url_is_the_same_on_every_export(treated: dict[str, Any]) -> None:
    first = [entry["fullUrl"] for entry in bundle_of(treated["intake"])["entry"]]
    again = [entry["fullUrl"] for entry in bundle_of(treated["intake"])["entry"]]
    assert first == again
    assert all(url.startswith("urn:uuid:") for url in first)


# When an intake last changed ------------------------------------------------------------------
def changed(intake: Intake) -> datetime.datetime:
    loaded = selectors.intake_for_fhir(reference=intake.reference)
    assert loaded is not None
    return loaded.changed_at


def test_an_intake_changes_with_its_decisions_rescreenings_links_and_treatments(
    make_intake: Callable[..., Intake],
    doctor: User,
    patient: Patient,
    receptionist: User,
    record_treatment: Any,
) -> None:
    intake = make_intake()
    assert changed(intake) == intake.submitted_at
    moment = intake.submitted_at + datetime.timedelta(microseconds=1)
    review_services.intake_decide(
        intake=intake,
        doctor=doctor,
        outcome="approved",
        note="",
        acknowledged_flags=[],
        based_on=None,
        now=moment,
    )
    assert changed(intake) == moment
    patient_services.intake_link(intake=intake, patient=patient, by=receptionist)
    linked = changed(intake)
    assert linked > moment
    record_treatment(patient, timezone.localdate(), intake=intake)
    assert changed(intake) > linked


def test_the_bundles_last_updated_is_when_the_intake_last_changed(
    make_intake: Callable[..., Intake], doctor: User
) -> None:
    intake = make_intake()
    decided = (intake.submitted_at + datetime.timedelta(minutes=5)).replace(microsecond=0)
    review_services.intake_decide(
        intake=intake,
        doctor=doctor,
        outcome="approved",
        note="",
        acknowledged_flags=[],
        based_on=None,
        now=decided,
    )
    last_updated = bundle_of(intake)["meta"]["lastUpdated"]
    assert datetime.datetime.fromisoformat(last_updated) == decided
    assert last_updated.endswith("+09:00")
