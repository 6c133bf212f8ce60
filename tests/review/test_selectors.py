"""intake.review.selectors: a rule's source in words (the table is intake/screening/sources.py)."""

from __future__ import annotations

import pytest

from intake.review.selectors import SourceWords, source_in_words
from intake.screening import RULES
from intake.screening.sources import DETAILS, SOURCES

# Sources of rules in earlier rule sets: intakes screened under them keep these.
EARLIER_SOURCES = (
    "JP 慎重投与",
    "US, JP 慎重投与",
    "US (units not interchangeable)",
)
ALL_SOURCES = sorted({rule.source for rule in RULES} | set(EARLIER_SOURCES))


@pytest.mark.parametrize("source", ALL_SOURCES)
@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_source_a_rule_cites_reads_in_words_in_both_languages(
    source: str, language: str
) -> None:
    words = source_in_words(source, language=language)

    assert words
    for part in words:
        assert part.code in SOURCES, part
        assert part.name == SOURCES[part.code].name.in_language(language)
        assert part.refers_to == SOURCES[part.code].refers_to.in_language(language)
        assert part.detail in {"", *(text.in_language(language) for text in DETAILS.values())}


def test_a_source_with_its_detail_in_brackets_and_a_comma_inside_them() -> None:
    assert source_in_words("P (2017 consensus, extrapolated)", language="ja") == (
        SourceWords(
            code="P",
            name="公表された研究",
            refers_to="学術論文と専門家のコンセンサス",
            detail="2017年のコンセンサスからの類推",
        ),
    )
    both = source_in_words(
        "JP (≥ 3 months apart), S1 (maintenance every 2–3 months)", language="en"
    )
    assert [(part.code, part.detail) for part in both] == [
        ("JP", "at least 3 months apart"),
        ("S1", "maintenance every 2–3 months"),
    ]
    assert "A&O Clinic" in both[1].refers_to


def test_the_seed_documents_are_named_as_the_seeds_readme_describes_them() -> None:
    assert "マイクロボトックス" in SOURCES["S1"].refers_to.ja
    assert "micro-Botox for acne and acne scars" in SOURCES["S1"].refers_to.en
    assert "トレチノイン" in SOURCES["S2"].refers_to.ja
    assert "tretinoin" in SOURCES["S2"].refers_to.en


def test_a_source_the_tables_do_not_know_stays_as_written() -> None:
    assert source_in_words("WHO 2024, JP 新しい項目", language="en") == (
        SourceWords(code="", name="WHO 2024", refers_to="", detail=""),
        SourceWords(
            code="JP",
            name="Japanese package insert",
            refers_to="the package insert and patient guide of Botox Vista in Japan",
            detail="新しい項目",
        ),
    )
    assert source_in_words("", language="ja") == ()
