"""Carrying an intake into the chart, in a real browser (Chromium, Japanese): the consultation
summary and the patient's handout print on one A4 page each (counted in Chromium's own PDF), and
"copy for the chart" puts the chart text on the clipboard."""

from __future__ import annotations

import datetime
import re
import uuid
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from intake import answers, chart, selectors, services
from intake.models import AccessRecord, ClinicProfile, Intake
from intake.review import selectors as review_selectors
from tests.browser.helpers import assert_no_browser_problems, axe_check
from tests.fixed_intake import REFERENCE, fixed_intake
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser
# A PDF page object: "/Type /Page", not the "/Type /Pages" of the page tree.
PDF_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def ja(name: str, **kwargs: str) -> str:
    with translation.override("ja"):
        return reverse(name, kwargs=kwargs or None)


def signed_in(page: Any, user: User, target: str) -> None:
    page.goto(target)
    page.get_by_label("ユーザー名").fill(user.username)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    expect(page).to_have_url(re.compile(re.escape(target) + "$"))


def pdf_pages(page: Any) -> int:
    """The number of A4 pages Chromium prints the page on (its print stylesheet applies)."""
    return len(PDF_PAGE.findall(page.pdf(format="A4", print_background=True)))


@pytest.fixture
def clinic(transactional_db: Any) -> ClinicProfile:
    return ClinicProfile.objects.create(
        name_ja="梅田スキンクリニック",
        name_en="Umeda Skin Clinic",
        address_ja="〒530-0001\n大阪市北区梅田1-1-1 梅田ビル5階",
        address_en="1-1-1 Umeda, Kita-ku, Osaka",
        phone="06-6375-0000",
        opening_hours_ja="10:00〜19:00（水曜・日曜休診）",
        opening_hours_en="10:00–19:00",
    )


@pytest.fixture
def typical(transactional_db: Any) -> Intake:
    """A first visit with a caution or two: dry skin, a retinol, a wedding soon after."""
    today = timezone.localdate()
    return services.intake_submit(
        answers_given={
            **answers.example_answers(today),
            "skin_type": "dry",
            "concerns": ["oiliness", "enlarged_pores", "fine_lines"],
            "topical_retinoids": ["retinol"],
            "topical_retinoid_started": today - datetime.timedelta(days=60),
            "medications": ["otc_blood_thinning"],
            "medication_details": "ロキソニン（頭痛のとき）",
            "upcoming_event_date": today + datetime.timedelta(days=15),
        },
        language="ja",
        consent_document=selectors.current_consent_document(),
        submission_token=uuid.uuid4(),
    )


def test_the_summary_of_a_typical_intake_prints_on_one_a4_page(
    page: Any, doctor: User, typical: Intake, clinic: ClinicProfile
) -> None:
    signed_in(page, doctor, ja("review:print", reference=typical.reference))
    expect(page.locator(".print-head")).to_contain_text("診察用サマリー")
    expect(page.locator("#print-step-skin")).to_contain_text("乾燥肌")
    expect(page.locator("#print-flag-DRY_SKIN")).to_be_visible()
    expect(page.get_by_text("医師署名")).to_be_visible()
    axe_check(page)
    assert pdf_pages(page) == 1
    assert_no_browser_problems(page)


def test_the_summary_of_a_returning_patient_with_eight_flags_still_prints_on_one_page(
    page: Any, doctor: User, receptionist: User, clinic: ClinicProfile
) -> None:
    intake = fixed_intake(doctor=doctor, receptionist=receptionist)
    earlier = services.intake_submit(
        answers_given={**answers.example_answers(datetime.date(2026, 9, 1))},
        language="ja",
        consent_document=selectors.current_consent_document(),
        submission_token=uuid.uuid4(),
        patient=intake.patient,
        now=timezone.make_aware(datetime.datetime(2026, 9, 1, 10, 0)),
    )
    signed_in(page, doctor, ja("review:print", reference=intake.reference))
    expect(page.locator("#print-history-section")).to_contain_text(earlier.reference)
    expect(page.locator("#print-treatments")).to_contain_text("C1234A")
    assert pdf_pages(page) == 1
    assert_no_browser_problems(page)


def test_the_patient_handout_prints_on_its_own_page(
    page: Any, doctor: User, typical: Intake, clinic: ClinicProfile
) -> None:
    signed_in(page, doctor, ja("review:handout", reference=typical.reference))
    expect(page.locator("#handout")).to_contain_text("大阪市北区梅田1-1-1")
    axe_check(page)
    assert pdf_pages(page) == 1
    assert_no_browser_problems(page)


def test_copy_for_the_chart_puts_the_chart_text_on_the_clipboard(
    new_page: Any, doctor: User, receptionist: User
) -> None:
    fixed_intake(doctor=doctor, receptionist=receptionist)
    page = new_page(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    signed_in(page, doctor, ja("review:intake", reference=REFERENCE))

    page.get_by_role("link", name="カルテ用にコピー").click()
    expect(page.locator("[data-copy-status]").first).to_have_text(
        "カルテ用にコピーしました。カルテに貼り付けてください。"
    )
    copied = page.evaluate("navigator.clipboard.readText()")
    loaded = review_selectors.intake_for_review(reference=REFERENCE)
    assert copied == chart.chart_text(loaded, language="ja")
    # Still on the intake's page, and the reading is in the record.
    expect(page).to_have_url(re.compile(re.escape(ja("review:intake", reference=REFERENCE))))
    assert AccessRecord.objects.filter(action=AccessRecord.Action.CHART).count() == 1
    assert_no_browser_problems(page)


def test_without_the_clipboard_the_link_leads_to_the_text_to_select_and_copy(
    new_page: Any, doctor: User, receptionist: User
) -> None:
    fixed_intake(doctor=doctor, receptionist=receptionist)
    page = new_page(
        viewport={"width": 1280, "height": 900}, locale="ja-JP", java_script_enabled=False
    )
    signed_in(page, doctor, ja("review:intake", reference=REFERENCE))
    page.get_by_role("link", name="カルテ用にコピー").click()
    expect(page).to_have_url(re.compile(re.escape(ja("review:chart", reference=REFERENCE))))
    box = page.locator("#chart-text")
    loaded = review_selectors.intake_for_review(reference=REFERENCE)
    expect(box).to_have_value(chart.chart_text(loaded, language="ja"))
    assert_no_browser_problems(page)
