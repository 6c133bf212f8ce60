"""The wizard's step forms as HTML, without crispy-forms' chain of templates for every field.

The markup is crispy-bootstrap5's, with this site's changes (templates/bootstrap5/field.html):
the same ids, classes, labels, required marks, error and help texts and ARIA attributes. What
each field needs is worked out here, in Python; templates/intake/_step_fields.html writes it.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.forms.utils import flatatt
from django.forms.widgets import Input, Select
from django.utils.html import format_html

from intake.widgets import input_html, select_html

register = template.Library()

# crispy-bootstrap5's class for each kind of control.
CONTROL_CLASS = {"select": "form-select", "checkboxinput": "form-check-input"}


def _required(field: Any) -> bool:
    return bool(field.required or getattr(field, "required_when_shown", False))


# Django's templates of the <input> widgets, each only including django/forms/widgets/input.html.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{kind}.html"
    for kind in ("input", "text", "email", "date", "number", "url", "tel", "search")
)
SELECT_TEMPLATE = "django/forms/widgets/select.html"


def _control(bound: Any, attrs: dict[str, str]) -> str:
    """The field's control as BoundField.as_widget renders it; an <input> or a <select> written
    here, as Django's templates write them (intake/widgets.py), rather than through them."""
    widget = bound.field.widget
    if isinstance(widget, Input) and widget.template_name in INPUT_TEMPLATES:
        write = input_html
    elif isinstance(widget, Select) and widget.template_name == SELECT_TEMPLATE:
        write = select_html
    else:
        return bound.as_widget(attrs=attrs)
    attrs = bound.build_widget_attrs(attrs, widget)
    if bound.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound.auto_id)
    return write(widget.get_context(bound.html_name, bound.value(), attrs)["widget"])


def _options(bound: Any, attrs: dict[str, str]) -> list[Any]:
    """Each radio button or checkbox of a question, as an `<input>` and its label."""
    widget = bound.field.widget
    input_class = "form-check-input is-invalid" if bound.errors else "form-check-input"
    option_attrs = bound.build_widget_attrs({"id": bound.auto_id, **attrs})
    options = []
    for option in widget.subwidgets(bound.html_name, bound.value(), attrs=option_attrs):
        control = format_html(
            '<input type="{}" class="{}" name="{}" value="{}"{}>',
            option["type"],
            input_class,
            option["name"],
            option["value"],
            flatatt(option["attrs"]),
        )
        options.append({"control": control, "id": option["attrs"]["id"], "label": option["label"]})
    return options


def _entry(bound: Any, wrapper_class: str = "", attrs: dict[str, str] | None = None) -> dict:
    attrs = attrs or {}
    widget = bound.field.widget
    entry: dict[str, Any] = {
        "field": bound,
        "wrapper_class": wrapper_class,
        "required": _required(bound.field),
        "errors": bound.errors,
    }
    if bound.use_fieldset:
        entry["options"] = _options(bound, attrs)
        entry["group_attrs"] = flatatt(attrs)
        entry["radio"] = widget.input_type == "radio"
        return entry
    name = type(widget).__name__.lower()
    invalid = " is-invalid" if bound.errors else ""
    control_class = CONTROL_CLASS.get(name, "form-control")
    entry["control"] = _control(bound, {**attrs, "class": f"{name} {control_class}{invalid}"})
    entry["checkbox"] = name == "checkboxinput"
    return entry


@register.inclusion_tag("intake/_step_fields.html")
def step_fields(form: Any) -> dict[str, Any]:
    """The questions of a step, then its honeypot and its hidden fields."""
    questions = []
    for question in form.questions:
        wrapper_class, attrs = form.shown_when_attrs(question)
        questions.append(_entry(form[question.key], wrapper_class, attrs))
    return {
        "questions": questions,
        "honeypot": [_entry(form[name]) for name in form.honeypot_fields],
        "hidden": form.hidden_fields(),
    }
