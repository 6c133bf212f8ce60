"""intake.selectors: reads every room shares (the consent text in force, flag texts to keep)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from intake import answers, screening, selectors
from intake.models import ConsentDocument, FlagText, Intake
from intake.patients import services as patient_services
from tests.conftest import LATEST_ANSWERS

pytestmark = pytest.mark.django_db


def test_the_current_consent_text_is_the_latest_published_one_in_effect(
    today: datetime.date,
) -> None:
    first = selectors.current_consent_document(today=today)

    def consent(version: str, effective: datetime.date, published: bool) -> ConsentDocument:
        return ConsentDocument.objects.create(
            version=version,
            title_ja="個人情報",
            title_en="Privacy",
            body_ja="本文",
            body_en="Body",
            effective_date=effective,
            published=published,
        )

    consent("draft", today - datetime.timedelta(days=1), published=False)
    consent("future", today + datetime.timedelta(days=1), published=True)
    assert selectors.current_consent_document(today=today) == first
    newer = consent("newer", today, published=True)
    assert selectors.current_consent_document(today=today) == newer


# flag_texts: staff's texts where they wrote some, else the flag's own -------------------------
def flags_raised(answers: dict[str, Any], today: Any) -> dict[str, screening.Flag]:
    return {flag.code: flag for flag in screening.screen(answers, today=today).flags}


def test_a_blank_field_is_the_flags_own_text_language_by_language(
    valid_answers: dict[str, Any], today: Any
) -> None:
    FlagText.objects.filter(code="KELOID").update(title_en="Keloid (clinic wording)")
    flag = flags_raised({**valid_answers, "keloid_history": True}, today)["KELOID"]

    (texts,) = selectors.flag_texts([flag])

    assert texts["title_en"] == "Keloid (clinic wording)"
    assert texts["title_ja"] == flag.title.ja
    assert (texts["clinician_note_ja"], texts["clinician_note_en"]) == (
        flag.clinician_note.ja,
        flag.clinician_note.en,
    )


def test_a_staff_text_of_only_spaces_counts_as_blank(
    valid_answers: dict[str, Any], today: Any
) -> None:
    FlagText.objects.filter(code="OFF_LABEL").update(title_en="  \n", patient_note_en=" ")
    flag = flags_raised(valid_answers, today)["OFF_LABEL"]

    (texts,) = selectors.flag_texts([flag])

    assert texts["title_en"] == flag.title.en
    assert texts["patient_note_en"] == flag.patient_note.en


def test_a_flag_without_a_row_gets_its_own_texts(valid_answers: dict[str, Any], today: Any) -> None:
    FlagText.objects.filter(code="OFF_LABEL").delete()
    flag = flags_raised(valid_answers, today)["OFF_LABEL"]

    (texts,) = selectors.flag_texts([flag])

    assert (texts["title_ja"], texts["patient_note_en"]) == (flag.title.ja, flag.patient_note.en)


def test_a_note_that_varies_with_an_answer_keeps_its_variants_until_staff_edit_it(
    make_intake: Callable[..., Intake],
) -> None:
    man = make_intake(sex="male", planning_pregnancy=True)
    note_for_men = man.flags.get(code="PLANNING_PREGNANCY").patient_note_en
    FlagText.objects.filter(code="PLANNING_PREGNANCY").update(patient_note_en="Edited for all.")
    woman = make_intake(sex="female", planning_pregnancy=True)

    assert note_for_men.startswith("For 3 months after the treatment")
    assert woman.flags.get(code="PLANNING_PREGNANCY").patient_note_en == "Edited for all."


def test_a_rule_without_a_patient_note_shows_patients_nothing_whatever_is_stored(
    make_intake: Callable[..., Intake],
) -> None:
    FlagText.objects.filter(code="BONT_ALLERGY").update(patient_note_en="Should never show")

    intake = make_intake(allergies=["botulinum_toxin"])

    assert intake.flags.get(code="BONT_ALLERGY").patient_note_en == ""


# answer_display: the patient's labels, unless a staff page asks for the staff's ---------------
def test_an_answer_reads_with_the_patients_label_unless_staff_read_it() -> None:
    count = answers.QUESTIONS["acne_lesion_count"]
    medicines = answers.QUESTIONS["medications"]

    assert selectors.answer_display(count, "51_plus", language="ja") == "51個以上"
    assert selectors.answer_display(count, "51_plus", language="ja", staff=True) == (
        "51個以上（最重症）"
    )
    assert selectors.answer_display(medicines, ["aminoglycoside"], language="en", staff=True) == (
        "Aminoglycoside antibiotics"
    )
    patient = selectors.answer_display(medicines, ["aminoglycoside"], language="ja")
    assert patient == "注射・点滴の抗生物質（ゲンタマイシンなど）"


def test_the_answer_sections_a_patient_checks_carry_no_grade(valid_answers: dict) -> None:
    given = {**valid_answers, "acne_lesion_count": "6_20"}

    patient = selectors.answer_sections(given, language="en")
    staff = selectors.answer_sections(given, language="en", staff=True)

    def count(sections: list[selectors.AnswerSection]) -> str:
        return next(row.value for s in sections for row in s.rows if row.key == "acne_lesion_count")

    assert (count(patient), count(staff)) == ("6–20", "6–20 (moderate)")


# A repeat intake (spec §5) ------------------------------------------------------------------------
def test_a_repeat_intake_carries_over_the_latest_intakes_answers_that_rarely_change(
    returning_patient: Any,
) -> None:
    carried = selectors.repeat_answers(patient_id=returning_patient.pk)

    assert carried == {key: LATEST_ANSWERS[key] for key in answers.REPEAT_KEYS}
    assert set(answers.REPEAT_KEYS) <= set(answers.QUESTIONS)


def test_an_answer_left_empty_or_not_asked_carries_nothing_over(
    submit_on: Callable[..., Intake], patient: Any, receptionist: Any
) -> None:
    intake = submit_on(30, phototype="", email="", botulinum_before=False, allergies=[])
    patient_services.intake_link(intake=intake, patient=patient, by=receptionist)

    carried = selectors.repeat_answers(patient_id=patient.pk)

    assert {"phototype", "email", "botulinum_product", "allergies"}.isdisjoint(carried)
    assert carried["keloid_history"] is False  # "no" is an answer
    assert selectors.repeat_answers(patient_id=patient.pk + 1) == {}


@pytest.mark.parametrize(
    ("key", "carried", "now", "mark"),
    [
        ("skin_type", "dry", "dry", selectors.CARRIED_KEPT),
        ("skin_type", "dry", "oily", selectors.CARRIED_CHANGED),
        ("allergies", ["lidocaine", "other"], ["other", "lidocaine"], selectors.CARRIED_KEPT),
        ("allergies", ["lidocaine"], [], selectors.CARRIED_CHANGED),
        ("keloid_history", False, False, selectors.CARRIED_KEPT),
        ("keloid_history", False, True, selectors.CARRIED_CHANGED),
        ("allergy_details", "キウイ", "", selectors.CARRIED_CHANGED),
    ],
)
def test_a_review_row_says_whether_the_carried_answer_was_kept(
    key: str, carried: Any, now: Any, mark: str
) -> None:
    question = answers.QUESTIONS[key]

    assert selectors.carried_mark(question, now, {key: carried}) == mark
    assert selectors.carried_mark(question, now, {}) == ""
