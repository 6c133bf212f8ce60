"""Plain helpers shared by test modules (fixtures live in conftest.py)."""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import translation

from intake.models import Intake
from intake.views import SUBMITTED_SESSION_KEY

ROOT = Path(__file__).resolve().parent.parent
# The shared examples of spec §3: NAME.in.json (answers and `as_of`) and NAME.out.json.
EXAMPLES = Path(__file__).resolve().parent / "examples"
EXAMPLE_NAMES = sorted(path.name.removesuffix(".in.json") for path in EXAMPLES.glob("*.in.json"))

PASSWORD = "pw-for-tests-only"  # conftest's users

# What a developer's shell may carry that would change the app's settings in a child process.
SETTINGS_VARIABLES = (
    "DJANGO_",
    "AXES_",
    "INTAKE_",
    "DATABASE_URL",
    "GUNICORN_",
    "EMAIL_",
    "CLINIC_SITE_URL",
)


def clean_environment(**overrides: str) -> dict[str, str]:
    """This process's environment without any of the app's settings, plus `overrides`: for a
    server or a command run in a process of its own."""
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(SETTINGS_VARIABLES)
    }
    return env | overrides


REFERENCE_FORMAT = re.compile(r"^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{4}-[0-9ABCDEFGHJKMNPQRSTVWXYZ]{4}$")


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def step_url(step: str, language: str = "en") -> str:
    with translation.override(language):
        return reverse("intake:step", kwargs={"step": step})


def confirmation_page(intake: Intake, language: str) -> str:
    """The confirmation page as the patient who submitted `intake` sees it, in `language`."""
    client = Client()
    session = client.session
    session[SUBMITTED_SESSION_KEY] = {
        "reference": intake.reference,
        "submission_token": str(intake.submission_token),
    }
    session.save()
    with translation.override(language):
        url = reverse("intake:submitted", kwargs={"reference": intake.reference})
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# Reading HTML as a person does -------------------------------------------------------------------
VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
# Attributes a person reads or hears: tooltips, names of controls and images, button texts.
READ_ATTRIBUTES = ("title", "aria-label", "alt", "placeholder")


class _HTMLReader(HTMLParser):
    """Each element's text by class, and every text a person reads: text nodes outside scripts,
    styles, templates and hidden elements, and the attributes read out; each with the language
    the page marks it in (`lang`, inherited)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.by_class: dict[str, list[str]] = {}
        self.read: list[tuple[str, str]] = []  # (text, its language or "")
        self._open: list[tuple[str, list[str], bool, str]] = []  # tag, classes, hidden, lang

    def _language(self) -> str:
        return self._open[-1][3] if self._open else ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        hidden = (
            tag in ("script", "style", "template")
            or "hidden" in values
            or values.get("aria-hidden") == "true"
            or bool(self._open and self._open[-1][2])
        )
        language = values.get("lang") or self._language()
        if not hidden:
            for name in READ_ATTRIBUTES:
                if values.get(name):
                    self.read.append((" ".join(str(values[name]).split()), language))
            is_button = tag == "input" and values.get("type") in ("submit", "button")
            if is_button and values.get("value"):
                self.read.append((str(values["value"]), language))
        if tag in VOID_ELEMENTS:
            return
        classes = (values.get("class") or "").split()
        for name in classes:
            self.by_class.setdefault(name, []).append("")
        self._open.append((tag, classes, hidden, language))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_ELEMENTS:
            return
        while self._open:
            open_tag, *_rest = self._open.pop()
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        hidden = bool(self._open and self._open[-1][2])
        if not hidden and data.strip():
            self.read.append((" ".join(data.split()), self._language()))
        collecting = {name for _tag, classes, _hidden, _lang in self._open for name in classes}
        for name in collecting:
            self.by_class[name][-1] += data


def _read(html: str) -> _HTMLReader:
    reader = _HTMLReader()
    reader.feed(html)
    reader.close()
    return reader


def class_texts(html: str, css_class: str) -> list[str]:
    """The text of each element of `css_class`, whitespace collapsed, in the page's order (an
    element inside another of the same class adds its text to the last one opened)."""
    return [" ".join(text.split()) for text in _read(html).by_class.get(css_class, [])]


def read_texts(html: str, *, except_language: str | None = None) -> list[str]:
    """Every text a person reads or hears on the page (see `_HTMLReader`), but those the page
    marks as written in `except_language` (`lang="en"`: an English text on a Japanese page)."""
    return [
        text
        for text, language in _read(html).read
        if not (except_language and language.lower().startswith(except_language))
    ]


def transactions_of(queries: list[dict[str, str]], *, level: int = 0) -> list[int]:
    """The queries of each transaction the code opened, counted, from captured queries.

    Inside a test's transaction each of the code's transactions is a savepoint: those opened at
    `level` (0: directly in the test; 1: inside one atomic block of the test's own) are its
    transactions, and savepoints within them (nested atomic blocks) belong to them.
    """
    counts: list[int] = []
    depth = 0
    for query in queries:
        sql = query["sql"]
        if sql.startswith("SAVEPOINT"):
            if depth == level:
                counts.append(0)
            depth += 1
        elif sql.startswith("RELEASE SAVEPOINT"):
            depth -= 1
        elif depth > level and counts:
            counts[-1] += 1
    return counts
