"""Template helpers of the review workspace."""

from __future__ import annotations

from django import template
from django.urls import translate_url

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
