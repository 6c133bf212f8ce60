"""The record (intake/models/): choices from the data dictionary, labelled in either language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import translation

from intake import answers
from intake.bilingual import Text
from intake.models import AnswerChoices, ConsentDocument, Intake, IntakeFlag, LabelChoices
from intake.models.content import retention_period

pytestmark = pytest.mark.django_db


@pytest.fixture
def intake(make_intake: Callable[..., Intake]) -> Intake:
    return make_intake(
        sex="male",
        skin_type="combination",
        phototype="VI",
        acne_lesion_count="6_20",
        isotretinoin="current",
        botulinum_before=True,
        botulinum_last_date=None,
        botulinum_product="botox_vista",
        pregnancy="not_applicable",
        keloid_history=True,
    )


def test_answer_codes_show_their_japanese_labels(intake: Intake) -> None:
    with translation.override("ja"):
        assert intake.get_sex_display() == "男性"
        assert intake.get_skin_type_display() == "混合肌"
        assert intake.get_phototype_display() == "赤くならない（もともと色が濃い肌）"
        assert intake.get_acne_lesion_count_display() == "6〜20個（中等症）"
        assert intake.get_isotretinoin_display() == "現在飲んでいる"
        assert intake.get_botulinum_product_display() == "ボトックスビスタ"
        assert intake.get_pregnancy_display() == "該当しない（男性・閉経後など）"


def test_answer_codes_show_their_english_labels(intake: Intake) -> None:
    with translation.override("en"):
        assert intake.get_sex_display() == "Male"
        assert intake.get_skin_type_display() == "Combination"
        assert intake.get_phototype_display() == "Never burns, deeply pigmented"
        assert intake.get_acne_lesion_count_display() == "6–20 (moderate)"
        assert intake.get_botulinum_product_display() == "Botox Vista"


def test_verdict_suitability_and_status_show_labels_in_both_languages(intake: Intake) -> None:
    assert intake.verdict == "needs_review"
    with translation.override("ja"):
        assert intake.get_verdict_display() == "要医師確認"
        assert intake.get_suitability_display() == answers.SUITABILITY_LABELS[intake.suitability].ja
        assert intake.get_status_display() == "新規"
    with translation.override("en"):
        assert intake.get_verdict_display() == "Needs review"
        assert intake.get_suitability_display() == answers.SUITABILITY_LABELS[intake.suitability].en
        assert intake.get_status_display() == "New"


def test_a_flag_shows_its_severity_and_texts_in_the_active_language(intake: Intake) -> None:
    flag: IntakeFlag = intake.flags.get(code="KELOID")
    with translation.override("ja"):
        assert flag.get_severity_display() == "要確認"
        assert flag.title == flag.title_ja
        assert flag.clinician_note == flag.clinician_note_ja
    with translation.override("en"):
        assert flag.get_severity_display() == "Review"
        assert flag.title == flag.title_en
        assert flag.patient_note == ""


def test_model_choices_are_the_data_dictionarys_codes() -> None:
    for key in ("sex", "skin_type", "phototype", "acne_lesion_count", "isotretinoin"):
        field = Intake._meta.get_field(key)
        assert [code for code, _label in field.choices] == [
            choice.code for choice in answers.QUESTIONS[key].choices
        ]
    verdict = Intake._meta.get_field("verdict")
    assert [code for code, _label in verdict.choices] == list(answers.VERDICT_LABELS)


def test_choices_deconstruct_by_key_so_migrations_do_not_copy_labels() -> None:
    assert AnswerChoices("sex") == AnswerChoices("sex")
    assert AnswerChoices("sex") != AnswerChoices("skin_type")
    path, args, kwargs = AnswerChoices("sex").deconstruct()
    assert path == "intake.models.AnswerChoices"
    assert args == ("sex",)
    assert LabelChoices("VERDICT_LABELS").deconstruct()[1] == ("VERDICT_LABELS",)


def test_an_intake_reads_as_its_reference(intake: Intake) -> None:
    assert str(intake) == intake.reference
    assert intake.status in Intake.OPEN_STATUSES


# Consent versions: the retention period in words, from the setting ------------------------------
@pytest.mark.parametrize(
    ("days", "ja", "en"),
    [(365 * 5, "5年間", "5 years"), (365, "1年間", "1 year"), (35, "35日間", "35 days")],
)
def test_a_retention_period_reads_in_years_where_it_is_whole_years(
    days: int, ja: str, en: str
) -> None:
    assert retention_period(days) == Text(ja, en)


def test_a_consent_states_the_retention_the_clinic_has_set(settings: Any) -> None:
    document = ConsentDocument(
        retention_ja="回答は{period}保存します。", retention_en="Kept {period}."
    )
    settings.INTAKE_RETENTION_DAYS = 35
    with translation.override("ja"):
        assert document.retention_text == "回答は35日間保存します。"
    with translation.override("en"):
        assert document.retention_text == "Kept 35 days."


def test_the_acne_count_field_shows_staff_the_grade_patients_never_read() -> None:
    question = answers.QUESTIONS["acne_lesion_count"]
    assert question.choice_label("21_50", "ja") == "21〜50個"
    assert question.choice_label("21_50", "ja", staff=True) == "21〜50個（重症）"
    with translation.override("en"):
        assert dict(AnswerChoices("acne_lesion_count")())["21_50"] == "21–50 (severe)"


@pytest.mark.django_db
def test_reading_what_belongs_to_intakes_does_not_join_the_intakes(intake: Intake) -> None:
    """A prefetch of flags, decisions, re-screenings or treatments sorts by the foreign key's
    column, not by Intake's (or Patient's) own ordering, which would join that table to it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from intake.models import Decision, Rescreening, Treatment

    with CaptureQueriesContext(connection) as captured:
        list(Intake.objects.filter(pk=intake.pk).prefetch_related("flags"))
        list(Decision.objects.filter(intake=intake))
        list(Rescreening.objects.filter(intake=intake))
        list(Treatment.objects.filter(patient_id=0))
    for query in captured.captured_queries[1:]:
        assert "JOIN" not in query["sql"], query["sql"]
