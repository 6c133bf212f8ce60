"""Searches of one and two characters (佐藤, 美咲) over many intakes (PostgreSQL only): the plain
contains-search (a scan of the table) against the search through the bigram words (migration
0017), by PostgreSQL's own timing (EXPLAIN ANALYZE) of the list's count and its first page.

    .venv/bin/python bench/short_search.py [--size 200000] [--repeat 5] [--reload]
        [--database-url postgres://…/bench_short_search]

The intakes are copies of one submitted intake with names drawn from common surnames and given
names (one in 20,000 has a rare surname), inserted in one statement; a later run at the same size
reuses them. The database is --database-url, else bench_short_search on the server of
DATABASE_URL; without either (SQLite) the benchmark skips.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any

import psycopg
from common import machine, median, named_postgres_url, print_table, recreate_database, setup_django

DEFAULT_DATABASE = "bench_short_search"


def words(text: str) -> list[str]:
    return text.split()


SURNAMES = words(
    "佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田 山田 佐々木 "
    "山口 松本 井上 木村 林 斎藤 清水 山崎 森 池田 橋本 阿部 石川 山下 "
    "中島 石井 小川 前田 岡田 長谷川 藤田 後藤 近藤 村上 遠藤 青木 坂本 "
    "斉藤 福田 太田 西村 藤井 金子 岡本 藤原 中野 三浦 原田 中川 松田 "
    "竹内 小野 田村 中山 和田 石田 森田"
)
GIVEN_NAMES = words(
    "美咲 陽菜 結衣 花子 さくら 葵 愛 優子 直美 舞 真由美 恵 大翔 蓮 "
    "翔太 健 太郎 直樹 拓也 大輔 健太 翼 悠真 陸 一郎 誠 浩 明美 由美 "
    "香織"
)
KANA = words(
    "サトウ スズキ タカハシ タナカ イトウ ワタナベ ヤマモト ナカムラ "
    "コバヤシ カトウ ヨシダ ヤマダ ミサキ ヒナ ユイ ハナコ サクラ アオイ "
    "ショウタ ケン タロウ ナオキ"
)
RARE = "蒲生"
# (label, query): what the desk types.
QUERIES = (
    ("rare surname, 2 chars", RARE),
    ("common surname, 2 chars", "佐藤"),
    ("given name, 2 chars", "美咲"),
    ("one char", "蒲"),
    ("kana, 2 chars", "さと"),
)
EXECUTION = re.compile(r"Execution Time: ([0-9.]+) ms")


def database_url(given: str | None) -> str | None:
    return named_postgres_url(given, DEFAULT_DATABASE)


def loaded(url: str) -> int:
    """The intakes of an earlier run, or -1 when there is no database or table."""
    try:
        with psycopg.connect(url) as connection:
            return connection.execute("SELECT count(*) FROM intake_intake").fetchone()[0]
    except psycopg.Error:
        return -1


def load(size: int) -> None:
    """`size` intakes: one submitted through the service, the rest copies of it in one INSERT."""
    import datetime
    import uuid

    from django.db import connection

    from intake import answers, selectors, services

    today = datetime.date.today()
    seed = services.intake_submit(
        answers_given=answers.example_answers(today),
        language="ja",
        consent_document=selectors.current_consent_document(),
        submission_token=uuid.uuid4(),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'intake_intake' AND column_name <> 'id' ORDER BY ordinal_position"
        )
        columns = [row[0] for row in cursor.fetchall()]
        given = {
            "reference": "'B-' || lpad(to_hex(i), 8, '0')",
            "submission_token": "md5(i::text)::uuid",
            "full_name": "CASE WHEN mod(i, 20000) = 7 THEN %s ELSE "
            "(%s::text[])[1 + mod(i * 7919, cardinality(%s::text[]))] END "
            "|| ' ' || (%s::text[])[1 + mod(i * 104729, cardinality(%s::text[]))]",
            "full_name_kana": "(%s::text[])[1 + mod(i * 7919, cardinality(%s::text[]))] "
            "|| ' ' || (%s::text[])[1 + mod(i * 31, cardinality(%s::text[]))]",
            "phone": "'090-' || lpad(mod(i, 10000)::text, 4, '0') || '-' "
            "|| lpad((i / 7)::text, 4, '0')",
        }
        select = ", ".join(given.get(column, column) for column in columns)
        cursor.execute(
            f"INSERT INTO intake_intake ({', '.join(columns)}) SELECT {select} "
            "FROM intake_intake, generate_series(1::bigint, %s) AS i WHERE id = %s",
            [RARE, *[SURNAMES] * 2, *[GIVEN_NAMES] * 2, *[KANA] * 4, size - 1, seed.pk],
        )
        cursor.execute("VACUUM ANALYZE intake_intake")


def contains_search(query: str) -> Any:
    """The intakes the search found before migration 0017: LIKE '%word%' on every expression."""
    from django.db.models import Q

    from intake import search
    from intake.models import Intake
    from intake.text import to_katakana

    query = search.normalised_query(query)
    compact = "".join(query.split())
    match = Q()
    for word in query.split():
        match &= Q(full_name__icontains=word) | Q(full_name_kana__icontains=to_katakana(word))
    match |= Q(name_compact__icontains=compact) | Q(kana_compact__icontains=to_katakana(compact))
    match |= search._reference(query) | search._phone(query)
    return Intake.objects.alias(
        name_compact=search.without_spaces("full_name"),
        kana_compact=search.without_spaces("full_name_kana"),
        reference_compact=search._reference_compact(),
        phone_digits=search.phone_digits(),
    ).filter(match)


def milliseconds(found: Any, repeat: int) -> tuple[float, float, int]:
    """Median ms of the count and of the first page (the admin list's order), and the count."""
    from django.db import connection

    order = ("current_verdict_rank", "visit_date", "submitted_at", "id")
    statements = (found.order_by().values("pk"), found.order_by(*order).values("pk")[:100])
    times: list[list[float]] = [[], []]
    with connection.cursor() as cursor:
        for _ in range(repeat):
            for index, statement in enumerate(statements):
                sql, params = statement.query.sql_with_params()
                if index == 0:
                    sql = f"SELECT count(*) FROM ({sql}) AS found"
                cursor.execute(f"EXPLAIN (ANALYZE, TIMING OFF) {sql}", params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                times[index].append(float(EXECUTION.search(plan).group(1)))
    return median(times[0]), median(times[1]), found.count()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reload", action="store_true", help="load the intakes again")
    parser.add_argument("--database-url")
    arguments = parser.parse_args()
    url = database_url(arguments.database_url)
    if url is None:
        print("PostgreSQL only: set DATABASE_URL or --database-url; skipped.")
        return 0
    fresh = arguments.reload or loaded(url) != arguments.size
    if fresh:
        recreate_database(url)
    setup_django(url)
    if fresh:
        load(arguments.size)

    from intake import search
    from intake.models import Intake

    rows = []
    for label, query in QUERIES:
        before = milliseconds(contains_search(query), arguments.repeat)
        after = milliseconds(search.intakes_matching(Intake.objects.all(), query), arguments.repeat)
        assert before[2] == after[2], (label, before[2], after[2])
        rows.append(
            (
                label,
                after[2],
                f"{before[0]:.1f}",
                f"{after[0]:.1f}",
                f"{before[1]:.1f}",
                f"{after[1]:.1f}",
            )
        )
    print(f"{arguments.size} intakes, median of {arguments.repeat}; {machine()}")
    headers = ("query", "found", "count before", "count after", "page before", "page after")
    print_table(
        "PostgreSQL execution time (ms), contains-search before / bigram words after", headers, rows
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
