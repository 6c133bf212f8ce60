"""intake.text: what people type, read the way the intake stores it."""

from __future__ import annotations

import datetime

import pytest

from intake.text import (
    is_katakana_name,
    is_phone_number,
    normalise_kana,
    normalise_phone,
    normalise_width,
    parse_date,
    to_katakana,
)


def test_full_width_digits_and_letters_read_as_ordinary_ones() -> None:
    assert normalise_width("０６－１２３４ＡＢ") == "06-1234AB"


def test_hiragana_reads_as_katakana_and_nothing_else_changes() -> None:
    assert to_katakana("やまだ はなこ") == "ヤマダ ハナコ"
    assert to_katakana("ヤマダ 山田 abc") == "ヤマダ 山田 abc"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ﾔﾏﾀﾞ　ﾊﾅｺ", "ヤマダ ハナコ"),  # half width, ideographic space
        ("ｻﾄｰ ﾕｰｺ", "サトー ユーコ"),  # the half-width prolonged-sound mark
        ("  ヤマダ   ハナコ ", "ヤマダ ハナコ"),
        ("やまだ はなこ", "ヤマダ ハナコ"),
        ("ヤマダ　はなこ", "ヤマダ ハナコ"),  # mixed
        ("ﾊﾟﾊﾟ ぴよ", "パパ ピヨ"),  # the semi-voiced mark, half width and hiragana
        ("ゔぃおら", "ヴィオラ"),
        ("山田 はなこ", "山田 ハナコ"),  # what is not kana is left for the check to refuse
    ],
)
def test_kana_is_stored_as_full_width_katakana_with_single_spaces(typed: str, stored: str) -> None:
    assert normalise_kana(typed) == stored


@pytest.mark.parametrize(
    ("value", "katakana"),
    [
        ("ヤマダ ハナコ", True),
        ("スーザン・ミラー", True),
        ("やまだ はなこ", False),
        ("山田 花子", False),
        ("Yamada", False),
    ],
)
def test_a_katakana_name_has_katakana_the_long_mark_the_dot_and_spaces_only(
    value: str, katakana: bool
) -> None:
    assert is_katakana_name(value) is katakana


def test_phone_numbers_are_read_with_the_dashes_people_type() -> None:
    assert normalise_phone(" ０６ー６３７５ー００００ ") == "06-6375-0000"
    assert normalise_phone("090−1234−5678") == "090-1234-5678"


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("06-6375-0000", True),  # 10 digits
        ("+81 (90) 1234-5678", True),
        ("0612345", False),  # 7 digits
        ("1234567890123456", False),  # 16 digits
        ("06-6375-0000 ext", False),
    ],
)
def test_a_phone_number_has_10_to_15_digits_and_only_spaces_and_plus_dash_brackets(
    value: str, valid: bool
) -> None:
    assert is_phone_number(value) is valid


@pytest.mark.parametrize(
    "typed",
    ["2026-04-01", "2026/04/01", "2026.04.01", "2026年04月01日", "２０２６／０４／０１"],
)
def test_dates_are_read_in_the_ways_people_type_them(typed: str) -> None:
    assert parse_date(typed) == datetime.date(2026, 4, 1)


@pytest.mark.parametrize("typed", ["2026-02-30", "01/04/2026", "yesterday", ""])
def test_anything_else_is_not_a_date(typed: str) -> None:
    assert parse_date(typed) is None
