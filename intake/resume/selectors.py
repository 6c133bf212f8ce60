"""Reads of resume links: by the token in the patient's link (only its hash is stored)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from intake.models import ResumeLink


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def resume_link_by_token(*, token: str) -> ResumeLink | None:
    return ResumeLink.objects.filter(token_hash=token_hash(token)).first()


def resume_link_open(link: ResumeLink | None, *, now) -> bool:  # noqa: ANN001
    """Whether the link still opens its answers: not used, not expired."""
    return link is not None and link.used_at is None and link.expires_at > now


def resume_url(token: str, *, language: str) -> str:
    with translation.override(language):
        path = reverse("intake:resume_open", kwargs={"token": token})
    return settings.SITE_URL + path
