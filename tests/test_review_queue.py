"""The doctors' queue: order, filters, search, counts per verdict, pages, and a constant number of
queries whatever the number of intakes."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from intake import answers, screening, selectors, services
from intake.invitations import services as invitation_services
from intake.models import Intake
from intake.review import selectors as review_selectors
from intake.review.views import QUEUE_PAGE_SIZE
from tests.conftest import baseline_answers

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
    assert '<span class="flag-chip severity-review" title="Tendency to keloids' in page
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


def test_the_verdict_codes_of_the_labels_are_the_engine_s() -> None:
    # The counts and badges read the labels; the engine's codes must be the same, in order.
    assert tuple(answers.VERDICT_LABELS) == screening.VERDICTS
    assert review_selectors.QueueFilters().status == review_selectors.QUEUE_OPEN


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
        answers_given={**baseline_answers(today), "full_name": "鈴木 三郎"},
        language="ja",
        consent_document=selectors.current_consent_document(),
        submission_token=uuid.uuid4(),
        invitation=finished,
    )

    response = reception_client.get(queue_url())

    assert list(response.context["pending_invitations"]) == [waiting]
    assert "佐藤 次郎" in response.text
