"""Keep the logs honest and free of secrets.

An invitation link's token opens a patient's prefilled details: it never reaches a log. A URL may
carry control characters (`%0A`): escaped, one request stays one line and can't forge another.
"""

from __future__ import annotations

import contextlib
import logging
import re
from typing import Any

from gunicorn.glogging import Logger as GunicornLogger

INVITATION_TOKEN = re.compile(r"(/invite/)[^/\s?\"]+")
REDACTED = r"\1[redacted]"
# C0, DEL and C1 controls; in the access log also the backslash and the quote, as nginx does, so
# that an escape in the log can't be mistaken for one a client typed.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
ACCESS_LOG_ESCAPED = re.compile(r"[\x00-\x1f\x7f-\x9f\\\"]")


def redact(text: str) -> str:
    return INVITATION_TOKEN.sub(REDACTED, text)


def _hex(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}"


def escape_control_characters(text: str) -> str:
    return CONTROL_CHARACTERS.sub(_hex, text)


class RedactInvitationTokens(logging.Filter):
    """A logging filter for Django's loggers (request warnings name the path)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


class EscapeControlCharacters(logging.Filter):
    """A logging filter: a record's message stays one line (Django's name the request's path)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        escaped = escape_control_characters(message)
        if escaped != message:
            record.msg, record.args = escaped, ()
        return True


class RedactingGunicornLogger(GunicornLogger):
    """gunicorn's logger: no invitation token in the path atoms, no control character in any."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        if isinstance(atoms.get("U"), str):
            # PATH_INFO is WSGI's UTF-8 read as Latin-1: read back, a Japanese path stays legible.
            with contextlib.suppress(UnicodeError):
                atoms["U"] = atoms["U"].encode("latin-1").decode("utf-8")
        for key in ("r", "U"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact(atoms[key])
        return {
            key: ACCESS_LOG_ESCAPED.sub(_hex, value) if isinstance(value, str) else value
            for key, value in atoms.items()
        }
