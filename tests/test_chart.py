"""The chart text (intake/chart.py): its whole output per language against golden files, and the
format's rules on any text: the width, the wrapping, plain characters only.

The golden files are the format's reference: `UPDATE_GOLDEN=1 pytest tests/test_chart.py`
rewrites them after a deliberate change of the format, to be read in the diff.
"""

from __future__ import annotations

import datetime
import os
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from hypothesis import given, settings
from hypothesis import strategies as st

from intake import answers, chart
from intake.answers.short_labels import SHORT_LABELS, SHORT_STEP_LABELS
from intake.models import Intake
from intake.review import selectors
from tests.fixed_intake import REFERENCE, fixed_intake

GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture
def golden_intake(doctor: User, receptionist: User) -> Intake:
    fixed_intake(doctor=doctor, receptionist=receptionist)
    intake = selectors.intake_for_review(reference=REFERENCE)
    assert intake is not None
    return intake


def chart_of(intake: Intake, language: str) -> str:
    loaded = selectors.intake_for_review(reference=intake.reference)
    assert loaded is not None
    return chart.chart_text(loaded, language=language)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_chart_text_of_the_fixed_intake_is_the_golden_file(
    golden_intake: Intake, language: str
) -> None:
    text = chart.chart_text(golden_intake, language=language)
    golden = GOLDEN / f"chart_{language}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_line_of_the_chart_text_fits_a_charts_free_text_field(
    golden_intake: Intake, language: str
) -> None:
    text = chart.chart_text(golden_intake, language=language)
    assert text.endswith("\n") and not text.endswith("\n\n")
    for line in text.splitlines():
        assert chart.columns(line) <= chart.WIDTH, line
        assert line == line.rstrip(), repr(line)
    # Long lines were wrapped, not cut: the decision's note is there whole.
    joined = "".join(text.split())
    assert "".join(golden_intake.decisions.all()[0].note.split()) in joined


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_chart_text_is_plain_text_without_emoji_or_control_characters(
    golden_intake: Intake, language: str
) -> None:
    text = chart.chart_text(golden_intake, language=language)
    assert "🙂" in golden_intake.allergy_details  # the patient typed one
    assert "🙂" not in text
    for character in text.replace("\n", ""):
        assert unicodedata.category(character)[0] != "C", repr(character)
        assert not chart.EMOJI.match(character), repr(character)
    assert "<" not in text and "&" not in text
    # The patient's line break became a space: one answer, one paragraph.
    assert "アレルギー詳細：歯科の麻酔で動悸がしました。 念のためお知らせします\n" in (
        chart.chart_text(golden_intake, language="ja")
    )


def test_the_japanese_chart_text_holds_the_issues_parts_in_order(golden_intake: Intake) -> None:
    lines = chart.chart_text(golden_intake, language="ja").splitlines()
    assert lines[0] == f"【問診】{REFERENCE}"
    assert lines[1] == "山田 花子（ヤマダ ハナコ） 女性 31歳 1995-04-10生"
    assert lines[2].startswith("来院：2026-12-01（本人記入） 送信：2026-11-20 09:30")
    assert lines[3] == "判定：要医師確認 / 効果予測：効果が期待できる"
    headings = [line for line in lines if line.startswith("【")]
    assert [heading.split("】")[0] + "】" for heading in headings] == [
        "【問診】",
        "【フラグ】",
        "【回答】",
        "【日付】",
        "【判断】",
        "【前回施術】",
    ]
    text = "\n".join(lines)
    # A flag, then the answers that set it off, indented.
    assert "・[要確認] リドカイン（麻酔薬）アレルギー\n  アレルギー：麻酔薬" in text
    assert "大切な予定：2026-12-06（5日後）" in text
    assert "【判断】条件付きで施術可 2026-11-24 Sato" in text
    assert "【前回施術】2026-09-15 ボトックスビスタ 22.5単位 希釈2.5mL/100単位" in text


def test_the_chart_text_of_an_intake_without_patient_or_decision_says_so(
    make_intake: Callable[..., Intake],
) -> None:
    intake = make_intake(visit_date=None)
    english = chart_of(intake, "en")
    assert "[Decision] none yet" in english
    assert "[Last treatment] not linked to a patient record" in english
    assert "Visit: not booked" in english
    japanese = chart_of(intake, "ja")
    assert "【判断】未登録" in japanese
    assert "【前回施術】患者記録に未リンク" in japanese


def test_the_chart_text_leaves_out_empty_answers_and_questions_that_did_not_apply(
    make_intake: Callable[..., Intake],
) -> None:
    text = chart_of(make_intake(), "en")
    assert "Topical retinoids" not in text  # none, an empty "none of these"
    assert "Retinoid started" not in text  # not asked
    assert "Last product" not in text
    assert "Keloid tendency: No" in text  # "no" is an answer


def test_the_format_of_the_chart_text_is_in_shift_jis_for_older_charts(
    golden_intake: Intake,
) -> None:
    for language in ("ja", "en"):
        chart.chart_text(golden_intake, language=language).encode("cp932")


def test_every_question_and_step_has_a_short_label_in_both_languages() -> None:
    assert set(SHORT_LABELS) == set(answers.QUESTIONS)
    assert set(SHORT_STEP_LABELS) == set(answers.STEPS_BY_NAME)
    for label in [*SHORT_LABELS.values(), *SHORT_STEP_LABELS.values()]:
        assert label.ja and label.en
        # Short enough to leave room for the answer on a line of the chart.
        assert chart.columns(label.ja) <= 30 and chart.columns(label.en) <= 30, label


# Wrapping, on any text --------------------------------------------------------------------------
texts = st.text(
    st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
        st.sampled_from(list("あいう漢字、。）（「」ー ab1-")),
    ),
    max_size=400,
)


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")), deadline=None)
@given(text=texts, indent=st.sampled_from([0, 2, 4]), hanging=st.booleans())
def test_wrapped_lines_fit_lose_nothing_and_start_with_no_closing_punctuation(
    text: str, indent: int, hanging: bool
) -> None:
    lines = chart.wrap(text, indent=indent, hanging=hanging)
    for line in lines:
        assert chart.columns(line) <= chart.WIDTH, line
        assert line == line.rstrip()
    for line in lines[1:]:
        body = line.lstrip(" ")
        if body and chart.columns(body[0]) == 2 and len(body) > 1:
            assert body[0] not in "、。）」", line
    # Nothing lost but whitespace, emoji and control characters.
    assert "".join("".join(lines).split()) == "".join(chart.clean(text).split())


def test_a_word_or_a_date_is_never_broken_unless_longer_than_a_line() -> None:
    text = "あ" * 38 + " 2026-12-01 C1234A"
    lines = chart.wrap(text)
    assert lines == ["あ" * 38, "  2026-12-01 C1234A"]
    long_word = "x" * 200
    assert all(chart.columns(line) <= chart.WIDTH for line in chart.wrap(long_word))


def test_closing_punctuation_goes_down_with_the_character_before_it() -> None:
    lines = chart.wrap("あ" * 40 + "。次")
    assert lines == ["あ" * 39, "  あ。次"]


def test_dates_in_the_chart_text_are_iso_whatever_the_language(golden_intake: Intake) -> None:
    for language in ("ja", "en"):
        text = chart.chart_text(golden_intake, language=language)
        assert "2026-11-10" in text  # the retinoid's start
        assert datetime.date(2026, 11, 10).strftime("%B") not in text
