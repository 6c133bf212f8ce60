"""`python manage.py rescreen [--open|--all]`: run the current rules over stored intakes.

Each intake is screened as of the day it was submitted (so the reference date is the same as at
submit). Where the outcome differs from the latest stored one, a new re-screening is stored beside
the original; nothing stored is changed. Answers are never printed, only counts.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Prefetch

from intake import screening, services
from intake.models import Intake, IntakeFlag, Rescreening

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
        intakes = Intake.objects.order_by("pk").prefetch_related(
            Prefetch("flags", queryset=IntakeFlag.objects.order_by("position")),
            Prefetch("rescreenings", queryset=Rescreening.objects.order_by("created_at", "pk")),
        )
        if options["scope"] == "open":
            intakes = intakes.filter(status__in=Intake.OPEN_STATUSES)
        screened = changed = 0
        for intake in intakes.iterator(chunk_size=CHUNK_SIZE):
            screened += 1
            if services.intake_rescreen(intake=intake) is not None:
                changed += 1
        scope = "open intakes" if options["scope"] == "open" else "intakes"
        self.stdout.write(
            f"Re-screened {screened} {scope} with ruleset {screening.RULESET_VERSION}: "
            f"{changed} changed, {screened - changed} unchanged."
        )
