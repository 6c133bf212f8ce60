"""intake.review.views: the queue, one intake, its print view, decisions, and who may open what."""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone, translation

from intake import answers, screening, selectors, services
from intake.invitations import services as invitation_services
from intake.models import AccessRecord, ClinicProfile, Decision, Intake, Rescreening
from intake.review import selectors as review_selectors
from intake.review import services as review_services
from intake.review.views import QUEUE_PAGE_SIZE
from tests.helpers import PASSWORD, logged_in
from tests.review.helpers import TO_ACKNOWLEDGE, decide, form_data

# ==================================================================================================
# The queue: order, filters, search, counts per verdict, pages, and a constant number of queries
# whatever the number of intakes.
# ==================================================================================================


# The doctor's queue page, whatever its rows: session, user, the user's two permission lookups,
# the row count, the rows, their flags, the counts per verdict, the invited patients who have not
# finished, and the session's save (three statements: the staff idle-timeout middleware stamps
# the last activity).
DOCTOR_QUEUE_QUERIES = 12
# Reception's: the same without the flags and the counts per verdict.
RECEPTION_QUEUE_QUERIES = 10


def queue_url(language: str = "en", **query: str) -> str:
    with translation.override(language):
        path = reverse("review:queue")
    if not query:
        return path
    return path + "?" + "&".join(f"{key}={value}" for key, value in query.items())


def references(response: Any) -> list[str]:
    return [row.reference for row in response.context["rows"]]


def days(today: datetime.date, n: int) -> datetime.date:
    return today + datetime.timedelta(days=n)


# An intake of each verdict, one override away from the baseline (which is suitable).
NOT_SUITABLE = {"pregnancy": "pregnant"}
NEEDS_REVIEW = {"keloid_history": True}
WITH_CAUTIONS = {"skin_type": "dry"}


# Order -------------------------------------------------------------------------------------------
def test_the_queue_shows_open_intakes_most_urgent_first_then_by_visit_date(
    doctor_client: Client, make_intake: Callable[..., Intake], today: datetime.date
) -> None:
    suitable_soon = make_intake(visit_date=days(today, 1))
    review_late = make_intake(visit_date=days(today, 20), **NEEDS_REVIEW)
    review_soon = make_intake(visit_date=days(today, 3), **NEEDS_REVIEW)
    review_unbooked = make_intake(visit_date=None, **NEEDS_REVIEW)
    not_suitable = make_intake(visit_date=days(today, 30), **NOT_SUITABLE)
    cautions = make_intake(visit_date=days(today, 2), **WITH_CAUTIONS)

    response = doctor_client.get(queue_url())
    assert references(response) == [
        not_suitable.reference,
        review_soon.reference,
        review_late.reference,
        review_unbooked.reference,  # no visit date: after every booked one
        cautions.reference,
        suitable_soon.reference,
    ]


def test_decided_intakes_leave_the_queue_but_can_be_listed(
    doctor_client: Client, make_intake: Callable[..., Intake]
) -> None:
    open_intake = make_intake()
    decided = make_intake()
    Intake.objects.filter(pk=decided.pk).update(status=Intake.Status.DECIDED)

    assert references(doctor_client.get(queue_url())) == [open_intake.reference]
    assert references(doctor_client.get(queue_url(status="decided"))) == [decided.reference]
    assert set(references(doctor_client.get(queue_url(status="all")))) == {
        open_intake.reference,
        decided.reference,
    }


def test_each_row_has_age_visit_date_verdict_suitability_flag_chips_and_status(
    doctor_client: Client, make_intake: Callable[..., Intake], today: datetime.date
) -> None:
    intake = make_intake(
        date_of_birth=datetime.date(today.year - 40, 1, 1),
        visit_date=days(today, 5),
        **NEEDS_REVIEW,
    )
    response = doctor_client.get(queue_url())
    (row,) = response.context["rows"]
    assert row.age == screening.completed_years(intake.date_of_birth, intake.reference_date)
    assert row.verdict == "needs_review"
    assert row.suitability_label == "Good"
    assert [flag.code for flag in row.flags] == ["KELOID", "OFF_LABEL"]
    page = response.content.decode()
    assert (
        '<span class="flag-chip severity-review"><span class="flag-chip-title">Tendency to keloids'
        in page
    )
    assert "Needs review" in page
    assert "New" in page
    assert reverse("review:intake", kwargs={"reference": intake.reference}) in page


# Filters -----------------------------------------------------------------------------------------
@pytest.fixture
def one_of_each(make_intake: Callable[..., Intake], today: datetime.date) -> dict[str, Intake]:
    return {
        "not_suitable": make_intake(visit_date=days(today, 4), **NOT_SUITABLE),
        "needs_review": make_intake(visit_date=days(today, 8), **NEEDS_REVIEW),
        "suitable_with_cautions": make_intake(visit_date=days(today, 12), **WITH_CAUTIONS),
        "suitable": make_intake(
            visit_date=days(today, 16), skin_type="normal", concerns=["fine_lines"]
        ),
    }


@pytest.mark.parametrize("verdict", list(answers.VERDICT_LABELS))
def test_the_verdict_filter_keeps_that_verdict_only(
    doctor_client: Client, one_of_each: dict[str, Intake], verdict: str
) -> None:
    response = doctor_client.get(queue_url(verdict=verdict))
    assert references(response) == [one_of_each[verdict].reference]


def test_the_suitability_filter(doctor_client: Client, one_of_each: dict[str, Intake]) -> None:
    response = doctor_client.get(queue_url(suitability="poor"))
    assert references(response) == [one_of_each["suitable"].reference]


def test_the_flag_filter_lists_each_intake_once(
    doctor_client: Client, make_intake: Callable[..., Intake], one_of_each: dict[str, Intake]
) -> None:
    # An intake with three flags still comes once.
    both = make_intake(keloid_history=True, other_conditions=["glaucoma", "bleeding_disorder"])
    response = doctor_client.get(queue_url(flag="KELOID"))
    assert sorted(references(response)) == sorted(
        [one_of_each["needs_review"].reference, both.reference]
    )
    off_label = doctor_client.get(queue_url(flag="OFF_LABEL"))
    assert len(references(off_label)) == 5


def test_the_visit_date_range_filter(
    doctor_client: Client, one_of_each: dict[str, Intake], today: datetime.date
) -> None:
    response = doctor_client.get(
        queue_url(visit_from=days(today, 5).isoformat(), visit_to=days(today, 12).isoformat())
    )
    assert references(response) == [
        one_of_each["needs_review"].reference,
        one_of_each["suitable_with_cautions"].reference,
    ]


def test_a_reversed_date_range_is_explained_and_the_other_filters_still_apply(
    doctor_client: Client, one_of_each: dict[str, Intake], today: datetime.date
) -> None:
    response = doctor_client.get(
        queue_url(
            verdict="needs_review",
            visit_from=days(today, 12).isoformat(),
            visit_to=days(today, 5).isoformat(),
        )
    )
    assert response.status_code == 200
    assert "The end of the range comes before its start." in response.content.decode()
    assert references(response) == [one_of_each["needs_review"].reference]


def test_a_wrong_filter_is_in_the_error_summary_and_marked_invalid_at_its_field(
    doctor_client: Client, one_of_each: dict[str, Intake], today: datetime.date
) -> None:
    page = doctor_client.get(
        queue_url(visit_from=days(today, 12).isoformat(), visit_to=days(today, 5).isoformat())
    ).content.decode()
    summary = re.search(r'<div class="alert alert-danger error-summary".*?</div>', page, re.S)
    assert summary and '<a href="#id_visit_to" class="alert-link">Visit until</a>' in summary[0]
    field = re.search(r'<input type="date" name="visit_to"[^>]*>', page)
    assert field and 'aria-invalid="true"' in field[0] and "is-invalid" in field[0]
    assert 'aria-describedby="id_visit_to_error"' in field[0]
    assert '<div id="id_visit_to_error" class="invalid-feedback">' in page


def test_the_search_box_is_a_search_field_with_its_help_and_label(
    doctor_client: Client, one_of_each: dict[str, Intake]
) -> None:
    page = doctor_client.get(queue_url(q="abc")).content.decode()
    box = re.search(r'<input [^>]*name="q"[^>]*>', page)
    # One type: crispy's layout used to write the input's type twice (text, then search).
    assert box and re.findall(r"\btype=", box[0]) == ["type="]
    assert 'type="search"' in box[0] and 'value="abc"' in box[0]
    assert 'aria-describedby="id_q_helptext"' in box[0]
    assert '<label for="id_q" class="form-label">Search</label>' in page
    assert '<div id="id_q_helptext" class="form-text">' in page


def test_the_status_filter(
    doctor_client: Client, make_intake: Callable[..., Intake], doctor: Any
) -> None:
    new = make_intake()
    in_review = make_intake()
    Intake.objects.filter(pk=in_review.pk).update(status=Intake.Status.IN_REVIEW)
    assert references(doctor_client.get(queue_url(status="new"))) == [new.reference]
    assert references(doctor_client.get(queue_url(status="in_review"))) == [in_review.reference]


def test_an_unknown_filter_value_is_ignored_not_an_error(
    doctor_client: Client, one_of_each: dict[str, Intake]
) -> None:
    response = doctor_client.get(queue_url(verdict="dangerous", flag="NOPE", visit_from="soon"))
    assert response.status_code == 200
    assert len(references(response)) == 4


# Search ------------------------------------------------------------------------------------------
@pytest.fixture
def hanako_and_ichiro(make_intake: Callable[..., Intake]) -> tuple[Intake, Intake]:
    hanako = make_intake()  # 山田 花子, ヤマダ ハナコ, 06-6375-0000
    ichiro = make_intake(
        full_name="鈴木 一郎", full_name_kana="スズキ イチロウ", phone="090-1234-5678"
    )
    return hanako, ichiro


@pytest.mark.parametrize(
    "query",
    ["山田", "花子", "山田 花子", "山田　花子", "ヤマダ", "やまだ はなこ", "ﾔﾏﾀﾞ", "0663750000"],
)
def test_search_finds_by_name_kana_or_phone_however_typed(
    doctor_client: Client, hanako_and_ichiro: tuple[Intake, Intake], query: str
) -> None:
    hanako, _ichiro = hanako_and_ichiro
    assert references(doctor_client.get(queue_url(q=query))) == [hanako.reference]


def test_search_finds_by_reference_code_as_read_out(
    doctor_client: Client, hanako_and_ichiro: tuple[Intake, Intake]
) -> None:
    _hanako, ichiro = hanako_and_ichiro
    typed = ichiro.reference.lower().replace("-", "").replace("0", "o").replace("1", "l")
    assert references(doctor_client.get(queue_url(q=typed))) == [ichiro.reference]


@pytest.mark.parametrize("query", ["ヤマダハナコ", "やまだはなこ", "山田花子", "ﾔﾏﾀﾞﾊﾅｺ"])
def test_search_finds_a_name_typed_without_its_space(
    doctor_client: Client, hanako_and_ichiro: tuple[Intake, Intake], query: str
) -> None:
    hanako, _ichiro = hanako_and_ichiro
    assert references(doctor_client.get(queue_url(q=query))) == [hanako.reference]


def test_search_finds_a_reference_from_a_part_of_it(
    doctor_client: Client, make_intake: Callable[..., Intake]
) -> None:
    first, second = make_intake(), make_intake()
    Intake.objects.filter(pk=first.pk).update(reference="YE74-K2QH")
    Intake.objects.filter(pk=second.pk).update(reference="ABCD-EFGH")
    for query in ("YE74", "ye74", "4-K2Q", "74K2"):
        assert references(doctor_client.get(queue_url(q=query))) == ["YE74-K2QH"], query


def test_search_by_phone_ignores_its_punctuation(
    doctor_client: Client, hanako_and_ichiro: tuple[Intake, Intake]
) -> None:
    _hanako, ichiro = hanako_and_ichiro
    for query in ("09012345678", "090-1234-5678", "１２３４－５６７８"):
        assert references(doctor_client.get(queue_url(q=query))) == [ichiro.reference], query


def test_reception_searches_by_name_and_phone_too(
    reception_client: Client, hanako_and_ichiro: tuple[Intake, Intake]
) -> None:
    hanako, ichiro = hanako_and_ichiro
    assert references(reception_client.get(queue_url(q="スズキ"))) == [ichiro.reference]
    assert references(reception_client.get(queue_url(q="6375"))) == [hanako.reference]


# Counts and pages --------------------------------------------------------------------------------
def test_counts_per_verdict_follow_the_other_filters_but_not_the_verdict_filter(
    doctor_client: Client, make_intake: Callable[..., Intake], one_of_each: dict[str, Intake]
) -> None:
    make_intake(full_name="鈴木 一郎", full_name_kana="スズキ イチロウ", **NEEDS_REVIEW)
    response = doctor_client.get(queue_url(verdict="suitable"))
    counts = {item["code"]: item["count"] for item in response.context["verdict_counts"]}
    assert counts == {
        "not_suitable": 1,
        "needs_review": 2,
        "suitable_with_cautions": 1,
        "suitable": 1,
    }
    searched = doctor_client.get(queue_url(q="スズキ"))
    counts = {item["code"]: item["count"] for item in searched.context["verdict_counts"]}
    assert counts == {
        "not_suitable": 0,
        "needs_review": 1,
        "suitable_with_cautions": 0,
        "suitable": 0,
    }


def test_the_queue_has_fifty_rows_a_page_and_keeps_the_filters_across_pages(
    doctor_client: Client, make_intake: Callable[..., Intake]
) -> None:
    for _ in range(QUEUE_PAGE_SIZE + 1):
        make_intake(**NEEDS_REVIEW)
    first = doctor_client.get(queue_url(verdict="needs_review"))
    assert len(first.context["rows"]) == QUEUE_PAGE_SIZE == 50
    assert "?verdict=needs_review&amp;page=2" in first.content.decode()
    second = doctor_client.get(queue_url(verdict="needs_review", page="2"))
    assert len(second.context["rows"]) == 1
    assert set(references(first)).isdisjoint(references(second))
    # A page past the end shows the last one rather than an error.
    assert doctor_client.get(queue_url(page="99")).context["page"].number == 2


# A constant number of queries ------------------------------------------------------------------
def make_many(make_intake: Callable[..., Intake], count: int, today: datetime.date) -> None:
    variants = [NOT_SUITABLE, NEEDS_REVIEW, WITH_CAUTIONS, {}, {"other_conditions": ["glaucoma"]}]
    for n in range(count):
        make_intake(visit_date=days(today, 1 + n % 30), **variants[n % len(variants)])


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_queue_costs_the_same_queries_for_5_and_for_200_intakes(
    doctor_client: Client,
    reception_client: Client,
    make_intake: Callable[..., Intake],
    today: datetime.date,
    django_assert_max_num_queries: Any,
) -> None:
    filtered = queue_url(q="山田", flag="KELOID", visit_from=today.isoformat())
    make_many(make_intake, 5, today)
    with django_assert_max_num_queries(DOCTOR_QUEUE_QUERIES):
        doctor_client.get(queue_url())
    with django_assert_max_num_queries(RECEPTION_QUEUE_QUERIES):
        reception_client.get(queue_url())
    at_five = [
        count_queries(doctor_client, queue_url()),
        count_queries(doctor_client, filtered),
        count_queries(reception_client, queue_url()),
    ]

    make_many(make_intake, 195, today)
    assert Intake.objects.count() == 200
    with django_assert_max_num_queries(DOCTOR_QUEUE_QUERIES):
        response = doctor_client.get(queue_url())
    assert len(response.context["rows"]) == QUEUE_PAGE_SIZE
    with django_assert_max_num_queries(RECEPTION_QUEUE_QUERIES):
        reception_client.get(queue_url())
    at_two_hundred = [
        count_queries(doctor_client, queue_url()),
        count_queries(doctor_client, filtered),
        count_queries(reception_client, queue_url()),
    ]
    assert at_five == at_two_hundred


# Japanese --------------------------------------------------------------------------------------
def test_the_queue_renders_in_japanese(
    doctor_client: Client, make_intake: Callable[..., Intake]
) -> None:
    make_intake(**NEEDS_REVIEW)
    page = doctor_client.get(queue_url("ja")).content.decode()
    assert '<html lang="ja">' in page
    assert "問診一覧" in page
    assert answers.VERDICT_LABELS["needs_review"].ja in page
    assert answers.SUITABILITY_LABELS["good"].ja in page
    assert "新規" in page
    assert "すべての判定" in page  # the verdict filter's first choice


def test_the_queue_lists_invited_patients_who_have_not_finished(
    reception_client: Client, make_intake: Callable[..., Intake], today: datetime.date
) -> None:
    waiting = invitation_services.invitation_create(
        full_name="佐藤 次郎", phone="06-1111-2222", visit_date=today, language="ja"
    )
    finished = invitation_services.invitation_create(
        full_name="鈴木 三郎", phone="06-3333-4444", visit_date=today, language="ja"
    )
    services.intake_submit(
        answers_given={**answers.example_answers(today), "full_name": "鈴木 三郎"},
        language="ja",
        consent_document=selectors.current_consent_document(),
        submission_token=uuid.uuid4(),
        invitation=finished,
    )

    response = reception_client.get(queue_url())

    assert list(response.context["pending_invitations"]) == [waiting]
    assert "佐藤 次郎" in response.text


# ==================================================================================================
# One intake as a doctor sees it: answers, flags and what set them off, the notes the patient saw,
# key dates, the access record, re-screening differences, and the one-page print view.
# ==================================================================================================


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
    for label in (
        "Your details",
        "Retinoids (vitamin A)",
        answers.QUESTIONS["topical_retinoids"].label.en,
        "Tretinoin (cream or gel)",
    ):
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
        (answers.QUESTIONS["topical_retinoids"].label.en, "Tretinoin (cream or gel)"),
        (answers.QUESTIONS["retinoid_irritation"].label.en, "Redness, Peeling"),
    ]
    page = response.content.decode()
    assert rule.clinician_note.en.replace("'", "&#x27;") in page
    assert "Seed document 2 (the article" in page  # the source in words: test_readability.py


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


# Re-screening ------------------------------------------------------------------------------------
def make_current(intake: Intake) -> None:
    """Make the intake's latest re-screening its current result, as intake_rescreen does."""
    latest = intake.rescreenings.order_by("-created_at", "-pk").first()
    Intake.objects.filter(pk=intake.pk).update(
        current_rescreening=latest,
        current_verdict=latest.verdict,
        current_verdict_rank=screening.verdict_rank(latest.verdict),
        current_suitability=latest.suitability,
    )


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
    make_current(intake)
    response = doctor_client.get(intake_url(intake))
    difference = response.context["rescreening"]
    assert difference.verdict_before == "Needs review"
    assert difference.verdict_after == "Contraindicated (no treatment this time)"
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
    make_current(intake)
    response = doctor_client.get(intake_url(intake))
    assert response.context["rescreening"] is None
    assert "The rules changed since submission" not in response.content.decode()


# Print view --------------------------------------------------------------------------------------
def test_the_print_view_is_the_summary_with_identity_result_flags_answers_dates_and_decision(
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
        "06-6375-0000",
        # The answers, compact (issue 12), and room to sign.
        "Topical retinoids",
        "Tretinoin",
        "Doctor's signature",
    ):
        assert expected in page, expected
    # The patient's handout prints on its own: not in the doctor's summary.
    assert "About micro-Botox" not in page


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
        "現在使っているレチノイド（ビタミンA系）の塗り薬・化粧品",  # the question's label
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


# ==================================================================================================
# Decisions: acknowledging every contraindication and review flag, the history, and a decision
# made meanwhile by someone else.
# ==================================================================================================


def decide_url(intake: Intake, language: str = "en") -> str:
    with translation.override(language):
        return reverse("review:decide", kwargs={"reference": intake.reference})


# The form ---------------------------------------------------------------------------------------
def test_the_form_asks_to_acknowledge_each_contraindication_and_review_flag_only(
    doctor_client: Client, intake: Intake
) -> None:
    response = doctor_client.get(intake_url(intake))
    form = response.context["form"]
    assert [name for name in form.fields if name.startswith("ack_")] == [
        "ack_PREGNANCY_BREASTFEEDING",
        "ack_KELOID",
    ]
    page = response.content.decode()
    assert 'name="ack_PREGNANCY_BREASTFEEDING"' in page
    assert 'name="ack_DRY_SKIN"' not in page
    assert 'name="based_on"' in page


def test_a_decision_is_recorded_with_the_doctor_the_time_and_the_acknowledged_flags(
    doctor_client: Client, doctor: User, intake: Intake
) -> None:
    before = timezone.now()
    response = doctor_client.post(decide_url(intake), form_data(), follow=True)
    assert response.redirect_chain == [(intake_url(intake) + "#decisions", 302)]
    decision = Decision.objects.get(intake=intake)
    assert decision.doctor == doctor
    assert decision.outcome == "deferred"
    assert decision.note == "Rebook after breastfeeding ends."
    assert decision.acknowledged_flags == TO_ACKNOWLEDGE
    assert decision.decided_at >= before
    assert decision.supersedes is None
    intake.refresh_from_db()
    assert intake.status == Intake.Status.DECIDED
    page = response.content.decode()
    assert "The decision has been recorded." in page
    assert "Rebook after breastfeeding ends." in page


def test_without_every_acknowledgement_nothing_is_saved_and_the_missing_ones_are_named(
    doctor_client: Client, intake: Intake
) -> None:
    response = doctor_client.post(
        decide_url(intake),
        form_data(note="Typed with care.", acknowledge=["PREGNANCY_BREASTFEEDING"]),
    )
    assert response.status_code == 400
    assert not Decision.objects.exists()
    page = response.content.decode()
    assert "Not acknowledged yet: KELOID (Tendency to keloids or hypertrophic scars)." in page
    assert "PREGNANCY_BREASTFEEDING (" not in page.split("Not acknowledged yet:")[1][:200]
    # Everything typed is kept.
    assert "Typed with care.</textarea>" in page
    assert re.search(r'<input [^>]*value="deferred"[^>]* checked>', page)
    form = response.context["form"]
    assert form["ack_PREGNANCY_BREASTFEEDING"].value() is True
    assert form["ack_KELOID"].errors == ["Not acknowledged yet."]


@pytest.mark.parametrize("outcome", ["approved_with_conditions", "deferred", "declined"])
def test_a_note_is_required_unless_approved(
    doctor_client: Client, intake: Intake, outcome: str
) -> None:
    response = doctor_client.post(decide_url(intake), form_data(outcome=outcome, note="   "))
    assert response.status_code == 400
    assert not Decision.objects.exists()
    label = dict(Decision.Outcome.choices)[outcome]
    assert f"Write a note: it is required for the outcome “{label}”." in (response.content.decode())


def test_approving_needs_no_note(doctor_client: Client, intake: Intake) -> None:
    doctor_client.post(decide_url(intake), form_data(outcome="approved", note=""))
    assert Decision.objects.get(intake=intake).outcome == "approved"


def test_an_intake_with_nothing_to_acknowledge_can_be_approved_straight_away(
    doctor_client: Client, make_intake: Callable[..., Intake]
) -> None:
    suitable = make_intake()
    response = doctor_client.post(decide_url(suitable), form_data(outcome="approved", note=""))
    assert response.status_code == 302
    decision = Decision.objects.get(intake=suitable)
    assert decision.acknowledged_flags == []


def test_errors_are_in_japanese_on_a_japanese_page(doctor_client: Client, intake: Intake) -> None:
    response = doctor_client.post(
        decide_url(intake, "ja"), form_data(outcome="declined", note="", acknowledge=[])
    )
    page = response.content.decode()
    assert "判断の前に、禁忌と要確認のフラグをすべて確認してください。" in page
    assert (
        "未確認：PREGNANCY_BREASTFEEDING（妊娠中・妊娠の可能性あり・授乳中）、"
        "KELOID（ケロイド・肥厚性瘢痕になりやすい）"
    ) in page
    assert "「施術不可」の場合はメモが必要です。" in page


# History -----------------------------------------------------------------------------------------
def test_a_later_decision_supersedes_the_earlier_which_stays_in_the_history(
    doctor_client: Client, doctor: User, intake: Intake
) -> None:
    doctor_client.post(decide_url(intake), form_data(note="First look: wait."))
    first = Decision.objects.get()
    response = doctor_client.post(
        decide_url(intake),
        form_data(outcome="declined", note="Declined after the call.", based_on=first.pk),
        follow=True,
    )
    second = Decision.objects.exclude(pk=first.pk).get()
    assert second.supersedes == first
    history = response.context["history"]
    assert [(entry.decision, entry.superseded) for entry in history] == [
        (second, False),
        (first, True),
    ]
    page = response.content.decode()
    assert page.index("Declined after the call.") < page.index("First look: wait.")
    assert "Superseded" in page
    assert response.context["form"]["based_on"].value() == second.pk


# Someone else decided meanwhile ------------------------------------------------------------------
def test_a_decision_made_meanwhile_is_shown_and_nothing_is_overwritten(
    doctor_client: Client, other_doctor: User, intake: Intake
) -> None:
    doctor_client.get(intake_url(intake))  # the form says: no decision seen
    theirs = decide(intake, other_doctor, outcome="declined", note="Called her: declined.")

    response = doctor_client.post(
        decide_url(intake), form_data(outcome="deferred", note="My careful note.", based_on=None)
    )
    assert response.status_code == 409
    assert list(Decision.objects.all()) == [theirs]
    assert response.context["conflict"] == theirs
    page = response.content.decode()
    assert "Another decision was recorded while you were deciding." in page
    assert "Called her: declined." in page
    assert "Suzuki" in page
    assert "My careful note.</textarea>" in page
    form = response.context["form"]
    assert form["ack_KELOID"].value() is True
    # Submitting again is now a deliberate choice to supersede theirs.
    assert form["based_on"].value() == str(theirs.pk)


def test_submitting_again_after_a_conflict_supersedes_the_other_decision(
    doctor_client: Client, other_doctor: User, intake: Intake
) -> None:
    theirs = decide(intake, other_doctor, outcome="declined", note="Theirs.")
    conflict = doctor_client.post(decide_url(intake), form_data(note="Mine.", based_on=None))
    assert conflict.status_code == 409
    again = dict(conflict.context["form"].data.items())
    response = doctor_client.post(decide_url(intake), again)
    assert response.status_code == 302
    mine = Decision.objects.exclude(pk=theirs.pk).get()
    assert mine.supersedes == theirs
    assert mine.note == "Mine."


def test_the_conflict_message_is_in_japanese_on_a_japanese_page(
    doctor_client: Client, other_doctor: User, intake: Intake
) -> None:
    decide(intake, other_doctor, outcome="declined", note="Theirs.")
    response = doctor_client.post(decide_url(intake, "ja"), form_data(based_on=None))
    assert "入力中に、別の判断が登録されました。" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Another decision was being saved at the same moment."),
        ("ja", "同時に別の判断が保存されていました。"),
    ],
)
def test_a_conflict_with_a_decision_still_being_saved_says_so_and_keeps_the_entries(
    doctor_client: Client,
    intake: Intake,
    monkeypatch: pytest.MonkeyPatch,
    language: str,
    message: str,
) -> None:
    """SQLite's write lock outlasted the wait: the other decision can't be shown yet."""

    def locked(**kwargs: Any) -> Decision:
        raise review_services.DecisionConflict(None)

    monkeypatch.setattr(review_services, "intake_decide", locked)
    response = doctor_client.post(
        decide_url(intake, language), form_data(outcome="deferred", note="Mine, kept.")
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert message in page
    assert "Mine, kept.</textarea>" in page
    assert not Decision.objects.exists()


def test_switching_language_after_a_refused_decision_leads_to_the_intake_page(
    doctor_client: Client, intake: Intake
) -> None:
    response = doctor_client.post(decide_url(intake), form_data(acknowledge=[]))
    page = response.content.decode()
    assert f'name="next" value="{intake_url(intake, "ja")}"' in page
    switched = doctor_client.post(
        reverse("set_language"), {"language": "ja", "next": intake_url(intake, "ja")}
    )
    assert switched.url == intake_url(intake, "ja")


# A refused decision shows the whole intake again: that reading is recorded like any other ------
def test_a_decision_refused_for_bad_input_records_the_reading_and_lists_it(
    doctor: User, intake: Intake
) -> None:
    client = Client(REMOTE_ADDR="203.0.113.9")
    client.force_login(doctor)

    response = client.post(decide_url(intake), form_data(acknowledge=[]))

    assert response.status_code == 400
    record = AccessRecord.objects.get(intake=intake)
    assert (record.user, record.action, record.ip_address) == (
        doctor,
        AccessRecord.Action.DECISION_REFUSED,
        "203.0.113.9",
    )
    assert [r.pk for r in response.context["access_records"]] == [record.pk]
    assert "Shown again, decision not saved" in response.content.decode()


def test_a_decision_refused_for_a_conflict_records_the_reading(
    doctor_client: Client, doctor: User, other_doctor: User, intake: Intake
) -> None:
    decide(intake, other_doctor, outcome="declined", note="Theirs.")

    response = doctor_client.post(decide_url(intake), form_data(based_on=None))

    assert response.status_code == 409
    assert list(AccessRecord.objects.values_list("intake", "user", "action")) == [
        (intake.pk, doctor.pk, "decision_refused")
    ]


def test_a_recorded_decision_leaves_no_record_of_its_own_only_the_page_it_returns_to(
    doctor_client: Client, intake: Intake
) -> None:
    doctor_client.post(decide_url(intake), form_data())

    assert not AccessRecord.objects.exists()  # the redirect shows nothing; its GET records


def test_a_refused_decision_reads_in_the_history_in_japanese(
    doctor_client: Client, intake: Intake
) -> None:
    response = doctor_client.post(decide_url(intake, "ja"), form_data(acknowledge=[]))

    assert "再表示（判断は未登録）" in response.content.decode()


# ==================================================================================================
# Who may open what: anonymous visitors and patients are sent to the login page; reception sees
# the queue's names, visit dates and status and gets the 403 page for anything medical; doctors
# (and superusers) see everything. A logged-in user without the permission never loops back to
# the login page.
# ==================================================================================================


GET_VIEWS = (
    "review:intake",
    "review:print",
    "review:handout",
    "review:chart",
    "review:chart_text",
    "review:fhir",
)
# The pages with a language switch (the handout is in the patient's language; the chart text
# and the FHIR file are files).
SWITCHED_PAGES = ("review:intake", "review:print", "review:chart")


@pytest.fixture
def flagged_intake(make_intake: Any, today: datetime.date) -> Intake:
    """An intake with a contraindication, a review flag and a caution: plenty a leak would show."""
    return make_intake(
        pregnancy="pregnant",
        keloid_history=True,
        skin_type="dry",
        medications=["otc_blood_thinning"],
        medication_details="ロキソニン",
        allergy_details="花粉症",
    )


@pytest.fixture
def no_role_client(staff_without_group: User) -> Client:
    """Logged in, but in no clinic group: sees nothing of the patients."""
    return logged_in(staff_without_group)


def url(name: str, intake: Intake | None = None, language: str = "en") -> str:
    with translation.override(language):
        if intake is None:
            return reverse(name)
        return reverse(name, kwargs={"reference": intake.reference})


def assert_sent_to_login(response: Any, expected_next: str) -> None:
    assert response.status_code == 302
    target = urlsplit(response.url)
    assert target.path == reverse("login")
    assert f"next={expected_next}" in target.query.replace("%2F", "/")


def decision_post(intake: Intake) -> dict[str, str]:
    data = {"outcome": "deferred", "note": "Wait until after the pregnancy.", "based_on": ""}
    for flag in intake.flags.filter(severity__in=["contraindication", "review"]):
        data[f"ack_{flag.code}"] = "on"
    return data


# Anonymous visitors and patients ---------------------------------------------------------------
@pytest.mark.parametrize("client_fixture", ["client", "patient_client"])
def test_anonymous_visitors_and_patients_are_sent_to_the_login_page_from_every_url(
    request: pytest.FixtureRequest, client_fixture: str, flagged_intake: Intake
) -> None:
    client = request.getfixturevalue(client_fixture)
    queue = url("review:queue")
    assert_sent_to_login(client.get(queue), queue)
    for name in GET_VIEWS:
        target = url(name, flagged_intake)
        assert_sent_to_login(client.get(target), target)
    # A decision posted signed out signs in to the intake's page, never to the POST-only address.
    decide = url("review:decide", flagged_intake)
    intake_page = url("review:intake", flagged_intake)
    assert_sent_to_login(client.post(decide, decision_post(flagged_intake)), intake_page)

    assert not Decision.objects.exists()
    assert not AccessRecord.objects.exists()
    flagged_intake.refresh_from_db()
    assert flagged_intake.status == Intake.Status.NEW


def test_a_decision_posted_after_the_idle_sign_out_signs_in_again_to_the_intake_page(
    doctor: User, flagged_intake: Intake, clock: Callable[[float], None], settings: Any
) -> None:
    client = logged_in(doctor)
    intake_page = url("review:intake", flagged_intake, language="ja")
    client.get(intake_page)

    clock(settings.STAFF_IDLE_TIMEOUT + 1)
    response = client.post(
        url("review:decide", flagged_intake, language="ja"), decision_post(flagged_intake)
    )

    assert_sent_to_login(response, intake_page)
    assert not Decision.objects.exists()
    # Signing in again lands on the intake's page (200), not on the decision's address (405).
    signed_in = client.post(
        response.url, {"username": doctor.username, "password": PASSWORD}, follow=True
    )
    assert signed_in.redirect_chain[-1][0] == intake_page
    assert signed_in.status_code == 200


def test_the_login_page_is_in_the_language_of_the_page_asked_for(
    client: Client, flagged_intake: Intake
) -> None:
    response = client.get(url("review:queue", language="ja"), follow=True)
    assert response.redirect_chain[-1][0].startswith("/ja/accounts/login/")
    assert "スタッフ用ログイン" in response.content.decode()


def test_the_password_change_page_needs_a_login(client: Client) -> None:
    target = url("password_change")
    assert_sent_to_login(client.get(target), target)


# Reception ---------------------------------------------------------------------------------------
def test_reception_sees_names_visit_dates_and_status_in_the_queue(
    reception_client: Client, flagged_intake: Intake
) -> None:
    response = reception_client.get(url("review:queue"))
    assert response.status_code == 200
    page = response.content.decode()
    assert flagged_intake.full_name in page
    assert flagged_intake.full_name_kana in page
    assert flagged_intake.reference in page
    assert "New" in page


def test_reception_never_sees_answers_flags_or_verdicts_in_the_queue(
    reception_client: Client, flagged_intake: Intake
) -> None:
    page = reception_client.get(url("review:queue")).content.decode()
    for flag in flagged_intake.flags.all():
        assert flag.code not in page
        assert flag.title_en not in page
    for labels in (answers.VERDICT_LABELS, answers.SUITABILITY_LABELS, answers.SEVERITY_LABELS):
        for label in labels.values():
            assert f">{label.en}<" not in page
            assert label.ja not in page
    for secret in ("ロキソニン", "花粉症", flagged_intake.phone, "1995"):
        assert secret not in page
    # No link into the medical record, and no medical filter to probe with.
    assert url("review:intake", flagged_intake) not in page
    for name in ("verdict", "suitability", "flag"):
        assert f'name="{name}"' not in page


def test_reception_cannot_narrow_the_queue_with_a_medical_filter_typed_in_the_address(
    reception_client: Client, make_intake: Any, flagged_intake: Intake
) -> None:
    suitable = make_intake(full_name="鈴木 一郎", full_name_kana="スズキ イチロウ")
    for query in ("verdict=not_suitable", "suitability=poor", "flag=PREGNANCY_BREASTFEEDING"):
        page = reception_client.get(f"{url('review:queue')}?{query}").content.decode()
        assert suitable.full_name in page, query
        assert flagged_intake.full_name in page, query


def test_reception_queue_order_does_not_give_the_verdicts_away(
    reception_client: Client, make_intake: Any, today: datetime.date
) -> None:
    # The suitable patient comes first by visit date, although a doctor would see her second.
    suitable = make_intake(full_name="早い 来院", visit_date=today + datetime.timedelta(days=2))
    unsuitable = make_intake(
        full_name="遅い 来院", pregnancy="pregnant", visit_date=today + datetime.timedelta(days=9)
    )
    page = reception_client.get(url("review:queue")).content.decode()
    assert page.index(suitable.full_name) < page.index(unsuitable.full_name)


@pytest.mark.parametrize("name", GET_VIEWS)
def test_reception_gets_the_403_page_for_an_intake_and_its_print_view(
    reception_client: Client, flagged_intake: Intake, name: str
) -> None:
    response = reception_client.get(url(name, flagged_intake))
    assert response.status_code == 403
    page = response.content.decode()
    assert "No access" in page
    assert flagged_intake.full_name not in page
    assert not AccessRecord.objects.exists()


def test_reception_cannot_record_a_decision(
    reception_client: Client, flagged_intake: Intake
) -> None:
    response = reception_client.post(
        url("review:decide", flagged_intake), decision_post(flagged_intake)
    )
    assert response.status_code == 403
    assert not Decision.objects.exists()


def test_the_403_page_is_in_japanese_on_a_japanese_url(
    reception_client: Client, flagged_intake: Intake
) -> None:
    response = reception_client.get(url("review:intake", flagged_intake, language="ja"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "アクセス権がありません" in page
    assert '<html lang="ja">' in page


# Logged in without a clinic role -----------------------------------------------------------------
def test_a_user_without_a_clinic_role_gets_the_403_page_everywhere_never_a_login_loop(
    no_role_client: Client, flagged_intake: Intake
) -> None:
    for target in [url("review:queue"), *(url(name, flagged_intake) for name in GET_VIEWS)]:
        response = no_role_client.get(target)
        assert response.status_code == 403, target
        assert "If you need access" in response.content.decode()
    response = no_role_client.post(
        url("review:decide", flagged_intake), decision_post(flagged_intake)
    )
    assert response.status_code == 403
    assert not Decision.objects.exists()


# Doctors and superusers ------------------------------------------------------------------------
@pytest.mark.parametrize("client_fixture", ["doctor_client", "superuser_client"])
def test_doctors_and_superusers_open_every_page_and_decide(
    request: pytest.FixtureRequest, client_fixture: str, flagged_intake: Intake
) -> None:
    client = request.getfixturevalue(client_fixture)
    queue = client.get(url("review:queue")).content.decode()
    assert url("review:intake", flagged_intake) in queue
    assert "PREGNANCY_BREASTFEEDING" in queue
    for name in GET_VIEWS:
        response = client.get(url(name, flagged_intake))
        assert response.status_code == 200, name
        assert flagged_intake.full_name in response.content.decode()
    response = client.post(url("review:decide", flagged_intake), decision_post(flagged_intake))
    assert response.status_code == 302
    assert response.url == url("review:intake", flagged_intake) + "#decisions"
    assert Decision.objects.get(intake=flagged_intake).outcome == "deferred"


def test_an_unknown_reference_is_404_for_a_doctor(doctor_client: Client) -> None:
    with translation.override("en"):
        target = reverse("review:intake", kwargs={"reference": "ZZZZ-ZZZZ"})
    assert doctor_client.get(target).status_code == 404


def test_the_decision_url_takes_only_post(doctor_client: Client, flagged_intake: Intake) -> None:
    assert doctor_client.get(url("review:decide", flagged_intake)).status_code == 405


def test_review_pages_are_never_cached(doctor_client: Client, flagged_intake: Intake) -> None:
    for target in [url("review:queue"), *(url(name, flagged_intake) for name in GET_VIEWS)]:
        assert "no-store" in doctor_client.get(target)["Cache-Control"], target


# Signing in and out --------------------------------------------------------------------------
def test_a_doctor_signs_in_and_lands_on_the_queue(client: Client, doctor: User) -> None:
    response = client.post(
        url("login"), {"username": doctor.username, "password": "pw-for-tests-only"}, follow=True
    )
    assert response.redirect_chain[-1] == (url("review:queue"), 302)


def test_signing_in_returns_to_the_page_asked_for(
    client: Client, doctor: User, flagged_intake: Intake
) -> None:
    target = url("review:intake", flagged_intake)
    response = client.post(
        url("login"),
        {"username": doctor.username, "password": "pw-for-tests-only", "next": target},
    )
    assert response.url == target


def test_signing_out_is_a_post_that_leads_to_the_login_page(doctor_client: Client) -> None:
    page = doctor_client.get(url("review:queue")).content.decode()
    assert f'action="{url("logout")}"' in page
    response = doctor_client.post(url("logout"))
    assert response.status_code == 302
    assert response.url == url("login")
    assert doctor_client.get(url("review:queue")).status_code == 302


@pytest.mark.parametrize(
    ("language", "heading"), [("en", "Change password"), ("ja", "パスワード変更")]
)
def test_the_password_change_page_renders_in_both_languages(
    doctor_client: Client, language: str, heading: str
) -> None:
    response = doctor_client.get(url("password_change", language=language))
    assert response.status_code == 200
    assert heading in response.content.decode()


def test_a_doctor_changes_the_password(doctor_client: Client, doctor: User) -> None:
    response = doctor_client.post(
        url("password_change"),
        {
            "old_password": "pw-for-tests-only",
            "new_password1": "a-much-longer-Passphrase-42",
            "new_password2": "a-much-longer-Passphrase-42",
        },
        follow=True,
    )
    assert "Your password has been changed." in response.content.decode()
    doctor.refresh_from_db()
    assert doctor.check_password("a-much-longer-Passphrase-42")


@pytest.mark.parametrize(("language", "other"), [("en", "ja"), ("ja", "en")])
def test_the_language_switch_leads_to_the_same_page_in_the_other_language(
    doctor_client: Client, flagged_intake: Intake, language: str, other: str
) -> None:
    for name in SWITCHED_PAGES:
        page = doctor_client.get(url(name, flagged_intake, language)).content.decode()
        assert f'name="next" value="{url(name, flagged_intake, other)}"' in page
        switched = doctor_client.post(
            url("set_language"), {"language": other, "next": url(name, flagged_intake, other)}
        )
        assert switched.url == url(name, flagged_intake, other)
