"""The data dictionary of spec §1: steps, questions, answer codes and their labels.

One place for every key and code: one module per step of the intake (`about_you.py` ...
`consent.py`), the shape of a question in `schema.py`. Forms, model choices, the ``screen``
command and the export read them from here. Standard library only (like `intake.screening`), so
any tool can load it; labels carry both languages and the Django side picks one with the active
language (`intake.bilingual`).
"""

from __future__ import annotations

import datetime

from intake.answers import about_you, consent, health, retinoids, skin, treatments
from intake.answers.records import (
    TREATMENT_AREA_LABELS,
    TREATMENT_AREAS,
    TREATMENT_PRODUCT_EXCLUDED,
)
from intake.answers.retinoids import TOPICAL_RETINOIDS_IN_USE
from intake.answers.schema import Choice, Kind, Question, Step, Text

__all__ = [
    "CONSENT_KEYS",
    "DATE_KEYS",
    "MULTI_KEYS",
    "QUESTIONS",
    "REPEAT_KEYS",
    "SEVERITY_LABELS",
    "STEPS",
    "STEPS_BY_NAME",
    "SUITABILITY_LABELS",
    "TOPICAL_RETINOIDS_IN_USE",
    "TREATMENT_AREAS",
    "TREATMENT_AREA_LABELS",
    "TREATMENT_PRODUCT_EXCLUDED",
    "VERDICT_LABELS",
    "YES_NO_LABELS",
    "Choice",
    "Kind",
    "Question",
    "Step",
    "Text",
    "example_answers",
    "is_shown",
]

# The labels of a yes/no answer (a `bool` question), wherever one is shown or asked.
YES_NO_LABELS: dict[bool, Text] = {True: Text("はい", "Yes"), False: Text("いいえ", "No")}

STEPS: tuple[Step, ...] = tuple(
    module.STEP for module in (about_you, skin, retinoids, treatments, health, consent)
)
STEPS_BY_NAME: dict[str, Step] = {step.name: step for step in STEPS}
QUESTIONS: dict[str, Question] = {q.key: q for step in STEPS for q in step.questions}
CONSENT_KEYS: tuple[str, ...] = tuple(q.key for q in consent.STEP.questions)
MULTI_KEYS: tuple[str, ...] = tuple(q.key for q in QUESTIONS.values() if q.kind == "multi")
DATE_KEYS: tuple[str, ...] = tuple(q.key for q in QUESTIONS.values() if q.kind == "date")
# The answers that rarely change: a repeat intake carries them over from the patient's latest
# intake, for the patient to check (spec §5). Everything about now is asked again.
REPEAT_KEYS: tuple[str, ...] = (
    "full_name",
    "full_name_kana",
    "date_of_birth",
    "sex",
    "phone",
    "email",
    "skin_type",
    "phototype",
    "keloid_history",
    "neuromuscular",
    "other_conditions",
    "allergies",
    "allergy_details",
    "medications",
    "medication_details",
    "botulinum_product",
)


def is_shown(question: Question, answers: dict[str, object]) -> bool:
    """Whether a conditional question applies, given the answers so far."""
    if question.shown_when is None:
        return True
    key, values = question.shown_when
    value = answers.get(key)
    if isinstance(value, list | tuple | set | frozenset):
        return any(item in values for item in value)
    return value in values


# Verdicts, suitability and severities: codes of spec §2 with their labels, for staff only
# (patients never see one). A verdict is about safety, not about benefit, and never says 適応外:
# in this app that is off-label use, which applies to every patient (OFF_LABEL).
VERDICT_LABELS: dict[str, Text] = {
    "not_suitable": Text(
        "禁忌あり（今回は施術しない）", "Contraindicated (no treatment this time)"
    ),
    "needs_review": Text("要医師確認", "Needs review"),
    "suitable_with_cautions": Text("注意事項あり", "Cautions to note"),
    "suitable": Text("問題なし", "No issues found"),
}
SUITABILITY_LABELS: dict[str, Text] = {
    "good": Text("効果が期待できる", "Good"),
    "partial": Text("一部期待できる", "Partial"),
    "poor": Text("効果は限定的", "Poor"),
}
SEVERITY_LABELS: dict[str, Text] = {
    "contraindication": Text("禁忌", "Contraindication"),
    "review": Text("要確認", "Review"),
    "caution": Text("注意", "Caution"),
    "info": Text("情報", "Info"),
}


def example_answers(today: datetime.date) -> dict[str, object]:
    """A complete, valid intake raising no flag but OFF_LABEL: the base of demo data and tests."""
    return {
        "full_name": "山田 花子",
        "full_name_kana": "ヤマダ ハナコ",
        "date_of_birth": datetime.date(1995, 4, 10),
        "sex": "female",
        "phone": "06-6375-0000",
        "email": "hanako@example.jp",
        "visit_date": today + datetime.timedelta(days=10),
        "skin_type": "oily",
        "phototype": "III",
        "concerns": ["oiliness", "enlarged_pores"],
        "acne_lesion_count": "1_5",
        "skin_problems_now": [],
        "keloid_history": False,
        "topical_retinoids": [],
        "topical_retinoid_started": None,
        "retinoid_irritation": [],
        "isotretinoin": "never",
        "isotretinoin_last_dose": None,
        "botulinum_before": False,
        "botulinum_last_date": None,
        "botulinum_product": "",
        "botulinum_reactions": [],
        "last_resurfacing_date": None,
        "pregnancy": "not_pregnant",
        "breastfeeding": False,
        "planning_pregnancy": False,
        "neuromuscular": [],
        "other_conditions": [],
        "allergies": [],
        "allergy_details": "",
        "medications": [],
        "medication_details": "",
        "upcoming_event_date": None,
        "consent_privacy": True,
        "consent_off_label": True,
        "confirm_accurate": True,
    }
