"""intake.tasks: e-mails sent by the worker to a real SMTP server, retried, recorded for staff.

The SMTP server runs in the test process (tests/smtp.py); the worker's own code runs the queued
tasks (run_tasks). What the server receives is read back as a mail program would read it.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
import ssl
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from intake.invitations import services
from intake.models import ClinicProfile, EmailDelivery, Invitation
from intake.tasks import failure, send_invitation_email, send_review_digest
from tests.smtp import Inbox, run_tasks, self_signed_certificate, smtp_server, text_and_html

ADDRESS = "hanako@example.jp"


@pytest.fixture
def invited(invite: Callable[..., Invitation], clinic: ClinicProfile) -> Invitation:
    return invite(email=ADDRESS, language="ja")


def queue(invitation: Invitation) -> EmailDelivery:
    return services.invitation_email_queue(invitation=invitation)


def refreshed(delivery: EmailDelivery) -> EmailDelivery:
    delivery.refresh_from_db()
    return delivery


def retries_due_now() -> None:
    """Time passes: the retries queued for later are due."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_worker_sends_the_invitation_and_it_arrives_in_the_patients_language(
    mail_server: Inbox, invite: Callable[..., Invitation], clinic: ClinicProfile, language: str
) -> None:
    invitation = invite(email=ADDRESS, language=language)
    delivery = queue(invitation)
    assert mail_server.messages == []  # queued, not sent by the request

    assert run_tasks() == 1

    [message] = mail_server.messages
    text, html = text_and_html(message)
    link = f"https://intake.clinic.example.jp/{language}/invite/{invitation.token}/"
    assert mail_server.recipients == [[ADDRESS]]
    assert message["To"] == ADDRESS
    assert message["From"].addresses[0].addr_spec == "intake@clinic.example.jp"
    if language == "ja":
        assert message["From"].addresses[0].display_name == "梅田スキンクリニック"
        assert "ご来院前の問診票" in message["Subject"]
        assert "山田 花子 様" in text and link in text
        assert "梅田スキンクリニック" in html and link in html
    else:
        assert message["From"].addresses[0].display_name == "Umeda Skin Clinic"
        assert "your questionnaire before your visit" in message["Subject"]
        assert "Dear 山田 花子," in text and link in text
        assert "Umeda Skin Clinic" in html and link in html
    delivery = refreshed(delivery)
    assert delivery.status == EmailDelivery.Status.SENT
    assert delivery.sent_at is not None and delivery.attempts == 1 and delivery.reason == ""


def test_a_temporary_failure_is_recorded_and_the_retry_later_succeeds(
    mail_server: Inbox, invited: Invitation, settings: Any
) -> None:
    settings.EMAIL_RETRY_DELAYS = [60, 300]
    mail_server.temporary_failures = 1
    delivery = queue(invited)

    before = timezone.now()
    run_tasks()

    delivery = refreshed(delivery)
    assert mail_server.messages == []
    assert delivery.status == EmailDelivery.Status.FAILED
    assert delivery.reason_text() == "The mail server refused the e-mail. (code 451)"
    assert delivery.attempts == 1
    assert before + datetime.timedelta(seconds=59) < delivery.next_attempt_at
    # The retry waits for its time: the worker runs nothing yet.
    assert run_tasks() == 0
    [retry] = DBTaskResult.objects.filter(status="READY")
    assert retry.args_kwargs == {"args": [delivery.pk], "kwargs": {}}
    assert retry.run_after == delivery.next_attempt_at

    retries_due_now()
    assert run_tasks() == 1

    delivery = refreshed(delivery)
    assert len(mail_server.messages) == 1
    assert delivery.status == EmailDelivery.Status.SENT
    assert delivery.attempts == 2 and delivery.reason == "" and delivery.next_attempt_at is None


def test_retries_back_off_then_give_up(
    mail_server: Inbox, invited: Invitation, settings: Any
) -> None:
    settings.EMAIL_RETRY_DELAYS = [60, 300]
    mail_server.temporary_failures = 10
    delivery = queue(invited)

    waits = []
    for _attempt in range(3):
        run_tasks()
        delivery = refreshed(delivery)
        if delivery.next_attempt_at:
            waits.append(round((delivery.next_attempt_at - timezone.now()).total_seconds()))
        retries_due_now()

    assert waits == [60, 300]
    assert delivery.status == EmailDelivery.Status.FAILED
    assert delivery.attempts == 3 and delivery.next_attempt_at is None
    assert run_tasks() == 0
    assert mail_server.messages == []


def test_a_refused_address_is_not_tried_again_and_its_reason_names_no_address(
    mail_server: Inbox, invited: Invitation, caplog: pytest.LogCaptureFixture
) -> None:
    mail_server.refused = {ADDRESS}
    delivery = queue(invited)

    with caplog.at_level(logging.DEBUG):
        run_tasks()

    delivery = refreshed(delivery)
    assert delivery.status == EmailDelivery.Status.FAILED
    assert delivery.reason_text() == "The mail server refused the address. (code 550)"
    assert delivery.next_attempt_at is None
    assert run_tasks() == 0
    # Neither the app's log nor the task table holds the address or the name (the test SMTP
    # server's own log, "mail.log", is the other side's and does).
    logged = "\n".join(
        record.getMessage() + (record.exc_text or "")
        for record in caplog.records
        if not record.name.startswith("mail.log")
    )
    task = DBTaskResult.objects.get()
    for text in (logged, delivery.reason, str(task.args_kwargs), task.traceback):
        assert ADDRESS not in text and "山田" not in text
    assert f"E-mail #{delivery.pk} (invitation) not sent, attempt 1: SMTPRecipientsRefused" in (
        logged
    )


def test_a_mail_server_that_is_down_is_reported_and_tried_again(
    invited: Invitation, settings: Any
) -> None:
    with smtp_server() as (_inbox, port):
        pass  # the port is free again: nothing listens there
    settings.EMAIL_ENABLED = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    delivery = queue(invited)

    run_tasks()

    delivery = refreshed(delivery)
    assert delivery.status == EmailDelivery.Status.FAILED
    assert delivery.reason_text() == "The mail server could not be reached."
    assert delivery.next_attempt_at is not None


def test_a_reason_is_shown_in_japanese_to_japanese_staff(
    mail_server: Inbox, invited: Invitation
) -> None:
    from django.utils import translation

    mail_server.refused = {ADDRESS}
    delivery = queue(invited)
    run_tasks()

    with translation.override("ja"):
        assert refreshed(delivery).reason_text() == (
            "メールサーバーがこのアドレスを受け付けませんでした。（コード 550）"
        )


def test_nothing_is_sent_for_a_questionnaire_sent_meanwhile(
    mail_server: Inbox, invited: Invitation
) -> None:
    delivery = queue(invited)
    Invitation.objects.filter(pk=invited.pk).update(used_at=timezone.now())

    run_tasks()

    delivery = refreshed(delivery)
    assert mail_server.messages == []
    assert delivery.status == EmailDelivery.Status.SKIPPED
    assert delivery.reason_text() == "Not sent: the questionnaire had been sent meanwhile."


def test_an_erased_invitation_leaves_a_task_that_does_nothing(
    mail_server: Inbox, invited: Invitation
) -> None:
    queue(invited)
    invited.delete()

    assert run_tasks() == 1
    assert DBTaskResult.objects.get().return_value == "gone"
    assert mail_server.messages == []


def test_a_newer_email_stops_the_retries_of_a_failed_one(
    mail_server: Inbox, invited: Invitation, settings: Any
) -> None:
    settings.EMAIL_RETRY_DELAYS = [60]
    mail_server.temporary_failures = 1
    first = queue(invited)
    run_tasks()
    assert refreshed(first).next_attempt_at is not None

    second = queue(invited)
    run_tasks()
    retries_due_now()
    run_tasks()

    assert len(mail_server.messages) == 1  # the patient gets one e-mail, not two
    assert refreshed(second).status == EmailDelivery.Status.SENT
    assert refreshed(first).status == EmailDelivery.Status.FAILED
    assert refreshed(first).attempts == 1


def test_starttls_with_a_verified_certificate_carries_the_email(
    invited: Invitation, settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """EMAIL_URL=smtp+tls://… : STARTTLS, the server's certificate checked against the trusted
    ones (here only this test's own), and a sign-in over the encrypted connection."""
    certificate, key = self_signed_certificate(tmp_path)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(certificate, key)
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate))
    with smtp_server(tls_context=server_tls) as (inbox, port):
        from clinic.email_url import parse_email_url

        server = parse_email_url(f"smtp+tls://127.0.0.1:{port}")
        settings.EMAIL_ENABLED = True
        settings.EMAIL_BACKEND = server.backend
        settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
        settings.EMAIL_USE_TLS, settings.EMAIL_USE_SSL = server.use_tls, server.use_ssl
        settings.EMAIL_TIMEOUT = 5
        delivery = queue(invited)
        run_tasks()

    assert refreshed(delivery).status == EmailDelivery.Status.SENT
    assert inbox.tls_sessions == 1 and len(inbox.messages) == 1


def test_starttls_refuses_a_certificate_nobody_trusts(
    invited: Invitation, settings: Any, tmp_path: Path
) -> None:
    certificate, key = self_signed_certificate(tmp_path)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(certificate, key)
    with smtp_server(tls_context=server_tls) as (inbox, port):
        settings.EMAIL_ENABLED = True
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
        settings.EMAIL_USE_TLS = True
        delivery = queue(invited)
        run_tasks()

    delivery = refreshed(delivery)
    assert delivery.status == EmailDelivery.Status.FAILED
    assert delivery.reason_text() == "The secure connection to the mail server failed."
    assert inbox.messages == []


def test_the_doctors_email_arrives_and_a_failure_is_tried_again(
    mail_server: Inbox, doctor: User, settings: Any, today: datetime.date
) -> None:
    settings.EMAIL_RETRY_DELAYS = [60]
    doctor.email = "dr.sato@clinic.example.jp"
    doctor.save()
    mail_server.temporary_failures = 1
    until = today + datetime.timedelta(days=2)

    send_review_digest.enqueue(doctor.pk, 2, today.isoformat(), until.isoformat())
    run_tasks()
    assert mail_server.messages == []
    retries_due_now()
    run_tasks()

    [message] = mail_server.messages
    text, _html = text_and_html(message)
    assert message["To"] == "dr.sato@clinic.example.jp"
    assert "2 intakes are waiting for a doctor's review" in text
    assert DBTaskResult.objects.filter(return_value="sent").count() == 1


def test_a_task_queued_before_the_mail_server_was_removed_records_why_it_was_not_sent(
    invited: Invitation, settings: Any
) -> None:
    delivery = services.invitation_email_queue(invitation=invited)
    settings.EMAIL_ENABLED = False

    send_invitation_email.call(delivery.pk)

    assert refreshed(delivery).status == EmailDelivery.Status.SKIPPED
    assert "EMAIL_URL" in refreshed(delivery).reason


@pytest.mark.parametrize(
    ("error", "reason", "retry"),
    [
        (ConnectionRefusedError(111, "Connection refused"), "could not be reached", True),
        (TimeoutError("timed out"), "could not be reached", True),
        (smtplib.SMTPServerDisconnected("gone"), "closed the connection", True),
        (smtplib.SMTPAuthenticationError(535, b"bad"), "refused the clinic's sign-in", True),
        (smtplib.SMTPNotSupportedError("STARTTLS"), "does not offer STARTTLS", False),
        (smtplib.SMTPSenderRefused(553, b"no", "intake@x"), "refused the e-mail", False),
        (smtplib.SMTPDataError(452, b"full"), "refused the e-mail", True),
        (ssl.SSLCertVerificationError("bad certificate"), "secure connection", True),
        (KeyError("a bug"), "could not be prepared", True),
    ],
)
def test_each_failure_gets_a_reason_for_staff_and_a_retry_when_it_may_help(
    error: BaseException, reason: str, retry: bool
) -> None:
    found = failure(error)

    assert reason in found.reason
    assert found.retry is retry
