"""clinic.email_url: EMAIL_URL read into Django's e-mail settings, TLS required in production."""

from __future__ import annotations

import pytest

from clinic.email_url import CONSOLE_BACKEND, SMTP_BACKEND, EmailUrlError, parse_email_url
from tests.test_deploy import manage, production_env


def test_smtp_with_starttls_on_the_submission_port() -> None:
    server = parse_email_url("smtp+tls://clinic%40example.jp:p%40ss%3Aword@mail.example.jp:587")

    assert server.backend == SMTP_BACKEND
    assert (server.host, server.port) == ("mail.example.jp", 587)
    assert (server.user, server.password) == ("clinic@example.jp", "p@ss:word")
    assert (server.use_tls, server.use_ssl) == (True, False)
    assert server.timeout == 10


def test_the_default_ports_and_tls_from_the_first_byte() -> None:
    assert parse_email_url("smtp+tls://mail.example.jp").port == 587
    assert parse_email_url("submission://mail.example.jp").use_tls
    implicit = parse_email_url("smtps://u:p@mail.example.jp")
    assert (implicit.port, implicit.use_ssl, implicit.use_tls) == (465, True, False)
    assert parse_email_url("smtp+ssl://mail.example.jp:2465").port == 2465
    assert parse_email_url("smtp://127.0.0.1").port == 25


def test_a_timeout_in_the_query_string() -> None:
    assert parse_email_url("smtp+tls://mail.example.jp?timeout=30").timeout == 30


def test_the_console_for_development() -> None:
    assert parse_email_url("console://").backend == CONSOLE_BACKEND


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("smtp+tls://mail.example.jp:99999", "not a valid URL"),
        ("imap://mail.example.jp", "scheme must be one of"),
        ("smtp+tls://", "names no mail server host"),
        ("smtp+tls://mail.example.jp?timeout=soon", "whole number of seconds"),
        ("smtp+tls://mail.example.jp?timeout=0", "whole number of seconds"),
    ],
)
def test_a_url_that_cannot_be_used_says_why(url: str, message: str) -> None:
    with pytest.raises(EmailUrlError, match=message):
        parse_email_url(url)


def test_a_refusal_never_repeats_the_password() -> None:
    with pytest.raises(EmailUrlError) as refusal:
        parse_email_url("smtp://user:hunter2-secret@mail.example.jp", production=True)
    assert "hunter2-secret" not in str(refusal.value)


def test_production_refuses_plain_smtp_to_another_machine_and_the_console() -> None:
    with pytest.raises(EmailUrlError, match="unencrypted"):
        parse_email_url("smtp://mail.example.jp", production=True)
    with pytest.raises(EmailUrlError, match="into the logs"):
        parse_email_url("console://", production=True)
    # A relay on the machine itself is fine.
    assert parse_email_url("smtp://localhost:25", production=True).use_tls is False


def test_production_settings_read_email_url_and_require_a_sender() -> None:
    check = ["check", "--deploy", "--fail-level", "WARNING"]
    url = "smtp+tls://clinic:secret@mail.example.jp:587"

    without_sender = manage(*check, env=production_env(EMAIL_URL=url))
    assert without_sender.returncode == 1
    assert "EMAIL_FROM is required" in without_sender.stderr

    shown = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.EMAIL_ENABLED, "
        "s.SITE_URL)",
        env=production_env(EMAIL_URL=url, EMAIL_FROM="intake@clinic.example.jp"),
    )
    assert shown.stdout.split() == [
        SMTP_BACKEND,
        "mail.example.jp",
        "587",
        "True",
        "True",
        "https://intake.clinic.example.jp",
    ]


def test_production_without_email_url_sends_nothing() -> None:
    shown = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.EMAIL_BACKEND, s.EMAIL_ENABLED)",
        env=production_env(),
    )
    assert shown.stdout.split() == ["django.core.mail.backends.dummy.EmailBackend", "False"]


def test_an_unusable_email_url_stops_the_start_with_its_reason() -> None:
    result = manage("check", env=production_env(EMAIL_URL="smtp://mail.example.jp"))
    assert result.returncode == 1
    assert "ImproperlyConfigured" in result.stderr and "unencrypted" in result.stderr
