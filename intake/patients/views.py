"""The patient record's pages: the list and search, a patient's page, an intake's visit page
(link to a patient, appointment date) and the treatment form.

Reception (`view_patient`, `link_intake`, `set_appointment`) sees contact details and visits,
never an answer about health, a verdict, a flag or a treatment; doctors see everything. Every page
showing a patient's data writes an access record (intake/audit.py) before it is built.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from intake import audit
from intake.invitations.selectors import patient_invitations
from intake.middleware import login_returns_to
from intake.models import AccessRecord, Intake, Patient, Treatment
from intake.patients import selectors, services
from intake.patients.forms import AppointmentForm, PatientSearchForm, TreatmentForm, UnlinkForm

PAGE_SIZE = 50
DOCTOR_PERMISSION = "intake.review_intake"
TREATMENT_PERMISSION = "intake.add_treatment"


def _address(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def _is_doctor(request: HttpRequest) -> bool:
    return request.user.has_perm(DOCTOR_PERMISSION) and request.user.has_perm(
        "intake.view_treatment"
    )


def _patient_or_404(pk: int) -> Patient:
    patient = selectors.patient_by_pk(pk=pk)
    if patient is None:
        raise Http404
    return patient


def _intake_or_404(reference: str) -> Intake:
    intake = selectors.intake_for_visit(reference=reference)
    if intake is None:
        raise Http404
    return intake


def _error_message(error: ValidationError) -> str:
    return " ".join(error.messages)


# The list and the patient's page -------------------------------------------------------------
@never_cache
@login_required
@permission_required("intake.view_patient", raise_exception=True)
@require_GET
def patient_list(request: HttpRequest) -> HttpResponse:
    """Search; like the queue, a list of names is not recorded, each patient's page is. From
    an intake's visit page (`?intake=`), each row offers to link that intake."""
    form = PatientSearchForm(request.GET or None)
    query = form.query() if form.is_bound else ""
    page = Paginator(selectors.patient_search(query=query), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    linking = None
    if request.GET.get("intake") and request.user.has_perm("intake.link_intake"):
        linking = selectors.intake_for_visit(reference=request.GET["intake"])
    return render(
        request,
        "patients/list.html",
        {"form": form, "page": page, "query": query, "linking": linking},
    )


@never_cache
@login_required
@permission_required("intake.view_patient", raise_exception=True)
@require_GET
def patient_detail(request: HttpRequest, pk: int) -> HttpResponse:
    patient = _patient_or_404(pk)
    for_doctor = _is_doctor(request)
    visits = selectors.patient_visits(patient=patient, for_doctor=for_doctor)
    audit.access_record(
        user=request.user,
        action=AccessRecord.Action.PATIENT,
        patient=patient,
        ip_address=_address(request),
    )
    context: dict[str, Any] = {"patient": patient, "visits": visits, "for_doctor": for_doctor}
    if request.user.has_perm("intake.view_invitation"):
        context["invitations"] = patient_invitations(patient=patient, today=timezone.localdate())
    if for_doctor:
        # Each intake's result and decision is shown: recorded for each, as its history.
        audit.access_records_create(
            intakes=visits,
            user=request.user,
            action=AccessRecord.Action.HISTORY,
            patient=patient,
            ip_address=_address(request),
        )
        context.update(
            treatments=selectors.patient_treatments(patient=patient),
            access_records=selectors.patient_access_records(patient=patient),
            visit_rows=[(intake, selectors.latest_decision_of(intake)) for intake in visits],
        )
    return render(request, "patients/detail.html", context)


# An intake's visit page: the link to a patient and the appointment date --------------------------
def _render_visit(
    request: HttpRequest,
    intake: Intake,
    *,
    unlink_form: UnlinkForm | None = None,
    appointment_form: AppointmentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    suggestions = selectors.match_suggestions(intake=intake)
    audit.access_record(
        user=request.user,
        action=AccessRecord.Action.VISIT,
        intake=intake,
        patient=intake.patient,
        ip_address=_address(request),
    )
    if suggestions:
        audit.patients_shown_record(
            patients=suggestions,
            user=request.user,
            action=AccessRecord.Action.MATCH,
            ip_address=_address(request),
        )
    today = timezone.localdate()
    return render(
        request,
        "patients/visit.html",
        {
            "intake": intake,
            "suggestions": suggestions,
            "links": selectors.intake_links(intake=intake),
            "unlink_form": unlink_form or UnlinkForm(),
            "appointment_form": appointment_form
            or AppointmentForm(
                initial={"appointment_date": intake.appointment_date},
                submitted_on=timezone.localdate(intake.submitted_at),
                today=today,
            ),
            "for_doctor": _is_doctor(request),
            # The language switch leads here, also from a page a refused POST rendered.
            "language_path": reverse("patients:visit", kwargs={"reference": intake.reference}),
        },
        status=status,
    )


@never_cache
@login_required
@permission_required("intake.link_intake", raise_exception=True)
@require_GET
def intake_visit(request: HttpRequest, reference: str) -> HttpResponse:
    return _render_visit(request, _intake_or_404(reference))


@never_cache
@login_returns_to("patients:visit")
@permission_required("intake.link_intake", raise_exception=True)
@require_POST
def intake_link(request: HttpRequest, reference: str) -> HttpResponse:
    """Link the intake to the patient staff chose (a POST: the app never links by itself)."""
    intake = _intake_or_404(reference)
    try:
        patient = _patient_or_404(int(request.POST.get("patient", "")))
    except ValueError as error:
        raise Http404 from error
    try:
        services.intake_link(intake=intake, patient=patient, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_message(error))
    else:
        messages.success(request, _("The intake is linked to the patient record."))
    return redirect("patients:visit", reference=intake.reference)


@never_cache
@login_returns_to("patients:visit")
@permission_required(["intake.link_intake", "intake.add_patient"], raise_exception=True)
@require_POST
def intake_new_patient(request: HttpRequest, reference: str) -> HttpResponse:
    intake = _intake_or_404(reference)
    try:
        patient = services.patient_create_from_intake(intake=intake, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_message(error))
        return redirect("patients:visit", reference=intake.reference)
    messages.success(request, _("A patient record was created from this intake and linked."))
    return redirect("patients:detail", pk=patient.pk)


@never_cache
@login_returns_to("patients:visit")
@permission_required("intake.link_intake", raise_exception=True)
@require_POST
def intake_unlink(request: HttpRequest, reference: str) -> HttpResponse:
    intake = _intake_or_404(reference)
    form = UnlinkForm(request.POST)
    if form.is_valid():
        try:
            services.intake_unlink(intake=intake, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The link was undone and recorded."))
            return redirect("patients:visit", reference=intake.reference)
    return _render_visit(request, intake, unlink_form=form, status=400)


@never_cache
@login_returns_to("patients:visit")
@permission_required("intake.set_appointment", raise_exception=True)
@require_POST
def intake_appointment(request: HttpRequest, reference: str) -> HttpResponse:
    intake = _intake_or_404(reference)
    form = AppointmentForm(
        request.POST,
        submitted_on=timezone.localdate(intake.submitted_at),
        today=timezone.localdate(),
    )
    if form.is_valid():
        try:
            services.intake_set_appointment(
                intake=intake,
                appointment_date=form.cleaned_data["appointment_date"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The appointment date is saved."))
            return redirect("patients:visit", reference=intake.reference)
    return _render_visit(request, intake, appointment_form=form, status=400)


# Treatments --------------------------------------------------------------------------------------
def _render_treatment_form(
    request: HttpRequest,
    *,
    patient: Patient,
    form: TreatmentForm,
    intake: Intake | None,
    corrects: Treatment | None,
    status: int = 200,
) -> HttpResponse:
    audit.access_record(
        user=request.user,
        action=AccessRecord.Action.TREATMENT,
        patient=patient,
        intake=intake,
        ip_address=_address(request),
    )
    return render(
        request,
        "patients/treatment_form.html",
        {"patient": patient, "form": form, "intake": intake, "corrects": corrects},
        status=status,
    )


def _save_treatment(
    request: HttpRequest,
    form: TreatmentForm,
    *,
    patient: Patient,
    intake: Intake | None,
    corrects: Treatment | None,
) -> HttpResponse | None:
    """The record from a valid form; None (and the form's errors) when the service refuses."""
    data = form.cleaned_data
    try:
        services.treatment_record(
            patient=patient,
            doctor=request.user,
            treated_on=data["treated_on"],
            product=data["product"],
            lot_number=data["lot_number"],
            dilution_ml_per_100u=data["dilution_ml_per_100u"],
            total_units=data["total_units"],
            areas=data["areas"],
            note=data["note"],
            intake=intake,
            supersedes=corrects,
            withdrawn=bool(data.get("withdraw")),
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for name, problems in error.message_dict.items():
                form.add_error(name if name in form.fields else None, problems)
        else:
            form.add_error(None, error)
        return None
    messages.success(request, _("The treatment is recorded."))
    return redirect("patients:detail", pk=patient.pk)


@never_cache
@login_required
@permission_required(TREATMENT_PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def treatment_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Record what was given; from a visit (`?intake=REFERENCE`) the treatment names it."""
    patient = _patient_or_404(pk)
    intake = None
    reference = request.POST.get("intake") or request.GET.get("intake")
    if reference:
        intake = selectors.intake_by_reference(reference=reference)
        if intake is None or intake.patient_id != patient.pk:
            raise Http404
    today = timezone.localdate()
    # Recorded after the procedure: the visit's day, unless the visit is still to come.
    visit = (intake.appointment_date or intake.visit_date) if intake else None
    form = TreatmentForm(
        request.POST or None,
        patient=patient,
        today=today,
        initial={"treated_on": min(visit or today, today)},
    )
    if request.method == "POST" and form.is_valid():
        saved = _save_treatment(request, form, patient=patient, intake=intake, corrects=None)
        if saved is not None:
            return saved
    status = 400 if request.method == "POST" else 200
    return _render_treatment_form(
        request, patient=patient, form=form, intake=intake, corrects=None, status=status
    )


@never_cache
@login_required
@permission_required(TREATMENT_PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def treatment_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """A correction: a new record that supersedes this one, which stays as it was."""
    corrects = selectors.treatment_by_pk(pk=pk)
    if corrects is None:
        raise Http404
    patient = corrects.patient
    form = TreatmentForm(
        request.POST or None,
        patient=patient,
        today=timezone.localdate(),
        correction=True,
        initial={
            "treated_on": corrects.treated_on,
            "product": corrects.product,
            "lot_number": corrects.lot_number,
            "dilution_ml_per_100u": corrects.dilution_ml_per_100u,
            "total_units": corrects.total_units,
            "areas": corrects.areas,
            "note": corrects.note,
        },
    )
    if request.method == "POST" and form.is_valid():
        saved = _save_treatment(
            request, form, patient=patient, intake=corrects.intake, corrects=corrects
        )
        if saved is not None:
            return saved
    status = 400 if request.method == "POST" else 200
    return _render_treatment_form(
        request,
        patient=patient,
        form=form,
        intake=corrects.intake,
        corrects=corrects,
        status=status,
    )
