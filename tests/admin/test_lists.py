"""The admin's long lists (intake/admin/lists.py) and its searches (intake/search.py): the same
queries whatever the number of rows, a count that stops at the bound, searches an index answers."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from intake import audit, search
from intake.admin.lists import BoundedPaginator
from intake.invitations import services as invitation_services
from intake.models import AccessRecord, Decision, Intake, Invitation, Patient, PatientLink
from intake.patients import services as patient_services

LONG_LISTS = [
    ("doctor", Intake),
    ("receptionist", Intake),
    ("superuser", Decision),
    ("superuser", AccessRecord),
    ("superuser", Invitation),
    ("superuser", Patient),
    ("superuser", PatientLink),
]
names = itertools.count()


@pytest.fixture
def add_rows(
    make_intake: Callable[..., Intake], doctor: User, today: datetime.date
) -> Callable[[int], None]:
    """`count` more of every row the long lists show: intakes with a decision, an access record,
    an invitation and a patient record each."""

    def add(count: int) -> None:
        for _ in range(count):
            number = next(names)
            intake = make_intake(full_name=f"一覧 {number}", phone=f"0311{number:06d}")
            Decision.objects.create(
                intake=intake, doctor=doctor, outcome="approved", decided_at=timezone.now()
            )
            audit.access_record(user=doctor, action=AccessRecord.Action.DETAIL, intake=intake)
            invitation_services.invitation_create(
                full_name=f"招待 {number}", phone="0300000000", visit_date=today, language="ja"
            )
            patient_services.patient_create_from_intake(intake=intake, by=doctor)

    return add


def changelist_queries(client: Client, model: type, query: str = "") -> list[str]:
    url = reverse(f"admin:intake_{model._meta.model_name}_changelist") + query
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [item["sql"] for item in captured.captured_queries]


@pytest.mark.parametrize(("role", "model"), LONG_LISTS)
def test_a_long_list_makes_as_many_queries_for_30_rows_as_for_3(
    role: str,
    model: type,
    staff_client: Callable[[str], Client],
    add_rows: Callable[[int], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Ten a page: 30 rows are three pages, the deep-page path included.
    monkeypatch.setattr(admin.site.get_model_admin(model), "list_per_page", 10)
    client = staff_client(role)
    client.get(reverse("admin:index"))  # the session's first save, not the list's
    add_rows(3)
    with_three = changelist_queries(client, model)
    add_rows(27)

    with_thirty = changelist_queries(client, model)
    on_page_3 = changelist_queries(client, model, "?p=3")

    assert len(with_thirty) == len(with_three) == len(on_page_3)


@pytest.mark.parametrize(("role", "model"), LONG_LISTS)
def test_a_long_list_counts_its_rows_once_and_only_up_to_the_bound(
    role: str, model: type, staff_client: Callable[[str], Client], add_rows: Callable[[int], None]
) -> None:
    add_rows(3)

    queries = changelist_queries(staff_client(role), model, "?q=1")

    counts = [sql for sql in queries if "COUNT(" in sql.upper()]
    assert len(counts) == 1
    assert "LIMIT 10001" in counts[0]
    # No date hierarchy: nothing reads the first and last date or the years of every row.
    assert not [sql for sql in queries if "MIN(" in sql or "MAX(" in sql or "DISTINCT" in sql]


def test_a_filtered_intake_list_counts_no_more_than_the_bound(
    staff_client: Callable[[str], Client], add_rows: Callable[[int], None]
) -> None:
    add_rows(3)

    queries = changelist_queries(staff_client("doctor"), Intake, "?status__exact=new")

    counts = [sql for sql in queries if "COUNT(" in sql.upper()]
    assert len(counts) == 1 and "LIMIT 10001" in counts[0]


def test_past_the_bound_the_list_says_10000_plus_and_offers_only_the_pages_within_it(
    staff_client: Callable[[str], Client],
    add_rows: Callable[[int], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(BoundedPaginator, "bound", 4)
    monkeypatch.setattr(admin.site.get_model_admin(Intake), "list_per_page", 2)
    add_rows(6)
    client = staff_client("superuser")
    url = reverse("admin:intake_intake_changelist")

    page = client.get(url).content.decode()
    searched = client.get(url, {"q": "一覧"}).content.decode()
    past = client.get(url, {"p": "3"})

    assert "4+ intakes" in page and "6 intakes" not in page
    assert "Select all 4+ intakes" in page
    assert "4+ results" in searched
    assert past.status_code == 302  # the third page is past the bound: not offered
    with translation.override("ja"):
        japanese = client.get(reverse("admin:intake_intake_changelist")).content.decode()
    assert "4+ 問診" in japanese


def test_a_page_of_a_long_list_shows_its_own_rows_in_the_lists_order(
    staff_client: Callable[[str], Client],
    add_rows: Callable[[int], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(admin.site.get_model_admin(Decision), "list_per_page", 2)
    add_rows(5)
    client = staff_client("superuser")
    newest_first = list(Decision.objects.order_by("-decided_at", "-pk"))

    shown = [
        list(
            client.get(reverse("admin:intake_decision_changelist"), {"p": p})
            .context["cl"]
            .result_list
        )
        for p in (1, 2, 3)
    ]

    assert shown == [newest_first[0:2], newest_first[2:4], newest_first[4:5]]


# Searches --------------------------------------------------------------------------------------
@pytest.mark.parametrize("typed", ["ケンサクタイショウ", "けんさく", "検索対象", "03-1111-2222"])
def test_the_intake_list_is_searched_as_the_queue_is(
    typed: str, staff_client: Callable[[str], Client], make_intake: Callable[..., Intake]
) -> None:
    wanted = make_intake(
        full_name="検索 対象", full_name_kana="ケンサク タイショウ", phone="0311112222"
    )
    other = make_intake(full_name="別の 人", full_name_kana="ベツノ ヒト")

    page = (
        staff_client("receptionist")
        .get(reverse("admin:intake_intake_changelist"), {"q": typed})
        .content.decode()
    )

    assert wanted.reference in page
    assert other.reference not in page


@pytest.mark.parametrize("typed", ["whole", "part", "loose"])
def test_decisions_and_access_records_are_searched_by_the_intakes_reference(
    typed: str, staff_client: Callable[[str], Client], add_rows: Callable[[int], None]
) -> None:
    add_rows(2)
    wanted, other = Intake.objects.order_by("pk")[:2]
    term = {
        "whole": wanted.reference,
        "part": wanted.reference.split("-")[1],
        "loose": wanted.reference.replace("-", "").lower(),
    }[typed]
    client = staff_client("superuser")

    for model in (Decision, AccessRecord):
        changelist = client.get(
            reverse(f"admin:intake_{model._meta.model_name}_changelist"), {"q": term}
        ).context["cl"]
        assert {row.intake for row in changelist.result_list} == {wanted}


def test_access_records_are_searched_by_their_readers_username_in_any_case(
    staff_client: Callable[[str], Client], add_rows: Callable[[int], None], doctor: User
) -> None:
    add_rows(1)
    client = staff_client("superuser")

    changelist = client.get(
        reverse("admin:intake_accessrecord_changelist"), {"q": doctor.username.upper()}
    ).context["cl"]

    assert changelist.result_list and {row.user for row in changelist.result_list} == {doctor}


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (DATABASE_URL): the trigram indexes are PostgreSQL's",
)
@pytest.mark.parametrize(
    ("query", "index"),
    [
        ("佐藤美咲", "intake_name_compact_trgm"),
        # Words of three characters: words of two read their bigram index (tests/test_search.py).
        ("長谷川 真由美", "intake_name_trgm"),
        ("サトウ ミサキ", "intake_kana_trgm"),
        ("090-1234-5678", "intake_phone_trgm"),
        ("YE74", "intake_reference_trgm"),
    ],
)
def test_on_postgresql_the_intake_search_reads_its_trigram_index(
    query: str, index: str, add_rows: Callable[[int], None]
) -> None:
    add_rows(20)
    found = search.intakes_matching(Intake.objects.order_by(), query)
    sql, params = found.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE intake_intake")
        # A few rows are read fastest from the table; the question is whether the index can be.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert index in plan
    assert "Seq Scan" not in plan
