"""Writes of resume links: make one from the session's answers and queue its e-mail, take its
answers once, delete the expired ones."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from intake.models import ResumeLink
from intake.resume import RESUME_LINK_LIFETIME
from intake.resume.selectors import token_hash
from intake.tasks import send_resume_email

TOKEN_BYTES = 32  # token_urlsafe(32) is 43 characters


def resume_link_create(
    *, answers: dict[str, Any], date_of_birth: datetime.date, email: str, language: str
) -> tuple[ResumeLink, str]:
    """Keep a copy of the answers behind a new link and queue its e-mail; returns the link and
    its token (the e-mail's secret: only its hash stays once the e-mail is sent)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with transaction.atomic():
        link = ResumeLink.objects.create(
            token_hash=token_hash(token),
            token_to_send=token,
            email=email,
            language=language,
            answers=answers,
            date_of_birth=date_of_birth,
            expires_at=timezone.now() + RESUME_LINK_LIFETIME,
        )
        # In the same transaction: the worker sees the task only with its link.
        send_resume_email.enqueue(link.pk)
    return link, token


def resume_link_take(*, link: ResumeLink) -> dict[str, Any] | None:
    """The link's answers, once: the link is marked used and its copy erased in the same
    statement that checks it was not (two browsers at once get them once)."""
    now = timezone.now()
    with transaction.atomic():
        answers = (
            ResumeLink.objects.select_for_update()
            .filter(pk=link.pk, used_at__isnull=True, expires_at__gt=now)
            .values_list("answers", flat=True)
            .first()
        )
        if answers is None:
            return None
        ResumeLink.objects.filter(pk=link.pk).update(
            used_at=now, answers={}, token_to_send="", email="", date_of_birth=None
        )
    return answers
