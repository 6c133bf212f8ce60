"""intake.screening.conditions: age and intervals measured to the reference date."""

from __future__ import annotations

import datetime as dt

from intake.screening import completed_years, screen
from tests.screening.helpers import (
    TODAY,
    answers,
    codes_for,
    days_after,
    days_before,
    recorded,
    toxin,
)


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


def test_toxin_79_days_before_today_is_recent_for_a_visit_10_days_later():
    assert "RECENT_TOXIN" in codes_for(answers(**toxin(79), visit_date=days_after(10)))


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


# The appointment date the clinic set (an invitation's, or one staff set later) -------------------


def test_the_appointment_date_outranks_the_visit_date_answer():
    intake = answers(visit_date=days_after(5))
    result = screen(intake, today=TODAY, appointment_date=days_after(30))
    assert result.reference_date == days_after(30)


def test_intervals_run_to_the_appointment_date():
    intake = answers(**toxin(80), visit_date=days_after(5))
    assert "RECENT_TOXIN" in codes_for(intake)
    assert "RECENT_TOXIN" in codes_for(intake, appointment_date=days_after(9))
    assert "RECENT_TOXIN" not in codes_for(intake, appointment_date=days_after(10))


def test_age_is_measured_to_the_appointment_date():
    intake = answers(date_of_birth=dt.date(2008, 12, 5))
    assert "UNDER_18" in codes_for(intake, appointment_date=dt.date(2026, 12, 4))
    assert "UNDER_18" not in codes_for(intake, appointment_date=dt.date(2026, 12, 5))


def test_a_record_after_the_screening_date_but_before_the_appointment_counts():
    # A re-screening measures from the day of submission: a treatment recorded since then, before
    # the visit, is history for that visit.
    intake = answers(**recorded(-10))
    assert "RECENT_TOXIN" in codes_for(intake, appointment_date=days_after(20))
    assert "RECORD_MISMATCH" in codes_for(intake, appointment_date=days_after(20))


def test_a_treatment_recorded_on_the_appointment_day_does_not_flag_its_own_intake():
    intake = answers(**recorded(-20))
    assert codes_for(intake, appointment_date=days_after(20)) == ["OFF_LABEL"]
    assert "RECORD_MISMATCH" in codes_for(intake, appointment_date=days_after(21))


def test_records_are_measured_to_the_visit_date_answer():
    intake = answers(**toxin(200), **recorded(80), visit_date=days_after(10))
    assert "RECENT_TOXIN" not in codes_for(intake)
    assert "RECENT_TOXIN" in codes_for(
        answers(**toxin(200), **recorded(79), visit_date=days_after(10))
    )
