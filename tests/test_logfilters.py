"""intake.logfilters: invitation tokens never reach the logs, and a URL can't forge a line."""

from __future__ import annotations

import datetime
import io
import logging
import runpy
from pathlib import Path
from types import SimpleNamespace

from gunicorn.config import Config

from intake.logfilters import (
    EscapeControlCharacters,
    RedactingGunicornLogger,
    RedactInvitationTokens,
    redact,
)
from tests.helpers import ROOT


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


def test_a_newline_in_a_django_log_message_is_escaped() -> None:
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        ("/en/x\n2026-01-01 ERROR forged\r\x85",),
        None,
    )

    assert EscapeControlCharacters().filter(record) is True

    assert record.getMessage() == "Not Found: /en/x\\x0a2026-01-01 ERROR forged\\x0d\\x85"


def test_the_console_log_writes_a_path_with_a_newline_on_one_line() -> None:
    handler = next(h for h in logging.getLogger("django").handlers if h.name == "console")
    written = io.StringIO()
    previous = handler.setStream(written)
    try:
        logging.getLogger("django.request").warning("Not Found: %s", "/en/a\nFORGED b")
    finally:
        handler.setStream(previous)

    assert written.getvalue().count("\n") == 1
    assert "/en/a\\x0aFORGED b" in written.getvalue()


def access_log_line(tmp_path: Path, path_info: str, raw_uri: str) -> str:
    """The line gunicorn.conf.py's logger writes for a GET of `path_info`."""
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    config = Config()
    config.set("accesslog", str(tmp_path / "access.log"))
    config.set("access_log_format", conf["access_log_format"])
    config.set("logger_class", conf["logger_class"])
    logger = config.logger_class(config)
    request = SimpleNamespace(headers=[("USER-AGENT", 'agent"\nforged')])
    response = SimpleNamespace(status="404 Not Found", sent=0, headers=[])
    environ = {
        "RAW_URI": raw_uri,
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path_info,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    logger.access(response, request, environ, datetime.timedelta(milliseconds=3))
    for handler in logger.access_log.handlers:
        handler.close()
    return (tmp_path / "access.log").read_text(encoding="utf-8")


def test_a_newline_in_a_url_does_not_forge_a_line_in_gunicorns_access_log(
    tmp_path: Path,
) -> None:
    forged = '/en/x\n[01/Jan/2026:00:00:00 +0900] "GET /en/admin/ HTTP/1.1" 200 0 1ms'

    written = access_log_line(tmp_path, forged, "/en/x%0A%5B01/Jan")

    assert written.count("\n") == 1
    assert "/en/x\\x0a[01/Jan/2026:00:00:00 +0900] \\x22GET" in written
    assert " 404 " in written


def test_a_japanese_path_stays_legible_in_gunicorns_access_log(tmp_path: Path) -> None:
    wsgi_path = "/ja/intake/問診/".encode().decode("latin-1")  # as WSGI hands it over

    written = access_log_line(tmp_path, wsgi_path, "/ja/intake/%E5%95%8F%E8%A8%BA/")

    assert '"GET /ja/intake/問診/"' in written
