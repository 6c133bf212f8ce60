"""`python manage.py screen FILE [--as-of YYYY-MM-DD]`: validate and screen one intake (spec §3)."""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone, translation

from intake import screening
from intake.forms import validate_answers

INVALID_INPUT = 2


def iso_date(value: str) -> datetime.date:
    # ArgumentTypeError, not CommandError: argparse then reports it as a usage error (exit status 2,
    # one line on stderr) instead of a traceback.
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {value!r}") from error


class Command(BaseCommand):
    help = "Validate one intake's answers (JSON) as the web form does, screen them, print JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a JSON file of answers, or - for standard input")
        parser.add_argument(
            "--as-of", type=iso_date, help="the screening date (default: today in Japan)"
        )
        parser.add_argument(
            "--language", default="en", choices=["en", "ja"], help="language of error messages"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["as_of"] or timezone.localdate()
        data = self.read(options["file"])
        with translation.override(options["language"]):
            answers, problems = validate_answers(data, today=today)
            for key, message in problems:
                self.stderr.write(f"{key}: {message}")
        if problems:
            sys.exit(INVALID_INPUT)
        result = screening.screen(answers, today=today)
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
