"""The data dictionary (spec §1, `intake.answers`) as a FHIR Questionnaire, and one intake's
answers as the QuestionnaireResponse to it.

- One group item per step, one item per question; linkId is the key (`skin_type`).
- Choices are answerOption Codings: the spec's codes in a code system of the app's own per
  question (…/CodeSystem/skin-type), displayed with the patient's label in Japanese and English.
- A multi-select the patient may leave empty also offers `none` ("none of these", exclusive):
  the response says `none` where the patient ticked nothing, so "none" and "not asked" differ.
- A question asked only after some answers (`shown_when`) has its enableWhen.
- Versioned: QUESTIONNAIRE_VERSION changes with any key, code or kind (a test pins them); a
  response names the version it answers (`questionnaire`: url|version).
"""

from __future__ import annotations

import datetime
from typing import Any

from intake import answers
from intake.answers.schema import Question
from intake.bilingual import Text
from intake.fhir.common import coding, instant, reference, text
from intake.models import Intake

QUESTIONNAIRE_ID = "intake"
QUESTIONNAIRE_VERSION = "2026.12-1"
TITLE = Text("マイクロボトックス 施術前問診", "Micro-Botox pre-consultation intake")
NONE_CODE = "none"
NONE_LABEL = Text("該当なし", "None of these")
OPTION_EXCLUSIVE = "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive"
ITEM_TYPES = {
    "text": "string",
    "email": "string",
    "phone": "string",
    "date": "date",
    "code": "choice",
    "multi": "choice",
    "bool": "boolean",
}


def canonical(base: str) -> str:
    return f"{base}/Questionnaire/{QUESTIONNAIRE_ID}"


def offers_none(question: Question) -> bool:
    return question.kind == "multi" and not question.required


def _enable_when(question: Question, base: str) -> dict[str, Any]:
    if question.shown_when is None:
        return {}
    key, values = question.shown_when
    asked = answers.QUESTIONS[key]
    conditions = []
    for value in values:
        if isinstance(value, bool):
            answer = {"answerBoolean": value}
        else:
            label = next((c.label for c in asked.choices if c.code == value), None)
            answer = {"answerCoding": coding(base, key, str(value), label)}
        conditions.append({"question": key, "operator": "=", **answer})
    found: dict[str, Any] = {"enableWhen": conditions}
    if len(conditions) > 1:
        found["enableBehavior"] = "any"
    return found


def _options(question: Question, base: str) -> list[dict[str, Any]]:
    options = [
        {"valueCoding": coding(base, question.key, choice.code, choice.label)}
        for choice in question.choices
    ]
    if offers_none(question):
        exclusive = {"url": OPTION_EXCLUSIVE, "valueBoolean": True}
        options.append(
            {
                "extension": [exclusive],
                "valueCoding": coding(base, question.key, NONE_CODE, NONE_LABEL),
            }
        )
    return options


def _item(question: Question, base: str) -> dict[str, Any]:
    item: dict[str, Any] = {
        "linkId": question.key,
        **text("text", question.label),
        "type": ITEM_TYPES[question.kind],
        **_enable_when(question, base),
        "required": question.required or question.required_when_shown or question.must_be_true,
    }
    if question.kind == "multi":
        item["repeats"] = True
    if question.max_length and item["type"] == "string":
        item["maxLength"] = question.max_length
    if question.choices:
        item["answerOption"] = _options(question, base)
    return item


def questionnaire(base: str) -> dict[str, Any]:
    """The Questionnaire of every step and question, in Japanese with English translations."""
    return {
        "resourceType": "Questionnaire",
        "id": QUESTIONNAIRE_ID,
        "language": "ja",
        "url": canonical(base),
        "version": QUESTIONNAIRE_VERSION,
        "name": "MicroBotoxIntake",
        **text("title", TITLE),
        "status": "active",
        "subjectType": ["Patient"],
        "item": [
            {
                "linkId": step.name,
                **text("text", step.label),
                "type": "group",
                "item": [_item(question, base) for question in step.questions],
            }
            for step in answers.STEPS
        ],
    }


def _answer(question: Question, value: Any, base: str) -> list[dict[str, Any]]:
    """The answers of one question as FHIR values; [] for one left unanswered."""
    if question.kind == "multi":
        if not value:
            none = coding(base, question.key, NONE_CODE, NONE_LABEL)
            return [{"valueCoding": none}] if offers_none(question) else []
        return [
            {"valueCoding": coding(base, question.key, code, _label(question, code))}
            for code in value
        ]
    if value in (None, ""):
        return []
    if question.kind == "bool":
        return [{"valueBoolean": bool(value)}]
    if question.kind == "date" and isinstance(value, datetime.date):
        return [{"valueDate": value.isoformat()}]
    if question.kind == "code":
        return [{"valueCoding": coding(base, question.key, value, _label(question, value))}]
    return [{"valueString": str(value)}]


def _label(question: Question, code: str) -> Text | None:
    return next((choice.label for choice in question.choices if choice.code == code), None)


def questionnaire_response(intake: Intake, *, base: str, subject: str) -> dict[str, Any]:
    """Every answer of `intake`, by step; questions that did not apply are left out, as are
    optional ones left blank. `subject` is the fullUrl of the Patient entry."""
    values = intake.answers()
    groups = []
    for step in answers.STEPS:
        items = []
        for question in step.questions:
            if not answers.is_shown(question, values):
                continue
            given = _answer(question, values.get(question.key), base)
            if given:
                items.append(
                    {"linkId": question.key, **text("text", question.label), "answer": given}
                )
        if items:
            groups.append({"linkId": step.name, **text("text", step.label), "item": items})
    return {
        "resourceType": "QuestionnaireResponse",
        "language": intake.language,
        "identifier": {"system": f"{base}/intake", "value": intake.reference},
        "questionnaire": f"{canonical(base)}|{QUESTIONNAIRE_VERSION}",
        "status": "completed",
        "subject": reference(subject),
        "authored": instant(intake.submitted_at),
        "source": reference(subject),
        "item": groups,
    }
