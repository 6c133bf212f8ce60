"""In-clinic tablet mode in Chromium: reception makes the tablet, two patients in a row, Back
never reaches the one before, an idle questionnaire is cleared after a warning, no staff page."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from intake.models import Intake
from tests.browser.helpers import (
    answer_the_questionnaire,
    axe_check,
    fill,
    signed_in,
)

pytestmark = pytest.mark.browser

TABLET = {"viewport": {"width": 810, "height": 1080}, "locale": "ja-JP", "has_touch": True}


def ja(name: str, **kwargs: Any) -> str:
    with translation.override("ja"):
        return reverse(name, kwargs=kwargs or None)


def make_tablet(new_page: Callable[..., Any], receptionist: User, live_server: Any) -> Any:
    page = signed_in(new_page(**TABLET), receptionist, live_server)
    page.goto(ja("tablet:setup"))
    axe_check(page)
    page.get_by_role("button", name="この端末を問診用タブレットにする").click()
    expect(page).to_have_url(re.compile(re.escape(ja("tablet:start")) + "$"))
    return page


def patient(page: Any, name: str, kana: str, language: str = "ja") -> str:
    """One patient from the start screen to the confirmation; returns the reference."""
    page.locator(f"#tablet-start-{language}").click()
    answer_the_questionnaire(
        page,
        full_name=name,
        full_name_kana=kana,
        date_of_birth="1990-03-03",
        phone="090-7777-8888",
    )
    return page.locator("#reference-code").inner_text()


def test_two_patients_in_a_row_and_the_second_cannot_reach_the_first(
    new_page: Callable[..., Any], receptionist: User, live_server: Any
) -> None:
    tablet = make_tablet(new_page, receptionist, live_server)
    expect(tablet.locator("#tablet-start-ja")).to_be_visible()
    axe_check(tablet)

    first = patient(tablet, "一番 花子", "イチバン ハナコ")
    expect(tablet.locator("#tablet-finish")).to_be_visible()
    axe_check(tablet)
    tablet.locator("#tablet-finish").click()
    expect(tablet).to_have_url(re.compile(re.escape(ja("tablet:start")) + "$"))

    # The second patient goes Back as far as the browser lets her: nothing of the first.
    for _ in range(10):
        if tablet.go_back() is None:
            break
        tablet.wait_for_load_state()
        content = tablet.content()
        assert "一番 花子" not in content and "イチバン" not in content, tablet.url
        assert f'id="reference-code">{first}' not in content, tablet.url
    tablet.goto(ja("intake:submitted", reference=first))
    expect(tablet.locator("#reference-code")).to_have_count(0)

    tablet.goto(ja("tablet:start"))
    second = patient(tablet, "Second Patient", "セカンド ペイシェント", language="en")
    assert second != first
    assert set(Intake.objects.values_list("full_name", flat=True)) == {
        "一番 花子",
        "Second Patient",
    }
    # Back reached the setup page (403 now) and the first confirmation's address (404): the
    # browser's own console lines about those; nothing else went wrong.
    assert [p for p in tablet.problems if not re.search(r"status of 40[34]", p)] == []


def test_an_idle_questionnaire_is_cleared_after_a_warning(
    new_page: Callable[..., Any], receptionist: User, live_server: Any, settings: Any
) -> None:
    settings.INTAKE_TABLET_IDLE_SECONDS = 5
    settings.INTAKE_TABLET_WARNING_SECONDS = 3
    tablet = make_tablet(new_page, receptionist, live_server)
    tablet.locator("#tablet-start-ja").click()
    fill(tablet, "about_you", "full_name", "放置 太郎")

    # The warning comes first, with a countdown; "continue" keeps the answers.
    dialog = tablet.locator("#tablet-idle-dialog")
    expect(dialog).to_be_visible(timeout=6_000)
    expect(tablet.locator("#tablet-idle-countdown")).to_have_text(re.compile(r"^[1-3]$"))
    axe_check(tablet)
    expect(tablet.locator("#tablet-idle-continue")).to_be_focused()
    tablet.keyboard.press("Enter")  # "continue", and nothing else: the form is not sent
    expect(dialog).to_be_hidden()
    expect(tablet).to_have_url(re.compile(re.escape(ja("intake:step", step="about_you")) + "$"))
    expect(tablet.locator('[name="about_you-full_name"]')).to_have_value("放置 太郎")

    # Left alone again: cleared, back to the start screen; nothing typed comes back.
    expect(tablet).to_have_url(re.compile(re.escape(ja("tablet:start")) + "$"), timeout=10_000)
    tablet.locator("#tablet-start-ja").click()
    expect(tablet.locator('[name="about_you-full_name"]')).to_have_value("")
    assert tablet.problems == []


def test_the_tablet_opens_no_staff_page_and_leaves_tablet_mode_with_a_password(
    new_page: Callable[..., Any], receptionist: User, live_server: Any
) -> None:
    tablet = make_tablet(new_page, receptionist, live_server)

    for name in ("login", "review:queue", "visits:today", "invitations:reception"):
        response = tablet.goto(ja(name))
        assert response is not None and response.status == 403, name
        expect(tablet.locator("h1")).to_have_text("このタブレットは問診票専用です")
    axe_check(tablet)

    tablet.goto(ja("tablet:start"))
    tablet.locator("#tablet-leave").click()
    axe_check(tablet)
    tablet.locator('[name="username"]').fill(receptionist.username)
    tablet.locator('[name="password"]').fill("pw-for-tests-only")
    tablet.locator("#tablet-leave-form button[type=submit]").click()
    expect(tablet).to_have_url(re.compile(re.escape(ja("login")) + "$"))
    expect(tablet.locator("#login-form")).to_be_visible()
    # The 403s above are the browser's own console lines; nothing else went wrong.
    assert [p for p in tablet.problems if "403 (Forbidden)" not in p] == []
