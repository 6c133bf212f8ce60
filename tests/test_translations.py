"""The Japanese catalogue: complete, without duplicates, covering the strings the code marks."""

from __future__ import annotations

import re
from collections import Counter

import polib
import pytest

from tests.helpers import ROOT

CATALOGUE = ROOT / "locale" / "ja" / "LC_MESSAGES" / "django.po"
# One-line literals only: enough to catch a string added without its Japanese.
TEMPLATE_STRING = re.compile(
    r"""{%\s*translate\s+(["'])(.+?)\1(?:\s+context\s+(["']).+?\3)?(?:\s+as\s+\w+)?\s*%}"""
)
PYTHON_STRING = re.compile(r"""\b(?:_|gettext|gettext_lazy)\(\s*"((?:[^"\\]|\\.)+)"\s*\)""")


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(CATALOGUE))


def test_the_catalogue_has_no_duplicate_messages(catalogue: polib.POFile) -> None:
    counts = Counter((entry.msgctxt, entry.msgid) for entry in catalogue)
    assert [key for key, count in counts.items() if count > 1] == []


def test_every_message_has_its_japanese(catalogue: polib.POFile) -> None:
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []


def test_every_marked_string_in_templates_and_code_is_in_the_catalogue(
    catalogue: polib.POFile,
) -> None:
    known = {entry.msgid for entry in catalogue}
    marked: set[str] = set()
    for template in (ROOT / "templates").rglob("*.html"):
        marked |= {match[1] for match in TEMPLATE_STRING.findall(template.read_text())}
    for module in (ROOT / "intake").rglob("*.py"):
        if "migrations" not in module.parts:
            marked |= {
                bytes(text, "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")
                for text in PYTHON_STRING.findall(module.read_text())
            }
    # Django's own catalogue translates these.
    from django.utils.translation import gettext, override

    with override("ja"):
        missing = sorted(text for text in marked - known if gettext(text) == text)
    assert missing == []
