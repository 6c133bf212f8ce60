"""The wizard's step forms (intake/forms.py): validation of spec §1, field by field, both languages.

The forms take the screening date as `today`, so every boundary here is measured from a fixed day.
No database is needed: the forms validate and present, they never save.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.http import QueryDict
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from intake import answers
from intake.forms import (
    AboutYouForm,
    ConsentForm,
    HealthForm,
    RetinoidsForm,
    SkinForm,
    StepForm,
    TreatmentsForm,
)

TODAY = datetime.date(2026, 12, 1)
BORN = datetime.date(1995, 4, 10)

VALID_STEP_DATA: dict[type[StepForm], dict[str, Any]] = {
    AboutYouForm: {
        "full_name": "山田 花子",
        "full_name_kana": "ヤマダ ハナコ",
        "date_of_birth": "1995-04-10",
        "sex": "female",
        "phone": "06-6375-0000",
        "email": "hanako@example.jp",
        "visit_date": "2026-12-20",
    },
    SkinForm: {
        "skin_type": "oily",
        "phototype": "III",
        "concerns": ["oiliness", "enlarged_pores"],
        "acne_lesion_count": "1_5",
        "keloid_history": "false",
    },
    RetinoidsForm: {"isotretinoin": "never"},
    TreatmentsForm: {"botulinum_before": "false"},
    HealthForm: {
        "pregnancy": "not_pregnant",
        "breastfeeding": "false",
        "planning_pregnancy": "false",
    },
    ConsentForm: {"consent_privacy": "on", "consent_off_label": "on", "confirm_accurate": "on"},
}


def as_post(data: dict[str, Any]) -> QueryDict:
    """Data as a browser posts it: a list for a multi-select, keys left out when not given."""
    post = QueryDict(mutable=True)
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, list):
            post.setlist(key, value)
        else:
            post[key] = value
    return post


def bound(form_class: type[StepForm], **changes: Any) -> StepForm:
    """The step's form bound to valid answers with `changes` (None leaves a key out)."""
    data = {**VALID_STEP_DATA[form_class], **changes}
    kwargs: dict[str, Any] = {"today": TODAY, "date_of_birth": BORN}
    if form_class is ConsentForm:
        kwargs["consent_version"] = "2026-01"
    return form_class(data=as_post(data), **kwargs)


def errors_of(form_class: type[StepForm], **changes: Any) -> dict[str, list[str]]:
    form = bound(form_class, **changes)
    form.is_valid()
    return {key: list(messages) for key, messages in form.errors.items()}


def cleaned(form_class: type[StepForm], key: str, **changes: Any) -> Any:
    form = bound(form_class, **changes)
    assert form.is_valid(), form.errors
    return form.cleaned_data[key]


@pytest.mark.parametrize("form_class", list(VALID_STEP_DATA))
def test_each_step_accepts_a_complete_valid_answer(form_class: type[StepForm]) -> None:
    form = bound(form_class)
    assert form.is_valid(), form.errors


def test_every_question_of_the_data_dictionary_is_a_field_of_its_step_form_under_its_key() -> None:
    for step in answers.STEPS:
        form_class = next(f for f in VALID_STEP_DATA if f.step_name == step.name)
        form = bound(form_class)
        for question in step.questions:
            assert question.key in form.fields


# Required answers ---------------------------------------------------------------------------------
REQUIRED = [
    (AboutYouForm, "full_name"),
    (AboutYouForm, "date_of_birth"),
    (AboutYouForm, "sex"),
    (AboutYouForm, "phone"),
    (SkinForm, "skin_type"),
    (SkinForm, "concerns"),
    (SkinForm, "acne_lesion_count"),
    (SkinForm, "keloid_history"),
    (RetinoidsForm, "isotretinoin"),
    (TreatmentsForm, "botulinum_before"),
    (HealthForm, "pregnancy"),
    (HealthForm, "breastfeeding"),
    (HealthForm, "planning_pregnancy"),
]


@pytest.mark.parametrize(("form_class", "key"), REQUIRED)
def test_a_required_answer_left_out_is_refused_in_english(
    form_class: type[StepForm], key: str
) -> None:
    assert errors_of(form_class, **{key: None}) == {key: ["This field is required."]}


@pytest.mark.parametrize(("form_class", "key"), REQUIRED)
def test_a_required_answer_left_out_is_refused_in_japanese(
    form_class: type[StepForm], key: str
) -> None:
    with translation.override("ja"):
        assert errors_of(form_class, **{key: None}) == {key: ["このフィールドは必須です。"]}


def test_concerns_need_at_least_one_code() -> None:
    assert errors_of(SkinForm, concerns=[]) == {"concerns": ["This field is required."]}


@pytest.mark.parametrize(
    ("form_class", "key"),
    [
        (AboutYouForm, "full_name_kana"),
        (AboutYouForm, "email"),
        (AboutYouForm, "visit_date"),
        (SkinForm, "phototype"),
        (SkinForm, "skin_problems_now"),
        (RetinoidsForm, "topical_retinoids"),
        (TreatmentsForm, "last_resurfacing_date"),
        (HealthForm, "neuromuscular"),
        (HealthForm, "allergies"),
        (HealthForm, "medications"),
        (HealthForm, "upcoming_event_date"),
    ],
)
def test_an_optional_answer_may_be_left_out(form_class: type[StepForm], key: str) -> None:
    assert errors_of(form_class, **{key: None}) == {}


def test_a_name_of_only_spaces_counts_as_no_name() -> None:
    assert errors_of(AboutYouForm, full_name="　 ") == {"full_name": ["This field is required."]}


def test_a_name_longer_than_100_characters_is_refused() -> None:
    assert "full_name" in errors_of(AboutYouForm, full_name="山" * 101)
    assert cleaned(AboutYouForm, "full_name", full_name="山" * 100) == "山" * 100


# フリガナ (furigana) ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ヤマダ ハナコ", "ヤマダ ハナコ"),
        ("ヤマダ　ハナコ", "ヤマダ ハナコ"),  # a full-width space
        ("ﾔﾏﾀﾞ ﾊﾅｺ", "ヤマダ ハナコ"),  # half-width katakana, voiced mark combined
        ("サトー ユーコ", "サトー ユーコ"),  # prolonged sound mark
        ("  ヤマダ   ハナコ ", "ヤマダ ハナコ"),  # runs of spaces collapsed, ends trimmed
        ("やまだ はなこ", "ヤマダ ハナコ"),  # hiragana, converted (spec §1, 2026.12)
        ("ｻﾄｰ ゆーこ", "サトー ユーコ"),  # half width and hiragana in one name
        ("", ""),
    ],
)
def test_furigana_in_katakana_is_accepted_and_normalised(typed: str, stored: str) -> None:
    assert cleaned(AboutYouForm, "full_name_kana", full_name_kana=typed) == stored


@pytest.mark.parametrize(
    "typed", ["山田 花子", "やまだ 花子", "Yamada Hanako", "ヤマダ1", "ヤマダ、ハナコ"]
)
def test_furigana_not_in_katakana_is_refused_in_english(typed: str) -> None:
    assert errors_of(AboutYouForm, full_name_kana=typed) == {
        "full_name_kana": ["Write the name in katakana (カタカナ), for example ヤマダ ハナコ."]
    }


def test_furigana_not_in_kana_is_refused_in_japanese() -> None:
    with translation.override("ja"):
        assert errors_of(AboutYouForm, full_name_kana="山田 花子") == {
            "full_name_kana": ["カタカナで入力してください（例：ヤマダ ハナコ）。"]
        }


# Multi-selects ------------------------------------------------------------------------------------
def test_a_code_posted_twice_is_kept_once_in_the_dictionarys_order() -> None:
    concerns = cleaned(SkinForm, "concerns", concerns=["acne_redness", "oiliness", "acne_redness"])
    assert concerns == ["oiliness", "acne_redness"]


# Phone --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("06-6375-0000", "06-6375-0000"),
        ("０６－６３７５－００００", "06-6375-0000"),  # full-width digits and hyphen
        ("０６ー６３７５ー００００", "06-6375-0000"),  # the katakana long mark typed as a dash
        ("090‐1234‐5678", "090-1234-5678"),  # a Unicode hyphen
        ("+81 (6) 6375-0000", "+81 (6) 6375-0000"),
        ("（０６）６３７５　００００", "(06)6375 0000"),
        ("0663750000", "0663750000"),  # 10 digits
        ("+81 90 1234 5678 901", "+81 90 1234 5678 901"),  # 15 digits
    ],
)
def test_a_phone_number_of_10_to_15_digits_is_accepted_and_normalised(
    typed: str, stored: str
) -> None:
    assert cleaned(AboutYouForm, "phone", phone=typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "066375000",  # 9 digits
        "+81 90 1234 5678 9012",  # 16 digits
        "06.6375.0000",  # dots are not among the allowed characters
        "06-6375-0000 内線12",
        "tel 0663750000",
        "06/6375/0000",
    ],
)
def test_a_phone_number_with_too_few_or_too_many_digits_or_other_characters_is_refused(
    typed: str,
) -> None:
    assert errors_of(AboutYouForm, phone=typed) == {
        "phone": [
            "Enter a phone number of 10 to 15 digits; only digits, spaces and + - ( ) are allowed."
        ]
    }


def test_a_wrong_phone_number_is_explained_in_japanese() -> None:
    with translation.override("ja"):
        assert errors_of(AboutYouForm, phone="12345") == {
            "phone": [
                "電話番号は10〜15桁の数字で入力してください。"
                "使える記号はスペースと + - ( ) のみです。"
            ]
        }


# Email --------------------------------------------------------------------------------------------
def test_an_email_address_is_kept_in_lower_case_without_spaces() -> None:
    assert cleaned(AboutYouForm, "email", email=" Hanako@Example.JP ") == "hanako@example.jp"


def test_an_email_address_that_is_not_one_is_refused() -> None:
    assert errors_of(AboutYouForm, email="hanako at example") == {
        "email": ["Enter a valid email address."]
    }


# Dates typed by hand ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "typed",
    ["1995-04-10", "１９９５－０４－１０", "1995/04/10", "１９９５／０４／１０", "1995年4月10日"],
)
def test_a_date_typed_in_full_width_digits_or_with_slashes_is_accepted(typed: str) -> None:
    assert cleaned(AboutYouForm, "date_of_birth", date_of_birth=typed) == BORN


@pytest.mark.parametrize("typed", ["1995-02-30", "10/04/1995", "yesterday", "1995-13-01"])
def test_something_that_is_not_a_real_date_is_refused_in_both_languages(typed: str) -> None:
    assert errors_of(AboutYouForm, date_of_birth=typed) == {
        "date_of_birth": ["Enter a real date, for example 2026-04-01."]
    }
    with translation.override("ja"):
        assert errors_of(AboutYouForm, date_of_birth=typed) == {
            "date_of_birth": ["正しい日付を入力してください（例：2026-04-01）。"]
        }


def test_a_date_typed_another_way_is_shown_back_as_an_iso_date_for_the_date_input() -> None:
    form = bound(AboutYouForm, date_of_birth="１９９５／０４／１０", phone="12")
    assert not form.is_valid()
    html = str(form["date_of_birth"])
    assert 'type="date"' in html
    assert 'value="1995-04-10"' in html


# Date of birth ------------------------------------------------------------------------------------
def test_date_of_birth_may_be_today_but_not_tomorrow() -> None:
    assert cleaned(AboutYouForm, "date_of_birth", date_of_birth="2026-12-01") == TODAY
    assert errors_of(AboutYouForm, date_of_birth="2026-12-02") == {
        "date_of_birth": ["This date is in the future. Enter today or an earlier date."]
    }


def test_a_date_of_birth_in_the_future_is_explained_in_japanese() -> None:
    with translation.override("ja"):
        assert errors_of(AboutYouForm, date_of_birth="2027-01-01") == {
            "date_of_birth": ["未来の日付です。今日以前の日付を入力してください。"]
        }


def test_an_age_of_120_is_accepted_and_121_refused() -> None:
    assert cleaned(AboutYouForm, "date_of_birth", date_of_birth="1906-12-01") == datetime.date(
        1906, 12, 1
    )
    assert cleaned(AboutYouForm, "date_of_birth", date_of_birth="1905-12-02") == datetime.date(
        1905, 12, 2
    )
    assert errors_of(AboutYouForm, date_of_birth="1905-12-01") == {
        "date_of_birth": ["Please check the year: this date of birth means an age over 120."]
    }
    with translation.override("ja"):
        assert errors_of(AboutYouForm, date_of_birth="1905-12-01") == {
            "date_of_birth": ["年をご確認ください。この生年月日では120歳を超えます。"]
        }


# Visit date ---------------------------------------------------------------------------------------
def test_visit_date_may_be_today_but_not_yesterday() -> None:
    assert cleaned(AboutYouForm, "visit_date", visit_date="2026-12-01") == TODAY
    assert errors_of(AboutYouForm, visit_date="2026-11-30") == {
        "visit_date": ["This date has passed. Enter today or a later date."]
    }
    with translation.override("ja"):
        assert errors_of(AboutYouForm, visit_date="2026-11-30") == {
            "visit_date": ["過去の日付です。今日以降の日付を入力してください。"]
        }


def test_visit_date_may_be_365_days_ahead_but_not_366() -> None:
    assert cleaned(AboutYouForm, "visit_date", visit_date="2027-12-01") == datetime.date(
        2027, 12, 1
    )
    assert errors_of(AboutYouForm, visit_date="2027-12-02") == {
        "visit_date": ["Enter a visit date within a year from today."]
    }
    with translation.override("ja"):
        assert errors_of(AboutYouForm, visit_date="２０２７－１２－０２") == {
            "visit_date": ["ご来院予定日は今日から1年以内の日付を入力してください。"]
        }


# Codes --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("form_class", "key", "code"),
    [
        (AboutYouForm, "sex", "alien"),
        (SkinForm, "skin_type", "OILY"),
        (SkinForm, "phototype", "VII"),
        (SkinForm, "concerns", ["oiliness", "wrinkles"]),
        (SkinForm, "acne_lesion_count", "100"),
        (SkinForm, "skin_problems_now", ["sunburn"]),
        (SkinForm, "keloid_history", "maybe"),
        (RetinoidsForm, "topical_retinoids", ["hydroquinone"]),
        (RetinoidsForm, "isotretinoin", "sometimes"),
        (TreatmentsForm, "botulinum_before", "yes"),
        (HealthForm, "pregnancy", "unknown"),
        (HealthForm, "neuromuscular", ["parkinson"]),
        (HealthForm, "other_conditions", ["diabetes"]),
        (HealthForm, "allergies", ["penicillin"]),
        (HealthForm, "medications", ["aspirin"]),
    ],
)
def test_an_unknown_code_is_refused(form_class: type[StepForm], key: str, code: Any) -> None:
    errors = errors_of(form_class, **{key: code})
    assert list(errors) == [key]
    assert "Select a valid choice." in errors[key][0]


def test_an_unknown_code_is_refused_in_japanese() -> None:
    with translation.override("ja"):
        errors = errors_of(SkinForm, skin_type="shiny")
    assert errors == {"skin_type": ["正しく選択してください。 shiny は候補にありません。"]}


def test_botulinum_product_refuses_a_product_it_does_not_know() -> None:
    errors = errors_of(
        TreatmentsForm,
        botulinum_before="true",
        botulinum_last_date="2026-06-01",
        botulinum_product="snake_oil",
    )
    assert list(errors) == ["botulinum_product"]


def test_yes_no_answers_become_booleans() -> None:
    assert cleaned(SkinForm, "keloid_history", keloid_history="true") is True
    assert cleaned(SkinForm, "keloid_history", keloid_history="false") is False


# Retinoids ----------------------------------------------------------------------------------------
def test_the_retinoid_start_date_is_required_when_a_retinoid_is_used() -> None:
    assert errors_of(RetinoidsForm, topical_retinoids=["tretinoin"]) == {
        "topical_retinoid_started": ["Enter when you started it (an approximate date is fine)."]
    }
    with translation.override("ja"):
        assert errors_of(RetinoidsForm, topical_retinoids=["adapalene"]) == {
            "topical_retinoid_started": [
                "使い始めた日を入力してください（おおよその日付で構いません）。"
            ]
        }


def test_the_retinoid_start_date_may_be_today_but_not_in_the_future() -> None:
    assert (
        cleaned(
            RetinoidsForm,
            "topical_retinoid_started",
            topical_retinoids=["retinol"],
            topical_retinoid_started="2026-12-01",
        )
        == TODAY
    )
    assert errors_of(
        RetinoidsForm, topical_retinoids=["retinol"], topical_retinoid_started="2026-12-02"
    ) == {
        "topical_retinoid_started": ["This date is in the future. Enter today or an earlier date."]
    }


def test_the_retinoid_start_date_without_a_retinoid_is_dropped() -> None:
    form = bound(RetinoidsForm, topical_retinoid_started="2026-11-01")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["topical_retinoid_started"] is None


def test_irritation_without_a_retinoid_is_a_contradiction_explained_in_both_languages() -> None:
    assert errors_of(RetinoidsForm, retinoid_irritation=["redness"]) == {
        "retinoid_irritation": [
            "You said you use no retinoid now: leave this empty, or choose the retinoid above."
        ]
    }
    with translation.override("ja"):
        (message,) = errors_of(RetinoidsForm, retinoid_irritation=["redness"])[
            "retinoid_irritation"
        ]
    assert "レチノイド" in message


def test_irritation_with_a_retinoid_is_kept() -> None:
    assert cleaned(
        RetinoidsForm,
        "retinoid_irritation",
        topical_retinoids=["tretinoin"],
        topical_retinoid_started="2026-11-20",
        retinoid_irritation=["redness", "breakout"],
    ) == ["redness", "breakout"]


def test_the_last_isotretinoin_dose_is_required_when_taken_in_the_past() -> None:
    assert errors_of(RetinoidsForm, isotretinoin="past") == {
        "isotretinoin_last_dose": [
            "Enter the date of your last dose (an approximate date is fine)."
        ]
    }
    with translation.override("ja"):
        assert errors_of(RetinoidsForm, isotretinoin="past") == {
            "isotretinoin_last_dose": [
                "最後に飲んだ日を入力してください（おおよその日付で構いません）。"
            ]
        }


def test_the_last_isotretinoin_dose_is_between_birth_and_today() -> None:
    assert errors_of(RetinoidsForm, isotretinoin="past", isotretinoin_last_dose="2026-12-02") == {
        "isotretinoin_last_dose": ["This date is in the future. Enter today or an earlier date."]
    }
    assert errors_of(RetinoidsForm, isotretinoin="past", isotretinoin_last_dose="1995-04-09") == {
        "isotretinoin_last_dose": ["This date is before your date of birth."]
    }
    with translation.override("ja"):
        assert errors_of(
            RetinoidsForm, isotretinoin="past", isotretinoin_last_dose="1995-04-09"
        ) == {"isotretinoin_last_dose": ["生年月日より前の日付です。"]}
    for edge in ("1995-04-10", "2026-12-01"):
        assert cleaned(
            RetinoidsForm,
            "isotretinoin_last_dose",
            isotretinoin="past",
            isotretinoin_last_dose=edge,
        ) == datetime.date.fromisoformat(edge)


@pytest.mark.parametrize("isotretinoin", ["never", "current"])
def test_a_last_isotretinoin_dose_is_dropped_unless_taken_in_the_past(isotretinoin: str) -> None:
    form = bound(RetinoidsForm, isotretinoin=isotretinoin, isotretinoin_last_dose="2026-06-01")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["isotretinoin_last_dose"] is None


def test_even_a_wrong_date_in_a_question_that_does_not_apply_is_dropped_not_refused() -> None:
    # Without JavaScript a hidden question's input is still sent: it must not block the step.
    form = bound(
        RetinoidsForm,
        topical_retinoid_started="2026-02-30",
        isotretinoin="never",
        isotretinoin_last_dose="2027-01-01",
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["topical_retinoid_started"] is None
    assert form.cleaned_data["isotretinoin_last_dose"] is None
    assert not form.is_shown(answers.QUESTIONS["isotretinoin_last_dose"])

    treatments = bound(
        TreatmentsForm,
        botulinum_before="false",
        botulinum_last_date="1900-01-01",
        botulinum_product="snake_oil",
    )
    assert treatments.is_valid(), treatments.errors
    assert treatments.cleaned_data["botulinum_last_date"] is None
    assert treatments.cleaned_data["botulinum_product"] == ""


# Earlier treatments -------------------------------------------------------------------------------
def test_the_last_toxin_date_is_required_after_a_toxin_treatment() -> None:
    assert errors_of(TreatmentsForm, botulinum_before="true") == {
        "botulinum_last_date": [
            "Enter the date of your last treatment (an approximate date is fine)."
        ]
    }
    with translation.override("ja"):
        assert errors_of(TreatmentsForm, botulinum_before="true") == {
            "botulinum_last_date": [
                "最後に受けた日を入力してください（おおよその日付で構いません）。"
            ]
        }


def test_the_last_toxin_date_is_between_birth_and_today() -> None:
    assert errors_of(TreatmentsForm, botulinum_before="true", botulinum_last_date="1990-01-01") == {
        "botulinum_last_date": ["This date is before your date of birth."]
    }
    assert errors_of(TreatmentsForm, botulinum_before="true", botulinum_last_date="2026-12-02") == {
        "botulinum_last_date": ["This date is in the future. Enter today or an earlier date."]
    }


def test_toxin_details_are_kept_after_a_toxin_treatment() -> None:
    form = bound(
        TreatmentsForm,
        botulinum_before="true",
        botulinum_last_date="2026-06-01",
        botulinum_product="xeomin",
        botulinum_reactions=["drooping", "other"],
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["botulinum_last_date"] == datetime.date(2026, 6, 1)
    assert form.cleaned_data["botulinum_product"] == "xeomin"
    assert form.cleaned_data["botulinum_reactions"] == ["drooping", "other"]


def test_reactions_without_a_toxin_treatment_are_a_contradiction() -> None:
    assert errors_of(TreatmentsForm, botulinum_reactions=["allergy"]) == {
        "botulinum_reactions": [
            "You said you have not had a botulinum toxin treatment: leave this empty, "
            "or answer yes above."
        ]
    }
    with translation.override("ja"):
        (message,) = errors_of(TreatmentsForm, botulinum_reactions=["allergy"])[
            "botulinum_reactions"
        ]
    assert "ボツリヌス" in message


def test_toxin_date_and_product_are_dropped_without_a_toxin_treatment() -> None:
    form = bound(
        TreatmentsForm,
        botulinum_before="false",
        botulinum_last_date="2026-06-01",
        botulinum_product="botox",
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["botulinum_last_date"] is None
    assert form.cleaned_data["botulinum_product"] == ""


def test_the_last_resurfacing_may_be_today_but_not_in_the_future() -> None:
    assert cleaned(TreatmentsForm, "last_resurfacing_date", last_resurfacing_date="2026-12-01") == (
        TODAY
    )
    assert errors_of(TreatmentsForm, last_resurfacing_date="2026-12-02") == {
        "last_resurfacing_date": ["This date is in the future. Enter today or an earlier date."]
    }


# Health -------------------------------------------------------------------------------------------
def test_an_upcoming_event_may_be_today_but_not_in_the_past() -> None:
    assert cleaned(HealthForm, "upcoming_event_date", upcoming_event_date="2026-12-01") == TODAY
    assert errors_of(HealthForm, upcoming_event_date="2026-11-30") == {
        "upcoming_event_date": ["This date has passed. Enter today or a later date."]
    }


def test_free_text_details_are_limited_to_500_characters() -> None:
    assert cleaned(HealthForm, "allergy_details", allergy_details="  卵  ") == "卵"
    assert list(errors_of(HealthForm, allergy_details="x" * 501)) == ["allergy_details"]
    assert list(errors_of(HealthForm, medication_details="x" * 501)) == ["medication_details"]
    assert cleaned(HealthForm, "medication_details", medication_details="x" * 500) == "x" * 500


# Consent ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("key", answers.CONSENT_KEYS)
def test_each_consent_must_be_ticked(key: str) -> None:
    assert errors_of(ConsentForm, **{key: None}) == {key: ["Please confirm this to continue."]}
    with translation.override("ja"):
        assert errors_of(ConsentForm, **{key: None}) == {
            key: ["続けるには、この項目を確認してチェックしてください。"]
        }


def test_consent_given_to_an_older_version_of_the_text_must_be_given_again() -> None:
    errors = errors_of(ConsentForm, consent_version="2025-01")
    assert errors == {
        "consent_version": ["The consent text has been updated. Please read it again and confirm."]
    }


# The honeypot -------------------------------------------------------------------------------------
def test_the_honeypot_filled_in_is_refused() -> None:
    assert errors_of(AboutYouForm, website="https://spam.example") == {
        "website": ["Leave this field empty."]
    }


def test_the_honeypot_is_not_an_answer() -> None:
    assert "website" not in answers.QUESTIONS


# Conditional questions in the page ----------------------------------------------------------------
def conditional_wrapper_hidden(form: StepForm, key: str) -> bool:
    question = answers.QUESTIONS[key]
    return not form.is_shown(question)


def test_conditional_questions_are_hidden_until_their_answer_makes_them_relevant() -> None:
    assert conditional_wrapper_hidden(bound(RetinoidsForm), "topical_retinoid_started")
    assert conditional_wrapper_hidden(bound(RetinoidsForm), "retinoid_irritation")
    assert conditional_wrapper_hidden(bound(RetinoidsForm), "isotretinoin_last_dose")
    for key in ("botulinum_last_date", "botulinum_product", "botulinum_reactions"):
        assert conditional_wrapper_hidden(bound(TreatmentsForm), key)

    with_retinoid = bound(RetinoidsForm, topical_retinoids=["tretinoin"], isotretinoin="past")
    assert not conditional_wrapper_hidden(with_retinoid, "topical_retinoid_started")
    assert not conditional_wrapper_hidden(with_retinoid, "retinoid_irritation")
    assert not conditional_wrapper_hidden(with_retinoid, "isotretinoin_last_dose")
    with_toxin = bound(TreatmentsForm, botulinum_before="true")
    for key in ("botulinum_last_date", "botulinum_product", "botulinum_reactions"):
        assert not conditional_wrapper_hidden(with_toxin, key)


def test_an_unbound_form_decides_what_is_shown_from_its_initial_answers() -> None:
    fresh = RetinoidsForm(today=TODAY)
    assert not fresh.is_shown(answers.QUESTIONS["isotretinoin_last_dose"])
    prefilled = RetinoidsForm(today=TODAY, initial={"isotretinoin": "past"})
    assert prefilled.is_shown(answers.QUESTIONS["isotretinoin_last_dose"])


def test_field_labels_and_choices_follow_the_active_language() -> None:
    form = SkinForm(today=TODAY)
    with translation.override("ja"):
        assert str(form.fields["skin_type"].label) == "肌タイプ"
        assert dict(form.fields["skin_type"].choices)["oily"] == "脂性肌"
    with translation.override("en"):
        assert str(form.fields["skin_type"].label) == "Skin type"
        assert dict(form.fields["skin_type"].choices)["oily"] == "Oily"


# Properties: whatever width it is typed in, an answer means the same -----------------------------
FULL_WIDTH = str.maketrans(
    {**{chr(ord("0") + i): chr(ord("０") + i) for i in range(10)}, "-": "－", "/": "／", " ": "　"}
)
FULL_WIDTH.update({ord("("): "（", ord(")"): "）", ord("+"): "＋"})


@settings(max_examples=60, deadline=None)
@given(
    groups=st.lists(st.text("0123456789", min_size=1, max_size=5), min_size=1, max_size=5),
    separator=st.sampled_from(["-", " ", ""]),
    international=st.booleans(),
)
def test_a_phone_number_typed_in_full_width_is_read_as_the_same_number(
    groups: list[str], separator: str, international: bool
) -> None:
    phone = ("+" if international else "") + separator.join(groups)
    digits = sum(c.isdigit() for c in phone)
    form = bound(AboutYouForm, phone=phone.translate(FULL_WIDTH))
    if 10 <= digits <= 15 and len(phone) <= 30:
        assert form.is_valid(), form.errors
        assert form.cleaned_data["phone"] == phone.strip()
    else:
        assert "phone" in form.errors


@settings(max_examples=60, deadline=None)
@given(
    born=st.dates(min_value=datetime.date(1906, 12, 1), max_value=TODAY),
    style=st.sampled_from(["{:%Y-%m-%d}", "{:%Y/%m/%d}", "{d.year}年{d.month}月{d.day}日"]),
    full_width=st.booleans(),
)
def test_a_date_of_birth_typed_in_any_accepted_way_is_read_as_the_same_day(
    born: datetime.date, style: str, full_width: bool
) -> None:
    typed = style.format(born, d=born)
    if full_width:
        typed = typed.translate(FULL_WIDTH)
    assert cleaned(AboutYouForm, "date_of_birth", date_of_birth=typed) == born


# What assistive technology and autofill read ------------------------------------------------------
def unbound(form_class: type[StepForm]) -> StepForm:
    """The step's form as the wizard shows it first (prefixed with the step's name)."""
    kwargs: dict[str, Any] = {"today": TODAY, "date_of_birth": BORN, "prefix": form_class.step_name}
    if form_class is ConsentForm:
        kwargs["consent_version"] = "2026-01"
    return form_class(**kwargs)


def widget_attrs(form: StepForm, key: str) -> dict[str, Any]:
    """The attributes the field's input is rendered with (the first option of a radio group)."""
    field = form[key]
    if getattr(field.field.widget, "input_type", None) in ("radio", "checkbox") and hasattr(
        field.field, "choices"
    ):
        return dict(field.subwidgets[0].data["attrs"])
    return field.build_widget_attrs(field.field.widget.attrs)


@pytest.mark.parametrize("form_class", list(VALID_STEP_DATA))
def test_no_question_is_invalid_before_it_is_answered(form_class: type[StepForm]) -> None:
    # Chromium calls an empty required date or radio button invalid unless told otherwise.
    form = unbound(form_class)
    for key in form.fields:
        if not form[key].is_hidden:
            assert widget_attrs(form, key).get("aria-invalid") == "false", key


def test_a_question_answered_wrongly_is_invalid() -> None:
    form = bound(AboutYouForm, date_of_birth="2999-01-01", sex=None)
    assert not form.is_valid()

    assert widget_attrs(form, "date_of_birth")["aria-invalid"] == "true"
    assert widget_attrs(form, "sex")["aria-invalid"] == "true"
    assert widget_attrs(form, "phone")["aria-invalid"] == "false"


def test_the_patients_own_details_say_what_autofill_may_put_there() -> None:
    form = unbound(AboutYouForm)
    tokens = {key: widget_attrs(form, key).get("autocomplete") for key in form.fields}

    assert tokens == {
        "full_name": "name",
        "full_name_kana": None,
        "date_of_birth": "bday",
        "sex": None,
        "phone": "tel",
        "email": "email",
        "visit_date": None,
        "website": "off",
    }


@pytest.mark.parametrize(
    ("form_class", "key"),
    [
        (RetinoidsForm, "topical_retinoid_started"),
        (RetinoidsForm, "isotretinoin_last_dose"),
        (TreatmentsForm, "botulinum_last_date"),
    ],
)
def test_a_question_required_whenever_it_is_shown_says_so(
    form_class: type[StepForm], key: str
) -> None:
    form = unbound(form_class)

    assert widget_attrs(form, key)["aria-required"] == "true"
    assert form.fields[key].required_when_shown
    # Still not `required`: a question that does not apply is never asked.
    assert form.fields[key].required is False


@pytest.mark.parametrize("form_class", list(VALID_STEP_DATA))
def test_an_answer_that_shows_a_follow_up_question_names_it(form_class: type[StepForm]) -> None:
    form = unbound(form_class)
    controlled: dict[str, set[str]] = {}
    for question in form.questions:
        if question.shown_when is not None:
            controlled.setdefault(question.shown_when[0], set()).add(
                f"div_id_{form.step_name}-{question.key}"
            )

    for key in form.fields:
        named = widget_attrs(form, key).get("aria-controls", "")
        assert set(named.split()) == controlled.get(key, set()), key
