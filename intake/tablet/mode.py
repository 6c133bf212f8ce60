"""Whether this device is an intake tablet: a signed, HTTP-only cookie reception's page sets.

The mark lives in a cookie of its own, not in the session, so that each patient's session can be
thrown away whole (nothing of them left behind) while the device stays a tablet. It is signed
with SECRET_KEY: no browser can make itself a tablet (and so escape the submission limit).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

COOKIE_NAME = "intake_tablet"
SALT = "intake.tablet"
# The session's stamp of the tablet's last request (or keep-alive), seconds since the epoch.
LAST_SEEN_SESSION_KEY = "tablet_last_seen"
# The server clears an idle questionnaire this long after the page's own timer would have: the
# page warns first and is the one that normally clears it.
SERVER_GRACE_SECONDS = 30


def max_age() -> int:
    return settings.INTAKE_TABLET_DAYS * 24 * 60 * 60


def is_tablet(request: HttpRequest) -> bool:
    """Whether the request comes from a device reception made a tablet (and not since ended)."""
    cached = getattr(request, "_intake_tablet", None)
    if cached is None:
        value = request.COOKIES.get(COOKIE_NAME, "")
        try:
            cached = bool(value) and signing.loads(value, salt=SALT, max_age=max_age()) is not None
        except signing.BadSignature:
            cached = False
        request._intake_tablet = cached  # type: ignore[attr-defined]
    return cached


def tablet_mark(response: HttpResponse, *, by_user_id: int) -> HttpResponse:
    response.set_cookie(
        COOKIE_NAME,
        signing.dumps({"by": by_user_id}, salt=SALT),
        max_age=max_age(),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def tablet_unmark(response: HttpResponse) -> HttpResponse:
    response.delete_cookie(COOKIE_NAME, samesite="Lax")
    return response


def server_idle_limit() -> int:
    """Seconds without a request after which the server clears a tablet's questionnaire."""
    return settings.INTAKE_TABLET_IDLE_SECONDS + SERVER_GRACE_SECONDS


def context(request: HttpRequest) -> dict[str, Any]:
    """`tablet` for templates: the idle timer's settings on a tablet, None elsewhere."""
    if not is_tablet(request):
        return {"tablet": None}
    return {
        "tablet": {
            "idle_seconds": settings.INTAKE_TABLET_IDLE_SECONDS,
            "warning_seconds": min(
                settings.INTAKE_TABLET_WARNING_SECONDS, settings.INTAKE_TABLET_IDLE_SECONDS
            ),
        }
    }
