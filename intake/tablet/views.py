"""Tablet mode's pages: reception makes a device a tablet; patients start, finish, start again.

Each patient gets a session of their own: starting flushes whatever was there, and so does
finishing (the confirmation's button) or the idle timer, so the next patient can reach nothing of
the one before, not even with Back: the session that held it is gone.
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from intake.selectors import clinic_profile
from intake.tablet.mode import is_tablet, tablet_mark, tablet_unmark
from intake.views import set_language_cookie

TABLET_PERMISSION = "intake.add_invitation"


def tablet_only(view: Any) -> Any:
    """A tablet's page; any other device goes to the ordinary questionnaire."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_tablet(request):
            return redirect("intake:start")
        return view(request, *args, **kwargs)

    return wrapped


@never_cache
@login_required
@permission_required(TABLET_PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Reception's page: what tablet mode does, and the button that makes this device one.

    Making it a tablet signs reception out here: a patient must find no staff session on it.
    """
    if request.method == "POST":
        user_id = request.user.pk
        logout(request)
        return tablet_mark(redirect("tablet:start"), by_user_id=user_id)
    return render(
        request,
        "tablet/setup.html",
        {
            "idle_minutes": max(1, settings.INTAKE_TABLET_IDLE_SECONDS // 60),
            "tablet_days": settings.INTAKE_TABLET_DAYS,
        },
    )


@never_cache
@tablet_only
@require_http_methods(["GET"])
def start(request: HttpRequest) -> HttpResponse:
    """The start screen the tablet rests on between patients."""
    return render(request, "tablet/start.html", {"clinic": clinic_profile()})


@never_cache
@tablet_only
@require_POST
def begin(request: HttpRequest) -> HttpResponse:
    """A patient starts, in the language they chose, with a session of their own."""
    language = request.POST.get("language")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    request.session.flush()
    with translation.override(language):
        response = redirect("intake:start")
    return set_language_cookie(response, language)


@never_cache
@tablet_only
@require_POST
def finish(request: HttpRequest) -> HttpResponse:
    """The patient is done (or the idle timer ran out): forget them, back to the start screen."""
    request.session.flush()
    return redirect("tablet:start")


@never_cache
@tablet_only
@require_POST
def keep_alive(request: HttpRequest) -> HttpResponse:
    """The page's timer saw the patient typing: the session is still in use (the middleware
    stamps it), so the server does not clear it while no page is sent."""
    return HttpResponse(status=204)


@never_cache
@tablet_only
@require_http_methods(["GET", "POST"])
def leave(request: HttpRequest) -> HttpResponse:
    """Staff end tablet mode with their password; the tablet then shows the staff sign-in.

    The password is checked (django-axes counts failures and locks out as at the sign-in), but
    nobody is signed in here: staff sign in afterwards, on a device that is no longer a tablet.
    """
    form = AuthenticationForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.get_user().has_perm(TABLET_PERMISSION):
            request.session.flush()
            return tablet_unmark(redirect("login"))
        form.add_error(None, _("This account cannot end tablet mode."))
    return render(request, "tablet/leave.html", {"form": form})
