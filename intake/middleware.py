"""Request-level guards: the load balancer's health check, control characters in URLs, the
client's real address behind a proxy, idle staff sessions (with the idle warning's "stay
signed in" and where signing in again leads), and what an intake tablet may open."""

from __future__ import annotations

import functools
import re
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from intake import views
from intake.tablet import mode as tablet

LAST_ACTIVITY_SESSION_KEY = "staff_last_activity"
# The activity stamp is rewritten at most this often, so a page of requests costs one session
# write; a short idle timeout rewrites it more often (activity_resolution).
ACTIVITY_RESOLUTION_SECONDS = 60
# No URL of ours has a control character in its path.
PATH_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


class HealthCheckMiddleware:
    """Answer /healthz before anything redirects to HTTPS or reads the Host header.

    The load balancer probes each app server at its own address over plain HTTP: the HTTPS
    redirect (SecurityMiddleware) would answer 301 and the Host check (ALLOWED_HOSTS, read by
    CommonMiddleware) 400. First in the stack; the answer is views.healthz's, status only.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == reverse("healthz"):
            return views.healthz(request)
        return self.get_response(request)


class ControlCharacterInRequest(SuspiciousOperation):
    """A NUL or another control character where no request of ours has one."""


class RefuseControlCharactersMiddleware:
    """Refuse with 400 a path holding a control character, or a query string or cookie with NUL.

    PostgreSQL can't even compare a string holding NUL: a lookup by a reference, a token or an
    admin filter would fail with a 500. Query strings and cookies are refused only for NUL: a tab
    pasted into a search box is harmless. After LocaleMiddleware, so the 400 page speaks the
    page's language; before anything reads the database.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = urllib.parse.unquote_to_bytes(request.META.get("QUERY_STRING", ""))
        if (
            PATH_CONTROL_CHARACTERS.search(request.path_info)
            or b"\x00" in query
            or any("\x00" in name + value for name, value in request.COOKIES.items())
        ):
            raise ControlCharacterInRequest("A control character in the URL or a cookie.")
        return self.get_response(request)


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


def activity_resolution(timeout: int) -> int:
    """How often the activity stamp is rewritten: a minute, or a tenth of a shorter timeout.

    The stamp may lag the last request by up to this much, so staff are signed out between
    `timeout - resolution` and `timeout` seconds after their last request; a resolution as
    long as the timeout would sign out staff who are working.
    """
    return max(1, min(ACTIVITY_RESOLUTION_SECONDS, timeout // 10))


@dataclass(frozen=True)
class IdleWarning:
    """What a signed-in page's idle warning reads (templates/registration/_idle_warning.html)."""

    # Until the sign-out, counted from this response (the activity stamp may lag a little).
    seconds_left: int
    # After "Stay signed in" (staff_keep_alive restarts the clock).
    timeout: int
    # "Sign in again" reloads this: the page, or the form's page for a POST-only address.
    page: str


class StaffIdleTimeoutMiddleware:
    """Sign staff out after STAFF_IDLE_TIMEOUT seconds without a request.

    A doctor's screen left open at the front desk must not stay signed in. Only signed-in users
    are concerned: a patient's wizard session (anonymous) keeps its answers for the session's
    whole lifetime. A signed-in page is told how long it has (`request.staff_idle`): its idle
    warning offers to stay signed in before the time is up (WCAG 2.2.1).
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
                return redirect_to_login(sign_in_next(request))
            stamp = now if _stamp_is_due(last, now) else last
            request.staff_idle = IdleWarning(  # type: ignore[attr-defined]
                seconds_left=settings.STAFF_IDLE_TIMEOUT - (now - stamp),
                timeout=settings.STAFF_IDLE_TIMEOUT,
                page=sign_in_next(request),
            )

        response = self.get_response(request)

        # After the view, so that signing in starts the clock at once.
        if request.user.is_authenticated and _stamp_is_due(
            request.session.get(LAST_ACTIVITY_SESSION_KEY), now
        ):
            request.session[LAST_ACTIVITY_SESSION_KEY] = now
        return response


def _stamp_is_due(last: Any, now: int) -> bool:
    resolution = activity_resolution(settings.STAFF_IDLE_TIMEOUT)
    return not isinstance(last, int) or now - last >= resolution


def sign_in_next(request: HttpRequest) -> str:
    """Where signing in again leads: the page asked for, its path only (a query string, such as
    a search in the queue, stays out of the URL); for a form's POST-only address, the page the
    form is on (`login_returns_to`), never an address that answers a GET with 405."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return request.path
    page = getattr(match.func, "login_returns_to", None)
    if page is None:
        return request.path
    return reverse(page, args=match.args, kwargs=match.kwargs)


def login_returns_to(
    page: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """`login_required` for a view that only takes a form's POST: a signed-out visitor is sent
    to sign in, then to `page` (a URL name taking the same arguments), the page the form is on.
    The idle sign-out reads the same attribute."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(reverse(page, args=args, kwargs=kwargs))
            return view(request, *args, **kwargs)

        wrapped.login_returns_to = page  # type: ignore[attr-defined]
        return wrapped

    return decorator


@never_cache
@require_POST
def staff_keep_alive(request: HttpRequest) -> HttpResponse:
    """The idle warning's "Stay signed in": restarts the idle clock, and does nothing else.

    A POST with the CSRF token, not a GET: it prolongs what the session may do, so another site
    must not be able to keep a signed-in screen open (a GET can be sent from any page). 204
    when the clock restarted; a session already ended was signed out by the middleware before
    (a redirect to sign in), and one that was never signed in gets 403: the page then says the
    doctor is signed out.
    """
    if not request.user.is_authenticated:
        return HttpResponse(status=403)
    request.session[LAST_ACTIVITY_SESSION_KEY] = int(time.time())
    return HttpResponse(status=204)


# What a tablet may open: the patient's questionnaire, its own pages, the language switch.
TABLET_NAMESPACES = frozenset({"intake"})
TABLET_VIEWS = frozenset(
    {"tablet:start", "tablet:begin", "tablet:finish", "tablet:keep_alive", "tablet:leave"}
)
TABLET_SHARED_VIEWS = frozenset({"set_language"})


class TabletModeMiddleware:
    """On an intake tablet: no staff page, no staff session, and no questionnaire left idle.

    Every page but the patient's (the questionnaire, the tablet's own pages, the language switch)
    is refused with a page that leads back to the start screen: the tablet can't even reach the
    sign-in. A session whose last request (or the page's keep-alive) is older than the idle time,
    plus a grace, is thrown away: the page's own timer warns and clears it first, and this catches
    a page that could not. After the session, authentication and language middleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not tablet.is_tablet(request):
            return self.get_response(request)
        try:
            view_name = resolve(request.path_info).view_name
        except Resolver404:
            return self.get_response(request)  # the 404 page, as anywhere
        if request.user.is_authenticated:
            logout(request)
        if view_name == "home":
            return redirect("tablet:start")
        allowed = (
            view_name.partition(":")[0] in TABLET_NAMESPACES
            or view_name in TABLET_VIEWS
            or view_name in TABLET_SHARED_VIEWS
        )
        if not allowed:
            return render(request, "tablet/refused.html", status=403)
        now = int(time.time())
        last = request.session.get(tablet.LAST_SEEN_SESSION_KEY)
        if isinstance(last, int) and now - last > tablet.server_idle_limit():
            request.session.flush()
            if view_name != "tablet:start":
                return redirect("tablet:start")
        response = self.get_response(request)
        # A patient's session only (the start screen keeps none), rewritten now and then.
        last = request.session.get(tablet.LAST_SEEN_SESSION_KEY)
        resolution = activity_resolution(settings.INTAKE_TABLET_IDLE_SECONDS)
        in_use = view_name not in ("tablet:start", "tablet:finish") and request.session.keys()
        if in_use and (not isinstance(last, int) or now - last >= resolution):
            request.session[tablet.LAST_SEEN_SESSION_KEY] = now
        return response
