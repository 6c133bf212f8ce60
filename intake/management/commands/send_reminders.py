"""`python manage.py send_reminders`: the daily e-mails, for cron or a systemd timer.

Patients who have not sent the questionnaire of their invitation are reminded once,
INTAKE_REMINDER_DAYS days before the visit (or later, if a run was missed); doctors are told how
many open intakes have a visit in the next 48 hours, with a link to the queue. Everything is
queued for the worker (`manage.py db_worker`), which sends it and tries again on failure. The
output counts; it never names a patient. Without a mail server (EMAIL_URL), nothing is queued.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from intake import reminders


class Command(BaseCommand):
    help = (
        "Queue the reminder e-mails of unfinished invitations and the doctors' count of intakes "
        "to review before visits in the next 48 hours (sent by the worker, db_worker)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.EMAIL_ENABLED:
            self.stdout.write("E-mail is not set up (EMAIL_URL): no reminder was queued.")
            return
        now = timezone.now()
        reminded = reminders.reminders_queue(now=now)
        self.stdout.write(
            f"Reminders queued: {reminded} (visits within {settings.INTAKE_REMINDER_DAYS} days)."
        )
        digest = reminders.review_digest_queue(now=now)
        self.stdout.write(
            f"Intakes waiting for review with a visit from {digest.visit_from.isoformat()} to "
            f"{digest.visit_to.isoformat()}: {digest.count}; doctors notified: {digest.doctors}."
        )
