"""scripts/trim_css.py: the trimmed Bootstrap every page loads is up to date and misses nothing."""

from __future__ import annotations

import importlib.util
import re
import sys
from types import ModuleType

import pytest
from django.test import Client
from django.urls import reverse

from tests.helpers import ROOT, step_url
from tests.wizard_http import STEP_NAMES


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("trim_css", ROOT / "scripts" / "trim_css.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


trim_css = _script()
CLASS_ATTRIBUTE = re.compile(r'\bclass="([^"]*)"')
CSS_CLASS = re.compile(r"\.(-?[A-Za-z_][\w-]*)")


def test_committed_trimmed_css_is_up_to_date() -> None:
    committed = trim_css.OUTPUT.read_text(encoding="utf-8")
    assert committed == trim_css.build(), (
        "static/vendor/bootstrap/bootstrap.trimmed.min.css is out of date with the templates "
        "(a class added or removed?): run `python scripts/trim_css.py` and commit its output"
    )


def test_rules_for_classes_no_page_uses_are_dropped() -> None:
    css = ".btn{color:red}.card{color:blue}.btn,.modal{margin:0}"
    assert trim_css.trimmed_css(css, ['<a class="btn">']) == ".btn{color:red}.btn{margin:0}\n"


def test_a_class_built_in_a_template_keeps_every_class_it_can_become() -> None:
    css = ".alert-danger{color:red}.alert-info{color:blue}.badge{color:green}"
    template = '<div class="alert-{% if error %}danger{% else %}info{% endif %}">'
    kept = trim_css.trimmed_css(css, [template])
    assert kept == ".alert-danger{color:red}.alert-info{color:blue}\n"


def test_empty_media_blocks_go_and_used_rules_inside_them_stay() -> None:
    css = "@media (min-width:576px){.card{a:b}}@media print{.btn:not(.card){c:d}}"
    kept = trim_css.trimmed_css(css, ['class="btn"'])
    assert kept == "@media print{.btn:not(.card){c:d}}\n"


def test_licence_root_variables_elements_and_used_keyframes_stay() -> None:
    css = (
        '@charset "UTF-8";/*! licence */:root,[data-bs-theme=dark]{--x:1}body{margin:0}'
        "@keyframes spin{to{a:b}}@keyframes fade{to{a:b}}.spinner{animation:spin 1s}"
        '.x{content:"}"}'
    )
    kept = trim_css.trimmed_css(css, ['class="spinner"'])
    assert kept == (
        '@charset "UTF-8";/*! licence */:root{--x:1}body{margin:0}'
        "@keyframes spin{to{a:b}}.spinner{animation:spin 1s}\n"
    )


def _classes_missing_from_trimmed(html: str) -> set[str]:
    full = set(CSS_CLASS.findall(trim_css.SOURCE.read_text(encoding="utf-8")))
    trimmed = set(CSS_CLASS.findall(trim_css.OUTPUT.read_text(encoding="utf-8")))
    used = {name for value in CLASS_ATTRIBUTE.findall(html) for name in value.split()}
    return (used & full) - trimmed


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_bootstrap_class_on_the_patient_pages_is_in_the_trimmed_css(
    patient_client: Client, language: str
) -> None:
    pages = [patient_client.get(step_url(step, language)) for step in STEP_NAMES]
    # Sent empty: every question's error message and invalid state.
    pages += [patient_client.post(step_url(STEP_NAMES[0], language), {})]
    html = "".join(page.text for page in pages)
    assert "bootstrap.trimmed.min.css" in html
    assert _classes_missing_from_trimmed(html) == set()


def test_every_bootstrap_class_on_the_staff_pages_is_in_the_trimmed_css(
    doctor_client: Client, reception_client: Client, make_intake: object
) -> None:
    make_intake()  # type: ignore[operator]
    pages = [doctor_client.get(reverse("review:queue"))]
    pages += [reception_client.get(reverse("invitations:reception"))]
    pages += [reception_client.post(reverse("invitations:reception"), {})]
    html = "".join(page.text for page in pages)
    assert _classes_missing_from_trimmed(html) == set()
