"""intake.logfilters: invitation tokens never reach the logs."""

from __future__ import annotations

import logging
from types import SimpleNamespace

from gunicorn.config import Config

from intake.logfilters import RedactingGunicornLogger, RedactInvitationTokens, redact


def test_an_invitation_token_is_redacted_from_a_django_request_warning() -> None:
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Gone: %s",
        ("/ja/invite/s3cr3t-T0ken/",),
        None,
    )

    assert RedactInvitationTokens().filter(record) is True

    assert record.getMessage() == "Gone: /ja/invite/[redacted]/"


def test_other_log_lines_are_left_as_they_are() -> None:
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/ja/intake/x/",), None
    )
    RedactInvitationTokens().filter(record)
    assert record.getMessage() == "Not Found: /ja/intake/x/"
    assert redact("/en/review/ABCD-1234/") == "/en/review/ABCD-1234/"


def test_gunicorn_access_log_atoms_carry_no_invitation_token() -> None:
    logger = RedactingGunicornLogger(Config())
    request = SimpleNamespace(
        method="GET",
        path="/en/invite/s3cr3t/",
        query="",
        version=(1, 1),
        headers=[],
        uri="/en/invite/s3cr3t/",
    )
    response = SimpleNamespace(status="302 Found", sent=0, headers=[], response_length=0)
    environ = {
        "RAW_URI": "/en/invite/s3cr3t/",
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/en/invite/s3cr3t/",
        "SERVER_PROTOCOL": "HTTP/1.1",
    }

    atoms = logger.atoms(response, request, environ, SimpleNamespace(seconds=0, microseconds=1000))

    assert "s3cr3t" not in atoms["U"]
    assert "s3cr3t" not in atoms["r"]
