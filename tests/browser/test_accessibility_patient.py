"""The patient's intake with the keyboard alone and as a screen reader gets it (Chromium).

Enter (a phone's Go key) in a text field, a date field, on a radio button or a check box of every
step means Next, never the header's language switch; each step's accessibility tree names every
question with its role, whether it must be answered and whether it is wrong; borders and focus
rings have 3:1 contrast, by computed style.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from intake import answers
from intake.models import Intake
from tests.browser.helpers import (
    BACKGROUND_BEHIND,
    MOBILE,
    accessibility_tree,
    assert_no_browser_problems,
    axe_check,
    contrast_ratio,
)

pytestmark = pytest.mark.browser

STEPS = [step.name for step in answers.STEPS]


def days(n: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


def step_path(step: str, language: str = "ja") -> str:
    with translation.override(language):
        return reverse("intake:step", kwargs={"step": step})


def at_step(page: Any, step: str, language: str = "ja") -> None:
    expect(page).to_have_url(re.compile(re.escape(step_path(step, language)) + r"(\?.*)?$"))


def control(page: Any, step: str, key: str, value: str | None = None) -> Any:
    selector = f'[name="{step}-{key}"]' + (f'[value="{value}"]' if value else "")
    return page.locator(selector)


# Answering with the keyboard alone: focus a field, type, Space for a radio button or a check box.
def type_into(page: Any, step: str, key: str, text: str) -> None:
    control(page, step, key).focus()
    page.keyboard.type(text)


def type_date(page: Any, step: str, key: str, iso: str) -> None:
    """A date set in the date field (its segments' order is the browser's), then focused."""
    control(page, step, key).fill(iso)
    control(page, step, key).focus()


def tick(page: Any, step: str, key: str, value: str) -> None:
    control(page, step, key, value).focus()
    page.keyboard.press("Space")
    expect(control(page, step, key, value)).to_be_checked()


def answer(page: Any, step: str) -> None:
    """Everything the step requires, with the keyboard."""
    if step == "about_you":
        type_into(page, step, "full_name", "山田 花子")
        type_date(page, step, "date_of_birth", "1995-04-10")
        tick(page, step, "sex", "female")
        type_into(page, step, "phone", "06-6375-0000")
    elif step == "skin":
        for key, value in (
            ("skin_type", "oily"),
            ("concerns", "oiliness"),
            ("acne_lesion_count", "1_5"),
            ("keloid_history", "false"),
        ):
            tick(page, step, key, value)
    elif step == "retinoids":
        tick(page, step, "topical_retinoids", "retinol")
        type_date(page, step, "topical_retinoid_started", days(-30))
        tick(page, step, "isotretinoin", "never")
    elif step == "treatments":
        tick(page, step, "botulinum_before", "false")
    elif step == "health":
        for key, value in (
            ("pregnancy", "not_pregnant"),
            ("breastfeeding", "false"),
            ("planning_pregnancy", "false"),
        ):
            tick(page, step, key, value)
    elif step == "consent":
        for key in ("consent_privacy", "consent_off_label", "confirm_accurate"):
            control(page, step, key).focus()
            page.keyboard.press("Space")


# Where Enter is pressed on each step: a text field, a date field, a radio button, a check box,
# whichever the step has (a long answer is a text area, where Enter starts a new line).
ENTER_IN = {
    "about_you": [("full_name", None), ("date_of_birth", None), ("sex", "female")],
    "skin": [("skin_type", "oily"), ("concerns", "oiliness")],
    "retinoids": [("topical_retinoid_started", None), ("isotretinoin", "never")],
    "treatments": [("last_resurfacing_date", None), ("botulinum_before", "false")],
    "health": [("upcoming_event_date", None), ("pregnancy", "not_pregnant")],
    "consent": [("confirm_accurate", None)],
}


def test_enter_on_every_step_means_next_in_japanese_on_a_phone(new_page: Any) -> None:
    page = new_page(**MOBILE)
    page.goto(step_path("about_you"))
    for index, step in enumerate(STEPS):
        after = STEPS[index + 1] if index + 1 < len(STEPS) else "review"
        at_step(page, step)
        answer(page, step)
        for number, (key, value) in enumerate(ENTER_IN[step]):
            if number:
                # Back to the step (its answers kept) to press Enter somewhere else.
                page.goto(step_path(step))
            if key in ("last_resurfacing_date", "upcoming_event_date") and not number:
                type_date(page, step, key, days(-100 if key == "last_resurfacing_date" else 30))
            control(page, step, key, value).focus()
            page.keyboard.press("Enter")
            # The next step, still in Japanese: the language switch was not pressed.
            at_step(page, after)
            expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.get_by_role("heading", level=1)).to_have_text("回答の確認")
    assert_no_browser_problems(page)


def test_enter_on_an_unanswered_step_shows_what_to_correct_in_the_same_language(
    page: Any,
) -> None:
    page.goto(step_path("about_you"))
    type_into(page, "about_you", "full_name_kana", "ヤマダ")
    page.keyboard.press("Enter")

    at_step(page, "about_you")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page).to_have_title(re.compile(r"^エラー："))
    expect(page.get_by_role("alert")).to_contain_text("氏名")
    # Focus on the first answer to correct; what was typed is kept.
    expect(control(page, "about_you", "full_name")).to_be_focused()
    expect(control(page, "about_you", "full_name_kana")).to_have_value("ヤマダ")
    assert Intake.objects.count() == 0


def test_enter_means_next_without_javascript_too(new_page: Any) -> None:
    page = new_page(**MOBILE, java_script_enabled=False)
    page.goto(step_path("about_you"))
    answer(page, "about_you")
    control(page, "about_you", "phone").focus()
    page.keyboard.press("Enter")

    at_step(page, "skin")
    expect(page.locator("html")).to_have_attribute("lang", "ja")


def test_the_language_switch_still_keeps_what_is_typed(page: Any) -> None:
    page.goto(step_path("about_you"))
    type_into(page, "about_you", "full_name", "山田 花子")
    page.get_by_role("button", name="English").focus()
    page.keyboard.press("Enter")

    at_step(page, "about_you", "en")
    expect(control(page, "about_you", "full_name")).to_have_value("山田 花子")


def test_the_hidden_default_button_is_neither_read_nor_reached_with_tab(page: Any) -> None:
    page.goto(step_path("about_you"))

    buttons = [node["name"] for node in accessibility_tree(page) if node["role"] == "button"]
    assert buttons.count("次へ") == 0  # only the visible "次へ →" (its arrow hidden)
    assert len([name for name in buttons if name.startswith("次へ")]) == 1
    reached = []
    page.locator("#main").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.id"))
    assert "default-next" not in reached


# The accessibility tree of each step -------------------------------------------------------------
def expected_node(question: answers.Question) -> tuple[str, str]:
    """The role and the name a question's control has in Chromium's tree (its label, with the
    required mark when it must be answered)."""
    required = question.required or question.required_when_shown
    name = question.label.ja + ("*" if required else "")
    if question.kind in ("text", "email", "phone"):
        return "textbox", name
    if question.kind == "date":
        return "Date", name
    if question.kind == "multi":
        return "group", name
    if question.kind == "code" and len(question.choices) > 7:
        return "combobox", name
    if question.must_be_true:
        return "checkbox", name
    return "radiogroup", name


def find(tree: list[dict[str, Any]], role: str, name: str) -> dict[str, Any]:
    found = [node for node in tree if node["role"] == role and node["name"] == name]
    assert len(found) == 1, (role, name, [(n["role"], n["name"]) for n in tree])
    return found[0]


def assert_step_tree(page: Any, step: answers.Step, *, errors: bool) -> None:
    tree = accessibility_tree(page)
    page_required = set()
    for question in step.questions:
        if question.shown_when is not None:
            # Not shown before its controlling answer: out of the tree.
            role, name = expected_node(question)
            assert not [n for n in tree if n["role"] == role and n["name"] == name], name
            continue
        role, name = expected_node(question)
        node = find(tree, role, name)
        if role in ("textbox", "radiogroup", "combobox"):
            assert bool(node.get("required")) is question.required, name
        if role == "Date":
            # Chromium keeps a date field's required state off this tree: the DOM says it.
            required = control(page, step.name, question.key).get_attribute("required")
            assert (required is not None) is question.required, name
        if question.required:
            page_required.add(name)
        invalid = errors and question.required
        if role != "group":
            assert node.get("invalid") == ("true" if invalid else "false"), (name, node)
    # Every radio button and check box starts valid: nothing is wrong before it is answered.
    for node in tree:
        if node["role"] in ("radio", "checkbox") and not errors:
            assert node.get("invalid") == "false", node
    assert page_required


@pytest.mark.parametrize("step", answers.STEPS, ids=lambda step: step.name)
def test_each_steps_questions_are_named_required_and_valid_until_answered_wrongly(
    page: Any, step: answers.Step
) -> None:
    # Reach the step with the keyboard, the steps before it answered.
    page.goto(step_path("about_you"))
    for name in STEPS[: STEPS.index(step.name)]:
        answer(page, name)
        page.keyboard.press("Enter")
    at_step(page, step.name)
    assert_step_tree(page, step, errors=False)
    progress = page.get_by_role("progressbar")
    expect(progress).to_have_accessible_name(re.compile(r"ステップ \d / 6"))
    expect(progress).to_have_attribute("aria-valuetext", re.compile(r"ステップ \d / 6"))

    # Next with nothing answered: each required question is now invalid, and says why.
    page.get_by_role("button", name=re.compile("^次へ")).focus()
    page.keyboard.press("Enter")
    at_step(page, step.name)
    expect(page.get_by_role("alert")).to_be_visible()
    assert_step_tree(page, step, errors=True)


def test_a_follow_up_question_is_tied_to_its_answer_marked_required_and_announced(
    page: Any,
) -> None:
    page.goto(step_path("about_you"))
    answer(page, "about_you")
    page.keyboard.press("Enter")
    answer(page, "skin")
    page.keyboard.press("Enter")
    at_step(page, "retinoids")
    past = control(page, "retinoids", "isotretinoin", "past")
    follow_up = page.locator("#div_id_retinoids-isotretinoin_last_dose")
    # The answer names the question it shows (aria-controls), hidden until then.
    expect(past).to_have_attribute("aria-controls", follow_up.get_attribute("id"))
    expect(follow_up).to_be_hidden()

    tick(page, "retinoids", "isotretinoin", "past")

    expect(follow_up).to_be_visible()
    label = "イソトレチノインを最後に飲んだ日*"
    expect(page.get_by_role("status").filter(has_text=label)).to_have_count(1)
    node = find(accessibility_tree(page), "Date", label)
    assert node["invalid"] == "false"
    expect(control(page, "retinoids", "isotretinoin_last_dose")).to_have_attribute(
        "aria-required", "true"
    )
    axe_check(page)


def test_the_honeypot_is_out_of_the_accessibility_tree_and_still_stops_a_bot(page: Any) -> None:
    page.goto(step_path("about_you"))

    names = [node["name"] for node in accessibility_tree(page)]
    assert "この欄は空欄のままにしてください" not in names
    answer(page, "about_you")
    # A bot fills every field it finds, the honeypot too.
    control(page, "about_you", "website").fill("https://spam.example")
    control(page, "about_you", "phone").focus()
    page.keyboard.press("Enter")
    at_step(page, "about_you")
    expect(page.get_by_role("alert")).to_contain_text("空欄のままにしてください")


def test_autofill_knows_the_patients_name_email_birthday_and_phone(page: Any) -> None:
    page.goto(step_path("about_you"))
    for key, token in (
        ("full_name", "name"),
        ("email", "email"),
        ("date_of_birth", "bday"),
        ("phone", "tel"),
    ):
        expect(control(page, "about_you", key)).to_have_attribute("autocomplete", token)


# Non-text contrast (WCAG 1.4.11) -----------------------------------------------------------------
def assert_contrast(page: Any, locator: Any, *, what: str) -> None:
    """The control's border and, once focused with the keyboard, its focus ring: at least 3:1
    against what is behind them, the ring at least 2 px wide and solid."""
    style = locator.evaluate(
        "el => { const s = getComputedStyle(el); return {border: s.borderTopColor, "
        "width: parseFloat(s.borderTopWidth)}; }"
    )
    behind = locator.evaluate(BACKGROUND_BEHIND)
    assert style["width"] >= 1, what
    ratio = contrast_ratio(style["border"], behind)
    assert ratio >= 3, f"{what}: border {style['border']} on {behind} is {ratio:.2f}:1"

    locator.focus()
    ring = locator.evaluate(
        "el => { const s = getComputedStyle(el); return {colour: s.outlineColor, "
        "style: s.outlineStyle, width: parseFloat(s.outlineWidth), offset: "
        "parseFloat(s.outlineOffset), visible: el.matches(':focus-visible')}; }"
    )
    assert ring["style"] == "solid" and ring["width"] >= 2, f"{what}: {ring}"
    # Drawn outside the control (offset): what is around it is the background behind it.
    assert ring["offset"] >= 1, f"{what}: {ring}"
    ratio = contrast_ratio(ring["colour"], behind)
    assert ratio >= 3, f"{what}: focus ring {ring['colour']} on {behind} is {ratio:.2f}:1"


def test_fields_radio_buttons_check_boxes_and_focus_rings_have_3_to_1_contrast(
    page: Any,
) -> None:
    page.goto(step_path("about_you"))
    assert_contrast(page, control(page, "about_you", "full_name"), what="text field")
    assert_contrast(page, control(page, "about_you", "date_of_birth"), what="date field")
    assert_contrast(page, control(page, "about_you", "sex", "female"), what="radio button")
    answer(page, "about_you")
    page.keyboard.press("Enter")
    at_step(page, "skin")
    assert_contrast(page, control(page, "skin", "concerns", "oiliness"), what="check box")
    assert_contrast(page, control(page, "skin", "phototype", "III"), what="radio button")


def test_every_control_reached_with_tab_shows_a_focus_ring_of_3_to_1(page: Any) -> None:
    page.goto(step_path("about_you"))
    seen = 0
    page.keyboard.press("Tab")  # the skip link
    for _ in range(30):
        page.keyboard.press("Tab")
        ring = page.evaluate(
            "() => { const el = document.activeElement; const s = getComputedStyle(el); "
            "return {tag: el.tagName, id: el.id, colour: s.outlineColor, style: s.outlineStyle,"
            " width: parseFloat(s.outlineWidth)}; }"
        )
        if ring["tag"] == "BODY":
            break
        behind = page.evaluate(f"({BACKGROUND_BEHIND})(document.activeElement)")
        assert ring["style"] != "none" and ring["width"] >= 2, ring
        assert contrast_ratio(ring["colour"], behind) >= 3, (ring, behind)
        seen += 1
    assert seen >= 10
