"""The app's URLs plus the bare baselines of the benchmarks (bench/ only, never served otherwise).

bare_submit: the floor of the final submit (bench/submit_throughput.py). bare_page, bare_step,
bare_review and bare_done: the floor of a whole patient journey (bench/journey.py), as many
requests of the same kinds as the wizard's, through the same middleware, sessions and CSRF.
"""

from __future__ import annotations

import datetime
import functools
import random
import uuid
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template import engines
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinic.urls import urlpatterns as app_urlpatterns
from intake import answers, references, selectors
from intake.models import Intake

WIZARD_SESSION_KEY = "wizard_intake_wizard"


def _value(question: answers.Question, sent: list[str]) -> Any:
    if question.kind == "multi":
        return sent
    first = sent[0] if sent else ""
    if question.kind == "date":
        return datetime.date.fromisoformat(first) if first else None
    if question.kind == "bool":
        return first in ("true", "on")
    return first


@functools.cache
def consent_document_id() -> int:
    return selectors.current_consent_document().pk


@require_POST
def bare_submit(request: HttpRequest) -> HttpResponse:
    """The floor of a submit: read the same answers from the session, save one row, redirect.

    No forms, no screening, no flags, no rate limit, no idempotency check.
    """
    stored = request.session[WIZARD_SESSION_KEY]["step_data"]
    values = {
        question.key: _value(question, stored[question.step].get(f"{question.step}-{key}", []))
        for key, question in answers.QUESTIONS.items()
    }
    intake = save_intake(values)
    return redirect("intake:submitted", reference=intake.reference)


def save_intake(values: dict[str, Any]) -> Intake:
    """One INSERT: an intake with `values` as its answers, and no screening."""
    now = datetime.datetime.now(tz=datetime.UTC)
    return Intake.objects.create(
        reference=references.new_reference(),
        submission_token=uuid.uuid4(),
        language="ja",
        submitted_at=now,
        consent_document_id=consent_document_id(),
        consent_at=now,
        ruleset_version="bare",
        reference_date=now.date(),
        verdict="suitable",
        verdict_rank=3,
        suitability="suitable",
        current_verdict="suitable",
        current_verdict_rank=3,
        current_suitability="suitable",
        **values,
    )


# The bare journey -------------------------------------------------------------------------------
BARE_STEPS = 6
BARE_SESSION_KEY = "bare_journey"
BARE_SUBMITTED_KEY = "bare_submitted"
PAGE = """<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>Bare</title></head>
<body><main><h1>{{ title }}</h1>
{% if form %}<form method="post">{% csrf_token %}{{ form }}<button>Next</button></form>{% endif %}
{% if answers %}<dl>{% for step, given in answers %}<dt>{{ step }}</dt><dd>{{ given }}</dd>
{% endfor %}</dl><form method="post">{% csrf_token %}<button>Send</button></form>{% endif %}
{% if reference %}<p>{{ reference }}</p>{% endif %}</main></body></html>"""


class BareStepForm(forms.Form):
    """A plain form of a few fields of the usual kinds, standing for one wizard step."""

    name = forms.CharField(max_length=100)
    when = forms.DateField(required=False)
    choice = forms.ChoiceField(choices=[("a", "A"), ("b", "B"), ("c", "C")])
    several = forms.MultipleChoiceField(
        choices=[("x", "X"), ("y", "Y"), ("z", "Z")], required=False
    )
    agree = forms.BooleanField()


@functools.cache
def page_template() -> Any:
    return engines["django"].from_string(PAGE)


def render_page(request: HttpRequest, **context: Any) -> HttpResponse:
    return HttpResponse(page_template().render(context, request))


@functools.cache
def bare_answers() -> dict[str, Any]:
    """The answers every bare intake is saved with: one valid set, made once."""
    from bench.common import valid_answers

    given = valid_answers(random.Random(1), datetime.date.today())
    return {key: given[key] for key in answers.QUESTIONS}


@require_GET
def bare_page(request: HttpRequest) -> HttpResponse:
    """The landing page: a small template, nothing else."""
    return render_page(request, title="Welcome")


@require_http_methods(["GET", "POST"])
def bare_step(request: HttpRequest, number: int) -> HttpResponse:
    """GET: the form on a small template. POST: validate it, keep it in the session, go on."""
    form = BareStepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        kept = request.session.get(BARE_SESSION_KEY, {})
        kept[str(number)] = {k: request.POST.getlist(k) for k in form.fields}
        request.session[BARE_SESSION_KEY] = kept
        if number < BARE_STEPS:
            return redirect("bare_step", number=number + 1)
        return redirect("bare_review")
    return render_page(request, title=f"Step {number}", form=form)


@require_http_methods(["GET", "POST"])
def bare_review(request: HttpRequest) -> HttpResponse:
    """GET: the session's answers on a small template. POST: one INSERT, then the confirmation."""
    kept = request.session.get(BARE_SESSION_KEY, {})
    if request.method == "GET":
        return render_page(request, title="Review", answers=sorted(kept.items()))
    intake = save_intake({**bare_answers(), "full_name": kept["1"]["name"][0]})
    del request.session[BARE_SESSION_KEY]
    request.session[BARE_SUBMITTED_KEY] = intake.reference
    return redirect("bare_done", reference=intake.reference)


@require_GET
def bare_done(request: HttpRequest, reference: str) -> HttpResponse:
    if request.session.get(BARE_SUBMITTED_KEY) != reference:
        return HttpResponse(status=404)
    return render_page(request, title="Sent", reference=reference)


urlpatterns = [
    path("bench/bare-submit/", bare_submit),
    path("bench/bare/", bare_page, name="bare_page"),
    path("bench/bare/step/<int:number>/", bare_step, name="bare_step"),
    path("bench/bare/review/", bare_review, name="bare_review"),
    path("bench/bare/done/<str:reference>/", bare_done, name="bare_done"),
    *app_urlpatterns,
]
