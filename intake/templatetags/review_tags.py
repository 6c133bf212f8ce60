"""Template helpers of the review workspace."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.urls import translate_url
from django.utils.translation import get_language

from intake import screening

register = template.Library()


@register.simple_tag(takes_context=True)
def path_in_language(context: template.Context, language: str, path: str = "") -> str:
    """This page's path (or `path`) in `language`, for the language switch's `next`.

    Translated here, where the active language matches the path's prefix: Django's set_language
    translates `next` itself only when the visitor's cookie or browser language happens to match
    the page's, so a link followed from elsewhere would otherwise keep its language.
    """
    request = context.get("request")
    path = path or (request.get_full_path() if request is not None else "/")
    return translate_url(path, language)


@register.filter
def flag_titles(codes: Iterable[str], flags: Iterable[Any] | None) -> list[tuple[str, str]]:
    """Each code with its title as the page shows it: the page's flags (`code`, `title`), else
    the rule's title in the active language (a code the current result no longer raises), else
    the code itself."""
    shown = {flag.code: flag.title for flag in flags or ()}
    language = get_language()
    titles = []
    for code in codes or ():
        rule = screening.RULES_BY_CODE.get(code)
        title = shown.get(code) or (rule.title.in_language(language) if rule else code)
        titles.append((code, title))
    return titles
