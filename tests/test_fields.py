"""intake.fields: the form fields and checks every room's forms share."""

from __future__ import annotations

import pytest
from django import forms
from django.utils import translation

from intake.answers import QUESTIONS
from intake.fields import CodesField, build_field, clean_kana

CONCERNS = [choice.code for choice in QUESTIONS["concerns"].choices]


# フリガナ: the wizard, reception's invitation form and the screen command all clean it here ------
@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ヤマダ ハナコ", "ヤマダ ハナコ"),
        ("やまだ はなこ", "ヤマダ ハナコ"),  # hiragana
        ("ﾔﾏﾀﾞ ﾊﾅｺ", "ヤマダ ハナコ"),  # half-width katakana, voiced mark joined
        ("ｻﾄｰ　ゆうこ", "サトー ユウコ"),  # both, with an ideographic space
        ("スーザン・ミラー", "スーザン・ミラー"),
        ("", ""),
    ],
)
def test_kana_in_hiragana_or_half_width_is_converted_to_full_width_katakana(
    typed: str, stored: str
) -> None:
    assert clean_kana(typed) == stored


@pytest.mark.parametrize("typed", ["山田 はなこ", "Yamada", "ヤマダ2"])
def test_kana_with_anything_but_kana_is_refused_in_the_active_language(typed: str) -> None:
    with translation.override("en"), pytest.raises(forms.ValidationError) as refused:
        clean_kana(typed)
    assert refused.value.code == "katakana"
    with translation.override("en"):
        assert refused.value.messages == [
            "Write the name in katakana (カタカナ), for example ヤマダ ハナコ."
        ]
    with translation.override("ja"):
        assert refused.value.messages == ["カタカナで入力してください（例：ヤマダ ハナコ）。"]


# Multi-selects: a code given twice counts once (spec §1) ----------------------------------------
def test_every_multi_select_question_is_a_codes_field() -> None:
    multi = [question for question in QUESTIONS.values() if question.kind == "multi"]
    assert multi
    assert all(isinstance(build_field(question), CodesField) for question in multi)


@pytest.mark.parametrize(
    ("posted", "stored"),
    [
        (["oiliness", "oiliness"], ["oiliness"]),
        (["atrophic_scars", "oiliness", "atrophic_scars"], ["oiliness", "atrophic_scars"]),
        (list(reversed(CONCERNS)) * 2, CONCERNS),
    ],
)
def test_codes_are_kept_once_each_in_the_dictionarys_order(
    posted: list[str], stored: list[str]
) -> None:
    assert build_field(QUESTIONS["concerns"]).clean(posted) == stored


def test_an_unknown_code_is_still_refused_when_another_is_repeated() -> None:
    with pytest.raises(forms.ValidationError) as refused:
        build_field(QUESTIONS["concerns"]).clean(["oiliness", "oiliness", "wrinkles"])
    assert refused.value.code == "invalid_choice"


def test_a_required_multi_select_given_nothing_is_still_required() -> None:
    with pytest.raises(forms.ValidationError) as refused:
        build_field(QUESTIONS["concerns"]).clean([])
    assert refused.value.code == "required"


def test_an_optional_multi_select_given_nothing_is_an_empty_list() -> None:
    assert build_field(QUESTIONS["allergies"]).clean([]) == []
