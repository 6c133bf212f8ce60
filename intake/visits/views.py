"""Today's visits (or a chosen day's), and where staff land after signing in.

One page for reception and doctors: each appointment with its state (invited, started,
submitted, in review, decided); doctors also see the screening verdict and open the intake,
reception opens the invitation. A list, like the queue: no access record, nothing medical for
reception.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from intake.visits import selectors
from intake.visits.forms import DayForm

REVIEW_PERMISSION = "intake.review_intake"
VISITS_PERMISSION = "intake.view_queue"


@login_required
@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    """After signing in: doctors to the queue, reception to today's visits."""
    if request.user.has_perm(REVIEW_PERMISSION) or not request.user.has_perm(VISITS_PERMISSION):
        return redirect("review:queue")
    return redirect("visits:today")


@never_cache
@login_required
@permission_required(VISITS_PERMISSION, raise_exception=True)
@require_GET
def today(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = DayForm(request.GET or None)
    day = (form.cleaned_data.get("day") if form.is_valid() else None) or today
    for_doctor = request.user.has_perm(REVIEW_PERMISSION)
    visits = selectors.visits_on(day, for_doctor=for_doctor)
    language = get_language()
    return render(
        request,
        "visits/today.html",
        {
            "form": form,
            "day": day,
            "today": today,
            "previous_day": day - datetime.timedelta(days=1),
            "next_day": day + datetime.timedelta(days=1),
            "for_doctor": for_doctor,
            "visits": [
                {"visit": visit, "verdict_label": visit.verdict_label(language)} for visit in visits
            ],
            "state_counts": selectors.state_counts(visits),
        },
    )
