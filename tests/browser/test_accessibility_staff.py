"""The staff's rooms with the keyboard alone and as a screen reader gets them (Chromium).

The idle sign-out warns first and "Stay signed in" keeps the decision being typed; a doctor signed
out anyway signs in again on the intake's page (never a 405) and finds the decision typed; every
staff form's errors take the focus and are announced; the decision form's accessibility tree; the
queue on a 320 px phone with wider text spacing; borders and focus rings of 3:1.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from intake import answers, selectors, services
from intake.models import Decision, Intake, Patient
from tests.browser.helpers import (
    BACKGROUND_BEHIND,
    accessibility_tree,
    axe_check,
    contrast_ratio,
)
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser

NOTE = "緑内障の病型を眼科に確認してから施術します。"
# A refused form comes back as 400, which Chromium reports on its console.
REFUSED = "Failed to load resource: the server responded with a status of 400 (Bad Request)"


def ja(name: str, **kwargs: Any) -> str:
    with translation.override("ja"):
        return reverse(name, kwargs=kwargs or None)


def submit(**overrides: Any) -> Intake:
    return services.intake_submit(
        answers_given={**answers.example_answers(timezone.localdate()), **overrides},
        language="ja",
        consent_document=selectors.current_consent_document(),
        submission_token=uuid.uuid4(),
    )


def sign_in(page: Any, user: User, password: str = PASSWORD) -> None:
    """Sign in with the keyboard: the user name, Tab, the password, Enter."""
    page.get_by_label("ユーザー名").focus()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(user.username)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")


def press(page: Any, locator: Any, key: str = "Enter") -> None:
    locator.focus()
    page.keyboard.press(key)


def type_decision(page: Any) -> None:
    """Defer, with a note, with the keyboard."""
    press(page, page.get_by_role("radio", name="保留"), "Space")
    page.get_by_role("textbox", name="メモ").focus()
    page.keyboard.type(NOTE)


def record_button(page: Any) -> Any:
    return page.get_by_role("button", name="判断を登録する")


def open_intake_signed_in(page: Any, doctor: User, intake: Intake) -> None:
    page.goto(ja("review:intake", reference=intake.reference))
    sign_in(page, doctor)
    expect(page).to_have_url(re.compile(re.escape(ja("review:intake", reference=intake.reference))))


# The idle timeout (WCAG 2.2.1) -------------------------------------------------------------------
def test_the_idle_warning_comes_first_and_staying_signed_in_keeps_the_typed_decision(
    page: Any, doctor: User, settings: Any, transactional_db: Any
) -> None:
    # The live server runs in this process: it signs out after 16 s without a request. The
    # warning comes a quarter of that before (two minutes before the usual half hour).
    settings.STAFF_IDLE_TIMEOUT = 16
    intake = submit()
    open_intake_signed_in(page, doctor, intake)
    type_decision(page)

    dialog = page.get_by_role("alertdialog", name="作業を続けていますか？")
    expect(dialog).to_be_visible(timeout=15_000)
    expect(dialog).to_contain_text("ログアウト予定時刻")
    stay = dialog.get_by_role("button", name="ログインを続ける")
    expect(stay).to_be_focused()
    axe_check(page)
    page.keyboard.press("Enter")

    expect(dialog).to_be_hidden()
    # Back where the doctor was typing.
    expect(page.get_by_role("textbox", name="メモ")).to_be_focused()
    # Past the first sign-out time (without "stay" the decision below would be refused), before
    # the next warning.
    page.wait_for_timeout(6_000)
    press(page, record_button(page))

    expect(page.get_by_role("status").filter(has_text="判断を登録しました。")).to_be_visible()
    decision = Decision.objects.get()
    assert (decision.outcome, decision.note) == ("deferred", NOTE)
    assert page.problems == []


def test_a_doctor_signed_out_anyway_signs_in_on_the_intake_page_and_finds_the_decision_typed(
    page: Any, doctor: User, settings: Any, transactional_db: Any
) -> None:
    settings.STAFF_IDLE_TIMEOUT = 8
    intake = submit()
    intake_page = ja("review:intake", reference=intake.reference)
    open_intake_signed_in(page, doctor, intake)
    type_decision(page)

    # The warning, unanswered, turns into the notice that the doctor is signed out.
    notice = page.get_by_role("alertdialog", name="ログアウトしました")
    expect(notice).to_be_visible(timeout=15_000)
    expect(notice.get_by_role("link", name="もう一度ログインする")).to_be_focused()
    page.keyboard.press("Escape")
    expect(notice).to_be_hidden()
    # The doctor sends the decision all the same.
    press(page, record_button(page))

    # Sign in again: on the intake's page, not on the decision's POST-only address (405).
    expect(page).to_have_url(
        re.compile(r"/ja/accounts/login/\?next=" + re.escape(intake_page) + "$")
    )
    expect(page.get_by_role("status").filter(has_text="ログアウトしました")).to_be_visible()
    assert not Decision.objects.exists()
    sign_in(page, doctor)
    expect(page).to_have_url(re.compile(re.escape(intake_page) + "$"))

    # What was typed is back, and said to be.
    expect(page.get_by_role("radio", name="保留")).to_be_checked()
    expect(page.get_by_role("textbox", name="メモ")).to_have_value(NOTE)
    expect(page.locator("#draft-status")).to_contain_text("まだ登録していなかった内容")
    press(page, record_button(page))
    expect(page.get_by_role("status").filter(has_text="判断を登録しました。")).to_be_visible()
    assert Decision.objects.get().note == NOTE

    # Recorded: nothing is kept any more, and nothing ever went to localStorage. (The form for
    # a further decision is folded under the recorded one.)
    page.reload()
    page.locator("#new-decision summary").click()
    expect(page.get_by_role("textbox", name="メモ")).to_have_value("")
    expect(page.locator("#draft-status")).to_be_empty()
    assert page.evaluate("Object.keys(sessionStorage).filter(k => k.startsWith('draft:'))") == []
    assert page.evaluate("localStorage.length") == 0
    assert page.problems == []


def test_sign_in_again_from_the_notice_brings_the_typed_decision_back(
    page: Any, doctor: User, settings: Any, transactional_db: Any
) -> None:
    settings.STAFF_IDLE_TIMEOUT = 6
    intake = submit()
    open_intake_signed_in(page, doctor, intake)
    type_decision(page)

    notice = page.get_by_role("alertdialog", name="ログアウトしました")
    expect(notice).to_be_visible(timeout=15_000)
    page.keyboard.press("Enter")  # "Sign in again", focused

    expect(page.get_by_role("heading", name="スタッフ用ログイン")).to_be_visible()
    sign_in(page, doctor)
    expect(page.get_by_role("textbox", name="メモ")).to_have_value(NOTE)
    expect(page.get_by_role("radio", name="保留")).to_be_checked()


def test_signing_out_forgets_every_unsent_decision_of_the_tab(
    page: Any, doctor: User, transactional_db: Any
) -> None:
    intake = submit()
    open_intake_signed_in(page, doctor, intake)
    type_decision(page)
    drafts = "Object.keys(sessionStorage).filter(k => k.startsWith('draft:'))"
    assert page.evaluate(drafts) == [f"draft:decision:{intake.reference}:{doctor.pk}"]

    press(page, page.get_by_role("button", name="ログアウト"))

    expect(page.get_by_role("button", name="ログアウト")).to_have_count(0)
    assert page.evaluate(drafts) == []


def test_without_javascript_a_decision_sent_signed_out_still_leads_to_the_intake_page(
    new_page: Callable[..., Any], doctor: User, settings: Any, transactional_db: Any
) -> None:
    page = new_page(locale="ja-JP", java_script_enabled=False)
    settings.STAFF_IDLE_TIMEOUT = 3
    intake = submit()
    intake_page = ja("review:intake", reference=intake.reference)
    open_intake_signed_in(page, doctor, intake)
    type_decision(page)
    page.wait_for_timeout(4_500)
    press(page, record_button(page))

    expect(page).to_have_url(re.compile(r"\?next=" + re.escape(intake_page) + "$"))
    settings.STAFF_IDLE_TIMEOUT = 60
    sign_in(page, doctor)
    expect(page).to_have_url(re.compile(re.escape(intake_page) + "$"))
    expect(page.get_by_role("heading", name="医師の判断")).to_be_visible()


# Errors on the staff's forms: focus, announcement, title ------------------------------------------
def expect_errors_announced(page: Any, first_field: Any | None, text: str) -> None:
    expect(page).to_have_title(re.compile(r"^エラー："))
    alert = page.get_by_role("alert").filter(has_text=text)
    expect(alert).to_be_visible()
    if first_field is None:
        expect(alert).to_be_focused()
    else:
        expect(first_field).to_be_focused()
        expect(first_field).to_have_attribute("aria-invalid", "true")


def test_a_wrong_password_is_announced_and_tied_to_both_fields(
    page: Any, doctor: User, transactional_db: Any
) -> None:
    page.goto(ja("login"))
    sign_in(page, doctor, password="wrong")

    username = page.get_by_role("textbox", name="ユーザー名")
    expect_errors_announced(page, username, "正しいユーザー名とパスワード")
    for field in (username, page.get_by_label("パスワード")):
        expect(field).to_have_attribute("aria-invalid", "true")
        # The message is read with each field.
        expect(field).to_have_accessible_description(re.compile("正しいユーザー名とパスワード"))
    axe_check(page)


def test_a_refused_decision_takes_the_focus_to_the_first_thing_to_correct(
    page: Any, doctor: User, transactional_db: Any
) -> None:
    intake = submit(keloid_history=True)
    open_intake_signed_in(page, doctor, intake)
    press(page, page.get_by_role("radio", name="保留"), "Space")
    press(page, record_button(page))

    first_flag = page.get_by_role("checkbox", name=re.compile("KELOID"))
    expect_errors_announced(page, first_flag, "未確認")
    expect(page.get_by_role("alert").filter(has_text="未確認")).to_contain_text("メモ")
    assert page.problems == [REFUSED]
    page.problems.clear()
    axe_check(page)


def test_a_refused_invitation_takes_the_focus_to_the_first_field_to_correct(
    page: Any, receptionist: User, transactional_db: Any
) -> None:
    page.goto(ja("invitations:reception"))
    sign_in(page, receptionist)
    expect(page).to_have_url(re.compile(re.escape(ja("invitations:reception")) + "$"))
    name = page.locator('.invitation-form [name="full_name"]')
    name.focus()
    page.keyboard.type("招待 花子")
    page.keyboard.press("Enter")

    visit_date = page.locator('.invitation-form [name="visit_date"]')
    expect_errors_announced(page, visit_date, "電話番号")
    expect(name).to_have_value("招待 花子")
    page.problems.clear()
    axe_check(page)


def test_a_refused_treatment_record_takes_the_focus_to_the_first_field_to_correct(
    page: Any, doctor: User, patient: Patient, transactional_db: Any
) -> None:
    page.goto(ja("patients:treatment_new", pk=patient.pk))
    sign_in(page, doctor)
    press(page, page.get_by_role("button", name="施術を記録する"))

    expect(page).to_have_title(re.compile(r"^エラー："))
    focused = page.evaluate("document.activeElement.getAttribute('aria-invalid')")
    assert focused == "true"
    expect(page.get_by_role("alert").first).to_be_visible()
    page.problems.clear()


# The decision form's accessibility tree ---------------------------------------------------------
def find(tree: list[dict[str, Any]], role: str, name: Any) -> dict[str, Any]:
    found = [n for n in tree if n["role"] == role and re.fullmatch(name, n["name"])]
    assert len(found) == 1, (role, name, [(n["role"], n["name"]) for n in tree])
    return found[0]


def test_the_decision_forms_names_roles_required_and_invalid_states(
    page: Any, doctor: User, transactional_db: Any
) -> None:
    intake = submit(keloid_history=True, other_conditions=["glaucoma"])
    open_intake_signed_in(page, doctor, intake)

    tree = accessibility_tree(page)
    outcome = find(tree, "radiogroup", r"判断\*")
    assert (outcome["required"], outcome["invalid"]) == (True, "false")
    for code in ("GLAUCOMA", "KELOID"):
        flag = find(tree, "checkbox", rf"要確認 · {code} · .+")
        assert (flag["invalid"], flag["checked"]) == ("false", "false")
    note = find(tree, "textbox", "メモ")
    assert (note["required"], note["invalid"]) == (False, "false")
    for label in ("施術可", "条件付きで施術可", "保留", "施術不可"):
        assert find(tree, "radio", label)["invalid"] == "false"
    find(tree, "button", "判断を登録する")
    find(tree, "navigation", "スタッフメニュー")

    # Deferred without a note or the acknowledgements: those are now invalid, the outcome not.
    press(page, page.get_by_role("radio", name="保留"), "Space")
    press(page, record_button(page))
    expect(page.get_by_role("alert").first).to_be_visible()
    tree = accessibility_tree(page)
    assert find(tree, "radiogroup", r"判断\*")["invalid"] == "false"
    for code in ("GLAUCOMA", "KELOID"):
        assert find(tree, "checkbox", rf"要確認 · {code} · .+")["invalid"] == "true"
    assert find(tree, "textbox", "メモ")["invalid"] == "true"
    page.problems.clear()


# The queue on a small phone (WCAG 1.4.10, 1.4.12) -------------------------------------------------
TEXT_SPACING = (
    "* { line-height: 1.5 !important; letter-spacing: .12em !important; "
    "word-spacing: .16em !important; } p { margin-bottom: 2em !important; }"
)


@pytest.mark.parametrize("who", ["doctor", "receptionist"])
def test_the_queue_fits_320_px_with_wider_text_spacing_and_reads_each_header_once(
    new_page: Callable[..., Any], request: pytest.FixtureRequest, who: str, transactional_db: Any
) -> None:
    # The text-spacing style is injected as a user's bookmarklet would: past the page's CSP.
    page = new_page(
        viewport={"width": 320, "height": 800}, locale="ja-JP", has_touch=True, bypass_csp=True
    )
    intake = submit(full_name="高橋 由美", full_name_kana="タカハシ ユミ", pregnancy="pregnant")
    page.goto(ja("review:queue"))
    sign_in(page, request.getfixturevalue(who))
    expect(page.get_by_role("heading", name="問診一覧")).to_be_visible()
    page.add_style_tag(content=TEXT_SPACING)

    table = page.locator(".table-responsive")
    assert table.evaluate("el => el.scrollWidth <= el.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    expect(page.locator("caption")).to_contain_text("来院日の近い順")
    # Each card's cell is read as its content, its header once (as the column's header), not
    # twice with the label shown beside it.
    cells = [node for node in accessibility_tree(page) if node["role"] == "cell"]
    assert cells[0]["name"] == intake.reference
    assert not any(node["name"].startswith("受付番号") for node in cells)


def test_a_flags_title_is_in_the_queues_text(
    page: Any, doctor: User, transactional_db: Any
) -> None:
    submit(keloid_history=True)
    page.goto(ja("review:queue"))
    sign_in(page, doctor)

    flag = page.locator(".flag-chip").filter(has_text="KELOID")
    expect(flag).to_contain_text("ケロイド")
    expect(flag.locator('[lang="en"]')).to_have_text("KELOID")


# Non-text contrast on the staff's forms ----------------------------------------------------------
def test_the_decision_forms_borders_and_focus_rings_have_3_to_1_contrast(
    page: Any, doctor: User, transactional_db: Any
) -> None:
    intake = submit(keloid_history=True)
    open_intake_signed_in(page, doctor, intake)
    for what, control in (
        ("radio button", page.get_by_role("radio", name="保留")),
        ("check box", page.get_by_role("checkbox", name=re.compile("KELOID"))),
        ("text area", page.get_by_role("textbox", name="メモ")),
    ):
        border = control.evaluate("el => getComputedStyle(el).borderTopColor")
        behind = control.evaluate(BACKGROUND_BEHIND)
        assert contrast_ratio(border, behind) >= 3, (what, border, behind)
        control.focus()
        ring = control.evaluate(
            "el => [getComputedStyle(el).outlineColor, getComputedStyle(el).outlineStyle,"
            " parseFloat(getComputedStyle(el).outlineWidth)]"
        )
        assert ring[1] == "solid" and ring[2] >= 2, (what, ring)
        assert contrast_ratio(ring[0], behind) >= 3, (what, ring, behind)
    # The queue's filters sit on a light grey panel.
    page.goto(ja("review:queue"))
    search = page.locator('.queue-filters [name="q"]')
    behind = search.evaluate(BACKGROUND_BEHIND)
    assert behind != "rgb(255, 255, 255)"
    for control in (search, page.locator('.queue-filters [name="status"]')):
        border = control.evaluate("el => getComputedStyle(el).borderTopColor")
        assert contrast_ratio(border, behind) >= 3, (border, behind)
