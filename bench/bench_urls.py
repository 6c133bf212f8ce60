"""The app's URLs plus the bare baseline view of bench/submit_throughput.py (benchmarks only)."""

from __future__ import annotations

import datetime
import functools
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_POST

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
    now = datetime.datetime.now(tz=datetime.UTC)
    intake = Intake.objects.create(
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
    return redirect("intake:submitted", reference=intake.reference)


urlpatterns = [path("bench/bare-submit/", bare_submit), *app_urlpatterns]
