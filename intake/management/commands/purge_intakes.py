"""`python manage.py purge_intakes [--older-than DAYS] [--dry-run]`: the retention period.

Deletes the intakes whose visit (or, without a visit date, whose submission) is more than DAYS
days before today, with their flags, decisions, re-screenings and invitations, and invitations
whose visit date is that old, and patient records left without any intake (unless a treatment
was recorded for them since the cutoff); anonymises the admin's log entries of everything it
deletes (the entries keep who did what and when, not whose data it was); deletes expired
sessions (the answers of intakes abandoned before sending). Access records stay, counted,
without the intake. The default period is settings.INTAKE_RETENTION_DAYS (environment:
INTAKE_RETENTION_DAYS).

Works in batches of --batch-size rows (default 500), each in a transaction of its own, with a
line of progress after each (none at --verbosity 0): a run stopped half-way leaves everything
consistent, and the next run finishes it. The output names intakes by reference only.
`--dry-run` prints the same report and changes nothing; the real run does what the dry run
printed (for the same day and data).
"""

from __future__ import annotations

import argparse
import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from intake import retention


def batch_size(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


def days(value: str) -> int:
    try:
        number = int(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a number of days: {value!r}") from error
    if number < 1:
        raise argparse.ArgumentTypeError("the retention period is at least 1 day")
    return number


class Command(BaseCommand):
    help = (
        "Delete intakes past the retention period with their invitations, anonymise their admin "
        "log entries, delete expired sessions (access records are kept without the intakes)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=days,
            default=None,
            metavar="DAYS",
            help="retention in days (default: settings.INTAKE_RETENTION_DAYS)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="print what would be deleted, change nothing"
        )
        parser.add_argument(
            "--batch-size",
            type=batch_size,
            default=retention.BATCH_SIZE,
            help=f"rows per transaction (default {retention.BATCH_SIZE})",
        )

    def handle(
        self,
        *args: object,
        older_than: int | None,
        dry_run: bool,
        batch_size: int,
        verbosity: int,
        **options: object,
    ) -> None:
        period = older_than if older_than is not None else settings.INTAKE_RETENTION_DAYS
        cutoff = timezone.localdate() - datetime.timedelta(days=period)
        self.stdout.write(
            f"Retention {period} days: intakes with a visit (or, without one, a submission) "
            f"before {cutoff.isoformat()}."
        )

        def progress(batch: retention.PurgeBatch) -> None:
            # The references as each batch goes: a backlog of any size is never held.
            for reference in batch.references:
                self.stdout.write(f"  {reference}")
            if verbosity:
                line = _("Would delete: %(what)s %(done)s / %(total)s (batch %(number)s).")
                if not dry_run:
                    line = _("Deleted: %(what)s %(done)s / %(total)s (batch %(number)s).")
                self.stdout.write(
                    line
                    % {
                        "what": batch.model._meta.verbose_name_plural,
                        "done": f"{batch.done:,}",
                        "total": f"{batch.total:,}",
                        "number": f"{batch.number:,}",
                    }
                )

        result = retention.intakes_purge(
            cutoff=cutoff, dry_run=dry_run, batch_size=batch_size, progress=progress
        )
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(f"{verb} {result.intakes} intake(s).")
        self.stdout.write(
            f"{verb} with them: {result.flags} flag(s), {result.decisions} decision(s), "
            f"{result.rescreenings} re-screening(s)."
        )
        self.stdout.write(f"{verb} {result.invitations} invitation(s).")
        self.stdout.write(
            f"{verb} {result.patients} patient record(s) left without intakes, with their "
            "treatments."
        )
        anonymise = "Would anonymise" if dry_run else "Anonymised"
        self.stdout.write(
            f"{anonymise} {result.log_entries} admin log entry(ies) of what is deleted."
        )
        if result.sessions is None:
            self.stdout.write("Expired sessions: the session engine removes them by itself.")
        else:
            self.stdout.write(
                f"{verb} {result.sessions} expired session(s) (unfinished intakes, abandoned)."
            )
        self.stdout.write(
            f"{verb} {result.resume_links} link(s) to continue a questionnaire, expired or used."
        )
        kept = "Would keep" if dry_run else "Kept"
        self.stdout.write(
            f"{kept} {result.access_records_kept} access record(s) without the intake."
        )
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
