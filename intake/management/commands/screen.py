"""`python manage.py screen FILE [--as-of YYYY-MM-DD] [--treated-on YYYY-MM-DD ...]`: validate and
screen one intake (spec §3); each `--treated-on` is a toxin treatment the clinic recorded.

`validate_answers` runs the wizard's own step forms over the JSON, so the web form and the command
share one definition of what is valid (demo_data validates its intakes with it too).
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import sys
from collections.abc import Mapping
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone, translation
from django.utils.datastructures import MultiValueDict

from intake import answers, forms, screening

INVALID_INPUT = 2
# The name a problem with a `--treated-on` date is reported under, as the examples' key.
TREATED_ON = "treated_on"
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def iso_date(value: str) -> datetime.date:
    # ArgumentTypeError, not CommandError: argparse then reports it as a usage error (exit status 2,
    # one line on stderr) instead of a traceback.
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {value!r}") from error


def treatment_dates(
    values: list[str], *, today: datetime.date
) -> tuple[list[datetime.date], list[tuple[str, str]]]:
    """The `--treated-on` dates, and a problem for each that is not an ISO date or is after the
    screening date (a record of a treatment not given yet)."""
    dates: list[datetime.date] = []
    problems: list[tuple[str, str]] = []
    for value in values:
        try:
            # fromisoformat alone would also take 20261201 or 2026-W48-2.
            if not ISO_DATE.fullmatch(value):
                raise ValueError(value)
            date = datetime.date.fromisoformat(value)
        except ValueError:
            problems.append((TREATED_ON, f"not a date in YYYY-MM-DD form: {value!r}"))
            continue
        if date > today:
            problems.append((TREATED_ON, f"{value} is after the screening date {today}"))
        else:
            dates.append(date)
    return dates, problems


def _as_form_value(question: answers.Question, value: Any) -> tuple[Any, str | None]:
    """A JSON value as the form would receive it, or the reason it has the wrong type."""
    if value is None:
        return None, None
    if question.kind == "multi":
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            return None, "must be a list of codes"
        return value, None
    if question.kind == "bool":
        if not isinstance(value, bool):
            return None, "must be true or false"
        if question.must_be_true:
            return ("on" if value else None), None
        return ("true" if value else "false"), None
    if not isinstance(value, str):
        return None, "must be a string"
    return value, None


def validate_answers(
    data: Mapping[str, Any], *, today: datetime.date, consent_required: bool = False
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Validate one intake's answers given as a mapping of spec keys (the `screen` command's JSON).

    Returns the cleaned answers and a list of (key, message) problems; the answers are only
    complete when there are no problems. Consent keys may be left out unless `consent_required`.
    """
    problems: list[tuple[str, str]] = [
        (key, "unknown key") for key in data if key not in answers.QUESTIONS
    ]
    # As a browser posts them: a list of values per key, read with getlist() by a multi-select.
    form_data = MultiValueDict()
    for key, question in answers.QUESTIONS.items():
        value, problem = _as_form_value(question, data.get(key))
        if problem:
            problems.append((key, problem))
        elif value is not None:
            form_data.setlist(key, value if isinstance(value, list) else [value])

    cleaned: dict[str, Any] = {}
    for name, form_class in forms.STEP_FORMS.items():
        if (
            name == "consent"
            and not consent_required
            and not any(key in data for key in answers.CONSENT_KEYS)
        ):
            continue
        kwargs: dict[str, Any] = {"today": today, "date_of_birth": cleaned.get("date_of_birth")}
        if form_class is forms.ConsentForm:
            kwargs["consent_version"] = ""
        form = form_class(form_data, **kwargs)
        if form.is_valid():
            cleaned.update({q.key: form.cleaned_data[q.key] for q in form.questions})
        else:
            already = {key for key, _message in problems}
            for key, errors in form.errors.items():
                # Any consent key may be left out (or null); one that is given must be true.
                left_out = key in answers.CONSENT_KEYS and data.get(key) is None
                if key not in already and not (left_out and not consent_required):
                    problems.extend((key, str(message)) for message in errors)
    return cleaned, problems


class Command(BaseCommand):
    help = "Validate one intake's answers (JSON) as the web form does, screen them, print JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a JSON file of answers, or - for standard input")
        parser.add_argument(
            "--as-of", type=iso_date, help="the screening date (default: today in Japan)"
        )
        parser.add_argument(
            "--treated-on",
            action="append",
            default=[],
            metavar="YYYY-MM-DD",
            help="a day the clinic recorded a botulinum toxin treatment for this patient "
            "(repeatable); only those before the reference date count",
        )
        parser.add_argument(
            "--language", default="en", choices=["en", "ja"], help="language of error messages"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["as_of"] or timezone.localdate()
        data = self.read(options["file"])
        treated_on, date_problems = treatment_dates(options["treated_on"], today=today)
        with translation.override(options["language"]):
            cleaned, problems = validate_answers(data, today=today)
            problems += date_problems
            for key, message in problems:
                self.stderr.write(f"{key}: {message}")
        if problems:
            sys.exit(INVALID_INPUT)
        result = screening.screen(cleaned, today=today, treated_on=treated_on)
        self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))

    def read(self, file: str) -> dict[str, Any]:
        try:
            if file == "-":
                text = sys.stdin.read()
            else:
                with open(file, encoding="utf-8") as handle:
                    text = handle.read()
            data = json.loads(text)
        except OSError as error:
            self.stderr.write(f"{file}: cannot be read ({error.strerror})")
            sys.exit(INVALID_INPUT)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            self.stderr.write(f"{file}: not valid JSON ({error})")
            sys.exit(INVALID_INPUT)
        if not isinstance(data, dict):
            self.stderr.write(f"{file}: must hold one JSON object of answers")
            sys.exit(INVALID_INPUT)
        return data
