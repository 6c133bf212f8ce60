"""An invitation walked in Chromium: reception makes it, the patient opens it, submits, and the
link is refused the second time."""

from __future__ import annotations

import datetime
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
from tests.browser.helpers import (
    DESKTOP,
    MOBILE,
    assert_no_browser_problems,
    axe_check,
    choose,
    next_step,
    signed_in,
)

pytestmark = pytest.mark.browser


def path(name: str, language: str = "ja", **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def answer(page: Any, step: str, key: str) -> Any:
    return page.locator(f'[name="{step}-{key}"]')


def at_step(page: Any, step: str) -> None:
    expect(page).to_have_url(re.compile(re.escape(path("intake:step", step=step)) + r"$"))


def test_an_invitation_link_opens_a_prefilled_intake_once(
    new_page: Callable[..., Any], receptionist: User, live_server: Any
) -> None:
    visit = timezone.localdate() + datetime.timedelta(days=3)

    # Reception creates the invitation and gets the link and its QR code.
    reception = signed_in(new_page(**DESKTOP), receptionist, live_server)
    reception.goto(path("invitations:reception"))
    axe_check(reception)
    reception.locator('.invitation-form [name="full_name"]').fill("招待 花子")
    reception.locator('.invitation-form [name="full_name_kana"]').fill("しょうたい はなこ")
    reception.locator('.invitation-form [name="phone"]').fill("090-1111-2222")
    reception.locator('.invitation-form [name="visit_date"]').fill(visit.isoformat())
    reception.locator('.invitation-form [name="language"]').select_option("ja")
    reception.get_by_role("button", name="案内を作成する").click()
    link = reception.locator("#invitation-link").input_value()
    qr = reception.locator("img.invitation-qr")
    expect(qr).to_be_visible()
    # Visible comes before decoded: wait (bounded) for the QR image to have loaded.
    reception.wait_for_function(
        "image => image.complete && image.naturalWidth > 0", arg=qr.element_handle(), timeout=10_000
    )
    assert qr.evaluate("image => image.complete && image.naturalWidth > 0")
    axe_check(reception)
    assert link.startswith(live_server.url) and "/ja/invite/" in link

    # The patient opens it on a phone: the details reception entered are filled in.
    patient = new_page(**MOBILE)
    patient.goto(link)
    at_step(patient, "about_you")
    expect(answer(patient, "about_you", "full_name")).to_have_value("招待 花子")
    expect(answer(patient, "about_you", "full_name_kana")).to_have_value("ショウタイ ハナコ")
    expect(answer(patient, "about_you", "phone")).to_have_value("090-1111-2222")
    expect(answer(patient, "about_you", "visit_date")).to_have_value(visit.isoformat())
    answer(patient, "about_you", "date_of_birth").fill("1995-04-10")
    choose(patient, "about_you", "sex", "female")
    next_step(patient)
    at_step(patient, "skin")
    choose(patient, "skin", "skin_type", "oily")
    choose(patient, "skin", "concerns", "oiliness")
    choose(patient, "skin", "acne_lesion_count", "1_5")
    choose(patient, "skin", "keloid_history", "false")
    next_step(patient)
    at_step(patient, "retinoids")
    choose(patient, "retinoids", "isotretinoin", "never")
    next_step(patient)
    at_step(patient, "treatments")
    choose(patient, "treatments", "botulinum_before", "false")
    next_step(patient)
    at_step(patient, "health")
    choose(patient, "health", "pregnancy", "not_pregnant")
    choose(patient, "health", "breastfeeding", "false")
    choose(patient, "health", "planning_pregnancy", "false")
    next_step(patient)
    at_step(patient, "consent")
    for key in ("consent_privacy", "consent_off_label", "confirm_accurate"):
        answer(patient, "consent", key).check()
    next_step(patient)
    at_step(patient, "review")
    patient.get_by_role("button", name="回答を送信する").click()
    expect(patient.locator("#reference-code")).to_be_visible()

    intake = Intake.objects.select_related("invitation").get()
    assert intake.full_name == "招待 花子"
    assert intake.invitation is not None and intake.invitation.used_at is not None

    # The same link a second time: refused, in both languages.
    response = patient.goto(link)
    assert response is not None and response.status == 410
    expect(patient.locator("#refused-ja")).to_contain_text("このリンクはすでに使用されています。")
    expect(patient.locator("#refused-en")).to_contain_text("This link has already been used.")
    axe_check(patient)

    # Reception's list of invited patients who have not finished no longer has her.
    reception.goto(path("invitations:reception"))
    expect(reception.locator("main")).not_to_contain_text("招待 花子")
    assert Invitation.objects.filter(used_at__isnull=True).count() == 0
    assert reception.problems == []
    # The browser reports the refused link's status (410) itself; nothing else went wrong.
    assert [problem for problem in patient.problems if "410 (Gone)" not in problem] == []


def test_a_link_opened_over_an_unfinished_questionnaire_asks_which_one_to_keep(
    new_page: Callable[..., Any], receptionist: User
) -> None:
    invitation = invitation_services.invitation_create(
        full_name="招待 花子",
        full_name_kana="ショウタイ ハナコ",
        phone="090-1111-2222",
        email="",
        visit_date=timezone.localdate() + datetime.timedelta(days=3),
        language="ja",
        created_by=receptionist,
    )
    link = path("invitations:open", token=invitation.token)

    # On her phone, a questionnaire started earlier without the link, its first page sent.
    patient = new_page(**MOBILE)
    patient.goto(path("intake:start"))
    answer(patient, "about_you", "full_name").fill("別人 です")
    answer(patient, "about_you", "full_name_kana").fill("ベツジン デス")
    answer(patient, "about_you", "date_of_birth").fill("1990-01-01")
    choose(patient, "about_you", "sex", "female")
    answer(patient, "about_you", "phone").fill("090-3333-4444")
    answer(patient, "about_you", "visit_date").fill(invitation.visit_date.isoformat())
    next_step(patient)
    at_step(patient, "skin")

    # The link asks first; going on keeps the unfinished questionnaire as it was.
    patient.goto(link)
    expect(patient.locator("h1")).to_have_text("回答途中の問診票があります")
    axe_check(patient)
    assert patient.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    with patient.expect_request(re.compile(re.escape(path("intake:start")) + "$")) as sent:
        patient.get_by_role("link", name="回答途中の問診票を続ける").click()
    assert "/invite/" not in (sent.value.headers.get("referer") or "")  # the token stays put
    at_step(patient, "skin")
    patient.goto(path("intake:step", step="about_you"))
    expect(answer(patient, "about_you", "full_name")).to_have_value("別人 です")

    # Asked again, she starts the appointment's questionnaire: prefilled by reception.
    patient.goto(link)
    patient.get_by_role("button", name="このご予約の問診票を始める").click()
    at_step(patient, "about_you")
    expect(answer(patient, "about_you", "full_name")).to_have_value("招待 花子")
    expect(answer(patient, "about_you", "phone")).to_have_value("090-1111-2222")
    assert Invitation.objects.get().used_at is None
    assert patient.problems == []


def test_reception_copies_the_link_and_prints_the_patients_card_alone(
    new_page: Callable[..., Any], receptionist: User, live_server: Any
) -> None:
    visit = timezone.localdate() + datetime.timedelta(days=3)
    page = signed_in(
        new_page(**DESKTOP, permissions=["clipboard-read", "clipboard-write"]),
        receptionist,
        live_server,
    )
    # Reception works in Japanese; the patient reads English.
    page.goto(path("invitations:reception"))
    page.locator('.invitation-form [name="full_name"]').fill("Jane Smith")
    page.locator('.invitation-form [name="phone"]').fill("090-1111-2222")
    page.locator('.invitation-form [name="visit_date"]').fill(visit.isoformat())
    page.locator('.invitation-form [name="language"]').select_option("en")
    page.get_by_role("button", name="案内を作成する").click()
    link = page.locator("#invitation-link").input_value()

    page.get_by_role("button", name="リンクをコピー").click()
    expect(page.get_by_role("status").filter(has_text="リンクをコピーしました。")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == link
    page.mouse.move(0, 0)  # the page as it is read, not under the pointer's hover
    axe_check(page)

    # On paper: the card alone, in English, the whole link on it.
    page.emulate_media(media="print")
    card = page.locator("#invitation-card")
    expect(card).to_be_visible()
    expect(card).to_contain_text("Your questionnaire before your visit")
    expect(card.locator(".invitation-url")).to_have_text(link)
    assert card.locator(".invitation-url").evaluate("url => url.scrollWidth <= url.clientWidth")
    for staff_only in ("header", ".invitation-staff", "main > .alert"):
        expect(page.locator(staff_only)).to_be_hidden()
    assert_no_browser_problems(page)
