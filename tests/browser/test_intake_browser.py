"""The patient's intake in a real browser: Chromium on a phone in Japanese, on a desktop in English.

Each test is one patient (one browser context). axe-core checks every step, the review page and
the confirmation for serious or critical accessibility violations.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from intake import answers, selectors
from intake.models import Intake
from tests.browser.helpers import (
    answer_first_step,
    assert_no_browser_problems,
    axe_check,
    choose,
    next_step,
)

pytestmark = pytest.mark.browser

HANAKO = {"name": "山田 花子", "kana": "ヤマダ ハナコ", "phone": "06-6375-0000", "visit_in_days": 7}
STEPS = ("about_you", "skin", "retinoids", "treatments", "health", "consent")


# What a patient does --------------------------------------------------------------------------
def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> str:
    return (today() + datetime.timedelta(days=n)).isoformat()


def step_path(language: str, step: str) -> str:
    with translation.override(language):
        return reverse("intake:step", kwargs={"step": step})


def translated(language: str, text: str) -> str:
    with translation.override(language):
        return gettext(text)


def start_path(language: str) -> str:
    with translation.override(language):
        return reverse("intake:start")


def at_step(page: Any, language: str, step: str) -> None:
    expect(page).to_have_url(re.compile(re.escape(step_path(language, step)) + r"(\?.*)?$"))


def field(page: Any, step: str, key: str) -> Any:
    return page.locator(f'[name="{step}-{key}"]')


def back(page: Any) -> None:
    page.locator('button[name="wizard_goto_step"]').click()


def switch_language(page: Any) -> None:
    page.locator('button[name="switch_language"]').click()


def fill_about_you(page: Any, *, name: str, kana: str, phone: str, visit_in_days: int) -> None:
    field(page, "about_you", "full_name").fill(name)
    field(page, "about_you", "full_name_kana").fill(kana)
    field(page, "about_you", "date_of_birth").fill("1995-04-10")
    choose(page, "about_you", "sex", "female")
    field(page, "about_you", "phone").fill(phone)
    field(page, "about_you", "visit_date").fill(days(visit_in_days))


def fill_skin(page: Any, *, skin_type: str = "oily") -> None:
    choose(page, "skin", "skin_type", skin_type)
    choose(page, "skin", "phototype", "III")
    choose(page, "skin", "concerns", "oiliness", "enlarged_pores")
    choose(page, "skin", "acne_lesion_count", "1_5")
    choose(page, "skin", "keloid_history", "false")


def fill_no_retinoids(page: Any) -> None:
    choose(page, "retinoids", "isotretinoin", "never")


def fill_no_treatments(page: Any) -> None:
    choose(page, "treatments", "botulinum_before", "false")


def choose_product(page: Any, code: str) -> None:
    """The product is a drop-down (many choices) or radio buttons, whichever the form renders."""
    product = field(page, "treatments", "botulinum_product")
    if product.first.evaluate("el => el.tagName") == "SELECT":
        product.select_option(code)
    else:
        choose(page, "treatments", "botulinum_product", code)


def fill_health(page: Any) -> None:
    choose(page, "health", "pregnancy", "not_pregnant")
    choose(page, "health", "breastfeeding", "false")
    choose(page, "health", "planning_pregnancy", "false")


def fill_consent(page: Any) -> None:
    for key in ("consent_privacy", "consent_off_label", "confirm_accurate"):
        field(page, "consent", key).check()


def fill_up_to_review(page: Any, language: str) -> None:
    """A quick intake with no flag but OFF_LABEL, from the first step to the review page."""
    page.goto(start_path(language))
    fill_about_you(
        page, name="山田 花子", kana="ヤマダ ハナコ", phone="06-6375-0000", visit_in_days=7
    )
    next_step(page)
    for step, fill in (
        ("skin", fill_skin),
        ("retinoids", fill_no_retinoids),
        ("treatments", fill_no_treatments),
        ("health", fill_health),
        ("consent", fill_consent),
    ):
        at_step(page, language, step)
        fill(page)
        next_step(page)
    at_step(page, language, "review")


def submit_button(page: Any, language: str) -> Any:
    name = "回答を送信する" if language == "ja" else "Send my answers"
    return page.get_by_role("button", name=name)


def assert_fits_the_screen(page: Any) -> None:
    """Nothing wider than the viewport: no sideways scrolling on a phone."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def review_value(page: Any, label: str) -> str:
    return page.locator("dt", has_text=label).locator("xpath=following-sibling::dd[1]").inner_text()


# The whole intake -----------------------------------------------------------------------------
def test_a_patient_completes_the_intake_in_japanese_on_a_phone(mobile_page: Any) -> None:
    page = mobile_page
    page.goto("/")
    # The clinic's start page first (issue 13), then step 1.
    expect(page.locator("#welcome-ready")).to_be_visible()
    axe_check(page)
    page.locator("#welcome-start").click()
    at_step(page, "ja", "about_you")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.locator("#progress-label")).to_contain_text("1")
    expect(page.locator("h1")).to_have_text("基本情報")
    # How the answers are handled, before any health question (spec §6).
    expect(page.locator(".privacy-notice")).to_contain_text("要配慮個人情報")
    axe_check(page)
    assert_fits_the_screen(page)
    # Full-width digits, as a Japanese phone keyboard may type them.
    fill_about_you(
        page,
        name="佐藤 美咲",
        kana="サトウ ミサキ",
        phone="０６－６３７５－００００",
        visit_in_days=10,
    )
    next_step(page)

    at_step(page, "ja", "skin")
    expect(page.locator("h1")).to_have_text("肌の状態")
    axe_check(page)
    assert_fits_the_screen(page)
    fill_skin(page)
    next_step(page)

    at_step(page, "ja", "retinoids")
    axe_check(page)
    choose(page, "retinoids", "topical_retinoids", "tretinoin")
    field(page, "retinoids", "topical_retinoid_started").fill(days(-60))
    choose(page, "retinoids", "isotretinoin", "never")
    axe_check(page)
    next_step(page)

    at_step(page, "ja", "treatments")
    axe_check(page)
    fill_no_treatments(page)
    next_step(page)

    at_step(page, "ja", "health")
    axe_check(page)
    fill_health(page)
    next_step(page)

    at_step(page, "ja", "consent")
    axe_check(page)
    assert_fits_the_screen(page)
    fill_consent(page)
    next_step(page)

    at_step(page, "ja", "review")
    expect(page.locator("h1")).to_have_text(translated("ja", "Check your answers"))
    expect(page.locator("main")).to_contain_text("佐藤 美咲")
    expect(page.locator("main")).to_contain_text("トレチノイン")
    expect(page.get_by_role("link", name=re.compile("変更"))).to_have_count(len(STEPS))
    axe_check(page)
    assert_fits_the_screen(page)
    submit_button(page, "ja").click()

    reference = page.locator("#reference-code")
    expect(reference).to_have_text(re.compile(r"^[0-9A-Z]{4}-[0-9A-Z]{4}$"))
    intake = Intake.objects.get()
    expect(reference).to_have_text(intake.reference)
    assert intake.language == "ja"
    assert intake.full_name == "佐藤 美咲"
    assert intake.phone == "06-6375-0000"
    assert intake.topical_retinoids == ["tretinoin"]
    assert intake.topical_retinoid_started == today() - datetime.timedelta(days=60)
    assert intake.verdict == "suitable_with_cautions"
    notes = selectors.patient_notes(intake, language="ja")
    assert len(notes) >= 2  # TOPICAL_RETINOID and OFF_LABEL both speak to the patient
    expect(page.locator(".patient-notes li")).to_have_text(notes)
    # The patient never sees the verdict, in either language.
    expect(page.locator("main")).not_to_contain_text(
        answers.VERDICT_LABELS["suitable_with_cautions"].ja
    )
    expect(page.locator("main")).not_to_contain_text("suitable")
    axe_check(page)
    assert_fits_the_screen(page)
    assert_no_browser_problems(page)


def test_a_patient_completes_the_intake_in_english_on_a_desktop(desktop_page: Any) -> None:
    page = desktop_page
    page.goto(start_path("en"))
    at_step(page, "en", "about_you")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#progress-label")).to_have_text(re.compile(r"Step 1 of 6"))
    axe_check(page)
    fill_about_you(page, name="Emily Carter", kana="", phone="+81 90 1234 5678", visit_in_days=20)
    next_step(page)

    at_step(page, "en", "skin")
    expect(page.locator("#progress-label")).to_have_text(re.compile(r"Step 2 of 6"))
    expect(page.locator("h1")).to_have_text("Your skin")
    axe_check(page)
    fill_skin(page, skin_type="combination")
    next_step(page)

    at_step(page, "en", "retinoids")
    axe_check(page)
    fill_no_retinoids(page)
    next_step(page)

    at_step(page, "en", "treatments")
    axe_check(page)
    choose(page, "treatments", "botulinum_before", "true")
    field(page, "treatments", "botulinum_last_date").fill(days(-30))
    choose_product(page, "botox_vista")
    axe_check(page)
    next_step(page)

    at_step(page, "en", "health")
    axe_check(page)
    fill_health(page)
    field(page, "health", "upcoming_event_date").fill(days(25))
    next_step(page)

    at_step(page, "en", "consent")
    expect(page.locator("#progress-label")).to_have_text(re.compile(r"Step 6 of 6"))
    axe_check(page)
    fill_consent(page)
    next_step(page)

    at_step(page, "en", "review")
    expect(page.locator("h1")).to_have_text("Check your answers")
    expect(page.locator("main")).to_contain_text("Emily Carter")
    expect(page.locator("main")).to_contain_text("Botox Vista")
    axe_check(page)
    submit_button(page, "en").click()

    expect(page.locator("#reference-code")).to_be_visible()
    intake = Intake.objects.get()
    expect(page.locator("#reference-code")).to_have_text(intake.reference)
    assert intake.language == "en"
    assert intake.botulinum_before is True
    assert intake.botulinum_product == "botox_vista"
    assert intake.verdict == "needs_review"
    assert "RECENT_TOXIN" in intake.flags.values_list("code", flat=True)
    notes = selectors.patient_notes(intake, language="en")
    expect(page.locator(".patient-notes li")).to_have_text(notes)
    expect(page.locator(".patient-notes")).to_contain_text("3 months")
    expect(page.locator("main")).not_to_contain_text("Needs review")
    axe_check(page)
    assert_no_browser_problems(page)


# Mistakes, second thoughts, interruptions ----------------------------------------------------
def test_a_validation_error_is_shown_focused_and_then_fixed(desktop_page: Any) -> None:
    page = desktop_page
    page.goto(start_path("en"))
    fill_about_you(page, name="", kana="Yamada Hanako", phone="06-6375-0000", visit_in_days=5)
    next_step(page)

    at_step(page, "en", "about_you")
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Full name")
    expect(summary).to_contain_text("katakana")
    name = field(page, "about_you", "full_name")
    # Focus goes to the first answer to correct, which says why it is wrong.
    expect(name).to_be_focused()
    expect(name).to_have_attribute("aria-invalid", "true")
    error_id = name.get_attribute("aria-describedby").split()[0]
    expect(page.locator(f"#{error_id}")).to_contain_text("required")
    kana = field(page, "about_you", "full_name_kana")
    expect(kana).to_have_attribute("aria-invalid", "true")
    # What was typed is still there.
    expect(kana).to_have_value("Yamada Hanako")
    expect(field(page, "about_you", "phone")).to_have_value("06-6375-0000")
    axe_check(page)

    name.fill("山田 花子")
    kana.fill("ヤマダ ハナコ")
    next_step(page)
    at_step(page, "en", "skin")
    expect(page.locator("#error-summary")).to_have_count(0)
    assert_no_browser_problems(page)


def test_errors_in_japanese_are_in_japanese(mobile_page: Any) -> None:
    page = mobile_page
    page.goto(start_path("ja"))
    fill_about_you(page, name="山田 花子", kana="山田", phone="12", visit_in_days=5)
    next_step(page)
    at_step(page, "ja", "about_you")
    expect(page.locator("#error-summary")).to_contain_text("カタカナ")
    expect(field(page, "about_you", "full_name_kana")).to_be_focused()
    axe_check(page)
    assert_fits_the_screen(page)


def test_back_then_change_an_answer_keeps_everything_else(desktop_page: Any) -> None:
    page = desktop_page
    page.goto(start_path("en"))
    fill_about_you(
        page, name="山田 花子", kana="ヤマダ ハナコ", phone="06-6375-0000", visit_in_days=7
    )
    next_step(page)
    fill_skin(page)
    next_step(page)
    at_step(page, "en", "retinoids")

    back(page)
    at_step(page, "en", "skin")
    expect(field(page, "skin", "skin_type").and_(page.locator('[value="oily"]'))).to_be_checked()
    expect(page.locator('[name="skin-concerns"][value="enlarged_pores"]')).to_be_checked()
    choose(page, "skin", "skin_type", "dry")
    back(page)
    at_step(page, "en", "about_you")
    expect(field(page, "about_you", "full_name")).to_have_value("山田 花子")
    next_step(page)
    at_step(page, "en", "skin")
    expect(page.locator('[name="skin-skin_type"][value="dry"]')).to_be_checked()
    next_step(page)
    fill_no_retinoids(page)
    next_step(page)
    fill_no_treatments(page)
    next_step(page)
    fill_health(page)
    next_step(page)
    fill_consent(page)
    next_step(page)

    at_step(page, "en", "review")
    assert review_value(page, "Skin type") == "Dry"
    # Change an answer from the review page and come straight back to it.
    page.get_by_role("link", name=re.compile(r"Change\s+Your skin")).click()
    at_step(page, "en", "skin")
    choose(page, "skin", "skin_type", "combination")
    page.get_by_role("button", name="Save and return to the summary").click()
    at_step(page, "en", "review")
    assert review_value(page, "Skin type") == "Combination"
    expect(page.locator("main")).to_contain_text("山田 花子")
    submit_button(page, "en").click()
    expect(page.locator("#reference-code")).to_be_visible()
    assert Intake.objects.get().skin_type == "combination"


def test_a_reload_mid_form_loses_nothing(mobile_page: Any) -> None:
    page = mobile_page
    page.goto(start_path("ja"))
    fill_about_you(
        page, name="山田 花子", kana="ヤマダ ハナコ", phone="06-6375-0000", visit_in_days=7
    )
    next_step(page)
    fill_skin(page)
    next_step(page)
    at_step(page, "ja", "retinoids")

    page.reload()
    at_step(page, "ja", "retinoids")
    page.goto(step_path("ja", "skin"))
    expect(page.locator('[name="skin-skin_type"][value="oily"]')).to_be_checked()
    expect(page.locator('[name="skin-keloid_history"][value="false"]')).to_be_checked()
    page.goto(step_path("ja", "about_you"))
    expect(field(page, "about_you", "full_name")).to_have_value("山田 花子")
    expect(field(page, "about_you", "visit_date")).to_have_value(days(7))


def test_switching_language_mid_form_keeps_answers_step_and_what_is_typed(
    mobile_page: Any,
) -> None:
    page = mobile_page
    page.goto(start_path("ja"))
    fill_about_you(
        page, name="山田 花子", kana="ヤマダ ハナコ", phone="06-6375-0000", visit_in_days=7
    )
    next_step(page)
    at_step(page, "ja", "skin")
    # Typed on this page, not yet sent with "Next".
    choose(page, "skin", "skin_type", "sensitive")
    choose(page, "skin", "concerns", "fine_lines")

    switch_language(page)
    at_step(page, "en", "skin")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Your skin")
    expect(page.locator('[name="skin-skin_type"][value="sensitive"]')).to_be_checked()
    expect(page.locator('[name="skin-concerns"][value="fine_lines"]')).to_be_checked()
    axe_check(page)

    back(page)
    at_step(page, "en", "about_you")
    expect(field(page, "about_you", "full_name")).to_have_value("山田 花子")
    switch_language(page)
    at_step(page, "ja", "about_you")
    expect(field(page, "about_you", "full_name")).to_have_value("山田 花子")
    assert_no_browser_problems(page)


def test_switching_language_on_an_unfinished_page_shows_no_error_yet(mobile_page: Any) -> None:
    """Changing language only changes language: the half-filled page comes back as it was,
    without errors for questions the patient has not reached yet."""
    page = mobile_page
    page.goto(start_path("ja"))
    fill_about_you(page, **HANAKO)
    next_step(page)
    choose(page, "skin", "skin_type", "sensitive")
    switch_language(page)
    at_step(page, "en", "skin")
    expect(page.locator('[name="skin-skin_type"][value="sensitive"]')).to_be_checked()
    expect(page.locator("#error-summary")).to_have_count(0)
    expect(page.locator(".is-invalid")).to_have_count(0)


def test_the_consent_text_can_be_scrolled_with_the_keyboard(mobile_page: Any) -> None:
    """The consent text scrolls in its own box, so the box takes keyboard focus (axe-core's
    `scrollable-region-focusable`)."""
    page = mobile_page
    answer_first_step(page, "ja")
    page.goto(step_path("ja", "consent"))
    body = page.locator(".consent-body")
    expect(body).to_be_visible()
    body.focus()
    expect(body).to_be_focused()
    axe_check(page, context=".consent-text")


def test_conditional_questions_appear_and_disappear_at_once(desktop_page: Any) -> None:
    page = desktop_page
    answer_first_step(page, "en")
    page.goto(step_path("en", "retinoids"))

    started = field(page, "retinoids", "topical_retinoid_started")
    irritation = field(page, "retinoids", "retinoid_irritation").first
    last_dose = field(page, "retinoids", "isotretinoin_last_dose")
    expect(started).to_be_hidden()
    expect(irritation).to_be_hidden()
    expect(last_dose).to_be_hidden()
    choose(page, "retinoids", "topical_retinoids", "adapalene")
    expect(started).to_be_visible()
    expect(irritation).to_be_visible()
    page.locator('[name="retinoids-topical_retinoids"][value="adapalene"]').uncheck()
    expect(started).to_be_hidden()
    choose(page, "retinoids", "isotretinoin", "past")
    expect(last_dose).to_be_visible()
    choose(page, "retinoids", "isotretinoin", "current")
    expect(last_dose).to_be_hidden()

    page.goto(step_path("en", "treatments"))
    last_toxin = field(page, "treatments", "botulinum_last_date")
    expect(last_toxin).to_be_hidden()
    choose(page, "treatments", "botulinum_before", "true")
    expect(last_toxin).to_be_visible()
    choose(page, "treatments", "botulinum_before", "false")
    expect(last_toxin).to_be_hidden()
    assert_no_browser_problems(page)


def test_an_answer_typed_into_a_question_then_hidden_is_not_kept(desktop_page: Any) -> None:
    page = desktop_page
    fill_up_to_review(page, "en")
    page.goto(step_path("en", "retinoids"))
    choose(page, "retinoids", "isotretinoin", "past")
    field(page, "retinoids", "isotretinoin_last_dose").fill(days(-30))
    choose(page, "retinoids", "isotretinoin", "never")
    next_step(page)
    page.goto(step_path("en", "review"))
    at_step(page, "en", "review")
    submit_button(page, "en").click()
    expect(page.locator("#reference-code")).to_be_visible()
    intake = Intake.objects.get()
    assert intake.isotretinoin == "never"
    assert intake.isotretinoin_last_dose is None


def test_without_javascript_a_conditional_question_is_asked_after_the_answer_is_sent(
    new_page: Any,
) -> None:
    page = new_page(java_script_enabled=False, locale="en-US")
    answer_first_step(page, "en")
    page.goto(step_path("en", "retinoids"))
    expect(field(page, "retinoids", "topical_retinoid_started")).to_be_hidden()
    choose(page, "retinoids", "topical_retinoids", "retinol")
    fill_no_retinoids(page)
    next_step(page)
    at_step(page, "en", "retinoids")
    started = field(page, "retinoids", "topical_retinoid_started")
    expect(started).to_be_visible()
    expect(page.locator("#error-summary")).to_contain_text("started")
    started.fill(days(-10))
    next_step(page)
    at_step(page, "en", "treatments")


# Submitting ----------------------------------------------------------------------------------
def test_a_double_click_on_send_creates_exactly_one_intake(desktop_page: Any) -> None:
    page = desktop_page
    fill_up_to_review(page, "en")
    submit_button(page, "en").dblclick()
    expect(page.locator("#reference-code")).to_be_visible()
    assert Intake.objects.count() == 1
    expect(page.locator("#reference-code")).to_have_text(Intake.objects.get().reference)


def test_a_double_click_without_javascript_still_creates_one_intake(new_page: Any) -> None:
    page = new_page(java_script_enabled=False, locale="ja-JP")
    fill_up_to_review(page, "ja")
    submit_button(page, "ja").dblclick()
    expect(page.locator("#reference-code")).to_be_visible()
    assert Intake.objects.count() == 1


def test_a_resent_post_of_the_review_page_leads_to_the_same_confirmation(
    desktop_page: Any,
) -> None:
    page = desktop_page
    fill_up_to_review(page, "en")
    review_url = page.url
    sent = page.locator("#wizard-form").evaluate("form => Object.fromEntries(new FormData(form))")
    submit_button(page, "en").click()
    expect(page.locator("#reference-code")).to_be_visible()
    confirmation_url = page.url

    # What the browser's "resend the form?" does: the same POST again, with the same cookies.
    response = page.request.post(review_url, form=sent)
    assert response.ok
    assert response.url == confirmation_url
    assert Intake.objects.count() == 1
    # Back in the history does not offer the filled-in review page again.
    page.go_back()
    expect(submit_button(page, "en")).to_have_count(0)
    # It says the answers were sent, with their reference, not an empty first page (issue 13).
    expect(page.locator("#sent-reference")).to_contain_text(Intake.objects.get().reference)
    axe_check(page)
    assert Intake.objects.count() == 1


# Starting over, and a review page left open in another tab -----------------------------------
def test_starting_over_on_a_phone_asks_first_and_erases_only_when_confirmed(
    mobile_page: Any,
) -> None:
    page = mobile_page
    page.goto(start_path("ja"))
    expect(page.get_by_role("button", name="最初からやり直す")).to_have_count(0)
    fill_about_you(
        page, name="山田 花子", kana="ヤマダ ハナコ", phone="06-6375-0000", visit_in_days=7
    )
    next_step(page)
    at_step(page, "ja", "skin")
    choose(page, "skin", "skin_type", "dry")  # typed, not sent yet

    page.get_by_role("button", name="最初からやり直す").click()
    expect(page.locator("h1")).to_have_text("最初からやり直しますか？")
    axe_check(page)
    assert_fits_the_screen(page)
    page.get_by_role("link", name="回答を残して続ける").click()
    at_step(page, "ja", "skin")
    expect(page.locator('[name="skin-skin_type"][value="dry"]')).to_be_checked()

    page.get_by_role("button", name="最初からやり直す").click()
    page.get_by_role("button", name="回答を消去してやり直す").click()
    at_step(page, "ja", "about_you")
    expect(field(page, "about_you", "full_name")).to_have_value("")
    expect(page.get_by_role("button", name="最初からやり直す")).to_have_count(0)
    assert_no_browser_problems(page)


def test_a_review_page_left_open_in_another_tab_cannot_send_answers_it_did_not_show(
    desktop_page: Any,
) -> None:
    first_tab = desktop_page
    fill_up_to_review(first_tab, "en")
    expect(first_tab.locator("main")).to_contain_text("Oily")

    # The same browser, a second tab: the skin type changed, back to its own review page.
    second_tab = first_tab.context.new_page()
    second_tab.goto(step_path("en", "skin") + "?review=1")
    choose(second_tab, "skin", "skin_type", "dry")
    second_tab.get_by_role("button", name="Save and return to the summary").click()
    at_step(second_tab, "en", "review")

    submit_button(first_tab, "en").click()
    summary = first_tab.locator("#error-summary")
    expect(summary).to_contain_text(
        "Your answers were changed in another window; check them below and send again."
    )
    assert review_value(first_tab, "Skin type") == "Dry"
    assert Intake.objects.count() == 0
    axe_check(first_tab)

    submit_button(first_tab, "en").click()
    expect(first_tab.locator("#reference-code")).to_be_visible()
    assert Intake.objects.get().skin_type == "dry"
    # The browser reports the refused send's status (409) itself; nothing else went wrong.
    assert [p for p in first_tab.problems if "409 (Conflict)" not in p] == []


def test_a_confirmation_address_opened_on_another_phone_explains_where_the_answers_are(
    mobile_page: Any,
) -> None:
    page = mobile_page
    with translation.override("ja"):
        address = reverse("intake:submitted", kwargs={"reference": "ABCD-EFGH"})

    response = page.goto(address)

    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("この確認画面はここでは表示できません")
    expect(page.locator("main")).to_contain_text(
        "回答を送信された場合は、クリニックに届いています。"
    )
    axe_check(page)
    assert_fits_the_screen(page)
    assert [p for p in page.problems if "404 (Not Found)" not in p] == []
