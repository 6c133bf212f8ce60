"""Continue later: ask for a link by e-mail (from any step after the first), and the link itself,
which asks for the date of birth given on step 1 and then opens the answers in this browser.

The link opens once, until it expires; any link it cannot open (unknown, used, expired) shows the
same page with the same status, which tells nothing of whose it was.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.datastructures import MultiValueDict
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from intake.birthdate.views import birth_date_forget, birth_date_gate
from intake.forms import STEP_FORMS
from intake.resume import RESUME_LINK_LIFETIME, RESUME_SCOPE, selectors, services
from intake.resume.forms import ResumeEmailForm
from intake.selectors import clinic_profile
from intake.views import (
    INVITATION_SESSION_KEY,
    WIZARD_SESSION_KEY,
    set_language_cookie,
    wizard_discard,
)

# The address the last link was sent to, shown once on the request page after its POST.
SENT_SESSION_KEY = "resume_link_sent"
FIRST_STEP = next(iter(STEP_FORMS))


def _first_step_answers(request: HttpRequest) -> dict[str, Any] | None:
    """Step 1's answers as saved in this session, if they are complete (the link needs the date
    of birth), else None."""
    stored = request.session.get(WIZARD_SESSION_KEY) or {}
    data = (stored.get("step_data") or {}).get(FIRST_STEP)
    if not data:
        return None
    form = STEP_FORMS[FIRST_STEP](
        data=MultiValueDict(data), prefix=FIRST_STEP, today=timezone.localdate()
    )
    return form.cleaned_data if form.is_valid() else None


def resume_available(request: HttpRequest) -> bool:
    return settings.EMAIL_ENABLED and _first_step_answers(request) is not None


@never_cache
@require_http_methods(["GET", "POST"])
def resume_request(request: HttpRequest) -> HttpResponse:
    """The address to e-mail the link to (step 1's, to change if wanted), and after its POST,
    that it is on its way."""
    sent_to = request.session.pop(SENT_SESSION_KEY, None)
    about_you = _first_step_answers(request)
    if sent_to is None and (about_you is None or not settings.EMAIL_ENABLED):
        return redirect("intake:start")
    form = ResumeEmailForm(
        request.POST if request.method == "POST" else None,
        initial={"email": (about_you or {}).get("email", "")},
    )
    if request.method == "POST" and about_you is not None and form.is_valid():
        stored = request.session[WIZARD_SESSION_KEY]
        extra = {
            k: v for k, v in (stored.get("extra_data") or {}).items() if k != "submission_token"
        }
        services.resume_link_create(
            answers={
                "step": stored.get("step"),
                "step_data": stored["step_data"],
                "extra_data": extra,
            },
            date_of_birth=about_you["date_of_birth"],
            email=form.cleaned_data["email"],
            language=translation.get_language(),
        )
        request.session[SENT_SESSION_KEY] = form.cleaned_data["email"]
        return redirect("intake:resume_request")
    context = {
        "form": form,
        "sent_to": sent_to,
        "hours": int(RESUME_LINK_LIFETIME.total_seconds() // 3600),
        "step": (request.session.get(WIZARD_SESSION_KEY) or {}).get("step"),
    }
    return render(request, "resume/request.html", context, status=400 if form.is_bound else 200)


def _refused(request: HttpRequest) -> HttpResponse:
    response = render(request, "resume/refused.html", {"clinic": clinic_profile()}, status=404)
    response["Referrer-Policy"] = "strict-origin"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def resume_open(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mailed link: the date of birth first, then the answers, in this browser, once."""
    link = selectors.resume_link_by_token(token=token)
    if not selectors.resume_link_open(link, now=timezone.now()):
        return _refused(request)
    gate = birth_date_gate(
        request,
        scope=RESUME_SCOPE,
        record=link,
        expected=link.date_of_birth,
        clinic=clinic_profile(),
    )
    if gate is not None:
        return gate
    answers = services.resume_link_take(link=link)
    birth_date_forget(request.session, scope=RESUME_SCOPE, pk=link.pk)
    if answers is None:
        return _refused(request)
    wizard_discard(request)
    request.session.pop(INVITATION_SESSION_KEY, None)
    request.session[WIZARD_SESSION_KEY] = {
        "step": answers.get("step"),
        "step_data": answers.get("step_data") or {},
        "step_files": {},
        "extra_data": answers.get("extra_data") or {},
    }
    with translation.override(link.language):
        response = redirect("intake:step", step=answers.get("step") or FIRST_STEP)
    return set_language_cookie(response, link.language)
