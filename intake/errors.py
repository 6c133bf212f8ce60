"""The error pages (400, 403, 404, 500 and the CSRF failure), in the visitor's language.

Wired in clinic/urls.py (handler400 ...) and settings.CSRF_FAILURE_VIEW; Django calls them only
with DEBUG off, so no page ever shows Django's technical text. The language is the rule of every
other page: the address's prefix, else the language cookie, else the browser's, else Japanese;
unprefixed addresses (/static/x, /i18n/setlang/) get it too.

Every page but 403 is rendered without the request's context: no user, no session, no messages,
so it reads nothing from the database and the 500 page still answers when the database is down.
The 403 page says what the signed-in user may do, so it reads the user (the check that refused
them just did). A page holds no patient data, and none is cached.
"""

from __future__ import annotations

import logging

from csp.constants import HEADER as CSP_HEADER
from csp.utils import build_policy
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

# Addresses (after the language prefix) of the staff's pages: their way back is the queue, which
# sends anyone not signed in to the sign-in page. Everyone else's way back is the questionnaire.
STAFF_PATHS = ("review/", "reception/", "accounts/", "admin/")

# What the 500 handler answers if even its page cannot be built (a broken template, a missing
# static manifest): still both languages, never the server's bare English page.
FALLBACK_500 = (
    '<!doctype html><html lang="ja"><head><meta charset="utf-8">'
    "<title>エラー / Error</title></head><body>"
    "<p>エラーが発生しました。数分後にもう一度お試しください。</p>"
    '<p lang="en">Something went wrong on our side. Please try again in a few minutes.</p>'
    "</body></html>"
)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    language = visitor_language(request)
    with translation.override(language):
        response = render(request, "403.html", status=403)
    return _finish(response, language)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return error_response(request, status=500)
    except Exception:
        logger.exception("The 500 page could not be rendered.")
        return _finish(HttpResponse(FALLBACK_500, status=500), settings.LANGUAGE_CODE)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The form's page expired (or came from elsewhere): say so, and how to send it again."""
    return error_response(request, status=403, template="403_csrf.html")


def error_response(request: HttpRequest, *, status: int, template: str = "") -> HttpResponse:
    """The page `<status>.html` (400, 404, 410, 429, 500) in the visitor's language.

    For a view that answers one of these itself (410, 429) as much as for the handlers.
    """
    language = visitor_language(request)
    prefix, rest = split_language_prefix(request.path_info)
    staff = rest.startswith(STAFF_PATHS)
    # The same address in the other language, where that is simply another request for it: a GET
    # of a prefixed address (a POST's address may take no GET; an unprefixed one has no twin).
    other_languages = []
    if prefix and request.method in ("GET", "HEAD"):
        script_prefix = request.path.removesuffix(request.path_info)
        other_languages = [
            (code, f"{script_prefix}/{code}/{rest}")
            for code, _name in settings.LANGUAGES
            if code != language
        ]
    with translation.override(language):
        context = {
            "status": status,
            "staff": staff,
            "way_back": reverse("review:queue" if staff else "intake:start"),
            "other_languages": other_languages,
        }
        html = render_to_string(template or f"{status}.html", context)
    return _finish(HttpResponse(html, status=status), language)


def visitor_language(request: HttpRequest) -> str:
    return translation.get_language_from_request(request, check_path=True)


def split_language_prefix(path: str) -> tuple[str | None, str]:
    """`/ja/intake/x` → ("ja", "intake/x"); an address without a prefix → (None, "nothing-here")."""
    for code, _name in settings.LANGUAGES:
        if path.startswith(f"/{code}/"):
            return code, path.removeprefix(f"/{code}/")
    return None, path.removeprefix("/")


def _finish(response: HttpResponse, language: str) -> HttpResponse:
    add_never_cache_headers(response)
    response.headers.setdefault("Content-Language", language)
    # An error raised in a middleware listed before CSPMiddleware and XFrameOptionsMiddleware
    # (the session's save on the way out, the idle-staff check reading the session) comes back
    # without passing through them: the page carries their headers itself.
    policy = build_policy()
    if policy:
        response.headers.setdefault(CSP_HEADER, policy)
    response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
    return response
