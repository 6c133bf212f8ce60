"""Django's <input> and <select> written in Python, character for character as its templates
write them (django/forms/widgets/input.html, select.html, select_option.html, attrs.html).

Django renders a select through a template per option, each including the attributes'
template: the review queue's filters (a flag list of some forty options among them) cost more
than the rest of the page's fifty rows. tests/test_widgets.py holds the output to Django's own.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


def attributes(attrs: dict[str, Any]) -> SafeString:
    """attrs.html: ` name="value"`, ` name` for True, nothing for False."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


def input_html(widget: dict[str, Any]) -> SafeString:
    """input.html, from a widget's context (`Widget.get_context(...)["widget"]`)."""
    value = widget["value"]
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        widget["type"],
        widget["name"],
        format_html(' value="{}"', value) if value is not None else "",
        attributes(widget["attrs"]),
    )


def select_html(widget: dict[str, Any]) -> SafeString:
    """select.html with select_option.html for each option, from a widget's context."""
    parts = [format_html('<select name="{}"{}>', widget["name"], attributes(widget["attrs"]))]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', group_name))
        for option in options:
            parts.append(
                format_html(
                    '\n  <option value="{}"{}>{}</option>\n',
                    option["value"],
                    attributes(option["attrs"]),
                    option["label"],
                )
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # every part escaped by format_html


class PythonSelect(forms.Select):
    """A select written in Python (select_html), not through a template per option."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        return select_html(self.get_context(name, value, attrs)["widget"])


class PythonInputMixin:
    """An <input> widget written in Python (input_html), not through its two templates."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        return input_html(self.get_context(name, value, attrs)["widget"])  # type: ignore[attr-defined]


class PythonSearchInput(PythonInputMixin, forms.SearchInput):
    pass
