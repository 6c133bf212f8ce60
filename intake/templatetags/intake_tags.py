"""Template tags of the patient's pages."""

from __future__ import annotations

import datetime
import unicodedata
from typing import Any
from urllib.parse import quote

from django import template
from django.conf import settings
from django.utils.translation import get_language

from intake import selectors, wizard_storage
from intake.models import ConsentDocument
from intake.models.content import retention_period

register = template.Library()


@register.simple_tag
def consent_in_force() -> ConsentDocument | None:
    """The consent version patients agree to today: the privacy notice names its contact.

    None when there is none (the consent step refuses then): the first page still opens."""
    try:
        return selectors.current_consent_document()
    except ConsentDocument.DoesNotExist:
        return None


@register.simple_tag
def retention_period_words() -> str:
    """How long answers are kept (settings.INTAKE_RETENTION_DAYS), in words, in the active
    language: what purge_intakes does."""
    return retention_period(settings.INTAKE_RETENTION_DAYS).in_language(get_language())


@register.simple_tag(takes_context=True)
def answers_kept_until(context: dict[str, Any]) -> datetime.datetime | None:
    """When this session's answers are erased if nothing happens before (each page viewed or
    sent moves it: see intake.wizard_storage)."""
    request = context.get("request")
    if request is None:
        return None
    return wizard_storage.answers_kept_until(request.session)


@register.filter
def tel_href(phone: str) -> str:
    """A phone number as a `tel:` link's address: its digits (and a leading +) only, whatever
    separators or full-width digits it was typed with."""
    text = unicodedata.normalize("NFKC", phone or "").strip()
    digits = "".join(character for character in text if character.isdigit())
    return f"tel:{'+' if text.startswith('+') else ''}{digits}"


@register.filter
def line_add_friend_url(line_id: str) -> str:
    """LINE's add-friend link for the clinic's LINE ID: an official account's ID (it starts with
    @) goes in with its @ percent-encoded; a personal ID, after a ~ (LINE's URL scheme)."""
    line_id = (line_id or "").strip()
    if line_id.startswith("@"):
        return f"https://line.me/R/ti/p/%40{quote(line_id[1:], safe='')}"
    return f"https://line.me/R/ti/p/~{quote(line_id, safe='')}"
