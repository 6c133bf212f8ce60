"""Plain helpers of the screening tests: a clean intake, answers one change away from it, and
the spec's rule table. No Django."""

from __future__ import annotations

import datetime as dt
from typing import Any

from intake.answers import QUESTIONS
from intake.screening import screen

TODAY = dt.date(2026, 12, 1)


# The spec's table (section 2), in its order: code, severity, whether it has a patient note.
SPEC_TABLE = (
    ("BONT_ALLERGY", "contraindication", False),
    ("NEUROMUSCULAR_JUNCTION", "contraindication", False),
    ("PREGNANCY_BREASTFEEDING", "contraindication", True),
    ("SITE_INFECTION", "contraindication", True),
    ("UNDER_18", "contraindication", False),
    ("RECENT_TOXIN", "review", True),
    ("PRIOR_TOXIN_REACTION", "review", False),
    ("OTHER_NEUROMUSCULAR", "review", False),
    ("RESPIRATORY_SWALLOWING", "review", False),
    ("GLAUCOMA", "review", False),
    ("BLEEDING_DISORDER", "review", False),
    ("MILK_ALLERGY", "review", False),
    ("LIDOCAINE_ALLERGY", "review", False),
    ("NMJ_DRUGS", "review", True),
    ("AGE_65_PLUS", "review", False),
    ("ISOTRETINOIN_CURRENT", "review", True),
    ("RETINOID_IRRITATION", "review", True),
    ("SKIN_FLARE", "review", True),
    ("RECENT_RESURFACING", "review", True),
    ("KELOID", "review", False),
    ("SEVERE_ACNE", "review", True),
    ("PLANNING_PREGNANCY", "review", True),
    ("RECORD_MISMATCH", "review", False),
    ("TOPICAL_RETINOID", "caution", True),
    ("RETINOID_RECENT_START", "caution", True),
    ("ISOTRETINOIN_RECENT", "caution", False),
    ("ANTICOAGULANT", "caution", True),
    ("OTC_BLOOD_THINNING", "caution", True),
    ("UPCOMING_EVENT", "caution", True),
    ("DRY_SKIN", "caution", True),
    ("SENSITIVE_SKIN", "caution", True),
    ("IMMUNOSUPPRESSED", "caution", False),
    ("OFF_LABEL", "info", True),
    ("TOXIN_PRODUCT_UNKNOWN", "info", True),
    ("LIMITED_BENEFIT_SCARS", "info", True),
    ("LIMITED_EVIDENCE_PIGMENT", "info", False),
)


def days_before(days: int, reference: dt.date = TODAY) -> dt.date:
    return reference - dt.timedelta(days=days)


def days_after(days: int, reference: dt.date = TODAY) -> dt.date:
    return reference + dt.timedelta(days=days)


def baseline() -> dict[str, Any]:
    """A valid intake that raises no flag but OFF_LABEL (examples/01_clean_oily, as dates)."""
    return {
        "full_name": "山田 花子",
        "full_name_kana": "ヤマダ ハナコ",
        "date_of_birth": dt.date(1995, 4, 10),
        "sex": "female",
        "phone": "06-6375-0000",
        "email": "hanako@example.jp",
        "skin_type": "oily",
        "phototype": "III",
        "concerns": ["oiliness", "enlarged_pores"],
        "acne_lesion_count": "1_5",
        "skin_problems_now": [],
        "keloid_history": False,
        "topical_retinoids": [],
        "retinoid_irritation": [],
        "isotretinoin": "never",
        "botulinum_before": False,
        "botulinum_reactions": [],
        "pregnancy": "not_pregnant",
        "breastfeeding": False,
        "planning_pregnancy": False,
        "neuromuscular": [],
        "other_conditions": [],
        "allergies": [],
        "allergy_details": "",
        "medications": [],
        "medication_details": "",
        "consent_privacy": True,
        "consent_off_label": True,
        "confirm_accurate": True,
    }


def answers(**changes: Any) -> dict[str, Any]:
    return {**baseline(), **changes}


def toxin(days: int, product: str | None = "botox_vista", **more: Any) -> dict[str, Any]:
    """Answers of a patient whose last toxin treatment was `days` days before TODAY."""
    return {
        "botulinum_before": True,
        "botulinum_last_date": days_before(days),
        "botulinum_product": product,
        **more,
    }


def retinoid(started_days_ago: int, *codes: str, irritation: tuple[str, ...] = ()) -> dict:
    return {
        "topical_retinoids": list(codes or ("tretinoin",)),
        "topical_retinoid_started": days_before(started_days_ago),
        "retinoid_irritation": list(irritation),
    }


def codes_of(key: str) -> tuple[str, ...]:
    """The answer codes of question `key`, in the data dictionary's order."""
    return tuple(choice.code for choice in QUESTIONS[key].choices)


def recorded(*days: int) -> dict[str, Any]:
    """The clinic's records of toxin treatments `days` days before TODAY, under the key the
    examples use for them (`treated_on`): not an answer, `codes_for` passes it on as records."""
    return {"treated_on": [days_before(n) for n in days]}


def codes_for(intake: dict[str, Any], today: dt.date = TODAY, **beside: Any) -> list[str]:
    """The codes raised; a `treated_on` list among the answers is passed as the clinic's records."""
    intake = dict(intake)
    treated_on = intake.pop("treated_on", ())
    result = screen(intake, today=today, treated_on=treated_on, **beside)
    return [flag.code for flag in result.flags]
