"""intake.bilingual: Text(ja, en) and the one rule for picking a language."""

from __future__ import annotations

from intake.bilingual import LIST_SEPARATOR, Text, language_code


def test_text_in_language_gives_english_only_for_english():
    text = Text(ja="日本語", en="English")
    assert text.in_language("en") == "English"
    assert text.in_language("en-us") == "English"
    assert text.in_language("ja") == "日本語"
    assert text.in_language("fr") == "日本語"
    assert text.as_dict() == {"ja": "日本語", "en": "English"}


def test_the_language_rule_reads_any_english_code_as_english_and_the_rest_as_japanese():
    assert [language_code(code) for code in ("en", "EN-GB", "en-us")] == ["en", "en", "en"]
    assert [language_code(code) for code in ("ja", "ja-JP", "fr", "", None)] == ["ja"] * 5


def test_a_list_is_joined_the_way_each_language_writes_one():
    items = ["a", "b"]
    assert LIST_SEPARATOR.in_language("ja").join(items) == "a、b"
    assert LIST_SEPARATOR.in_language("en").join(items) == "a, b"
