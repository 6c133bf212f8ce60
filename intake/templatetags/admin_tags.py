"""Template helpers of our admin templates (templates/admin/)."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from intake.translation import TEXT_LANGUAGES

register = template.Library()

# The element the translation tabs' script reads its words from (admin/intake/translation_tabs.js).
TRANSLATION_TABS_LABELS = "intake-translation-tabs"


@register.simple_tag
def translation_tabs_labels() -> SafeString:
    """The translation tabs' words in the reader's language, as JSON in a <meta> (the Content
    Security Policy allows no inline script; the page carries data, never code)."""
    labels = {
        "switch": gettext("Language of the texts shown"),
        "tabs": gettext("Language"),
        "error": gettext("has an error"),
        "languages": {code: str(name) for code, name in TEXT_LANGUAGES.items()},
    }
    return format_html('<meta name="{}" content="{}">', TRANSLATION_TABS_LABELS, json.dumps(labels))


@register.filter
def text_language(admin_field: Any) -> str:
    """The language of a read-only field's text, for its `lang`: "en" for a `title_en`
    (modeltranslation's field of that language), else "" (the page's language)."""
    if not getattr(admin_field, "is_readonly", False):
        return ""
    model = getattr(getattr(getattr(admin_field, "form", None), "_meta", None), "model", None)
    try:
        field = model._meta.get_field(admin_field.field["name"])  # type: ignore[union-attr]
    except (AttributeError, KeyError, TypeError, FieldDoesNotExist):
        return ""
    return getattr(field, "language", "") or ""
