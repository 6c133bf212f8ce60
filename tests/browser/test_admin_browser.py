"""The admin in Chromium: axe-core on the pages staff use, in both languages, and the translation
tabs worked by keyboard and by the language menu, under the Content Security Policy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from intake import audit
from intake.models import AccessRecord, ClinicProfile, ConsentDocument, Decision, FlagText, Intake
from tests.browser.helpers import DESKTOP, assert_no_browser_problems, axe_check, signed_in

pytestmark = pytest.mark.browser


@pytest.fixture
def admin_objects(make_intake: Callable[..., Intake], doctor: User) -> dict[str, Any]:
    intake = make_intake(keloid_history=True)
    decision = Decision.objects.create(
        intake=intake,
        doctor=doctor,
        outcome=Decision.Outcome.DEFERRED,
        note="ケロイドの既往を確認してから施術します。",
        acknowledged_flags=["KELOID"],
        decided_at=timezone.now(),
    )
    audit.access_record(user=doctor, action=AccessRecord.Action.DETAIL, intake=intake)
    profile = ClinicProfile.objects.create(
        name_ja="梅田スキンクリニック",
        name_en="Umeda Skin Clinic",
        address_ja="大阪市北区梅田1-1-1",
        address_en="1-1-1 Umeda, Kita-ku, Osaka",
        phone="06-6375-0000",
    )
    return {
        "intake": intake,
        "decision": decision,
        "flagtext": FlagText.objects.get(code="KELOID"),
        "consentdocument": ConsentDocument.objects.filter(published=True).latest("effective_date"),
        "clinicprofile": profile,
    }


def admin_pages(objects: dict[str, Any], language: str) -> list[str]:
    with translation.override(language):
        return [
            reverse("admin:index"),
            reverse("admin:intake_intake_changelist"),
            reverse("admin:intake_intake_change", args=[objects["intake"].pk]),
            reverse("admin:intake_decision_change", args=[objects["decision"].pk]),
            reverse("admin:intake_flagtext_change", args=[objects["flagtext"].pk]),
            reverse("admin:intake_flagtext_history", args=[objects["flagtext"].pk]),
            reverse("admin:intake_consentdocument_change", args=[objects["consentdocument"].pk]),
            reverse("admin:intake_clinicprofile_change", args=[objects["clinicprofile"].pk]),
            reverse("admin:intake_patient_changelist"),
        ]


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_admin_pages_have_no_serious_accessibility_problem(
    new_page: Callable[..., Any],
    superuser: User,
    admin_objects: dict[str, Any],
    live_server: Any,
    language: str,
) -> None:
    page = signed_in(new_page(**DESKTOP), superuser, live_server)
    for path in admin_pages(admin_objects, language):
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        # Scripts ran without error or refusal before axe looks (axe's own probes may trip the
        # style policy; that is not the page's doing).
        assert_no_browser_problems(page)
        axe_check(page)
        page.problems.clear()


def test_the_language_tabs_work_by_keyboard_and_by_the_labelled_menu(
    new_page: Callable[..., Any], doctor: User, live_server: Any
) -> None:
    doctor.is_staff = True
    doctor.save(update_fields=["is_staff"])
    text = FlagText.objects.get(code="PREGNANCY_BREASTFEEDING")
    page = signed_in(new_page(**DESKTOP), doctor, live_server)
    with translation.override("ja"):
        page.goto(reverse("admin:intake_flagtext_change", args=[text.pk]))

    title_tabs = page.get_by_role("tablist", name="言語: タイトル")
    japanese = title_tabs.get_by_role("tab", name="日本語")
    english = title_tabs.get_by_role("tab", name="英語")
    # The page's language first; a tab is a button of its own, not a link inside a list item.
    expect(japanese).to_have_attribute("aria-selected", "true")
    expect(page.locator("#id_title_ja")).to_be_visible()
    expect(page.locator("#id_title_en")).to_be_hidden()
    assert japanese.evaluate("tab => tab.tagName") == "BUTTON"
    assert page.locator("[role=tab] a, a[role=tab], li[role=tab]").count() == 0

    japanese.focus()
    page.keyboard.press("ArrowRight")
    expect(english).to_be_focused()
    expect(english).to_have_attribute("aria-selected", "true")
    expect(page.locator("#id_title_en")).to_be_visible()
    expect(page.locator("#id_title_ja")).to_be_hidden()
    expect(page.locator("#id_title_en")).to_have_attribute("lang", "en")

    # One labelled menu switches every field.
    menu = page.get_by_label("表示する文言の言語")
    expect(menu).to_have_value("en")
    menu.select_option("ja")
    expect(page.locator("#id_title_ja")).to_be_visible()
    expect(page.locator("#id_clinician_note_ja")).to_be_visible()
    expect(page.locator("#id_clinician_note_en")).to_be_hidden()
    menu.select_option("en")
    expect(page.locator("#id_clinician_note_en")).to_be_visible()

    # A refused save opens the tab of the field in error, and says so.
    menu.select_option("ja")
    page.locator("#id_title_ja").fill("妊娠中の方")
    page.locator("input[name=_continue]").click()
    expect(title_tabs.get_by_role("tab", name="英語 (入力に誤りがあります)")).to_have_attribute(
        "aria-selected", "true"
    )
    assert_no_browser_problems(page)
