"""The doctors' review workspace: the queue, one intake, the decision, and what carries an intake
out of the app: the consultation summary (print), the patient's handout, the chart text and the
FHIR download. Each of those readings is recorded like the intake's page.

Anonymous visitors go to the login page; a logged-in user without the permission gets the 403
page (raise_exception), never a redirect back to a login they already passed.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from intake import answers, audit, chart, screening
from intake.answers.short_labels import SHORT_LABELS
from intake.fhir import selectors as fhir_selectors
from intake.fhir.bundle import intake_bundle
from intake.fhir.common import base_url
from intake.invitations.selectors import invitations_pending
from intake.middleware import login_returns_to
from intake.models import AccessRecord, Decision, Intake
from intake.patients import selectors as patient_selectors
from intake.review import selectors, services
from intake.review.forms import DecisionForm, QueueFilterForm
from intake.review.queue import QueueFilters, queue_rows, queue_verdict_counts, review_queue
from intake.selectors import answer_sections, clinic_profile, patient_notes

QUEUE_PAGE_SIZE = 50
# Invited patients who have not finished, listed under the queue; the rest on the reception page.
PENDING_INVITATIONS_SHOWN = 20
REVIEW_PERMISSION = "intake.review_intake"
QUEUE_PERMISSION = "intake.view_queue"


# The intake page's section of decisions, the current one first (templates/review/intake.html).
DECISIONS_ANCHOR = "decisions"


def _intake_url(intake: Intake) -> str:
    return reverse("review:intake", kwargs={"reference": intake.reference})


def _is_doctor(request: HttpRequest) -> bool:
    return request.user.has_perm(REVIEW_PERMISSION)


def _intake_or_404(reference: str) -> Intake:
    intake = selectors.intake_for_review(reference=reference)
    if intake is None:
        raise Http404
    return intake


@never_cache
@login_required
@permission_required(QUEUE_PERMISSION, raise_exception=True)
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """Doctors see verdicts, suitability and flags; reception only names, visit dates, status."""
    for_doctor = _is_doctor(request)
    form = QueueFilterForm(request.GET or None, for_doctor=for_doctor)
    filters = form.filters() if form.is_bound else QueueFilters()
    paginator = Paginator(review_queue(filters=filters, for_doctor=for_doctor), QUEUE_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    pending = list(invitations_pending(today=timezone.localdate())[: PENDING_INVITATIONS_SHOWN + 1])
    return render(
        request,
        "review/queue.html",
        {
            "pending_invitations": pending[:PENDING_INVITATIONS_SHOWN],
            "more_pending_invitations": len(pending) > PENDING_INVITATIONS_SHOWN,
            "form": form,
            "for_doctor": for_doctor,
            "page": page,
            "rows": queue_rows(page.object_list, for_doctor=for_doctor, language=get_language()),
            "verdict_counts": _verdict_counts(filters) if for_doctor else None,
            "active_verdict": filters.verdict,
        },
    )


def _verdict_counts(filters: QueueFilters) -> list[dict[str, Any]]:
    counts = queue_verdict_counts(filters=filters)
    language = get_language()
    return [
        {"code": code, "label": label.in_language(language), "count": counts[code]}
        for code, label in answers.VERDICT_LABELS.items()
    ]


def _patient_context(intake: Intake, earlier: list[Intake], language: str) -> dict[str, Any]:
    """A returning patient's history: earlier intakes and decisions, treatments, and the answers
    that differ from the previous intake (spec §5)."""
    if intake.patient is None:
        return {"suggestion_count": len(patient_selectors.match_suggestions(intake=intake))}
    return {
        "patient": intake.patient,
        "earlier": [(e, patient_selectors.latest_decision_of(e)) for e in earlier],
        "treatments": patient_selectors.patient_treatments(patient=intake.patient),
        "previous": earlier[0] if earlier else None,
        "changes": (
            patient_selectors.answer_changes(intake=intake, previous=earlier[0], language=language)
            if earlier
            else []
        ),
    }


def _intake_context(
    intake: Intake, earlier: list[Intake], form: DecisionForm | None = None
) -> dict[str, Any]:
    language = get_language()
    latest = selectors.latest_decision(intake)
    if form is None:
        form = DecisionForm(
            flags=selectors.flags_to_acknowledge(intake),
            initial={"based_on": latest.pk if latest else None},
        )
    return {
        **_patient_context(intake, earlier, language),
        "intake": intake,
        "reference_date": intake.current_reference_date,
        "age": screening.completed_years(intake.date_of_birth, intake.current_reference_date),
        "sections": answer_sections(intake, language=language, staff=True),
        "flags": selectors.flag_details(intake, language=language),
        "patient_notes": patient_notes(intake, language=language),
        "key_dates": selectors.key_dates(intake),
        "history": selectors.decision_history(intake),
        "latest_decision": latest,
        "access_records": _access_records(intake),
        "rescreening": selectors.rescreening_difference(intake, language=language),
        "form": form,
        # The language switch leads here, also from a page a refused POST rendered.
        "language_path": _intake_url(intake),
    }


def _access_records(intake: Intake) -> list[AccessRecord]:
    """The intake's access record, each with its action's label as `action_label`: looked up
    once a page, where `get_action_display` would translate every action's label for each of the
    up to 100 rows."""
    labels = {action: str(label) for action, label in AccessRecord.Action.choices}
    records = selectors.access_records(intake=intake)
    for record in records:
        record.action_label = labels[record.action]
    return records


@never_cache
@login_required
@permission_required(REVIEW_PERMISSION, raise_exception=True)
@require_GET
def intake_detail(request: HttpRequest, reference: str) -> HttpResponse:
    intake = _intake_or_404(reference)
    earlier = patient_selectors.earlier_intakes(intake=intake)
    services.intake_open_for_review(
        intake=intake,
        user=request.user,
        history=earlier,
        ip_address=request.META.get("REMOTE_ADDR"),
    )
    return render(request, "review/intake.html", _intake_context(intake, earlier))


@never_cache
# Signed out meanwhile (idle), the doctor signs in again on the intake's page, not on this POST-only
# address (a 405); what was typed comes back there (static/review/review.js).
@login_returns_to("review:intake")
@permission_required(REVIEW_PERMISSION, raise_exception=True)
@require_POST
def intake_decide(request: HttpRequest, reference: str) -> HttpResponse:
    """Record a decision; bad input or a decision made meanwhile re-renders with all typed kept."""
    intake = _intake_or_404(reference)
    form = DecisionForm(request.POST, flags=selectors.flags_to_acknowledge(intake))
    if form.is_valid():
        try:
            services.intake_decide(
                intake=intake,
                doctor=request.user,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                acknowledged_flags=form.acknowledged_codes,
                based_on=form.cleaned_data["based_on"],
            )
        except services.DecisionConflict as conflict:
            return _render_conflict(request, reference, form, conflict.latest)
        except ValidationError as error:
            # The service checks again what the form checked; a flag can't change in between,
            # so this is a safety net that still keeps everything typed.
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The decision has been recorded."))
            # The page opens at the decisions, the saved one first, not at a blank new form.
            return redirect(_intake_url(intake) + f"#{DECISIONS_ANCHOR}")
    earlier = _record_refused(request, intake)
    return render(request, "review/intake.html", _intake_context(intake, earlier, form), status=400)


def _record_refused(request: HttpRequest, intake: Intake) -> list[Intake]:
    """A refused decision shows the whole intake again, with its history: a reading like any
    other, recorded before the page is built so that its access record lists it. Returns the
    earlier intakes the page shows."""
    earlier = patient_selectors.earlier_intakes(intake=intake)
    audit.access_record(
        user=request.user,
        action=AccessRecord.Action.DECISION_REFUSED,
        intake=intake,
        patient=intake.patient,
        ip_address=request.META.get("REMOTE_ADDR"),
    )
    audit.access_records_create(
        intakes=earlier,
        user=request.user,
        action=AccessRecord.Action.HISTORY,
        patient=intake.patient,
        ip_address=request.META.get("REMOTE_ADDR"),
    )
    return earlier


def _render_conflict(
    request: HttpRequest, reference: str, form: DecisionForm, latest: Decision | None
) -> HttpResponse:
    """Show the decision recorded meanwhile beside what this doctor typed, saving nothing.

    The form now says it is based on that decision, so submitting again is a deliberate choice
    to supersede it.
    """
    intake = _intake_or_404(reference)
    data = form.data.copy()
    data["based_on"] = str(latest.pk) if latest else ""
    form = DecisionForm(data, flags=selectors.flags_to_acknowledge(intake))
    earlier = _record_refused(request, intake)
    context = _intake_context(intake, earlier, form)
    context["conflict"] = latest
    # No decision to show: another doctor's was still being saved (SQLite's write lock).
    context["conflict_in_progress"] = latest is None
    return render(request, "review/intake.html", context, status=409)


def _record_reading(
    request: HttpRequest, intake: Intake, action: str, history: list[Intake] | None = None
) -> None:
    services.intake_read_record(
        intake=intake,
        user=request.user,
        action=action,
        history=history or [],
        ip_address=request.META.get("REMOTE_ADDR"),
    )


@never_cache
@login_required
@permission_required(REVIEW_PERMISSION, raise_exception=True)
@require_GET
def intake_print(request: HttpRequest, reference: str) -> HttpResponse:
    """The one-page consultation summary the doctor holds: every non-empty answer, every flag
    with its note, key dates, a returning patient's history, the decision, room to sign."""
    intake = _intake_or_404(reference)
    earlier = patient_selectors.earlier_intakes(intake=intake)
    _record_reading(request, intake, AccessRecord.Action.PRINT, earlier)
    language = get_language()
    patient = _patient_context(intake, earlier, language)
    # Compact: each changed answer under its short label.
    patient["changes"] = [
        replace(change, label=SHORT_LABELS[change.key].in_language(language))
        for change in patient.get("changes", [])
    ]
    return render(
        request,
        "review/print.html",
        {
            **patient,
            "intake": intake,
            "reference_date": intake.current_reference_date,
            "age": screening.completed_years(intake.date_of_birth, intake.current_reference_date),
            "sections": selectors.answer_summary(intake, language=language),
            "flags": selectors.flag_details(intake, language=language, short=True),
            "key_dates": [item for item in selectors.key_dates(intake) if item.date],
            "latest_decision": selectors.latest_decision(intake),
            "clinic": clinic_profile(),
        },
    )


@never_cache
@login_required
@permission_required(REVIEW_PERMISSION, raise_exception=True)
@require_GET
def intake_handout(request: HttpRequest, reference: str) -> HttpResponse:
    """The patient's handout, in the patient's language: the notes they were shown and the
    general notes, with the clinic's contact."""
    intake = _intake_or_404(reference)
    _record_reading(request, intake, AccessRecord.Action.HANDOUT)
    with translation.override(intake.language):
        return render(
            request,
            "review/handout.html",
            {
                "intake": intake,
                "patient_notes": patient_notes(intake, language=intake.language),
                "clinic": clinic_profile(),
            },
        )


@never_cache
@login_required
@permission_required(REVIEW_PERMISSION, raise_exception=True)
@require_GET
def intake_chart(request: HttpRequest, reference: str) -> HttpResponse:
    """The chart text on a page of its own, to select and copy (works without JavaScript)."""
    intake = _intake_or_404(reference)
    _record_reading(request, intake, AccessRecord.Action.CHART)
    text = chart.chart_text(intake, language=get_language())
    return render(
        request,
        "review/chart.html",
        {"intake": intake, "text": text, "rows": text.count("\n") + 1, "columns": chart.WIDTH},
    )


@never_cache
@login_required
@permission_required(REVIEW_PERMISSION, raise_exception=True)
@require_GET
def intake_chart_text(request: HttpRequest, reference: str) -> HttpResponse:
    """The chart text alone, as text/plain: what the intake page's copy button fetches."""
    intake = _intake_or_404(reference)
    _record_reading(request, intake, AccessRecord.Action.CHART)
    text = chart.chart_text(intake, language=get_language())
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


@never_cache
@login_required
@permission_required(REVIEW_PERMISSION, raise_exception=True)
@require_GET
def intake_fhir(request: HttpRequest, reference: str) -> HttpResponse:
    """The intake as a FHIR Bundle (JSON), downloaded as a file."""
    intake = fhir_selectors.intake_for_fhir(reference=reference)
    if intake is None:
        raise Http404
    _record_reading(request, intake, AccessRecord.Action.FHIR)
    bundle = intake_bundle(intake, base=base_url(request))
    response = HttpResponse(
        json.dumps(bundle, ensure_ascii=False, indent=2) + "\n",
        content_type="application/fhir+json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="intake-{intake.reference}.json"'
    return response
