"""The confirmation's contact links in a real browser (issue 13): the clinic's phone as a tel:
link and its LINE as LINE's add-friend link, readable on the grey card (axe, and 4.5:1)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from intake.models import ClinicProfile
from tests.browser.helpers import MOBILE, answer_the_questionnaire, axe_check, contrast_ratio

pytestmark = pytest.mark.browser


def test_the_clinics_phone_and_line_are_links_with_enough_contrast_on_the_grey_card(
    transactional_db: Any, new_page: Any, clinic: ClinicProfile
) -> None:
    clinic.line_id = "@umeda-skin"
    clinic.save()
    page = new_page(**MOBILE)
    page.goto("/ja/intake/")
    answer_the_questionnaire(
        page,
        full_name="山田 花子",
        full_name_kana="ヤマダ ハナコ",
        date_of_birth="1990-01-01",
        phone="090-1234-5678",
    )
    expect(page.locator("#clinic-phone")).to_have_attribute("href", "tel:0663750000")
    expect(page.locator("#clinic-line")).to_have_attribute(
        "href", "https://line.me/R/ti/p/%40umeda-skin"
    )
    for link in ("#clinic-phone", "#clinic-line"):
        colours = page.locator(link).evaluate(
            """a => [getComputedStyle(a).color,
                     getComputedStyle(a.closest('.bg-light')).backgroundColor]"""
        )
        assert contrast_ratio(*colours) >= 4.5, colours
    axe_check(page)
