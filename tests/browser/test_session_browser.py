"""A questionnaire whose session has ended, in Chromium: the page says so and how to go on."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from tests.browser.helpers import answer_first_step, axe_check, next_step

pytestmark = pytest.mark.browser


def test_a_page_sent_after_the_session_ended_explains_and_starts_again(mobile_page: Any) -> None:
    page = mobile_page
    answer_first_step(page, "ja")
    expect(page.locator("#session-note")).to_contain_text("まで保存され")
    axe_check(page)

    Session.objects.all().delete()  # 24 hours later, the answers are gone
    next_step(page)  # the skin page, sent as it is

    expect(page).to_have_url(re.compile(r"/ja/intake/session-ended/$"))
    expect(page.locator("h1")).to_have_text("このブラウザにはご回答が残っていません")
    expect(page.locator("#error-summary")).to_have_count(0)
    axe_check(page)
    page.locator("#session-ended-restart").click()
    expect(page).to_have_url(re.compile(r"/ja/intake/about_you/$"))
    expect(page.locator('[name="about_you-full_name"]')).to_have_value("")
    assert page.problems == []
