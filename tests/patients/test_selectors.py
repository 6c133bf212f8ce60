"""intake.patients.selectors: matches, search, the records the screening reads, and what changed
since a returning patient's previous intake."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User

from intake.models import Intake, Patient, Treatment
from intake.patients import selectors, services


def make_patient(**fields: Any) -> Patient:
    person = {
        "full_name": "山田 花子",
        "full_name_kana": "ヤマダ ハナコ",
        "date_of_birth": datetime.date(1995, 4, 10),
        "phone": "06-6375-0000",
    }
    return Patient.objects.create(**{**person, **fields})


# Suggestions -------------------------------------------------------------------------------------
def test_a_match_needs_the_date_of_birth_and_the_kana_or_the_phone(
    submit_on: Callable[..., Intake],
) -> None:
    intake = submit_on(0)  # 山田 花子, ヤマダ ハナコ, 1995-04-10, 06-6375-0000
    same_kana = make_patient(phone="090-0000-0000")
    same_phone = make_patient(full_name_kana="ヤマダ ハナ", phone="(06) 6375 0000")
    kana_without_space = make_patient(full_name_kana="ヤマダハナコ", phone="")
    make_patient(date_of_birth=datetime.date(1995, 4, 11))  # another birthday
    make_patient(full_name_kana="スズキ ハナコ", phone="090-0000-0000")  # birthday alone
    make_patient(full_name="山田 花子", full_name_kana="", phone="")  # name alone

    suggested = selectors.match_suggestions(intake=intake)

    assert {patient.pk for patient in suggested} == {
        same_kana.pk,
        same_phone.pk,
        kana_without_space.pk,
    }


def test_the_patient_already_linked_is_not_suggested(
    submit_on: Callable[..., Intake], receptionist: User
) -> None:
    intake = submit_on(0)
    patient = make_patient()
    services.intake_link(intake=intake, patient=patient, by=receptionist)
    intake.refresh_from_db()
    assert selectors.match_suggestions(intake=intake) == []


def test_an_intake_without_kana_is_matched_on_the_phone_only(
    submit_on: Callable[..., Intake],
) -> None:
    intake = submit_on(0, full_name_kana="")
    make_patient(full_name_kana="", phone="")
    by_phone = make_patient(full_name_kana="")
    assert selectors.match_suggestions(intake=intake) == [by_phone]


# Search ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "query", ["山田", "やまだ", "ヤマダ ハナコ", "ﾔﾏﾀﾞ", "0663750000", "06-6375", "1995-04-10"]
)
def test_patients_are_found_by_name_kana_phone_or_birthday(db: Any, query: str) -> None:
    patient = make_patient()
    make_patient(
        full_name="鈴木 一郎",
        full_name_kana="スズキ イチロウ",
        phone="",
        date_of_birth=datetime.date(1980, 1, 1),
    )
    assert list(selectors.patient_search(query=query)) == [patient]


def test_an_empty_search_lists_every_patient_by_kana(db: Any) -> None:
    second = make_patient(full_name_kana="ワタナベ")
    first = make_patient(full_name_kana="アオキ")
    assert list(selectors.patient_search(query="")) == [first, second]


# The records the screening reads -----------------------------------------------------------------
def test_the_screening_reads_only_current_records(
    patient: Patient,
    doctor: User,
    record_treatment: Callable[..., Treatment],
    today: datetime.date,
) -> None:
    first = record_treatment(patient, today - datetime.timedelta(days=200))
    record_treatment(patient, today - datetime.timedelta(days=120), supersedes=first)
    wrong = record_treatment(patient, today - datetime.timedelta(days=10))
    record_treatment(
        patient, wrong.treated_on, supersedes=wrong, withdrawn=True, note="Wrong patient."
    )

    assert selectors.patient_toxin_dates(patient_id=patient.pk) == (
        today - datetime.timedelta(days=120),
    )
    assert selectors.patient_toxin_dates(patient_id=None) == ()


def test_the_treatment_list_marks_corrected_records(
    patient: Patient, record_treatment: Callable[..., Treatment], today: datetime.date
) -> None:
    first = record_treatment(patient, today - datetime.timedelta(days=30))
    correction = record_treatment(patient, today - datetime.timedelta(days=31), supersedes=first)
    entries = selectors.patient_treatments(patient=patient)
    assert [(entry.treatment, entry.superseded) for entry in entries] == [
        (first, True),
        (correction, False),
    ]


# What changed since the previous intake ----------------------------------------------------------
def test_the_answers_that_differ_from_the_previous_intake(
    submit_on: Callable[..., Intake], patient: Patient, receptionist: User, today: datetime.date
) -> None:
    previous = submit_on(
        100,
        topical_retinoids=["tretinoin"],
        topical_retinoid_started=today - datetime.timedelta(days=130),
    )
    current = submit_on(
        0,
        skin_type="combination",
        concerns=["oiliness", "active_acne"],
        botulinum_before=True,
        botulinum_last_date=today - datetime.timedelta(days=100),
        botulinum_product="botox",
    )
    for intake in (previous, current):
        services.intake_link(intake=intake, patient=patient, by=receptionist)
    current.refresh_from_db()

    earlier = selectors.earlier_intakes(intake=current)
    assert earlier == [previous]
    changes = selectors.answer_changes(intake=current, previous=previous, language="en")

    assert [change.key for change in changes] == [
        "skin_type",
        "concerns",
        "topical_retinoids",
        "topical_retinoid_started",
        "botulinum_before",
        "botulinum_last_date",
        "botulinum_product",
    ]
    by_key = {change.key: change for change in changes}
    assert (by_key["skin_type"].before, by_key["skin_type"].after) == ("Oily", "Combination")
    assert by_key["topical_retinoids"].after == "None"
    assert by_key["topical_retinoid_started"].after == "Not answered"
    assert (by_key["botulinum_before"].before, by_key["botulinum_before"].after) == ("No", "Yes")
    # The visit date always differs and the consents never: neither is listed.
    assert "visit_date" not in by_key


def test_the_changes_are_labelled_in_japanese(
    submit_on: Callable[..., Intake],
) -> None:
    previous, current = submit_on(50), submit_on(0, skin_type="dry")
    changes = selectors.answer_changes(intake=current, previous=previous, language="ja")
    assert [(c.label, c.before, c.after) for c in changes] == [("肌タイプ", "脂性肌", "乾燥肌")]


def test_an_intake_without_patient_has_no_earlier_intakes(
    submit_on: Callable[..., Intake],
) -> None:
    submit_on(50)
    assert selectors.earlier_intakes(intake=submit_on(0)) == []
