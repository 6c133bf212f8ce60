"""intake/search.py: words of one or two characters (佐藤, 美咲), which PostgreSQL looks up in the
names' bigram words (migration 0017) and finds exactly what the plain contains-search finds."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.db.models import Q, QuerySet
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake import search
from intake.models import Intake, Patient
from intake.text import to_katakana

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (DATABASE_URL): the bigram words and their indexes are PostgreSQL's",
)


def contains_search_of_intakes(query: str) -> set[int]:
    """The intakes found by LIKE '%word%' alone: the search as it was before migration 0017."""
    query = search.normalised_query(query)
    compact = "".join(query.split())
    match = Q()
    for word in query.split():
        match &= Q(full_name__icontains=word) | Q(full_name_kana__icontains=to_katakana(word))
    match |= Q(name_compact__icontains=compact) | Q(kana_compact__icontains=to_katakana(compact))
    found = Intake.objects.alias(
        name_compact=search.without_spaces("full_name"),
        kana_compact=search.without_spaces("full_name_kana"),
    )
    return set(found.filter(match).values_list("pk", flat=True))


def contains_search_of_patients(query: str) -> set[int]:
    match = Q()
    for word in search.normalised_query(query).split():
        match &= Q(full_name__icontains=word) | Q(full_name_kana__icontains=to_katakana(word))
    return set(Patient.objects.filter(match).values_list("pk", flat=True))


def ids(found: QuerySet) -> set[int]:
    return set(found.values_list("pk", flat=True))


def patient(full_name: str, full_name_kana: str = "") -> Patient:
    return Patient.objects.create(
        full_name=full_name, full_name_kana=full_name_kana, date_of_birth=datetime.date(1990, 1, 1)
    )


def plan_of(found: QuerySet) -> str:
    """The plan PostgreSQL runs for `found` when it reads no table it can read through an index."""
    sql, params = found.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {found.model._meta.db_table}")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN ANALYZE {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def sato_misaki(make_intake: Callable[..., Intake]) -> Intake:
    return make_intake(full_name="佐藤 美咲", full_name_kana="サトウ ミサキ")


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("佐藤", True),
        ("咲", True),  # the last character
        ("さと", True),  # hiragana, read as the katakana of the kana
        ("藤美", True),  # across the space: in the name run together
        ("佐藤 咲", True),
        ("藤佐", False),
        ("佐藤 鈴", False),
    ],
)
def test_short_words_find_an_intake_as_a_contains_search_does(
    sato_misaki: Intake, make_intake: Callable[..., Intake], query: str, found: bool
) -> None:
    make_intake(full_name="鈴木 一郎", full_name_kana="スズキ イチロウ")

    assert ids(search.intakes_matching(Intake.objects.all(), query)) == (
        {sato_misaki.pk} if found else set()
    )
    assert contains_search_of_intakes(query) == ({sato_misaki.pk} if found else set())


def test_a_patient_record_is_found_by_short_words_in_its_name_and_not_across_its_space(
    db: Any,
) -> None:
    # The patients' search never read the name run together; the bigram words must not either.
    sato = patient("佐藤 美咲", "サトウ ミサキ")

    found = {
        query: ids(search.patients_matching(Patient.objects.all(), query))
        for query in ("美咲", "美", "みさ", "藤美", "藤美 咲")
    }

    assert found == {
        "美咲": {sato.pk},
        "美": {sato.pk},
        "みさ": {sato.pk},
        "藤美": set(),
        "藤美 咲": set(),
    }


@on_postgresql
def test_the_bigram_words_are_each_pair_of_the_name_without_its_spaces_and_its_last_character(
    db: Any,
) -> None:
    names = ["佐藤 美咲", "佐藤\u3000美咲", "林", "", "ab c"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT intake_bigram_words(name) "
            "FROM unnest(%s::text[]) WITH ORDINALITY AS n(name, i) ORDER BY i",
            [names],
        )
        words = [row[0] for row in cursor.fetchall()]

    assert words == [" 佐藤 藤美 美咲 咲 ", " 佐藤 藤美 美咲 咲 ", " 林 ", "  ", " ab bc c "]


@on_postgresql
@pytest.mark.parametrize(
    ("query", "indexes"),
    [
        ("佐藤", {"intake_name_bigram_trgm", "intake_kana_bigram_trgm"}),
        ("佐", {"intake_name_bigram_trgm", "intake_kana_bigram_trgm"}),
        ("みさ", {"intake_kana_bigram_trgm"}),
        ("佐藤 美咲", {"intake_name_bigram_trgm", "intake_name_compact_trgm"}),
    ],
)
def test_on_postgresql_short_words_read_the_bigram_index_of_intakes(
    query: str, indexes: set[str], make_intake: Callable[..., Intake]
) -> None:
    for _ in range(5):
        make_intake()

    plan = plan_of(search.intakes_matching(Intake.objects.all(), query))

    assert all(index in plan for index in indexes)
    assert "Seq Scan" not in plan


@on_postgresql
@pytest.mark.parametrize("query", ["美咲", "美", "サト"])
def test_on_postgresql_short_words_read_the_bigram_index_of_patient_records(
    query: str, db: Any
) -> None:
    for number in range(5):
        patient(f"佐藤 美咲{number}", "サトウ ミサキ")

    plan = plan_of(search.patients_matching(Patient.objects.all(), query))

    assert "patient_name_bigram_trgm" in plan and "patient_kana_bigram_trgm" in plan
    assert "Seq Scan" not in plan


# Names and queries from a few characters, so that words meet often: kanji, katakana, a letter
# in both cases, and both spaces; queries also in hiragana.
NAME = st.text(alphabet="佐藤美咲鈴木 \u3000aB", max_size=7)
KANA = st.text(alphabet="サトウミキ \u3000", max_size=7)
WORD = st.text(alphabet="佐藤美咲鈴木サトウさとAb", min_size=1, max_size=3)
QUERY = st.lists(WORD, min_size=1, max_size=3).map(" ".join)
ROWS = 6


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(names=st.lists(st.tuples(NAME, KANA), min_size=ROWS, max_size=ROWS), query=QUERY)
def test_the_search_finds_exactly_what_a_contains_search_finds(
    names: list[tuple[str, str]], query: str, make_intake: Callable[..., Intake]
) -> None:
    intakes = list(Intake.objects.order_by("pk")) or [make_intake() for _ in range(ROWS)]
    patients = list(Patient.objects.order_by("pk")) or [patient("") for _ in range(ROWS)]
    for row, (full_name, kana) in zip(intakes + patients, names + names, strict=True):
        row.full_name, row.full_name_kana = full_name, kana
    Intake.objects.bulk_update(intakes, ["full_name", "full_name_kana"])
    Patient.objects.bulk_update(patients, ["full_name", "full_name_kana"])

    assert ids(search.intakes_matching(Intake.objects.all(), query)) == (
        contains_search_of_intakes(query)
    )
    assert ids(search.patients_matching(Patient.objects.all(), query)) == (
        contains_search_of_patients(query)
    )
