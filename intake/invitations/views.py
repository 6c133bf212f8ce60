"""Invitations: the patient's link into the intake, and reception's page that makes them.

The patient's link (`invitations:open`) puts the invitation in the session and sends the patient
to the intake, whose first step reads it to prefill the details reception entered; the submit
ties the intake to the invitation and marks the invitation used. An invitation made from a
patient's page (`invitations:for_patient`, a repeat intake of spec §5) asks for the date of birth
first, then prefills the answers of the patient's latest intake and ties the intake to them.
The token is the link's only secret, so the staff pages that show it are for staff with
`intake.view_invitation`.
"""

from __future__ import annotations

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from intake import audit
from intake.birthdate import BIRTH_DATE_TRIES
from intake.birthdate.views import birth_date_gate
from intake.invitations import selectors, services
from intake.invitations.forms import ReceptionInvitationForm
from intake.invitations.selectors import InvitationStatus, invitation_link
from intake.models import AccessRecord, Invitation, Patient
from intake.selectors import clinic_profile
from intake.views import (
    INVITATION_SCOPE,
    INVITATION_SESSION_KEY,
    set_language_cookie,
    wizard_discard,
    wizard_in_progress,
)

# The refused page's status for a token that matches no invitation.
LINK_UNKNOWN = "unknown"


def _invitation_or_404(pk: int) -> Invitation:
    invitation = selectors.invitation_by_pk(pk=pk)
    if invitation is None:
        raise Http404
    return invitation


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_open(request: HttpRequest, token: str) -> HttpResponse:
    """The patient's link: into the intake, prefilled with what reception entered.

    A questionnaire left unfinished in this browser from elsewhere (no invitation, another one)
    is never replaced by a GET: the page asks first, and starting afresh is its POST. A repeat
    invitation (made from a patient's page) asks for the date of birth before any of that.
    """
    invitation = selectors.invitation_by_token(token=token)
    status = (
        selectors.invitation_status(invitation, today=timezone.localdate())
        if invitation is not None
        else LINK_UNKNOWN
    )
    if status != InvitationStatus.PENDING:
        return render(
            request,
            "invitations/refused.html",
            {
                "status": status,
                # Not even the visit's day before a repeat invitation's date of birth.
                "visit_date": invitation.visit_date
                if invitation and invitation.patient_id is None
                else None,
                "clinic": clinic_profile(),
            },
            status=404 if status == LINK_UNKNOWN else 410,
        )
    if invitation.patient_id is not None:
        # A repeat intake opens the patient's earlier answers: their date of birth first.
        gate = birth_date_gate(
            request,
            scope=INVITATION_SCOPE,
            record=invitation,
            expected=invitation.patient.date_of_birth,
            clinic=clinic_profile(),
        )
        if gate is not None:
            return gate
    same_invitation = request.session.get(INVITATION_SESSION_KEY) == invitation.pk
    if request.method == "GET" and wizard_in_progress(request) and not same_invitation:
        response = render(
            request, "invitations/unfinished.html", {"visit_date": invitation.visit_date}
        )
        # The page's address holds the token: its links and form send only the site's origin as
        # the referrer (a proxy's log may keep it). Not "no-referrer": the POST's Origin would
        # then be "null" and fail the CSRF check.
        response["Referrer-Policy"] = "strict-origin"
        return response
    if request.method == "POST" or not same_invitation:
        wizard_discard(request)
    request.session[INVITATION_SESSION_KEY] = invitation.pk
    with translation.override(invitation.language):
        response = redirect("intake:start")
    return set_language_cookie(response, invitation.language)


@never_cache
@login_required
@permission_required("intake.add_invitation", raise_exception=True)
@require_http_methods(["GET", "POST"])
def reception(request: HttpRequest) -> HttpResponse:
    """Create an invitation (and e-mail its link); below, the invited patients who have not
    finished the intake, with how their e-mails went."""
    today = timezone.localdate()
    form = ReceptionInvitationForm(
        request.POST or None, today=today, email_enabled=settings.EMAIL_ENABLED
    )
    if request.method == "POST" and form.is_valid():
        return _invitation_created(request, form)
    return render(
        request,
        "invitations/reception.html",
        {
            "form": form,
            "pending": selectors.invitations_pending(today=today),
            "today": today,
            "email_enabled": settings.EMAIL_ENABLED,
        },
    )


def _invitation_created(
    request: HttpRequest, form: ReceptionInvitationForm, patient: Patient | None = None
) -> HttpResponse:
    """Create the invitation `form` holds (for `patient`, a repeat intake), e-mail its link when
    asked, and go to its page."""
    invitation = services.invitation_create(
        **form.invitation_details(), patient=patient, created_by=request.user
    )
    if invitation.email and form.cleaned_data.get("send_email"):
        services.invitation_email_queue(invitation=invitation, created_by=request.user)
        messages.success(
            request,
            _("Invitation created. Its link is being e-mailed to the patient: see below."),
        )
    else:
        messages.success(
            request, _("Invitation created. Give the patient the link or the QR code.")
        )
    return redirect("invitations:detail", pk=invitation.pk)


@never_cache
@login_required
@permission_required(["intake.add_invitation", "intake.view_patient"], raise_exception=True)
@require_http_methods(["GET", "POST"])
def invitation_for_patient(request: HttpRequest, pk: int) -> HttpResponse:
    """A repeat intake's invitation (spec §5), from the patient's page: the form prefilled with
    the patient's details, the visit date typed. Its link asks for the date of birth first."""
    patient = selectors.patient_to_invite(pk=pk)
    if patient is None:
        raise Http404
    form = ReceptionInvitationForm(
        request.POST or None,
        today=timezone.localdate(),
        initial=selectors.invitation_initial(patient=patient),
        email_enabled=settings.EMAIL_ENABLED,
    )
    if request.method == "POST" and form.is_valid():
        return _invitation_created(request, form, patient)
    # The form shows the patient's contact details, as the patient's page does.
    audit.access_record(
        user=request.user,
        action=AccessRecord.Action.PATIENT,
        patient=patient,
        ip_address=request.META.get("REMOTE_ADDR"),
    )
    return render(
        request,
        "invitations/for_patient.html",
        {"form": form, "patient": patient, "tries": BIRTH_DATE_TRIES},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@login_required
@permission_required("intake.add_invitation", raise_exception=True)
@require_POST
def invitation_send(request: HttpRequest, pk: int) -> HttpResponse:
    """E-mail the link (again): queued here, sent by the worker; the page shows how it went."""
    invitation = _invitation_or_404(pk)
    try:
        services.invitation_email_queue(invitation=invitation, created_by=request.user)
    except services.EmailNotQueued as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The e-mail is queued; its status is shown below."))
    return redirect("invitations:detail", pk=invitation.pk)


@never_cache
@login_required
@permission_required("intake.view_invitation", raise_exception=True)
@require_GET
def invitation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _invitation_or_404(pk)
    return render(
        request,
        "invitations/detail.html",
        {
            "invitation": invitation,
            "status": selectors.invitation_status(invitation, today=timezone.localdate()),
            "link": invitation_link(request, invitation),
            "email_enabled": settings.EMAIL_ENABLED,
            # The patient's card names the clinic (in the patient's language) and its phone.
            "clinic": clinic_profile(),
        },
    )


@never_cache
@login_required
@permission_required("intake.view_invitation", raise_exception=True)
@require_GET
def invitation_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The link as a QR code (SVG), to show on a screen or print."""
    invitation = _invitation_or_404(pk)
    image = qrcode.make(
        invitation_link(request, invitation),
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
    )
    return HttpResponse(image.to_string(), content_type="image/svg+xml")
