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

from intake import screening, services
from intake.models import Intake, Rescreening

CHUNK_SIZE = 500


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
        parser.set_defaults(scope="open")

    def handle(self, *args: Any, **options: Any) -> None:
        intakes = Intake.objects.order_by("pk")
        if options["scope"] == "open":
            intakes = intakes.filter(status__in=Intake.OPEN_STATUSES)
        screened = changed = 0
        # Each intake is re-read and locked by the service: one that a doctor links or a
        # treatment re-screens meanwhile is never screened on stale data.
        for intake in intakes.only("pk").iterator(chunk_size=CHUNK_SIZE):
            screened += 1
            if services.intake_rescreen(intake=intake, reason=Rescreening.Reason.RULESET):
                changed += 1
        scope = "open intakes" if options["scope"] == "open" else "intakes"
        self.stdout.write(
            f"Re-screened {screened} {scope} with ruleset {screening.RULESET_VERSION}: "
            f"{changed} changed, {screened - changed} unchanged."
        )
