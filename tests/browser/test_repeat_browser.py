"""A repeat intake in a real browser (Chromium): reception invites a returning patient from the
patient's page; on a 375 px phone the patient gives a wrong date of birth, then the right one,
finds the answers of the last visit filled in, changes one and sends; the doctor sees the
history, the change and the flags the clinic's record raised. axe-core checks every new page, in
Japanese and in English.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from intake.birthdate import BIRTH_DATE_TRIES
from intake.models import Intake, Invitation, Patient, PatientLink
from tests.browser.helpers import MOBILE, assert_no_browser_problems, axe_check, choose, next_step
from tests.conftest import LATEST_ANSWERS
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser

BORN = LATEST_ANSWERS["date_of_birth"].isoformat()


def path(language: str, name: str, **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def sign_in(page: Any, user: User, language: str = "ja") -> None:
    names = {
        "ja": ("ユーザー名", "パスワード", "ログイン"),
        "en": ("Username", "Password", "Sign in"),
    }
    username, password, button = names[language]
    page.get_by_label(username).fill(user.username)
    page.get_by_label(password).fill(PASSWORD)
    page.get_by_role("button", name=button).click()


def field(page: Any, step: str, key: str) -> Any:
    return page.locator(f'[name="{step}-{key}"]')


def checked(page: Any, step: str, key: str, value: str) -> Any:
    return page.locator(f'[name="{step}-{key}"][value="{value}"]')


def test_reception_invites_the_patient_confirms_changes_one_answer_and_the_doctor_sees_it(
    transactional_db: Any,
    new_page: Any,
    receptionist: User,
    doctor: User,
    returning_patient: Patient,
    clinic: Any,
) -> None:
    visit = timezone.localdate() + datetime.timedelta(days=4)

    # Reception, from the patient's page.
    desk = new_page(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    desk.goto(path("ja", "patients:detail", pk=returning_patient.pk))
    sign_in(desk, receptionist)
    axe_check(desk)
    desk.get_by_role("link", name="再来の問診を案内する").click()
    expect(desk.get_by_role("heading", name="再来の問診を案内する")).to_be_visible()
    expect(desk.get_by_label("氏名")).to_have_value(returning_patient.full_name)
    axe_check(desk)
    # Her latest intake was in English: the form proposes English; she prefers Japanese now.
    expect(desk.locator("#id_language")).to_have_value("en")
    desk.locator("#id_language").select_option("ja")
    desk.get_by_label("来院予定日").fill(visit.isoformat())
    desk.get_by_role("button", name="案内を作成する").click()
    link = desk.locator("#invitation-link").input_value()
    invitation = Invitation.objects.get()
    assert invitation.patient == returning_patient
    assert link.endswith(f"/ja/invite/{invitation.token}/")

    # The patient, on a phone: nothing of hers before the date of birth.
    phone = new_page(**MOBILE)
    phone.goto(link)
    expect(phone.get_by_role("heading", name="生年月日の確認")).to_be_visible()
    expect(phone.locator("main")).not_to_contain_text("山田")
    axe_check(phone)
    phone.get_by_label("生年月日").fill("1995-10-04")
    phone.get_by_role("button", name="問診票を開く").click()
    expect(phone.locator("#error-summary")).to_contain_text("生年月日が一致しません。")
    expect(phone.locator("#tries-left")).to_contain_text(
        f"あと{BIRTH_DATE_TRIES - 1}回入力できます。"
    )
    axe_check(phone)
    phone.get_by_label("生年月日").fill(BORN)
    phone.get_by_role("button", name="問診票を開く").click()

    # The answers of her last visit, to check and change.
    expect(field(phone, "about_you", "full_name")).to_have_value(LATEST_ANSWERS["full_name"])
    expect(field(phone, "about_you", "phone")).to_have_value(LATEST_ANSWERS["phone"])
    expect(phone.locator("#carried-note")).to_be_visible()
    axe_check(phone)
    next_step(phone)
    expect(checked(phone, "skin", "skin_type", "dry")).to_be_checked()
    expect(checked(phone, "skin", "keloid_history", "true")).to_be_checked()
    choose(phone, "skin", "skin_type", "combination")
    choose(phone, "skin", "concerns", "enlarged_pores")
    choose(phone, "skin", "acne_lesion_count", "none")
    next_step(phone)
    expect(phone.locator("#carried-note")).to_have_count(0)  # nothing carried over here
    choose(phone, "retinoids", "isotretinoin", "never")
    next_step(phone)
    choose(phone, "treatments", "botulinum_before", "false")  # forgets the clinic's treatment
    next_step(phone)
    expect(field(phone, "health", "allergy_details")).to_have_value(
        LATEST_ANSWERS["allergy_details"]
    )
    choose(phone, "health", "pregnancy", "not_applicable")
    choose(phone, "health", "breastfeeding", "false")
    choose(phone, "health", "planning_pregnancy", "false")
    next_step(phone)
    for key in ("consent_privacy", "consent_off_label", "confirm_accurate"):
        field(phone, "consent", key).check()
    next_step(phone)

    # The review page marks what came from the last visit, and the one answer she changed.
    expect(phone.get_by_role("heading", name="回答の確認")).to_be_visible()
    expect(phone.locator(".carried-mark", has_text="前回から変更")).to_have_count(1)
    expect(
        phone.locator("dd", has=phone.locator(".carried-mark", has_text="前回から変更"))
    ).to_contain_text("混合肌")
    expect(phone.locator(".carried-mark", has_text="前回の回答").first).to_be_visible()
    axe_check(phone)
    phone.get_by_role("button", name="回答を送信する").click()
    expect(phone.locator(".reference-code").first).to_be_visible()

    intake = Intake.objects.get(invitation=invitation)
    assert intake.patient == returning_patient
    assert PatientLink.objects.get(intake=intake).source == "repeat_invitation"

    # The doctor: the history, the change and the flags the clinic's record raised.
    review = new_page(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    review.goto(path("ja", "review:intake", reference=intake.reference))
    sign_in(review, doctor)
    expect(review.locator("#earlier-intakes")).to_contain_text(
        returning_patient.intakes.exclude(pk=intake.pk).latest("submitted_at").reference
    )
    change = review.locator('#answer-changes tr[data-key="skin_type"]')
    expect(change).to_contain_text("乾燥肌")
    expect(change).to_contain_text("混合肌")
    expect(review.locator("#flag-RECENT_TOXIN")).to_be_visible()
    expect(review.locator("#flag-RECORD_MISMATCH")).to_be_visible()
    axe_check(review)
    for page in (desk, phone, review):
        assert_no_browser_problems(page)


def test_the_new_pages_in_english_pass_axe_and_a_locked_link_says_whom_to_call(
    transactional_db: Any,
    new_page: Any,
    receptionist: User,
    repeat_invitation: Invitation,
    returning_patient: Patient,
    clinic: Any,
) -> None:
    desk = new_page(viewport={"width": 1280, "height": 900}, locale="en-US")
    desk.goto(path("en", "invitations:for_patient", pk=returning_patient.pk))
    sign_in(desk, receptionist, "en")
    expect(desk.get_by_role("heading", name="Invite to a repeat intake")).to_be_visible()
    axe_check(desk)
    desk.get_by_role("button", name="Create the invitation").click()  # no visit date
    expect(desk.get_by_text("This field is required.").first).to_be_visible()
    desk.problems.clear()  # the refused form's 400, reported on the console
    axe_check(desk)

    phone = new_page(**{**MOBILE, "locale": "en-US"})
    phone.goto(path("en", "invitations:open", token=repeat_invitation.token))
    expect(phone.get_by_role("heading", name="Confirm your date of birth")).to_be_visible()
    axe_check(phone)
    for left in range(BIRTH_DATE_TRIES - 1, 0, -1):
        phone.get_by_label("Date of birth").fill("1995-10-04")
        phone.get_by_role("button", name="Open the questionnaire").click()
        expect(phone.locator("#tries-left")).to_contain_text(re.compile(f"try {left} more time"))
    axe_check(phone)
    phone.get_by_label("Date of birth").fill("1995-10-04")
    phone.get_by_role("button", name="Open the questionnaire").click()
    expect(phone.locator("#locked-en")).to_contain_text("This link is locked.")
    expect(phone.locator("#locked-ja")).to_contain_text("このリンクはロックされました。")
    expect(phone.locator("#locked-en")).to_contain_text(clinic.phone)
    phone.problems.clear()  # the locked page's 403
    axe_check(phone)

    # Another phone gets the same locked page; reception's patient page says so.
    other = new_page(**{**MOBILE, "locale": "en-US"})
    other.goto(path("en", "invitations:open", token=repeat_invitation.token))
    expect(other.locator("#locked-en")).to_be_visible()
    desk.goto(path("en", "patients:detail", pk=returning_patient.pk))
    expect(desk.locator("#patient-invitations")).to_contain_text("Locked: wrong dates of birth")
    axe_check(desk)
