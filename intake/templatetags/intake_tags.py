"""Template tags of the patient's pages."""

from __future__ import annotations

import datetime
from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def answers_kept_until(context: dict[str, Any]) -> datetime.datetime | None:
    """When this session's answers are erased if nothing happens before (each page viewed or
    sent moves it: see IntakeWizard.render)."""
    request = context.get("request")
    if request is None:
        return None
    return request.session.get_expiry_date()
