"""The screening engine (intake/screening/): pure Python, no database, no Django."""

from __future__ import annotations

import ast
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intake.screening import (
    RULES,
    RULES_BY_CODE,
    RULESET_VERSION,
    SEVERITIES,
    SUITABILITIES,
    VERDICTS,
    Answers,
    Text,
    completed_years,
    screen,
    verdict_rank,
)

TODAY = dt.date(2026, 12, 1)
ROOT = Path(__file__).resolve().parent.parent
# The modules of intake written with the standard library alone, which screening may read.
STANDARD_LIBRARY_MODULES = frozenset(
    {"intake.screening", "intake.answers", "intake.bilingual", "intake.text"}
)
EXAMPLES = Path(__file__).resolve().parent / "examples"

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
    ("TOPICAL_RETINOID", "caution", True),
    ("RETINOID_RECENT_START", "caution", True),
    ("ISOTRETINOIN_RECENT", "caution", False),
    ("ANTICOAGULANT", "caution", True),
    ("OTC_BLOOD_THINNING", "caution", True),
    ("PLANNING_PREGNANCY", "caution", True),
    ("UPCOMING_EVENT", "caution", True),
    ("DRY_SKIN", "caution", True),
    ("SENSITIVE_SKIN", "caution", True),
    ("IMMUNOSUPPRESSED", "caution", False),
    ("OFF_LABEL", "info", True),
    ("TOXIN_PRODUCT_UNKNOWN", "info", True),
    ("LIMITED_BENEFIT_SCARS", "info", True),
    ("LIMITED_EVIDENCE_PIGMENT", "info", False),
)
TABLE_ORDER = {code: index for index, (code, _, _) in enumerate(SPEC_TABLE)}

DATE_KEYS = {
    "date_of_birth",
    "visit_date",
    "topical_retinoid_started",
    "isotretinoin_last_dose",
    "botulinum_last_date",
    "last_resurfacing_date",
    "upcoming_event_date",
}


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


@pytest.fixture
def clean_answers() -> dict[str, Any]:
    return baseline()


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


def codes_for(intake: dict[str, Any], today: dt.date = TODAY) -> list[str]:
    return [flag.code for flag in screen(intake, today=today).flags]


# One or more answer sets that set off each rule; every code of the table has at least one.
FIRING = [
    ("BONT_ALLERGY", {"allergies": ["botulinum_toxin"]}),
    ("BONT_ALLERGY", {"allergies": ["other", "human_albumin"]}),
    ("BONT_ALLERGY", toxin(200, botulinum_reactions=["allergy"])),
    ("NEUROMUSCULAR_JUNCTION", {"neuromuscular": ["myasthenia_gravis"]}),
    ("NEUROMUSCULAR_JUNCTION", {"neuromuscular": ["lambert_eaton"]}),
    ("NEUROMUSCULAR_JUNCTION", {"neuromuscular": ["als"]}),
    ("PREGNANCY_BREASTFEEDING", {"pregnancy": "pregnant"}),
    ("PREGNANCY_BREASTFEEDING", {"pregnancy": "possibly_pregnant"}),
    ("PREGNANCY_BREASTFEEDING", {"breastfeeding": True}),
    ("SITE_INFECTION", {"skin_problems_now": ["infection"]}),
    ("SITE_INFECTION", {"skin_problems_now": ["cold_sore"]}),
    ("SITE_INFECTION", {"skin_problems_now": ["open_wound"]}),
    ("UNDER_18", {"date_of_birth": dt.date(2010, 5, 5)}),
    ("RECENT_TOXIN", toxin(30)),
    ("PRIOR_TOXIN_REACTION", toxin(200, botulinum_reactions=["drooping"])),
    ("PRIOR_TOXIN_REACTION", toxin(200, botulinum_reactions=["swallowing_breathing"])),
    ("PRIOR_TOXIN_REACTION", toxin(200, botulinum_reactions=["other"])),
    ("OTHER_NEUROMUSCULAR", {"neuromuscular": ["other_neuromuscular"]}),
    ("RESPIRATORY_SWALLOWING", {"other_conditions": ["asthma_copd"]}),
    ("RESPIRATORY_SWALLOWING", {"other_conditions": ["swallowing_difficulty"]}),
    ("GLAUCOMA", {"other_conditions": ["glaucoma"]}),
    ("BLEEDING_DISORDER", {"other_conditions": ["bleeding_disorder"]}),
    ("MILK_ALLERGY", {"allergies": ["cow_milk_protein"]}),
    ("LIDOCAINE_ALLERGY", {"allergies": ["lidocaine"]}),
    ("NMJ_DRUGS", {"medications": ["aminoglycoside"]}),
    ("NMJ_DRUGS", {"medications": ["muscle_relaxant"]}),
    ("NMJ_DRUGS", {"medications": ["anticholinergic"]}),
    ("NMJ_DRUGS", {"medications": ["tranquilizer", "other"]}),
    ("AGE_65_PLUS", {"date_of_birth": dt.date(1950, 1, 1)}),
    ("ISOTRETINOIN_CURRENT", {"isotretinoin": "current"}),
    ("RETINOID_IRRITATION", retinoid(300, irritation=("redness",))),
    ("RETINOID_IRRITATION", retinoid(300, "retinol", irritation=("breakout", "itching"))),
    ("SKIN_FLARE", {"skin_problems_now": ["dermatitis"]}),
    ("SKIN_FLARE", {"skin_problems_now": ["irritation_peeling"]}),
    ("RECENT_RESURFACING", {"last_resurfacing_date": days_before(3)}),
    ("KELOID", {"keloid_history": True}),
    ("SEVERE_ACNE", {"acne_lesion_count": "21_50"}),
    ("SEVERE_ACNE", {"acne_lesion_count": "51_plus"}),
    ("TOPICAL_RETINOID", retinoid(300, "tretinoin")),
    ("TOPICAL_RETINOID", retinoid(300, "adapalene")),
    ("TOPICAL_RETINOID", retinoid(300, "tazarotene")),
    ("TOPICAL_RETINOID", retinoid(300, "retinol")),
    ("TOPICAL_RETINOID", retinoid(300, "other")),
    ("RETINOID_RECENT_START", retinoid(10, "adapalene")),
    ("ISOTRETINOIN_RECENT", {"isotretinoin": "past", "isotretinoin_last_dose": days_before(90)}),
    ("ANTICOAGULANT", {"medications": ["anticoagulant"]}),
    ("OTC_BLOOD_THINNING", {"medications": ["otc_blood_thinning"]}),
    ("PLANNING_PREGNANCY", {"planning_pregnancy": True}),
    ("UPCOMING_EVENT", {"upcoming_event_date": days_after(5)}),
    ("DRY_SKIN", {"skin_type": "dry"}),
    ("SENSITIVE_SKIN", {"skin_type": "sensitive"}),
    ("IMMUNOSUPPRESSED", {"other_conditions": ["immunosuppressed"]}),
    ("OFF_LABEL", {}),
    ("TOXIN_PRODUCT_UNKNOWN", toxin(200, product=None)),
    ("TOXIN_PRODUCT_UNKNOWN", toxin(200, product="unknown")),
    ("LIMITED_BENEFIT_SCARS", {"concerns": ["oiliness", "atrophic_scars"]}),
    ("LIMITED_EVIDENCE_PIGMENT", {"concerns": ["acne_pigmentation"]}),
]

# Near misses: answers close to each rule's condition that must not set it off.
QUIET = [
    ("BONT_ALLERGY", {"allergies": ["lidocaine", "cow_milk_protein", "other"]}),
    ("BONT_ALLERGY", toxin(200, botulinum_reactions=["drooping", "other"])),
    ("NEUROMUSCULAR_JUNCTION", {"neuromuscular": ["other_neuromuscular"]}),
    ("PREGNANCY_BREASTFEEDING", {"pregnancy": "not_applicable"}),
    ("PREGNANCY_BREASTFEEDING", {"pregnancy": "not_pregnant", "planning_pregnancy": True}),
    ("SITE_INFECTION", {"skin_problems_now": ["dermatitis", "irritation_peeling"]}),
    ("UNDER_18", {"date_of_birth": dt.date(2008, 12, 1)}),
    ("RECENT_TOXIN", toxin(84)),
    ("RECENT_TOXIN", {"botulinum_before": False}),
    ("PRIOR_TOXIN_REACTION", toxin(200, botulinum_reactions=["allergy"])),
    ("OTHER_NEUROMUSCULAR", {"neuromuscular": ["myasthenia_gravis"]}),
    ("RESPIRATORY_SWALLOWING", {"other_conditions": ["glaucoma", "immunosuppressed"]}),
    ("GLAUCOMA", {"other_conditions": ["asthma_copd"]}),
    ("BLEEDING_DISORDER", {"other_conditions": ["immunosuppressed"]}),
    ("MILK_ALLERGY", {"allergies": ["other"]}),
    ("LIDOCAINE_ALLERGY", {"allergies": ["botulinum_toxin"]}),
    ("NMJ_DRUGS", {"medications": ["anticoagulant", "otc_blood_thinning", "other"]}),
    ("AGE_65_PLUS", {"date_of_birth": dt.date(1961, 12, 2)}),
    ("ISOTRETINOIN_CURRENT", {"isotretinoin": "past", "isotretinoin_last_dose": days_before(9)}),
    ("RETINOID_IRRITATION", retinoid(300)),
    ("SKIN_FLARE", {"skin_problems_now": ["infection"]}),
    ("RECENT_RESURFACING", {"last_resurfacing_date": days_before(14)}),
    ("RECENT_RESURFACING", {"last_resurfacing_date": None}),
    ("KELOID", {"keloid_history": False}),
    ("SEVERE_ACNE", {"acne_lesion_count": "6_20"}),
    ("TOPICAL_RETINOID", {"topical_retinoids": []}),
    ("RETINOID_RECENT_START", retinoid(28)),
    ("RETINOID_RECENT_START", {"topical_retinoids": [], "topical_retinoid_started": None}),
    ("ISOTRETINOIN_RECENT", {"isotretinoin": "past", "isotretinoin_last_dose": days_before(182)}),
    ("ISOTRETINOIN_RECENT", {"isotretinoin": "current"}),
    ("ANTICOAGULANT", {"medications": ["otc_blood_thinning"]}),
    ("OTC_BLOOD_THINNING", {"medications": ["anticoagulant"]}),
    ("PLANNING_PREGNANCY", {"planning_pregnancy": False}),
    ("UPCOMING_EVENT", {"upcoming_event_date": days_after(14)}),
    ("UPCOMING_EVENT", {"upcoming_event_date": days_before(1)}),
    ("DRY_SKIN", {"skin_type": "normal"}),
    ("SENSITIVE_SKIN", {"skin_type": "combination"}),
    ("IMMUNOSUPPRESSED", {"other_conditions": ["bleeding_disorder"]}),
    ("TOXIN_PRODUCT_UNKNOWN", toxin(200, product="dysport")),
    ("TOXIN_PRODUCT_UNKNOWN", {"botulinum_before": False}),
    ("LIMITED_BENEFIT_SCARS", {"concerns": ["acne_pigmentation"]}),
    ("LIMITED_EVIDENCE_PIGMENT", {"concerns": ["atrophic_scars"]}),
]


def _ids(cases: list[tuple[str, dict[str, Any]]]) -> list[str]:
    return [f"{code}-{index}" for index, (code, _) in enumerate(cases)]


# -- the rule table -----------------------------------------------------------------------------


def test_there_are_35_rules_in_the_order_and_severity_of_the_spec_table():
    assert len(RULES) == 35
    assert [(rule.code, rule.severity) for rule in RULES] == [
        (code, severity) for code, severity, _ in SPEC_TABLE
    ]


def test_rule_codes_are_unique_and_indexed_by_code():
    assert len({rule.code for rule in RULES}) == len(RULES)
    assert all(RULES_BY_CODE[rule.code] is rule for rule in RULES)


def test_rules_have_a_patient_note_exactly_where_the_spec_table_has_one():
    expected = {code for code, _, has_note in SPEC_TABLE if has_note}
    assert {rule.code for rule in RULES if rule.patient_note is not None} == expected


def test_every_rule_has_japanese_and_english_texts_and_a_source():
    for rule in RULES:
        texts = [rule.title, rule.clinician_note]
        if rule.patient_note is not None:
            texts.append(rule.patient_note)
        texts.extend(rule.patient_note_variants.values())
        for text in texts:
            assert text.ja.strip() and text.en.strip(), rule.code
            assert text.ja != text.en, rule.code
        assert rule.source.strip(), rule.code


def test_japanese_patient_notes_are_polite():
    for rule in RULES:
        notes = [rule.patient_note, *rule.patient_note_variants.values()]
        for note in notes:
            if note is not None:
                assert note.ja.endswith(("ます。", "です。", "ください。")), rule.code


def test_every_rule_has_a_firing_case_and_a_quiet_case():
    assert {code for code, _ in FIRING} == set(RULES_BY_CODE)
    assert {code for code, _ in QUIET} == set(RULES_BY_CODE) - {"OFF_LABEL"}


@pytest.mark.parametrize(("code", "changes"), FIRING, ids=_ids(FIRING))
def test_rule_fires(code, changes):
    assert code in codes_for(answers(**changes))


@pytest.mark.parametrize(("code", "changes"), QUIET, ids=_ids(QUIET))
def test_rule_stays_quiet(code, changes):
    assert code not in codes_for(answers(**changes))


def test_clean_answers_raise_only_the_off_label_note(clean_answers):
    result = screen(clean_answers, today=TODAY)
    assert [flag.code for flag in result.flags] == ["OFF_LABEL"]
    assert result.verdict == "suitable"
    assert result.suitability == "good"
    assert result.ruleset == RULESET_VERSION
    assert result.reference_date == TODAY


class _Recording(dict):
    """A dict that remembers which keys were read."""

    def __init__(self, data, read):
        super().__init__(data)
        self.read = read

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)


def _keys_read(rule, intake) -> set[str]:
    prepared = Answers.build(intake, today=TODAY)
    read: set[str] = set()
    spy = Answers(
        values=_Recording(prepared.values, read),
        reference_date=prepared.reference_date,
        age=prepared.age,
        chosen=_Recording(prepared.chosen, read),
        days_before=_Recording(prepared.days_before, read),
    )
    rule.test(spy)
    return read


def test_rule_keys_are_exactly_the_answers_each_rule_reads():
    for rule in RULES:
        read = _keys_read(rule, baseline())
        for code, changes in FIRING:
            if code == rule.code:
                read |= _keys_read(rule, answers(**changes))
        # Age rules read the age prepared from date_of_birth.
        assert read == set(rule.keys) - {"date_of_birth"}, rule.code


def test_text_in_language_gives_english_only_for_english():
    text = Text(ja="日本語", en="English")
    assert text.in_language("en") == "English"
    assert text.in_language("en-us") == "English"
    assert text.in_language("ja") == "日本語"
    assert text.in_language("fr") == "日本語"
    assert text.as_dict() == {"ja": "日本語", "en": "English"}


# -- intervals, age and the reference date ------------------------------------------------------


def test_toxin_83_days_before_visit_is_recent():
    assert "RECENT_TOXIN" in codes_for(answers(**toxin(83)))


def test_toxin_84_days_before_visit_is_not_recent():
    assert "RECENT_TOXIN" not in codes_for(answers(**toxin(84)))


def test_isotretinoin_stopped_181_days_before_is_recent():
    intake = answers(isotretinoin="past", isotretinoin_last_dose=days_before(181))
    assert "ISOTRETINOIN_RECENT" in codes_for(intake)


def test_isotretinoin_stopped_182_days_before_is_not_recent():
    intake = answers(isotretinoin="past", isotretinoin_last_dose=days_before(182))
    assert "ISOTRETINOIN_RECENT" not in codes_for(intake)


def test_retinoid_started_27_days_before_is_a_recent_start():
    assert "RETINOID_RECENT_START" in codes_for(answers(**retinoid(27)))


def test_retinoid_started_28_days_before_is_not_a_recent_start():
    assert "RETINOID_RECENT_START" not in codes_for(answers(**retinoid(28)))


def test_retinoid_started_on_the_reference_date_is_a_recent_start():
    assert "RETINOID_RECENT_START" in codes_for(answers(**retinoid(0)))


def test_resurfacing_13_days_before_is_recent():
    assert "RECENT_RESURFACING" in codes_for(answers(last_resurfacing_date=days_before(13)))


def test_resurfacing_14_days_before_is_not_recent():
    assert "RECENT_RESURFACING" not in codes_for(answers(last_resurfacing_date=days_before(14)))


def test_event_13_days_after_is_upcoming():
    assert "UPCOMING_EVENT" in codes_for(answers(upcoming_event_date=days_after(13)))


def test_event_14_days_after_is_not_upcoming():
    assert "UPCOMING_EVENT" not in codes_for(answers(upcoming_event_date=days_after(14)))


def test_event_on_the_reference_date_is_upcoming():
    assert "UPCOMING_EVENT" in codes_for(answers(upcoming_event_date=TODAY))


def test_event_the_day_before_the_reference_date_is_not_upcoming():
    assert "UPCOMING_EVENT" not in codes_for(answers(upcoming_event_date=days_before(1)))


def test_patient_turning_18_tomorrow_is_under_18():
    assert "UNDER_18" in codes_for(answers(date_of_birth=dt.date(2008, 12, 2)))


def test_patient_whose_18th_birthday_is_the_reference_date_is_not_under_18():
    assert "UNDER_18" not in codes_for(answers(date_of_birth=dt.date(2008, 12, 1)))


def test_patient_turning_65_tomorrow_is_not_65_plus():
    assert "AGE_65_PLUS" not in codes_for(answers(date_of_birth=dt.date(1961, 12, 2)))


def test_patient_whose_65th_birthday_is_the_reference_date_is_65_plus():
    assert "AGE_65_PLUS" in codes_for(answers(date_of_birth=dt.date(1961, 12, 1)))


def test_leap_day_birthday_counts_from_1_march_in_common_years():
    intake = answers(date_of_birth=dt.date(2008, 2, 29))
    assert "UNDER_18" in codes_for(intake, today=dt.date(2026, 2, 28))
    assert "UNDER_18" not in codes_for(intake, today=dt.date(2026, 3, 1))


def test_leap_day_birthday_counts_on_29_february_in_leap_years():
    born = dt.date(2008, 2, 29)
    assert completed_years(born, dt.date(2028, 2, 28)) == 19
    assert completed_years(born, dt.date(2028, 2, 29)) == 20
    assert completed_years(born, dt.date(2029, 2, 28)) == 20
    assert completed_years(born, dt.date(2029, 3, 1)) == 21


def test_visit_date_is_the_reference_date():
    result = screen(answers(visit_date=days_after(10)), today=TODAY)
    assert result.reference_date == days_after(10)
    assert result.as_dict()["reference_date"] == days_after(10).isoformat()


def test_toxin_80_days_before_today_is_not_recent_for_a_visit_10_days_later():
    # 90 days before the visit: the interval runs to the visit, not to the day of the intake.
    intake = answers(**toxin(80), visit_date=days_after(10))
    assert "RECENT_TOXIN" in codes_for(answers(**toxin(80)))
    assert "RECENT_TOXIN" not in codes_for(intake)


def test_toxin_70_days_before_today_is_recent_for_a_visit_10_days_later():
    assert "RECENT_TOXIN" in codes_for(answers(**toxin(70), visit_date=days_after(10)))


def test_toxin_100_days_before_today_is_recent_for_a_visit_dated_20_days_ago():
    # Validation refuses a visit before the screening date; the engine still measures to it.
    intake = answers(**toxin(100), visit_date=days_before(20))
    assert "RECENT_TOXIN" not in codes_for(answers(**toxin(100)))
    assert "RECENT_TOXIN" in codes_for(intake)


def test_event_20_days_away_is_upcoming_for_a_visit_10_days_away():
    intake = answers(upcoming_event_date=days_after(20), visit_date=days_after(10))
    assert "UPCOMING_EVENT" in codes_for(intake)


def test_patient_17_today_but_18_on_the_visit_date_is_not_under_18():
    intake = answers(date_of_birth=dt.date(2008, 12, 5), visit_date=days_after(10))
    assert "UNDER_18" in codes_for(answers(date_of_birth=dt.date(2008, 12, 5)))
    assert "UNDER_18" not in codes_for(intake)


def test_a_last_toxin_date_after_the_reference_date_counts_as_recent():
    # Cannot pass validation; the engine errs towards showing the doctor more.
    intake = answers(botulinum_before=True, botulinum_last_date=days_after(3))
    assert "RECENT_TOXIN" in codes_for(intake)


# -- notes that depend on the answers -----------------------------------------------------------


def _pregnancy_note(sex: str) -> Text:
    result = screen(answers(planning_pregnancy=True, sex=sex), today=TODAY)
    (flag,) = [flag for flag in result.flags if flag.code == "PLANNING_PREGNANCY"]
    assert flag.patient_note is not None
    return flag.patient_note


def test_planning_pregnancy_note_for_a_woman_is_the_womens_line():
    note = _pregnancy_note("female")
    assert "menstrual" in note.en and "月経" in note.ja
    assert "3 months" not in note.en and "3か月" not in note.ja


def test_planning_pregnancy_note_for_a_man_is_the_mens_line():
    note = _pregnancy_note("male")
    assert "3 months" in note.en and "3か月" in note.ja
    assert "menstrual" not in note.en and "月経" not in note.ja


@pytest.mark.parametrize("sex", ["other", "undisclosed"])
def test_planning_pregnancy_note_for_other_or_undisclosed_sex_has_both_lines(sex):
    note = _pregnancy_note(sex)
    assert "menstrual" in note.en and "3 months" in note.en
    assert "月経" in note.ja and "3か月" in note.ja
    assert note == RULES_BY_CODE["PLANNING_PREGNANCY"].patient_note


def test_toxin_product_missing_is_unknown():
    intake = answers(**toxin(200))
    del intake["botulinum_product"]
    assert "TOXIN_PRODUCT_UNKNOWN" in codes_for(intake)


def test_toxin_product_unknown_is_unknown():
    assert "TOXIN_PRODUCT_UNKNOWN" in codes_for(answers(**toxin(200, product="unknown")))


def test_toxin_product_given_is_known():
    assert "TOXIN_PRODUCT_UNKNOWN" not in codes_for(answers(**toxin(200, product="xeomin")))


# -- verdict, suitability, order, output --------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "verdict"),
    [
        ({"pregnancy": "pregnant", "keloid_history": True, "skin_type": "dry"}, "not_suitable"),
        ({"keloid_history": True, "skin_type": "dry"}, "needs_review"),
        ({"skin_type": "dry", "concerns": ["atrophic_scars"]}, "suitable_with_cautions"),
        ({"concerns": ["oiliness", "acne_pigmentation"]}, "suitable"),
    ],
    ids=["contraindication", "review", "caution", "info-only"],
)
def test_verdict_is_set_by_the_strongest_flag(changes, verdict):
    assert screen(answers(**changes), today=TODAY).verdict == verdict


@pytest.mark.parametrize(
    ("skin_type", "concerns", "expected"),
    [
        ("oily", ["oiliness"], "good"),
        ("combination", ["rosacea_redness", "fine_lines"], "good"),
        ("oily", ["active_acne"], "good"),
        ("dry", ["enlarged_pores"], "partial"),
        ("sensitive", ["acne_redness"], "partial"),
        ("oily", ["atrophic_scars"], "partial"),
        ("combination", ["other"], "partial"),
        ("dry", ["fine_lines", "acne_pigmentation"], "poor"),
        ("normal", ["other"], "poor"),
    ],
)
def test_suitability_weighs_skin_type_and_target_concerns(skin_type, concerns, expected):
    result = screen(answers(skin_type=skin_type, concerns=concerns), today=TODAY)
    assert result.suitability == expected


def test_flags_are_ordered_by_severity_then_table_order():
    intake = answers(
        skin_type="dry",
        planning_pregnancy=True,
        concerns=["atrophic_scars", "acne_pigmentation"],
        keloid_history=True,
        medications=["otc_blood_thinning", "tranquilizer"],
        allergies=["lidocaine", "botulinum_toxin"],
        **toxin(10, product="unknown"),
    )
    assert codes_for(intake) == [
        "BONT_ALLERGY",
        "RECENT_TOXIN",
        "LIDOCAINE_ALLERGY",
        "NMJ_DRUGS",
        "KELOID",
        "OTC_BLOOD_THINNING",
        "PLANNING_PREGNANCY",
        "DRY_SKIN",
        "OFF_LABEL",
        "TOXIN_PRODUCT_UNKNOWN",
        "LIMITED_BENEFIT_SCARS",
        "LIMITED_EVIDENCE_PIGMENT",
    ]


def test_verdict_rank_orders_the_most_urgent_first():
    assert [verdict_rank(verdict) for verdict in VERDICTS] == [0, 1, 2, 3]
    assert sorted(reversed(VERDICTS), key=verdict_rank) == list(VERDICTS)


def test_result_as_dict_has_the_shape_of_the_screen_command_output():
    result = screen(answers(planning_pregnancy=True, keloid_history=True), today=TODAY)
    data = json.loads(json.dumps(result.as_dict(), ensure_ascii=False))
    assert set(data) == {"ruleset", "reference_date", "verdict", "suitability", "flags"}
    assert data["ruleset"] == RULESET_VERSION
    assert data["reference_date"] == "2026-12-01"
    assert data["verdict"] == "needs_review"
    assert [flag["code"] for flag in data["flags"]] == ["KELOID", "PLANNING_PREGNANCY", "OFF_LABEL"]
    for flag in data["flags"]:
        assert set(flag) == {
            "code",
            "severity",
            "title",
            "clinician_note",
            "patient_note",
        }
        assert set(flag["title"]) == set(flag["clinician_note"]) == {"ja", "en"}
    keloid, planning, _ = data["flags"]
    assert keloid["severity"] == "review"
    assert keloid["patient_note"] is None
    assert set(planning["patient_note"]) == {"ja", "en"}


def test_flags_carry_source_and_keys_for_the_doctor():
    (flag, _) = screen(answers(keloid_history=True), today=TODAY).flags
    assert flag.source == "P"
    assert flag.keys == ("keloid_history",)


# -- the shared examples ------------------------------------------------------------------------


def answers_from_json(data: dict[str, Any]) -> tuple[dict[str, Any], dt.date]:
    """The example's answers with ISO dates as dates, and its screening date (`as_of`)."""
    data = dict(data)
    as_of = dt.date.fromisoformat(data.pop("as_of"))
    converted = {
        key: dt.date.fromisoformat(value) if key in DATE_KEYS and value else value
        for key, value in data.items()
    }
    return converted, as_of


EXAMPLE_NAMES = sorted(path.name.removesuffix(".in.json") for path in EXAMPLES.glob("*.in.json"))


def test_the_shared_examples_are_here():
    assert len(EXAMPLE_NAMES) >= 6


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_example_screens_as_expected(name):
    intake, as_of = answers_from_json(json.loads((EXAMPLES / f"{name}.in.json").read_text()))
    expected = json.loads((EXAMPLES / f"{name}.out.json").read_text())
    result = screen(intake, today=as_of)
    assert result.reference_date.isoformat() == expected["reference_date"]
    assert result.verdict == expected["verdict"]
    assert result.suitability == expected["suitability"]
    assert [flag.code for flag in result.flags] == expected["flags"]


# -- no Django ----------------------------------------------------------------------------------


def test_screening_loads_without_importing_django():
    """In a fresh interpreter: the rules load, and nothing of Django (or of the app's Django side)
    comes with them; only the standard-library modules of intake that screening reads."""
    script = (
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "import intake.screening as screening\n"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), 'django'\n"
        "loaded = {m for m in sys.modules if m.startswith('intake.')}\n"
        f"plain = {sorted(STANDARD_LIBRARY_MODULES)!r}\n"
        "strays = {m for m in loaded if not any(m == p or m.startswith(p + '.') for p in plain)}\n"
        "assert not strays, strays\n"
        "assert len(screening.RULES) == 35\n"
    )
    completed = subprocess.run(
        [sys.executable, "-I", "-c", script], capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 0, completed.stderr


def test_screening_imports_only_the_standard_library_and_intakes_plain_modules():
    files = sorted((ROOT / "intake" / "screening").glob("*.py"))
    assert files, "found no screening modules: is this the right folder?"
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                assert node.level == 0, "no relative imports"
                imported.add(node.module or "")
        assert imported, f"{path.name}: found no imports"
        for module in imported:
            top = module.split(".")[0]
            assert top != "django", (path.name, module)
            assert (
                top in sys.stdlib_module_names
                or top == "__future__"
                or any(
                    module == plain or module.startswith(plain + ".")
                    for plain in STANDARD_LIBRARY_MODULES
                )
            ), (path.name, module)


# -- properties over the valid answer space -----------------------------------------------------

CONCERNS = (
    "oiliness",
    "enlarged_pores",
    "active_acne",
    "acne_redness",
    "acne_pigmentation",
    "atrophic_scars",
    "rosacea_redness",
    "fine_lines",
    "other",
)
MULTI_CODES = {
    "concerns": CONCERNS,
    "skin_problems_now": (
        "infection",
        "cold_sore",
        "open_wound",
        "dermatitis",
        "irritation_peeling",
    ),
    "topical_retinoids": ("tretinoin", "adapalene", "tazarotene", "retinol", "other"),
    "retinoid_irritation": ("redness", "peeling", "dryness", "itching", "burning", "breakout"),
    "botulinum_reactions": ("allergy", "drooping", "swallowing_breathing", "other"),
    "neuromuscular": ("myasthenia_gravis", "lambert_eaton", "als", "other_neuromuscular"),
    "other_conditions": (
        "asthma_copd",
        "swallowing_difficulty",
        "glaucoma",
        "bleeding_disorder",
        "immunosuppressed",
    ),
    "allergies": ("botulinum_toxin", "human_albumin", "cow_milk_protein", "lidocaine", "other"),
    "medications": (
        "aminoglycoside",
        "muscle_relaxant",
        "anticholinergic",
        "tranquilizer",
        "anticoagulant",
        "otc_blood_thinning",
        "other",
    ),
}
PRODUCTS = ("botox_vista", "botox", "dysport", "xeomin", "nabota", "botulax", "coretox", "other")
ACNE_COUNTS = ("none", "1_5", "6_20", "21_50", "51_plus")


def _some(codes: tuple[str, ...], min_size: int = 0) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(codes), unique=True, min_size=min_size)


@st.composite
def valid_intakes(draw) -> tuple[dict[str, Any], dt.date]:
    """Answers that pass the spec's validation, with the screening date they were given on."""
    today = draw(st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)))

    def between(earliest: dt.date, latest: dt.date) -> dt.date:
        return draw(st.dates(earliest, latest))

    def optional(key: str, strategy: st.SearchStrategy[Any]) -> None:
        """Left out, null, or answered: the three shapes an optional answer arrives in."""
        shape = draw(st.sampled_from(("missing", "null", "answered")))
        if shape != "missing":
            intake[key] = draw(strategy) if shape == "answered" else None

    born = between(today - dt.timedelta(days=120 * 365), today)
    intake: dict[str, Any] = {
        "full_name": "山田 花子",
        "date_of_birth": born,
        "sex": draw(st.sampled_from(("female", "male", "other", "undisclosed"))),
        "phone": "06-6375-0000",
        "skin_type": draw(st.sampled_from(("normal", "dry", "oily", "combination", "sensitive"))),
        "concerns": draw(_some(CONCERNS, min_size=1)),
        "acne_lesion_count": draw(st.sampled_from(ACNE_COUNTS)),
        "keloid_history": draw(st.booleans()),
        "isotretinoin": draw(st.sampled_from(("never", "current", "past"))),
        "botulinum_before": draw(st.booleans()),
        "pregnancy": draw(
            st.sampled_from(("not_pregnant", "pregnant", "possibly_pregnant", "not_applicable"))
        ),
        "breastfeeding": draw(st.booleans()),
        "planning_pregnancy": draw(st.booleans()),
        "consent_privacy": True,
        "consent_off_label": True,
        "confirm_accurate": True,
    }
    for key in ("skin_problems_now", "neuromuscular", "other_conditions", "allergies"):
        optional(key, _some(MULTI_CODES[key]))
    optional("medications", _some(MULTI_CODES["medications"]))
    optional("phototype", st.sampled_from(("I", "II", "III", "IV", "V", "VI", "unknown")))
    optional("visit_date", st.dates(today, today + dt.timedelta(days=365)))
    optional("last_resurfacing_date", st.dates(born, today))
    optional("upcoming_event_date", st.dates(today, today + dt.timedelta(days=400)))

    retinoids = draw(_some(MULTI_CODES["topical_retinoids"]))
    if retinoids:
        intake["topical_retinoids"] = retinoids
        intake["topical_retinoid_started"] = between(born, today)
        optional("retinoid_irritation", _some(MULTI_CODES["retinoid_irritation"]))
    if intake["isotretinoin"] == "past":
        intake["isotretinoin_last_dose"] = between(born, today)
    if intake["botulinum_before"]:
        intake["botulinum_last_date"] = between(born, today)
        optional("botulinum_product", st.sampled_from((*PRODUCTS, "unknown")))
        optional("botulinum_reactions", _some(MULTI_CODES["botulinum_reactions"]))
    return intake, today


@st.composite
def intakes_with_one_more_risk(draw) -> tuple[dict, dict, dt.date]:
    """A valid intake, and the same intake with one more risk answer (still valid)."""
    intake, today = draw(valid_intakes())
    riskier = dict(intake)

    def add_code(key: str) -> None:
        code = draw(st.sampled_from(MULTI_CODES[key]))
        riskier[key] = sorted({*(intake.get(key) or ()), code})

    def a_past_date() -> dt.date:
        return draw(st.dates(intake["date_of_birth"], today))

    step = draw(
        st.sampled_from(
            ("multi", "yes", "pregnancy", "isotretinoin", "acne", "toxin", "retinoid", "dates")
        )
    )
    if step == "multi":
        add_code(
            draw(
                st.sampled_from(
                    ("concerns", "skin_problems_now", "neuromuscular", "other_conditions")
                    + ("allergies", "medications")
                )
            )
        )
    elif step == "yes":
        yes_no = draw(st.sampled_from(("keloid_history", "breastfeeding", "planning_pregnancy")))
        riskier[yes_no] = True
    elif step == "pregnancy":
        riskier["pregnancy"] = draw(st.sampled_from(("pregnant", "possibly_pregnant")))
    elif step == "isotretinoin":
        if intake["isotretinoin"] == "never" and draw(st.booleans()):
            riskier["isotretinoin"] = "past"
            riskier["isotretinoin_last_dose"] = a_past_date()
        else:
            riskier["isotretinoin"] = "current"
            riskier.pop("isotretinoin_last_dose", None)
    elif step == "acne":
        level = ACNE_COUNTS.index(intake["acne_lesion_count"])
        riskier["acne_lesion_count"] = ACNE_COUNTS[min(level + 1, len(ACNE_COUNTS) - 1)]
    elif step == "toxin" and intake["botulinum_before"]:
        if draw(st.booleans()):
            add_code("botulinum_reactions")
        else:
            riskier["botulinum_product"] = "unknown"
    elif step == "toxin":
        riskier["botulinum_before"] = True
        riskier["botulinum_last_date"] = a_past_date()
    elif step == "retinoid" and intake.get("topical_retinoids"):
        add_code(draw(st.sampled_from(("topical_retinoids", "retinoid_irritation"))))
    elif step == "retinoid":
        add_code("topical_retinoids")
        riskier["topical_retinoid_started"] = a_past_date()
    elif step == "dates" and not intake.get("last_resurfacing_date"):
        riskier["last_resurfacing_date"] = a_past_date()
    elif step == "dates" and not intake.get("upcoming_event_date"):
        riskier["upcoming_event_date"] = draw(st.dates(today, today + dt.timedelta(days=60)))
    return intake, riskier, today


@settings(max_examples=200, deadline=None)
@given(valid_intakes())
def test_any_valid_intake_screens_to_a_well_formed_result(drawn):
    intake, today = drawn
    result = screen(intake, today=today)
    assert result.verdict in VERDICTS
    assert result.suitability in SUITABILITIES
    codes = [flag.code for flag in result.flags]
    assert "OFF_LABEL" in codes
    assert len(codes) == len(set(codes))
    order = [(SEVERITIES.index(flag.severity), TABLE_ORDER[flag.code]) for flag in result.flags]
    assert order == sorted(order)
    assert result.verdict == VERDICTS[order[0][0]]
    assert result.reference_date == (intake.get("visit_date") or today)
    json.dumps(result.as_dict())


@settings(max_examples=200, deadline=None)
@given(intakes_with_one_more_risk())
def test_one_more_risk_answer_never_improves_the_verdict(drawn):
    intake, riskier, today = drawn
    before = screen(intake, today=today)
    after = screen(riskier, today=today)
    assert verdict_rank(after.verdict) <= verdict_rank(before.verdict)
