"""One intake as a doctor sees it: answers, flags and what set them off, the notes the patient
saw, key dates, the access record, re-screening differences, and the one-page print view."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone, translation

from intake import answers, audit, screening, selectors
from intake.models import AccessRecord, ClinicProfile, Decision, Intake, Rescreening
from intake.review import selectors as review_selectors
from intake.review import services as review_services


def intake_url(intake: Intake, language: str = "en") -> str:
    with translation.override(language):
        return reverse("review:intake", kwargs={"reference": intake.reference})


def print_url(intake: Intake, language: str = "en") -> str:
    with translation.override(language):
        return reverse("review:print", kwargs={"reference": intake.reference})


@pytest.fixture
def visit(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=10)


@pytest.fixture
def retinoid_user(make_intake: Callable[..., Intake], visit: datetime.date) -> Intake:
    """Tretinoin started 20 days before the visit, irritated skin, toxin 40 days before, an
    event 5 days after the visit: review and caution flags, and dates in every direction."""
    return make_intake(
        visit_date=visit,
        topical_retinoids=["tretinoin"],
        topical_retinoid_started=visit - datetime.timedelta(days=20),
        retinoid_irritation=["redness", "peeling"],
        botulinum_before=True,
        botulinum_last_date=visit - datetime.timedelta(days=40),
        botulinum_product="botox_vista",
        upcoming_event_date=visit + datetime.timedelta(days=5),
    )


# Answers, flags, notes ---------------------------------------------------------------------------
def test_the_page_shows_every_answer_by_section_with_labels(
    doctor_client: Client, retinoid_user: Intake
) -> None:
    response = doctor_client.get(intake_url(retinoid_user))
    assert response.status_code == 200
    sections = response.context["sections"]
    assert [section.step for section in sections] == [step.name for step in answers.STEPS]
    page = response.content.decode()
    for label in ("About you", "Retinoids", "Retinoids you use on your skin now", "Tretinoin"):
        assert label in page
    assert "Redness, Peeling" in page


def test_each_flag_shows_severity_title_clinician_note_source_and_what_set_it_off(
    doctor_client: Client, retinoid_user: Intake
) -> None:
    response = doctor_client.get(intake_url(retinoid_user))
    flags = {flag.code: flag for flag in response.context["flags"]}
    assert list(flags) == [
        "RECENT_TOXIN",
        "RETINOID_IRRITATION",
        "TOPICAL_RETINOID",
        "RETINOID_RECENT_START",
        "UPCOMING_EVENT",
        "OFF_LABEL",
    ]
    irritation = flags["RETINOID_IRRITATION"]
    rule = screening.RULES_BY_CODE["RETINOID_IRRITATION"]
    assert irritation.severity_label == "Review"
    assert irritation.title == rule.title.en
    assert irritation.clinician_note == rule.clinician_note.en
    assert irritation.source == rule.source
    assert [(row.label, row.value) for row in irritation.triggers] == [
        ("Retinoids you use on your skin now", "Tretinoin"),
        ("What the retinoid causes now", "Redness, Peeling"),
    ]
    page = response.content.decode()
    assert rule.clinician_note.en.replace("'", "&#x27;") in page
    assert f"Source: {rule.source}" in page


def test_the_notes_the_patient_was_shown_are_listed(
    doctor_client: Client, retinoid_user: Intake
) -> None:
    response = doctor_client.get(intake_url(retinoid_user))
    notes = response.context["patient_notes"]
    assert screening.RULES_BY_CODE["RETINOID_IRRITATION"].patient_note.en in notes
    assert screening.RULES_BY_CODE["OFF_LABEL"].patient_note.en in notes


def test_the_ruleset_and_the_reference_date_are_shown(
    doctor_client: Client, retinoid_user: Intake, visit: datetime.date
) -> None:
    page = doctor_client.get(intake_url(retinoid_user)).content.decode()
    assert retinoid_user.ruleset_version in page
    assert retinoid_user.reference_date == visit
    with translation.override("en"):
        assert formats.date_format(visit, "DATE_FORMAT") in page
    assert "the visit date" in page


def test_without_a_visit_date_the_reference_date_is_the_submission_day(
    doctor_client: Client, make_intake: Callable[..., Intake], today: datetime.date
) -> None:
    intake = make_intake(visit_date=None)
    page = doctor_client.get(intake_url(intake)).content.decode()
    assert intake.reference_date == today
    assert "the submission date: no visit booked" in page
    assert "Before the submission (no visit booked)" in page


# Key dates ---------------------------------------------------------------------------------------
def test_the_dates_panel_counts_days_before_the_visit(
    doctor_client: Client, retinoid_user: Intake
) -> None:
    response = doctor_client.get(intake_url(retinoid_user))
    dates = {item.key: item for item in response.context["key_dates"]}
    assert list(dates) == [
        "botulinum_last_date",
        "topical_retinoid_started",
        "isotretinoin_last_dose",
        "last_resurfacing_date",
        "upcoming_event_date",
    ]
    assert dates["botulinum_last_date"].days_before == 40
    assert dates["topical_retinoid_started"].days_before == 20
    assert dates["isotretinoin_last_dose"].date is None
    assert dates["upcoming_event_date"].days_after == 5
    page = response.content.decode()
    assert "40 days before" in page
    assert "20 days before" in page
    assert "5 days after" in page
    assert "Not given" in page


def test_a_date_on_the_visit_day_says_same_day(
    doctor_client: Client, make_intake: Callable[..., Intake], visit: datetime.date
) -> None:
    intake = make_intake(visit_date=visit, upcoming_event_date=visit)
    assert "Same day" in doctor_client.get(intake_url(intake)).content.decode()


# Status and access record ------------------------------------------------------------------------
def test_the_first_open_by_a_doctor_moves_the_intake_to_in_review(
    doctor_client: Client, make_intake: Callable[..., Intake]
) -> None:
    intake = make_intake()
    assert intake.status == Intake.Status.NEW
    response = doctor_client.get(intake_url(intake))
    assert response.context["intake"].status == Intake.Status.IN_REVIEW
    intake.refresh_from_db()
    assert intake.status == Intake.Status.IN_REVIEW
    doctor_client.get(intake_url(intake))
    intake.refresh_from_db()
    assert intake.status == Intake.Status.IN_REVIEW


def test_opening_a_decided_intake_leaves_it_decided(
    doctor_client: Client, make_intake: Callable[..., Intake]
) -> None:
    intake = make_intake()
    Intake.objects.filter(pk=intake.pk).update(status=Intake.Status.DECIDED)
    doctor_client.get(intake_url(intake))
    intake.refresh_from_db()
    assert intake.status == Intake.Status.DECIDED


def test_every_open_of_the_page_or_the_print_view_is_recorded_and_listed(
    doctor: User, make_intake: Callable[..., Intake]
) -> None:
    intake = make_intake()
    client = Client(REMOTE_ADDR="203.0.113.7")
    client.force_login(doctor)
    client.get(intake_url(intake))
    client.get(print_url(intake))
    response = client.get(intake_url(intake))

    records = list(AccessRecord.objects.filter(intake=intake).order_by("at", "id"))
    assert [record.action for record in records] == ["detail", "print", "detail"]
    assert {record.user for record in records} == {doctor}
    assert {record.ip_address for record in records} == {"203.0.113.7"}
    assert [record.pk for record in response.context["access_records"]] == [
        record.pk for record in reversed(records)
    ]
    page = response.content.decode()
    assert page.count("203.0.113.7") == 3
    assert "Opened the print view" in page


def test_an_access_record_holds_who_what_when_where_and_nothing_medical(
    doctor: User, make_intake: Callable[..., Intake]
) -> None:
    intake = make_intake(pregnancy="pregnant")
    record = audit.access_record(
        user=doctor, action=AccessRecord.Action.DETAIL, intake=intake, ip_address="not an address"
    )
    assert record.ip_address is None
    stored = {field.attname for field in AccessRecord._meta.concrete_fields}
    assert stored == {"id", "intake_id", "user_id", "action", "at", "ip_address"}


# Re-screening ------------------------------------------------------------------------------------
def test_the_page_says_the_rules_changed_since_submission_with_the_difference(
    doctor_client: Client, make_intake: Callable[..., Intake]
) -> None:
    intake = make_intake(keloid_history=True)  # KELOID (review) + OFF_LABEL
    Rescreening.objects.create(
        intake=intake,
        ruleset_version="2027.01-1",
        reference_date=intake.reference_date,
        verdict="not_suitable",
        suitability="good",
        result={
            "ruleset": "2027.01-1",
            "verdict": "not_suitable",
            "suitability": "good",
            "flags": [
                {
                    "code": "KELOID",
                    "severity": "contraindication",
                    "title": {"ja": "ケロイド", "en": "Keloid tendency"},
                },
                {
                    "code": "NEW_RULE",
                    "severity": "contraindication",
                    "title": {"ja": "新しい規則", "en": "A new rule"},
                },
            ],
        },
    )
    response = doctor_client.get(intake_url(intake))
    difference = response.context["rescreening"]
    assert difference.verdict_before == "Needs review"
    assert difference.verdict_after == "Not suitable"
    assert not difference.suitability_changed
    assert [flag.code for flag in difference.flags_added] == ["NEW_RULE"]
    assert [flag.code for flag in difference.flags_removed] == ["OFF_LABEL"]
    assert [
        (flag.code, flag.earlier_severity_label, flag.severity_label)
        for flag in difference.severity_changed
    ] == [("KELOID", "Review", "Contraindication")]
    page = response.content.decode()
    assert "The rules changed since submission" in page
    assert "2027.01-1" in page
    assert "A new rule" in page
    # The original result is shown unchanged.
    assert response.context["intake"].verdict == "needs_review"


def test_no_difference_is_shown_when_the_latest_re_screening_matches_the_original(
    doctor_client: Client, make_intake: Callable[..., Intake]
) -> None:
    intake = make_intake()
    Rescreening.objects.create(
        intake=intake,
        ruleset_version="2027.01-1",
        reference_date=intake.reference_date,
        verdict=intake.verdict,
        suitability=intake.suitability,
        result={"flags": [{"code": "OFF_LABEL", "severity": "info", "title": {}}]},
    )
    response = doctor_client.get(intake_url(intake))
    assert response.context["rescreening"] is None
    assert "The rules changed since submission" not in response.content.decode()


# Print view --------------------------------------------------------------------------------------
@pytest.fixture
def clinic() -> ClinicProfile:
    return ClinicProfile.objects.create(
        name_ja="梅田スキンクリニック",
        name_en="Umeda Skin Clinic",
        address_ja="大阪市北区梅田1-1-1",
        address_en="1-1-1 Umeda, Kita-ku, Osaka",
        phone="06-6375-1111",
    )


def test_the_print_view_is_one_a4_page_with_identity_result_flags_dates_and_decision(
    doctor_client: Client,
    doctor: User,
    retinoid_user: Intake,
    clinic: ClinicProfile,
) -> None:
    review_services.intake_decide(
        intake=retinoid_user,
        doctor=doctor,
        outcome="approved_with_conditions",
        note="Stop tretinoin 5 days before.",
        acknowledged_flags=["RECENT_TOXIN", "RETINOID_IRRITATION"],
        based_on=None,
    )
    response = doctor_client.get(print_url(retinoid_user))
    assert response.status_code == 200
    page = response.content.decode()
    assert "review/print.css" in page
    for expected in (
        retinoid_user.full_name,
        retinoid_user.full_name_kana,
        retinoid_user.reference,
        retinoid_user.phone,
        "Needs review",
        "Good",
        "RETINOID_IRRITATION",
        "40 days before",
        "Approved with conditions",
        "Stop tretinoin 5 days before.",
        "Umeda Skin Clinic",
        "1-1-1 Umeda, Kita-ku, Osaka",
    ):
        assert expected in page, expected


def test_the_print_stylesheet_asks_for_an_a4_page() -> None:
    from django.contrib.staticfiles import finders

    stylesheet = finders.find("review/print.css")
    assert stylesheet is not None
    with open(stylesheet, encoding="utf-8") as handle:
        css = handle.read()
    assert "@page { size: A4; margin: 12mm; }" in css


def test_the_print_view_works_without_a_clinic_profile(
    doctor_client: Client, retinoid_user: Intake
) -> None:
    assert selectors.clinic_profile() is None
    response = doctor_client.get(print_url(retinoid_user))
    assert response.status_code == 200
    assert "No decision yet." in response.content.decode()


def test_the_print_view_is_in_japanese_for_a_japanese_url(
    doctor_client: Client, retinoid_user: Intake, clinic: ClinicProfile
) -> None:
    page = doctor_client.get(print_url(retinoid_user, "ja")).content.decode()
    assert '<html lang="ja">' in page
    assert answers.VERDICT_LABELS["needs_review"].ja in page
    assert screening.RULES_BY_CODE["RETINOID_IRRITATION"].title.ja in page
    assert "40日前" in page
    assert "梅田スキンクリニック" in page
    assert "まだ判断は登録されていません。" in page


# Japanese and query count ------------------------------------------------------------------------
def test_the_intake_page_renders_in_japanese(doctor_client: Client, retinoid_user: Intake) -> None:
    page = doctor_client.get(intake_url(retinoid_user, "ja")).content.decode()
    assert '<html lang="ja">' in page
    rule = screening.RULES_BY_CODE["RETINOID_IRRITATION"]
    for expected in (
        rule.title.ja,
        rule.clinician_note.ja,
        answers.SEVERITY_LABELS["review"].ja,
        "現在使っている塗り薬・化粧品",  # the question's label
        "トレチノイン",  # the answer's
        "重要な日付",
        "40日前",
        "5日後",
        "閲覧記録",
        "以下のフラグをそれぞれ読み、検討しました",
    ):
        assert expected in page, expected


def test_the_intake_page_costs_the_same_queries_however_many_flags_and_decisions(
    doctor_client: Client,
    doctor: User,
    other_doctor: User,
    make_intake: Callable[..., Intake],
    retinoid_user: Intake,
) -> None:
    plain = make_intake()
    doctor_client.get(intake_url(plain))  # the first open also moves the status: not counted
    doctor_client.get(intake_url(retinoid_user))
    for n, who in enumerate([doctor, other_doctor, doctor]):
        latest = review_selectors.latest_decision(
            review_selectors.intake_for_review(reference=retinoid_user.reference)
        )
        review_services.intake_decide(
            intake=retinoid_user,
            doctor=who,
            outcome="deferred",
            note=f"Decision {n}",
            acknowledged_flags=["RECENT_TOXIN", "RETINOID_IRRITATION"],
            based_on=latest.pk if latest else None,
            now=timezone.now() + datetime.timedelta(minutes=n),
        )
    assert Decision.objects.filter(intake=retinoid_user).count() == 3

    def queries(intake: Intake) -> int:
        with CaptureQueriesContext(connection) as context:
            assert doctor_client.get(intake_url(intake)).status_code == 200
        return len(context.captured_queries)

    assert queries(plain) == queries(retinoid_user)
