"""The worker's jobs (Django's tasks API, the django-tasks backport, `manage.py db_worker`).

A request never talks to the mail server: it records an EmailDelivery and enqueues
`send_invitation_email` in the same transaction, and the worker sends it. A failure the server
may get over (unreachable, a 4xx reply) is tried again after each of EMAIL_RETRY_DELAYS, by
enqueueing the same task again with `run_after` (the backport has no retries of its own); a
refusal (a 5xx reply) is final. Each attempt is recorded on the delivery, with a reason written
for staff: never an address, a name or the server's own words (a reply may quote the address).
Nothing here raises: the task's result is the delivery's status, and its arguments are ids.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
import ssl
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop
from django_tasks import task

from intake import emails
from intake.models import EmailDelivery, ResumeLink

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Failure:
    """Why an e-mail was not sent, in English for the record (shown translated), and whether
    trying again later may help."""

    reason: str
    retry: bool
    smtp_code: int | None = None


def failure(error: BaseException) -> Failure:
    """What to record and whether to try again, from the exception alone (its class and SMTP
    code: never its text, which may quote the address)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return Failure(
            gettext_noop("The mail server refused the address."),
            retry=not codes or any(400 <= code < 500 for code in codes),
            smtp_code=codes[0] if codes else None,
        )
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return Failure(
            gettext_noop("The mail server does not offer STARTTLS or the sign-in EMAIL_URL asks."),
            retry=False,
        )
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return Failure(gettext_noop("The mail server refused the clinic's sign-in."), retry=True)
    if isinstance(error, smtplib.SMTPResponseException):
        code = error.smtp_code
        return Failure(
            gettext_noop("The mail server refused the e-mail."),
            retry=not 500 <= code < 600,
            smtp_code=code if 0 < code < 1000 else None,
        )
    if isinstance(error, ssl.SSLError):
        return Failure(gettext_noop("The secure connection to the mail server failed."), True)
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return Failure(gettext_noop("The mail server closed the connection."), retry=True)
    if isinstance(error, (OSError, smtplib.SMTPException)):
        return Failure(gettext_noop("The mail server could not be reached."), retry=True)
    return Failure(gettext_noop("The e-mail could not be prepared."), retry=True)


def retry_at(attempts: int, *, now: datetime.datetime) -> datetime.datetime | None:
    """When to try again after `attempts` failed attempts, or None once every delay is used."""
    delays = settings.EMAIL_RETRY_DELAYS
    if attempts > len(delays):
        return None
    return now + datetime.timedelta(seconds=delays[attempts - 1])


@task()
def send_invitation_email(delivery_id: int) -> str:
    """Send one patient e-mail (the link or its reminder); returns the delivery's status."""
    delivery = EmailDelivery.objects.select_related("invitation").filter(pk=delivery_id).first()
    if delivery is None:
        return "gone"  # erased with its invitation meanwhile
    due = delivery.status == EmailDelivery.Status.QUEUED or (
        delivery.status == EmailDelivery.Status.FAILED and delivery.next_attempt_at is not None
    )
    if not due:
        return delivery.status  # sent, given up, or replaced by a newer one
    skip = _reason_not_to_send(delivery)
    if skip:
        _record(delivery, status=EmailDelivery.Status.SKIPPED, reason=skip)
        return delivery.status
    try:
        emails.invitation_message(delivery.invitation, kind=delivery.kind).send()
    except Exception as error:  # noqa: BLE001 - any failure is recorded, none is raised
        return _failed(delivery, failure(error), error)
    _record(delivery, status=EmailDelivery.Status.SENT, sent=True)
    return delivery.status


def _reason_not_to_send(delivery: EmailDelivery) -> str:
    invitation = delivery.invitation
    if invitation.used_at is not None:
        return gettext_noop("Not sent: the questionnaire had been sent meanwhile.")
    if invitation.visit_date < timezone.localdate():
        return gettext_noop("Not sent: the visit date has passed.")
    if not invitation.email:
        return gettext_noop("Not sent: the invitation has no e-mail address.")
    if not settings.EMAIL_ENABLED:
        return gettext_noop("Not sent: e-mail is not set up on this server (EMAIL_URL).")
    return ""


def _failed(delivery: EmailDelivery, found: Failure, error: BaseException) -> str:
    next_attempt = retry_at(delivery.attempts + 1, now=timezone.now()) if found.retry else None
    # The class only: the exception's text may quote the patient's address.
    logger.warning(
        "E-mail #%s (%s) not sent, attempt %s: %s%s",
        delivery.pk,
        delivery.kind,
        delivery.attempts + 1,
        type(error).__name__,
        f"; next attempt at {next_attempt.isoformat()}" if next_attempt else "; given up",
    )
    with transaction.atomic():
        _record(
            delivery,
            status=EmailDelivery.Status.FAILED,
            reason=found.reason,
            smtp_code=found.smtp_code,
            next_attempt_at=next_attempt,
        )
        if next_attempt is not None:
            send_invitation_email.using(run_after=next_attempt).enqueue(delivery.pk)
    return delivery.status


def _record(
    delivery: EmailDelivery,
    *,
    status: str,
    reason: str = "",
    smtp_code: int | None = None,
    next_attempt_at: datetime.datetime | None = None,
    sent: bool = False,
) -> None:
    delivery.status = status
    delivery.reason = reason
    delivery.smtp_code = smtp_code
    delivery.next_attempt_at = next_attempt_at
    if status != EmailDelivery.Status.SKIPPED:
        delivery.attempts += 1
    if sent:
        delivery.sent_at = timezone.now()
    delivery.save(
        update_fields=["status", "reason", "smtp_code", "next_attempt_at", "attempts", "sent_at"]
    )


@task()
def send_review_digest(
    user_id: int, count: int, visit_from: str, visit_to: str, attempt: int = 1
) -> str:
    """Tell one doctor how many intakes wait for review before near visits: a count, a link."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or not settings.EMAIL_ENABLED:
        return "skipped"
    try:
        emails.review_digest_message(
            to=user.email,
            count=count,
            visit_from=datetime.date.fromisoformat(visit_from),
            visit_to=datetime.date.fromisoformat(visit_to),
        ).send()
    except Exception as error:  # noqa: BLE001 - recorded in the log, tried again, never raised
        found = failure(error)
        next_attempt = retry_at(attempt, now=timezone.now()) if found.retry else None
        logger.warning(
            "Review digest to user #%s not sent, attempt %s: %s%s",
            user_id,
            attempt,
            type(error).__name__,
            f"; next attempt at {next_attempt.isoformat()}" if next_attempt else "; given up",
        )
        if next_attempt is not None:
            send_review_digest.using(run_after=next_attempt).enqueue(
                user_id, count, visit_from, visit_to, attempt + 1
            )
        return "failed"
    return "sent"


@task()
def send_resume_email(link_id: int, attempt: int = 1) -> str:
    """E-mail a resume link (intake/resume/): the clinic's name, the link and until when it works.
    The token is kept only until this has sent it or given up: then only its hash stays."""
    link = ResumeLink.objects.filter(pk=link_id, used_at__isnull=True).first()
    if link is None or not link.token_to_send or not link.email:
        return "gone"
    if not settings.EMAIL_ENABLED:
        ResumeLink.objects.filter(pk=link_id).update(token_to_send="")
        return "skipped"
    try:
        emails.resume_message(link, token=link.token_to_send).send()
    except Exception as error:  # noqa: BLE001 - recorded in the log, tried again, never raised
        found = failure(error)
        next_attempt = retry_at(attempt, now=timezone.now()) if found.retry else None
        if next_attempt is not None and next_attempt >= link.expires_at:
            next_attempt = None
        logger.warning(
            "Resume link #%s not e-mailed, attempt %s: %s%s",
            link_id,
            attempt,
            type(error).__name__,
            f"; next attempt at {next_attempt.isoformat()}" if next_attempt else "; given up",
        )
        if next_attempt is not None:
            send_resume_email.using(run_after=next_attempt).enqueue(link_id, attempt + 1)
        else:
            ResumeLink.objects.filter(pk=link_id).update(token_to_send="")
        return "failed"
    ResumeLink.objects.filter(pk=link_id).update(token_to_send="")
    return "sent"
