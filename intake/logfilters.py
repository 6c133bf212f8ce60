"""Keep secrets out of the logs: an invitation link's token opens a patient's prefilled details."""

from __future__ import annotations

import logging
import re
from typing import Any

from gunicorn.glogging import Logger as GunicornLogger

INVITATION_TOKEN = re.compile(r"(/invite/)[^/\s?\"]+")
REDACTED = r"\1[redacted]"


def redact(text: str) -> str:
    return INVITATION_TOKEN.sub(REDACTED, text)


class RedactInvitationTokens(logging.Filter):
    """A logging filter for Django's loggers (request warnings name the path)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


class RedactingGunicornLogger(GunicornLogger):
    """gunicorn's logger with invitation tokens removed from the access log's path atoms."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact(atoms[key])
        return atoms
