"""The patient's pages around the wizard: starting over, the confirmation, and the page that says
a session ended. The wizard itself is `intake.views`."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from intake import answers, selectors
from intake.views import (
    NEW_INTAKE_SESSION_KEY,
    latest_submitted,
    wizard_discard,
    wizard_in_progress,
)


@never_cache
@require_http_methods(["GET", "POST"])
def intake_start_over(request: HttpRequest) -> HttpResponse:
    """Erase the unfinished intake, on a POST from the page that says so; GET only asks."""
    if request.method == "POST":
        wizard_discard(request)
        return redirect("intake:start")
    if not wizard_in_progress(request):
        return redirect("intake:start")
    return render(request, "intake/start_over.html")


@never_cache
@require_GET
def intake_submitted(request: HttpRequest, reference: str) -> HttpResponse:
    """The confirmation: the reference code and the notes for the patient, never the verdict.

    Only the browser session that submitted the intake sees it, and only for its latest intake.
    Any other browser, or this one once its session has ended, is told that sent answers are with
    the clinic: one page and one status whether or not the reference exists (no intake is even
    looked up), 404 because this address shows this browser nothing of an intake.
    """
    intake = None
    if latest_submitted(request.session).get("reference") == reference:
        intake = selectors.intake_submitted(reference=reference)
    if intake is None:
        return render(
            request,
            "intake/submitted_elsewhere.html",
            {"clinic": selectors.clinic_profile()},
            status=404,
        )
    return render(
        request,
        "intake/submitted.html",
        {
            "intake": intake,
            "patient_notes": selectors.patient_notes(intake, language=translation.get_language()),
            "clinic": selectors.clinic_profile(),
        },
    )


@never_cache
@require_GET
def intake_session_ended(request: HttpRequest) -> HttpResponse:
    """A page of the questionnaire opened (or sent) without the answers it continues: what
    happened, and how to go on. Never the first step's errors on a later step's page."""
    return render(
        request,
        "intake/session_ended.html",
        {"hours": settings.SESSION_COOKIE_AGE // 3600, "clinic": selectors.clinic_profile()},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def intake_sent(request: HttpRequest) -> HttpResponse:
    """Back after sending: the answers were sent, with their reference, rather than an empty
    first page; a new questionnaire is started deliberately, by this page's POST."""
    latest = latest_submitted(request.session)
    if request.method == "POST" or not latest:
        if request.method == "POST":
            wizard_discard(request)
            request.session[NEW_INTAKE_SESSION_KEY] = True
        return redirect("intake:start")
    return render(request, "intake/sent.html", {"reference": latest["reference"]})


@never_cache
@require_GET
def intake_welcome(request: HttpRequest) -> HttpResponse:
    """The clinic's start page before step 1 (the site's front door): how long it takes and what
    to have at hand. Invitations, the tablet and repeat intakes go to step 1 directly."""
    return render(
        request,
        "intake/welcome.html",
        {"clinic": selectors.clinic_profile(), "questions": len(answers.QUESTIONS)},
    )
