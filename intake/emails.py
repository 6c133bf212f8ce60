"""The e-mails the clinic sends, from templates (plain text and HTML) in the reader's language.

Nothing medical goes into any of them: a patient's e-mail has the clinic's name, the visit date
and the link; a doctor's has a count and a link to the queue. They are sent by the worker
(intake/tasks.py), never inside a request.
"""

from __future__ import annotations

import datetime
from email.utils import formataddr, parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode

from intake.invitations.selectors import invitation_url
from intake.models import ClinicProfile, EmailDelivery, Invitation, ResumeLink
from intake.resume.selectors import resume_url
from intake.selectors import clinic_profile

# Machine-sent: auto-replies (out of office) should not answer them (RFC 3834).
HEADERS = {"Auto-Submitted": "auto-generated"}


def sender(clinic: ClinicProfile | None) -> str:
    """DEFAULT_FROM_EMAIL with the clinic's name shown, unless it names someone already."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    if name or clinic is None or not clinic.name:
        return settings.DEFAULT_FROM_EMAIL
    return formataddr((clinic.name, address))


def _message(
    template: str, context: dict[str, Any], *, to: str, clinic: ClinicProfile | None
) -> EmailMultiAlternatives:
    subject = " ".join(render_to_string(f"email/{template}_subject.txt", context).split())
    context = {**context, "subject": subject}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"email/{template}.txt", context),
        from_email=sender(clinic),
        to=[to],
        headers=HEADERS,
    )
    message.attach_alternative(render_to_string(f"email/{template}.html", context), "text/html")
    return message


def invitation_message(invitation: Invitation, *, kind: str) -> EmailMultiAlternatives:
    """The link to the questionnaire (kind INVITATION), or a reminder of it, in the patient's
    language."""
    with translation.override(invitation.language):
        clinic = clinic_profile()
        context = {
            "clinic": clinic,
            "full_name": invitation.full_name,
            "visit_date": invitation.visit_date,
            "link": invitation_url(invitation),
            "reminder": kind == EmailDelivery.Kind.REMINDER,
            "language": invitation.language,
        }
        return _message("invitation", context, to=invitation.email, clinic=clinic)


def review_digest_message(
    *, to: str, count: int, visit_from: datetime.date, visit_to: datetime.date
) -> EmailMultiAlternatives:
    """A doctor's notice: how many open intakes have visits by `visit_to`, and where the queue is.
    In Japanese and English: staff accounts have no language of their own."""
    with translation.override(settings.LANGUAGE_CODE):
        clinic = clinic_profile()
    query = urlencode({"visit_from": visit_from.isoformat(), "visit_to": visit_to.isoformat()})
    links = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            links[language] = f"{settings.SITE_URL}{reverse('review:queue')}?{query}"
    context = {
        "clinic": clinic,
        "count": count,
        "visit_from": visit_from,
        "visit_to": visit_to,
        "links": links,
        "language": settings.LANGUAGE_CODE,
    }
    return _message("review_digest", context, to=to, clinic=clinic)


def resume_message(link: ResumeLink, *, token: str) -> EmailMultiAlternatives:
    """A link to continue the questionnaire elsewhere: the clinic's name, the link and until when
    it works, in the patient's language. Nothing of the answers."""
    with translation.override(link.language):
        clinic = clinic_profile()
        context = {
            "clinic": clinic,
            "link": resume_url(token, language=link.language),
            "expires_at": timezone.localtime(link.expires_at),
            "language": link.language,
        }
        return _message("resume", context, to=link.email, clinic=clinic)
