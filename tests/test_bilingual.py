"""intake.bilingual: Text(ja, en) and the one rule for picking a language."""

from __future__ import annotations

from intake.bilingual import Text


def test_text_in_language_gives_english_only_for_english():
    text = Text(ja="日本語", en="English")
    assert text.in_language("en") == "English"
    assert text.in_language("en-us") == "English"
    assert text.in_language("ja") == "日本語"
    assert text.in_language("fr") == "日本語"
    assert text.as_dict() == {"ja": "日本語", "en": "English"}
