"""The patient's "Larger text" switch in a real browser (issue 13): a toggle button that enlarges
the text, is remembered on the next page and the next visit, and needs no inline script."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import MOBILE, assert_no_browser_problems, axe_check

pytestmark = pytest.mark.browser


def font_size(page: Any, selector: str) -> float:
    return page.locator(selector).evaluate("e => parseFloat(getComputedStyle(e).fontSize)")


def test_larger_text_is_a_toggle_remembered_across_pages(
    transactional_db: Any, new_page: Any
) -> None:
    page = new_page(**MOBILE)
    page.goto("/ja/intake/")
    toggle = page.get_by_role("button", name="文字を大きくする")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    normal = font_size(page, "h1")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    larger = font_size(page, "h1")
    assert larger >= normal * 1.2
    axe_check(page)

    page.goto("/ja/intake/session-ended/")
    expect(page.get_by_role("button", name="文字を大きくする")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert font_size(page, "h1") >= normal * 1.2
    page.get_by_role("button", name="文字を大きくする").click()
    page.reload()
    expect(page.get_by_role("button", name="文字を大きくする")).to_have_attribute(
        "aria-pressed", "false"
    )
    assert (
        font_size(page, "h1") == pytest.approx(normal, rel=0.05) or font_size(page, "h1") < larger
    )
    assert_no_browser_problems(page)
