"""Invitations: the patient's link into the intake, and reception's page that makes them.

The patient's link (`invitations:open`) puts the invitation in the session and sends the patient
to the intake, whose first step reads it to prefill the details reception entered; the submit
ties the intake to the invitation and marks the invitation used. The token is the link's only
secret, so the staff pages that show it are for staff with `intake.view_invitation`.
"""

from __future__ import annotations

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from intake import selectors, services
from intake.invitation_forms import InvitationForm
from intake.models import Invitation

# Read by the intake wizard (intake/views.py) to prefill the first step and tie the intake.
SESSION_KEY = "intake_invitation"
# formtools' session storage of the intake wizard: a new invitation starts a fresh intake.
WIZARD_SESSION_KEY = "wizard_intake_wizard"


def invitation_link(request: HttpRequest, invitation: Invitation) -> str:
    """The absolute link the patient opens, in the invitation's language."""
    with translation.override(invitation.language):
        path = reverse("invitations:open", kwargs={"token": invitation.token})
    return request.build_absolute_uri(path)


@never_cache
@require_GET
def invitation_open(request: HttpRequest, token: str) -> HttpResponse:
    invitation = Invitation.objects.filter(token=token).first()
    status = (
        selectors.invitation_status(invitation, today=timezone.localdate())
        if invitation is not None
        else selectors.INVITATION_UNKNOWN
    )
    if status != selectors.INVITATION_PENDING:
        return render(
            request,
            "invitations/refused.html",
            {
                "status": status,
                "visit_date": invitation.visit_date if invitation else None,
                "clinic": selectors.clinic_profile(),
            },
            status=404 if status == selectors.INVITATION_UNKNOWN else 410,
        )
    request.session.pop(WIZARD_SESSION_KEY, None)
    request.session[SESSION_KEY] = invitation.pk
    with translation.override(invitation.language):
        response = redirect("intake:start")
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        invitation.language,
        samesite="Lax",
        max_age=60 * 60 * 24 * 365,
    )
    return response


@never_cache
@login_required
@permission_required("intake.add_invitation", raise_exception=True)
@require_http_methods(["GET", "POST"])
def reception(request: HttpRequest) -> HttpResponse:
    """Create an invitation; below, the invited patients who have not finished the intake."""
    today = timezone.localdate()
    form = InvitationForm(request.POST or None, today=today)
    if request.method == "POST" and form.is_valid():
        invitation = services.invitation_create(**form.cleaned_data, created_by=request.user)
        messages.success(
            request, _("Invitation created. Give the patient the link or the QR code.")
        )
        return redirect("invitations:detail", pk=invitation.pk)
    return render(
        request,
        "invitations/reception.html",
        {"form": form, "pending": selectors.invitations_pending(today=today), "today": today},
    )


@never_cache
@login_required
@permission_required("intake.view_invitation", raise_exception=True)
@require_GET
def invitation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation.objects.select_related("intake"), pk=pk)
    return render(
        request,
        "invitations/detail.html",
        {
            "invitation": invitation,
            "status": selectors.invitation_status(invitation, today=timezone.localdate()),
            "link": invitation_link(request, invitation),
        },
    )


@never_cache
@login_required
@permission_required("intake.view_invitation", raise_exception=True)
@require_GET
def invitation_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The link as a QR code (SVG), to show on a screen or print."""
    invitation = get_object_or_404(Invitation, pk=pk)
    image = qrcode.make(
        invitation_link(request, invitation),
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
    )
    return HttpResponse(image.to_string(), content_type="image/svg+xml")
