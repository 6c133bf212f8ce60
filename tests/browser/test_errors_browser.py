"""The error pages in a real browser: axe-core finds nothing serious, the Content-Security-Policy
refuses nothing, and the way back works."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import answer_first_step, axe_check

pytestmark = pytest.mark.browser


def problems_besides_the_status(page: Any, status: str) -> list[str]:
    """The browser reports the page's own status (404, 500) as a console error; nothing else."""
    return [problem for problem in page.problems if status not in problem]


def test_a_missing_page_on_a_phone_is_accessible_and_leads_to_the_questionnaire(
    mobile_page: Any,
) -> None:
    response = mobile_page.goto("/nothing-here")

    assert response is not None and response.status == 404
    expect(mobile_page.locator("html")).to_have_attribute("lang", "ja")
    expect(mobile_page.locator("h1")).to_have_text("ページが見つかりません")
    axe_check(mobile_page)
    mobile_page.locator("#way-back").click()
    expect(mobile_page).to_have_url(re.compile(r"/ja/intake/about_you/$"))
    assert problems_besides_the_status(mobile_page, "404") == []


def test_a_failing_page_is_accessible_and_switches_language(
    desktop_page: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(**kwargs: Any) -> None:
        raise ValueError("the consent text cannot be read")

    answer_first_step(desktop_page, "ja")
    monkeypatch.setattr("intake.selectors.current_consent_document", fail)

    response = desktop_page.goto("/ja/intake/consent/")

    assert response is not None and response.status == 500
    expect(desktop_page.locator("h1")).to_have_text("エラーが発生しました")
    axe_check(desktop_page)
    desktop_page.get_by_role("link", name="English").click()
    expect(desktop_page.locator("h1")).to_have_text("Something went wrong")
    expect(desktop_page.locator("html")).to_have_attribute("lang", "en")
    axe_check(desktop_page)
    assert problems_besides_the_status(desktop_page, "500") == []
