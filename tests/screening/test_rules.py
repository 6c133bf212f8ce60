"""intake.screening.rules: the RULES table, each rule's firing and near-miss cases and notes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from intake.bilingual import Text
from intake.screening import RULES, RULES_BY_CODE, Answers, screen
from tests.screening.helpers import (
    SPEC_TABLE,
    TODAY,
    answers,
    baseline,
    codes_for,
    days_after,
    days_before,
    recorded,
    retinoid,
    toxin,
)

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
    ("RECENT_TOXIN", {**toxin(200), **recorded(30)}),  # the clinic's record, not recall
    ("RECENT_TOXIN", {**toxin(30), **recorded(200)}),  # recall, later than the record
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
    ("RECORD_MISMATCH", recorded(200)),  # botulinum_before is no
    ("RECORD_MISMATCH", {**toxin(200), **recorded(100)}),  # reported earlier than recorded
    ("UPCOMING_EVENT", {"upcoming_event_date": days_after(5)}),
    ("DRY_SKIN", {"skin_type": "dry"}),
    ("SENSITIVE_SKIN", {"skin_type": "sensitive"}),
    ("IMMUNOSUPPRESSED", {"other_conditions": ["immunosuppressed"]}),
    ("OFF_LABEL", {}),
    ("TOXIN_PRODUCT_UNKNOWN", toxin(200, product=None)),
    ("TOXIN_PRODUCT_UNKNOWN", toxin(200, product="unknown")),
    ("TOXIN_PRODUCT_UNKNOWN", toxin(200, product="other")),
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
    ("RECENT_TOXIN", toxin(90)),
    ("RECENT_TOXIN", {"botulinum_before": False}),
    ("RECENT_TOXIN", {**toxin(200), **recorded(90)}),
    ("RECENT_TOXIN", {**toxin(200), **recorded(0)}),  # given at the visit itself
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
    ("RECORD_MISMATCH", {"botulinum_before": False}),  # no record
    ("RECORD_MISMATCH", {**toxin(100), **recorded(100)}),  # the same day
    ("RECORD_MISMATCH", {**toxin(30), **recorded(100)}),  # reported later: treated elsewhere
    ("RECORD_MISMATCH", recorded(0)),  # recorded on the reference day: the visit's own
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


def test_there_are_36_rules_in_the_order_and_severity_of_the_spec_table():
    assert len(RULES) == 36
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
    intake = dict(intake)
    treated_on = intake.pop("treated_on", ())
    prepared = Answers.build(intake, today=TODAY, treated_on=treated_on)
    read: set[str] = set()
    spy = Answers(
        values=_Recording(prepared.values, read),
        reference_date=prepared.reference_date,
        age=prepared.age,
        chosen=_Recording(prepared.chosen, read),
        days_before=_Recording(prepared.days_before, read),
        recorded_toxin_days_before=prepared.recorded_toxin_days_before,
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


# -- intervals, age and the reference date ------------------------------------------------------


def test_toxin_89_days_before_visit_is_recent():
    assert "RECENT_TOXIN" in codes_for(answers(**toxin(89)))


def test_toxin_90_days_before_visit_is_not_recent():
    assert "RECENT_TOXIN" not in codes_for(answers(**toxin(90)))


def test_toxin_84_to_89_days_before_is_recent_since_2026_12_1():
    # 2026.11-1 stopped at 84 days (12 weeks); these are the days the new rule set adds.
    for days in range(84, 90):
        assert "RECENT_TOXIN" in codes_for(answers(**toxin(days))), days


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


# -- the clinic's records of toxin treatments (spec §5) ------------------------------------------


def test_toxin_recorded_89_days_before_the_visit_is_recent():
    assert "RECENT_TOXIN" in codes_for(answers(**toxin(200), **recorded(89)))


def test_toxin_recorded_90_days_before_the_visit_is_not_recent():
    assert "RECENT_TOXIN" not in codes_for(answers(**toxin(200), **recorded(90)))


def test_a_treatment_recorded_on_the_reference_date_does_not_count():
    # The visit's own treatment: it flags neither an interval nor the answers given before it.
    assert codes_for(answers(**recorded(0))) == ["OFF_LABEL"]
    assert codes_for(answers(**toxin(200), **recorded(0))) == ["OFF_LABEL"]


def test_a_treatment_recorded_the_day_before_the_reference_date_counts():
    assert codes_for(answers(**recorded(1))) == ["RECENT_TOXIN", "RECORD_MISMATCH", "OFF_LABEL"]


def test_a_treatment_recorded_after_the_reference_date_does_not_count():
    assert codes_for(answers(**recorded(-5))) == ["OFF_LABEL"]


def test_of_several_records_the_latest_counts_whatever_their_order():
    assert "RECENT_TOXIN" in codes_for(answers(**toxin(200), **recorded(300, 95, 60, 120)))
    assert "RECENT_TOXIN" not in codes_for(answers(**toxin(200), **recorded(300, 95, 120)))


def test_of_several_records_the_latest_is_compared_with_the_reported_date():
    # Reported 100 days before: older records agree with it, a newer one does not.
    assert "RECORD_MISMATCH" not in codes_for(answers(**toxin(100), **recorded(300, 120)))
    assert "RECORD_MISMATCH" in codes_for(answers(**toxin(100), **recorded(300, 120, 99)))


def test_a_reported_date_a_day_earlier_than_the_record_is_a_mismatch():
    assert "RECORD_MISMATCH" in codes_for(answers(**toxin(101), **recorded(100)))


def test_a_reported_date_on_the_recorded_day_is_no_mismatch():
    assert "RECORD_MISMATCH" not in codes_for(answers(**toxin(100), **recorded(100)))


def test_a_reported_date_later_than_the_record_is_no_mismatch():
    # A treatment elsewhere since the clinic's own: the patient's date is the latest one.
    codes = codes_for(answers(**toxin(99), **recorded(100)))
    assert "RECORD_MISMATCH" not in codes
    assert "RECENT_TOXIN" not in codes_for(answers(**toxin(90), **recorded(120)))
    assert "RECENT_TOXIN" in codes_for(answers(**toxin(89), **recorded(120)))


def test_no_earlier_toxin_answered_against_an_old_record_is_a_mismatch_for_review():
    result = screen(answers(botulinum_before=False), today=TODAY, treated_on=[days_before(400)])
    assert [flag.code for flag in result.flags] == ["RECORD_MISMATCH", "OFF_LABEL"]
    assert result.verdict == "needs_review"


def test_a_mismatch_shows_the_doctor_the_toxin_answers():
    result = screen(answers(**toxin(200)), today=TODAY, treated_on=[days_before(100)])
    (flag,) = [flag for flag in result.flags if flag.code == "RECORD_MISMATCH"]
    assert flag.keys == ("botulinum_before", "botulinum_last_date")
    assert flag.severity == "review"
    assert flag.patient_note is None


def test_records_change_nothing_when_the_clinic_has_none():
    intake = answers(**toxin(60))
    assert screen(intake, today=TODAY) == screen(intake, today=TODAY, treated_on=())


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


def test_toxin_product_other_counts_as_unknown():
    # 2026.12-1: a product not in the list may be an unapproved import of unknown strength.
    assert "TOXIN_PRODUCT_UNKNOWN" in codes_for(answers(**toxin(200, product="other")))


def test_toxin_product_missing_is_unknown():
    intake = answers(**toxin(200))
    del intake["botulinum_product"]
    assert "TOXIN_PRODUCT_UNKNOWN" in codes_for(intake)


def test_toxin_product_unknown_is_unknown():
    assert "TOXIN_PRODUCT_UNKNOWN" in codes_for(answers(**toxin(200, product="unknown")))


def test_toxin_product_given_is_known():
    assert "TOXIN_PRODUCT_UNKNOWN" not in codes_for(answers(**toxin(200, product="xeomin")))


# OFF_LABEL: the facts the doctor and the patient are told (spec §6) ------------------------------


def test_the_off_label_clinician_note_states_what_is_approved_in_japan_and_what_is_not():
    note = RULES_BY_CODE["OFF_LABEL"].clinician_note
    for fact in (
        "ボトックスとゼオマインは医療用途",  # approved, but not for cosmetic use
        "美容目的で承認されているのはボトックスビスタのみ",
        "65歳未満",
        "眉間・目尻",
        "筋肉内投与",
        "どの製剤でも適応外使用",
        "ナボタ・ボツラックス・コアトックス",
        "未承認医薬品",
        "医薬品副作用被害救済制度",
    ):
        assert fact in note.ja, fact
    for fact in (
        "Botox and Xeomin are approved for medical uses",
        "Botox Vista is the only one approved for cosmetic use",
        "under 65",
        "glabellar and crow's-feet",
        "intramuscular",
        "off-label with every product",
        "Nabota, Botulax, Coretox",
        "unapproved drugs",
        "relief system for adverse drug reactions",
    ):
        assert fact in note.en, fact
    # The old note named Botox Vista as the only toxin approved in Japan at all.
    assert "承認されたボツリヌス製剤はボトックスビスタのみ" not in note.ja


def test_the_off_label_patient_note_says_in_plain_words_what_the_doctor_will_explain():
    note = RULES_BY_CODE["OFF_LABEL"].patient_note
    for words in ("適応外使用", "自由診療", "承認されていない輸入のお薬", "救済制度", "個人差"):
        assert words in note.ja, words
    assert "施術を受けるかどうかはその後にお決めいただけます" in note.ja
    for words in ("off-label use", "self-paid", "without Japanese approval", "relief system"):
        assert words in note.en, words
    assert "you decide whether to have it afterwards" in note.en
    # Every patient gets this note: it never reads as a verdict.
    assert "禁忌" not in note.ja and "not suitable" not in note.en.lower()


def test_the_recent_toxin_note_speaks_of_3_months_as_every_other_text_does():
    rule = RULES_BY_CODE["RECENT_TOXIN"]
    assert "3か月未満" in rule.patient_note.ja and "12週" not in rule.patient_note.ja
    assert "3 months" in rule.patient_note.en


def test_the_severe_acne_note_names_the_guideline_by_its_title():
    note = RULES_BY_CODE["SEVERE_ACNE"].clinician_note
    assert "尋常性痤瘡・酒皶治療ガイドライン2023" in note.ja
    assert "Guidelines for the treatment of acne vulgaris and rosacea 2023" in note.en
