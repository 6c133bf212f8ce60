"""Today's visits in Chromium, for reception (its landing page) and for doctors (the verdict)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from intake.invitations import services as invitation_services
from intake.models import Intake, Invitation
from tests.browser.helpers import DESKTOP, axe_check
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser


def ja(name: str, **kwargs: Any) -> str:
    with translation.override("ja"):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture
def visits(invite: Callable[..., Invitation], make_intake: Callable[..., Intake]) -> Intake:
    today = timezone.localdate()
    invite(full_name="招待 一子", full_name_kana="ショウタイ イチコ", visit_date=today)
    started = invite(full_name="途中 二子", full_name_kana="トチュウ フタコ", visit_date=today)
    invitation_services.invitation_mark_started(invitation=started)
    return make_intake(
        full_name="妊娠 三子",
        full_name_kana="ニンシン ミツコ",
        visit_date=today,
        pregnancy="pregnant",
    )


def sign_in(page: Any, user: User) -> None:
    page.goto(ja("login"))
    page.locator('[name="username"]').fill(user.username)
    page.locator('[name="password"]').fill(PASSWORD)
    page.locator("#login-form button[type=submit]").click()


def test_reception_lands_on_todays_visits_and_reaches_every_page_of_its_own(
    new_page: Callable[..., Any], receptionist: User, visits: Intake
) -> None:
    page = new_page(**{**DESKTOP, "locale": "ja-JP"})
    sign_in(page, receptionist)

    expect(page).to_have_url(re.compile(re.escape(ja("visits:today")) + "$"))
    expect(page.locator("h1")).to_contain_text("本日の来院予定")
    states = page.locator("#visits .visit-state")
    expect(states).to_have_text(["案内済み", "回答中", "回答済み"])  # by kana
    expect(page.locator("#visits")).not_to_contain_text("適さない")
    axe_check(page)

    nav = page.get_by_role("navigation", name="スタッフメニュー")
    expect(nav.get_by_role("link", name="本日の来院予定")).to_have_attribute("aria-current", "page")
    nav.get_by_role("link", name="問診一覧").click()
    expect(page).to_have_url(re.compile(re.escape(ja("review:queue")) + "$"))
    # From the queue, reception reaches its own page (it could not before).
    page.get_by_role("navigation", name="スタッフメニュー").get_by_role(
        "link", name="問診の案内"
    ).click()
    expect(page).to_have_url(re.compile(re.escape(ja("invitations:reception")) + "$"))
    axe_check(page)
    assert page.problems == []


def test_doctors_see_the_verdict_and_open_the_intake_from_todays_visits(
    new_page: Callable[..., Any], doctor: User, visits: Intake
) -> None:
    page = new_page(**{**DESKTOP, "locale": "ja-JP"})
    sign_in(page, doctor)
    expect(page).to_have_url(re.compile(re.escape(ja("review:queue")) + "$"))

    page.get_by_role("navigation", name="スタッフメニュー").get_by_role(
        "link", name="本日の来院予定"
    ).click()
    row = page.locator("#visits tr.visit-submitted")
    expect(row.locator(".verdict-badge")).to_be_visible()
    axe_check(page)
    row.get_by_role("link", name=re.compile("問診を開く")).click()
    expect(page).to_have_url(re.compile(re.escape(ja("review:intake", reference=visits.reference))))
    assert page.problems == []
