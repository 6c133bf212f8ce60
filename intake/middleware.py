"""Request-level guards: the client's real address behind a proxy, and idle staff sessions."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

LAST_ACTIVITY_SESSION_KEY = "staff_last_activity"
# The activity stamp is rewritten at most this often, so a page of requests costs one session write.
ACTIVITY_RESOLUTION_SECONDS = 60


class ClientAddressMiddleware:
    """Behind the trusted reverse proxy, REMOTE_ADDR is the proxy: use the address it saw.

    The proxy appends the address it received the connection from to X-Forwarded-For, so the
    right-most entry is the only one a client cannot forge. The submit rate limit, the login
    lockout and the access records all read REMOTE_ADDR. Installed only when DJANGO_BEHIND_PROXY
    is set: without a proxy the header comes from the client and is ignored.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if addresses:
            request.META["REMOTE_ADDR"] = addresses[-1]
        return self.get_response(request)


class StaffIdleTimeoutMiddleware:
    """Sign staff out after STAFF_IDLE_TIMEOUT seconds without a request.

    A doctor's screen left open at the front desk must not stay signed in. Only signed-in users
    are concerned: a patient's wizard session (anonymous) keeps its answers for the session's
    whole lifetime.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        now = int(time.time())
        if request.user.is_authenticated:
            last = request.session.get(LAST_ACTIVITY_SESSION_KEY)
            if isinstance(last, int) and now - last > settings.STAFF_IDLE_TIMEOUT:
                logout(request)
                messages.info(
                    request,
                    _("You were signed out after a period of inactivity. Please sign in again."),
                )
                # The path only: a query string (a search in the queue) stays out of the URL.
                return redirect_to_login(request.path)

        response = self.get_response(request)

        # After the view, so that signing in starts the clock at once.
        if request.user.is_authenticated:
            last = request.session.get(LAST_ACTIVITY_SESSION_KEY)
            if not isinstance(last, int) or now - last >= ACTIVITY_RESOLUTION_SECONDS:
                request.session[LAST_ACTIVITY_SESSION_KEY] = now
        return response
