"""Text in Japanese and English, and the one rule for choosing between them. Standard library only.

Japanese is the default: any language code that is not English (``en``, ``en-us``...) reads
Japanese, like the site itself.
"""

from __future__ import annotations

from dataclasses import dataclass

# The two languages of every text, in the order the app offers them (settings.LANGUAGES).
LANGUAGE_CODES = ("ja", "en")


def language_code(language: str | None) -> str:
    """``"en"`` for any English language code, else ``"ja"``: the suffix of a ``*_ja``/``*_en``
    column and the key of ``Text.as_dict()``."""
    return "en" if (language or "").lower().startswith("en") else "ja"


@dataclass(frozen=True, slots=True)
class Text:
    """One piece of text in both languages: a label, a flag's title, a note."""

    ja: str
    en: str

    def in_language(self, language: str | None) -> str:
        return self.en if language_code(language) == "en" else self.ja

    def as_dict(self) -> dict[str, str]:
        return {"ja": self.ja, "en": self.en}


# Between the items of a list of answers or flag titles.
LIST_SEPARATOR = Text("、", ", ")
