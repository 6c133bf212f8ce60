"""A per-address limit on intake submissions, shared by every app server through the cache."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

WINDOW_SECONDS = 60 * 60


def _key(request: HttpRequest) -> str:
    # The address is kept only as a keyed hash, for an hour.
    address = request.META.get("REMOTE_ADDR", "")
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()
    return f"intake-submit:{digest[:32]}"


def submission_allowed(request: HttpRequest) -> bool:
    return cache.get(_key(request), 0) < settings.INTAKE_SUBMIT_RATE_LIMIT


def submission_record(request: HttpRequest) -> None:
    key = _key(request)
    if not cache.add(key, 1, timeout=WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=WINDOW_SECONDS)
