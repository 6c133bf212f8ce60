"""intake/widgets.py writes <input> and <select> as Django's own templates do, character for
character, whatever the options, groups, selection and attributes."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms

from intake.widgets import PythonSearchInput, PythonSelect, input_html, select_html

CHOICES: list[Any] = [
    ("", "---"),
    ("a", 'A & "quoted" <b>'),
    ("G", [("x", "X"), ("y", "Y")]),
    ("z", "Ｚ 全角"),
]


@pytest.mark.parametrize("value", ["", "a", "x", "z", None, "missing"])
@pytest.mark.parametrize(
    "attrs",
    [
        {},
        {"class": "select form-select is-invalid", "aria-invalid": "true", "required": True},
        {"id": "id_flag", "disabled": False, "data-x": '<"&>'},
    ],
)
def test_a_select_is_written_as_djangos_template_writes_it(value: Any, attrs: dict) -> None:
    django_widget = forms.Select(choices=CHOICES)
    expected = django_widget.render("flag", value, attrs=attrs)
    context = django_widget.get_context("flag", value, attrs)["widget"]
    assert select_html(context) == expected
    assert PythonSelect(choices=CHOICES).render("flag", value, attrs=attrs) == expected


def test_a_multiple_select_is_written_as_djangos_template_writes_it() -> None:
    django_widget = forms.SelectMultiple(choices=CHOICES)
    expected = django_widget.render("flags", ["a", "y"], attrs={"id": "id_flags"})
    context = django_widget.get_context("flags", ["a", "y"], {"id": "id_flags"})["widget"]
    assert select_html(context) == expected


@pytest.mark.parametrize("value", ["", "佐藤 <script>", None, 42])
@pytest.mark.parametrize(
    "widget",
    [forms.TextInput(), forms.EmailInput(), forms.DateInput(), forms.SearchInput()],
    ids=["text", "email", "date", "search"],
)
def test_an_input_is_written_as_djangos_template_writes_it(widget: Any, value: Any) -> None:
    attrs = {"id": "id_q", "aria-required": "true", "required": True, "readonly": False}
    expected = widget.render("q", value, attrs=attrs)
    assert input_html(widget.get_context("q", value, attrs)["widget"]) == expected


def test_the_search_box_is_written_as_djangos_search_input() -> None:
    attrs = {"id": "id_q", "class": "searchinput form-control"}
    expected = forms.SearchInput().render("q", "YE74", attrs=attrs)
    assert PythonSearchInput().render("q", "YE74", attrs=attrs) == expected
