"""`python manage.py rescreen [--open|--all]`: run the current rules over stored intakes.

Each intake is screened as of the day it was submitted, with what the clinic knows now: the toxin
treatments recorded for its patient and its appointment date (the same inputs as the automatic
re-screenings, so the command finds a difference only where the rules changed). Where the
outcome differs from the current one, a new re-screening (reason: the rules changed) is stored
beside the original and becomes the current result; nothing stored is changed. Answers are never
printed, only counts.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from intake import screening, services
from intake.models import Intake, Rescreening

BATCH_SIZE = 500


def batch_size(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = "Re-screen intakes with the current ruleset; store a re-screening where it differs."

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group()
        which.add_argument(
            "--open",
            dest="scope",
            action="store_const",
            const="open",
            help="only intakes not decided yet (the default)",
        )
        which.add_argument(
            "--all", dest="scope", action="store_const", const="all", help="every intake"
        )
        parser.add_argument(
            "--batch-size",
            type=batch_size,
            default=BATCH_SIZE,
            help=f"intakes per transaction (default {BATCH_SIZE})",
        )
        parser.set_defaults(scope="open")

    def handle(self, *args: Any, batch_size: int, verbosity: int, **options: Any) -> None:
        intakes = Intake.objects.all()
        if options["scope"] == "open":
            intakes = intakes.filter(status__in=Intake.OPEN_STATUSES)
        total = intakes.count() if verbosity else 0
        screened = changed = 0
        last = 0
        # One transaction per batch, which locks its intakes and reads them then: one that a
        # doctor links or a treatment re-screens meanwhile is never screened on stale data, and
        # a stop between batches leaves every batch before it done.
        count = batch_size
        while count == batch_size:
            count, differ, last = services.intakes_rescreen_batch(
                intakes=intakes, after=last, size=batch_size, reason=Rescreening.Reason.RULESET
            )
            screened += count
            changed += differ
            if count and verbosity:
                self.stdout.write(
                    _("Re-screened %(done)s / %(total)s (%(changed)s changed).")
                    % {"done": f"{screened:,}", "total": f"{total:,}", "changed": f"{changed:,}"}
                )
        scope = "open intakes" if options["scope"] == "open" else "intakes"
        self.stdout.write(
            f"Re-screened {screened} {scope} with ruleset {screening.RULESET_VERSION}: "
            f"{changed} changed, {screened - changed} unchanged."
        )
