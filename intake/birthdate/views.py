"""The view helper of a guarded link: ask for the date of birth until this browser has given
the right one, then let the link's own view go on.

The caller's view reads its record (an invitation) and calls `birth_date_gate` first; None means
go on. A wrong date shows the same page with the same status as the question itself, the date
typed kept and how many tries are left: nothing of the record. The pages sit at the link's own
address, which holds its token: they send only the site's origin as a referrer.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from intake.birthdate import birth_date_tries_left, services
from intake.birthdate.forms import BirthDateForm

# The links this session has confirmed, as "scope:pk" (e.g. "invitation:12").
SESSION_KEY = "birth_date_confirmed"


def _key(scope: str, pk: Any) -> str:
    return f"{scope}:{pk}"


def birth_date_confirmed(session: SessionBase, *, scope: str, pk: Any) -> bool:
    """Whether this session gave the right date of birth for the link (`scope`, `pk`)."""
    return _key(scope, pk) in session.get(SESSION_KEY, [])


def birth_date_forget(session: SessionBase, *, scope: str, pk: Any) -> None:
    """The link has done its work (the intake is sent): this session no longer holds it open."""
    confirmed = [key for key in session.get(SESSION_KEY, []) if key != _key(scope, pk)]
    session[SESSION_KEY] = confirmed


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int
) -> HttpResponse:
    response = render(request, template, context, status=status)
    add_never_cache_headers(response)
    # Not "no-referrer": a POST's Origin would then be "null" and fail the CSRF check.
    response["Referrer-Policy"] = "strict-origin"
    return response


def birth_date_gate(
    request: HttpRequest,
    *,
    scope: str,
    record: models.Model,
    expected: datetime.date,
    clinic: Any = None,
) -> HttpResponse | None:
    """None once this session has confirmed the date of birth for `record`; otherwise the
    response: the question (a GET, or a POST with a wrong or unreadable date), the locked page
    (403), or after the right date a redirect to this same address, which then goes on.

    A session that confirmed before the link locked keeps it open: it knew the date.
    """
    if birth_date_confirmed(request.session, scope=scope, pk=record.pk):
        return None
    context: dict[str, Any] = {"clinic": clinic}
    tries_left = birth_date_tries_left(record)
    form = BirthDateForm(request.POST if request.method == "POST" else None)
    if tries_left and request.method == "POST" and form.is_valid():
        check = services.birth_date_check(
            record=record, expected=expected, given=form.cleaned_data["date_of_birth"]
        )
        if check.confirmed:
            # A new session key, as at a sign-in: none chosen before the check holds it open.
            request.session.cycle_key()
            confirmed = request.session.get(SESSION_KEY, [])
            request.session[SESSION_KEY] = [*confirmed, _key(scope, record.pk)]
            return redirect(request.path)
        tries_left = check.tries_left
        if tries_left:
            form.add_error(
                "date_of_birth",
                _("This date of birth does not match. Check the year, month and day."),
            )
            context["tries_left"] = tries_left
    if not tries_left:
        return _page(request, "birthdate/locked.html", context, status=403)
    return _page(request, "birthdate/confirm.html", {**context, "form": form}, status=200)
