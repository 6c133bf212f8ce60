"""The data dictionary as a FHIR Questionnaire (intake/fhir/questionnaire.py)."""

from __future__ import annotations

import hashlib
import json

import pytest

from intake import answers
from intake.fhir import questionnaire as fhir_questionnaire
from intake.fhir.common import system
from tests.fhir.helpers import english, validate

BASE = "https://intake.example-clinic.jp/api/fhir"
# The version and the shape it names (keys, kinds and codes; see `shape`). A change of any of
# them without a new QUESTIONNAIRE_VERSION fails here; labels may change within a version.
VERSION_AND_SHAPE = ("2026.12-1", "be8934d25b46d6c4")


@pytest.fixture(scope="module")
def resource() -> dict:
    return fhir_questionnaire.questionnaire(BASE)


def items(resource: dict) -> dict[str, dict]:
    return {item["linkId"]: item for group in resource["item"] for item in group["item"]}


def test_the_questionnaire_is_a_valid_fhir_questionnaire(resource: dict) -> None:
    validate(resource)
    assert resource["url"] == f"{BASE}/Questionnaire/intake"
    assert resource["version"] == fhir_questionnaire.QUESTIONNAIRE_VERSION
    assert resource["language"] == "ja"


def test_every_step_is_a_group_and_every_question_an_item_keyed_as_the_spec(
    resource: dict,
) -> None:
    assert [group["linkId"] for group in resource["item"]] == [s.name for s in answers.STEPS]
    assert list(items(resource)) == list(answers.QUESTIONS)
    found = items(resource)
    assert found["date_of_birth"]["type"] == "date"
    assert found["concerns"]["type"] == "choice" and found["concerns"]["repeats"] is True
    assert found["keloid_history"]["type"] == "boolean"
    assert found["full_name"]["maxLength"] == 100
    assert found["full_name"]["required"] is True and found["email"]["required"] is False


def test_every_text_is_in_japanese_with_its_english_translation(resource: dict) -> None:
    assert english(resource, "title") == fhir_questionnaire.TITLE.en
    for group, step in zip(resource["item"], answers.STEPS, strict=True):
        assert group["text"] == step.label.ja and english(group, "text") == step.label.en
    for key, item in items(resource).items():
        question = answers.QUESTIONS[key]
        assert item["text"] == question.label.ja
        assert english(item, "text") == question.label.en


def test_answer_options_are_the_specs_codes_in_a_code_system_of_the_apps_own(
    resource: dict,
) -> None:
    for key, item in items(resource).items():
        question = answers.QUESTIONS[key]
        options = [option["valueCoding"] for option in item.get("answerOption", [])]
        codes = [coding["code"] for coding in options]
        expected = [choice.code for choice in question.choices]
        if fhir_questionnaire.offers_none(question):
            expected.append("none")
        assert codes == expected, key
        for coding, choice in zip(options, question.choices, strict=False):
            assert coding["system"] == system(BASE, key)
            assert coding["system"].startswith(f"{BASE}/CodeSystem/")
            assert coding["display"] == choice.label.ja
            assert english(coding, "display") == choice.label.en


def test_none_of_these_is_an_exclusive_option_of_the_optional_multi_selects(
    resource: dict,
) -> None:
    allergies = items(resource)["allergies"]["answerOption"][-1]
    assert allergies["valueCoding"]["code"] == "none"
    assert allergies["extension"] == [
        {"url": fhir_questionnaire.OPTION_EXCLUSIVE, "valueBoolean": True}
    ]
    # "At least one" concern: no "none" to choose.
    concerns = items(resource)["concerns"]["answerOption"]
    assert "none" not in [option["valueCoding"]["code"] for option in concerns]


def test_conditional_questions_are_enabled_by_the_answers_that_ask_them(resource: dict) -> None:
    found = items(resource)
    last_dose = found["isotretinoin_last_dose"]
    assert found["isotretinoin"]["answerOption"][2]["valueCoding"]["code"] == "past"
    assert last_dose["enableWhen"] == [
        {
            "question": "isotretinoin",
            "operator": "=",
            "answerCoding": found["isotretinoin"]["answerOption"][2]["valueCoding"],
        }
    ]
    assert found["botulinum_last_date"]["enableWhen"] == [
        {"question": "botulinum_before", "operator": "=", "answerBoolean": True}
    ]
    started = found["topical_retinoid_started"]
    assert started["enableBehavior"] == "any"
    assert len(started["enableWhen"]) == len(answers.QUESTIONS["topical_retinoids"].choices)
    for key, item in found.items():
        for condition in item.get("enableWhen", []):
            assert condition["question"] in found, key


def shape() -> str:
    """A digest of what the version names: every key, its kind, its codes, in order."""
    described = [[q.key, q.kind, [c.code for c in q.choices]] for q in answers.QUESTIONS.values()]
    return hashlib.sha256(json.dumps(described).encode()).hexdigest()[:16]


def test_the_version_changes_with_any_key_kind_or_code() -> None:
    # Update both together: a new dictionary is a new version of the questionnaire.
    assert (fhir_questionnaire.QUESTIONNAIRE_VERSION, shape()) == VERSION_AND_SHAPE
