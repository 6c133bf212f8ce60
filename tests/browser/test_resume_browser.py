"""A resume link in a real browser (Chromium): the patient asks for it on step 2, the e-mail
arrives, and another browser context (another device) confirms the date of birth and finds the
answers; axe-core checks the new pages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from intake.models import ClinicProfile
from tests.browser.helpers import (
    MOBILE,
    answer_first_step,
    assert_no_browser_problems,
    axe_check,
    choose,
)
from tests.smtp import Inbox, run_tasks, text_and_html

pytestmark = pytest.mark.browser


def test_a_resume_link_on_another_browser_context(
    transactional_db: Any, new_page: Any, mail_server: Inbox, clinic: ClinicProfile
) -> None:
    phone = new_page(**MOBILE)
    answer_first_step(phone)
    choose(phone, "skin", "skin_type", "oily")
    phone.locator("#resume-later").click()
    phone.wait_for_url("**/intake/continue-later/")
    axe_check(phone)
    phone.get_by_label("メールアドレス").fill("hanako@example.jp")
    phone.locator("#resume-send").click()
    expect(phone.locator("#resume-sent")).to_contain_text("hanako@example.jp")
    axe_check(phone)
    assert_no_browser_problems(phone)

    assert run_tasks() == 1
    text, _html = text_and_html(mail_server.messages[0])
    path = re.search(r"https://intake\.clinic\.example\.jp(/\S+/continue/\S+/)", text)[1]

    other = new_page(**MOBILE)
    other.goto(path)
    expect(other.locator("body")).not_to_contain_text("山田")
    other.locator('[name="date_of_birth"]').fill("1990-01-01")
    other.get_by_role("button", name="問診票を開く").click()
    other.wait_for_url("**/intake/skin/")
    expect(other.locator('[name="skin-skin_type"][value="oily"]')).to_be_checked()
    other.get_by_role("button", name=re.compile("戻る")).first.click()
    other.wait_for_url("**/intake/about_you/")
    expect(other.locator('[name="about_you-full_name"]')).to_have_value("山田 花子")
    assert_no_browser_problems(other)

    again = new_page(**MOBILE)
    response = again.goto(path)
    assert response.status == 404
    axe_check(again)
