"""Plain helpers of the browser tests (fixtures live in conftest.py): viewports, axe-core, and
what a patient does on a wizard page."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

MOBILE = {"viewport": {"width": 375, "height": 812}, "locale": "ja-JP", "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "en-US"}
# What axe-core reports that fails a test.
BLOCKING_IMPACTS = ("serious", "critical")


def axe_check(page: Any, *, context: Any = None) -> None:
    """Run axe-core on the page as it is now; fail on any serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=context)
    blocking = [
        violation
        for violation in results.response["violations"]
        if violation.get("impact") in BLOCKING_IMPACTS
    ]
    if not blocking:
        return
    lines = [f"axe-core: {len(blocking)} serious or critical violation(s) on {page.url}"]
    for violation in blocking:
        lines.append(
            f"- [{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({violation['helpUrl']})"
        )
        for node in violation["nodes"][:5]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:160]}")
            if node.get("failureSummary"):
                summary = " ".join(node["failureSummary"].split())
                lines.append(f"      {summary[:300]}")
    pytest.fail("\n".join(lines), pytrace=False)


def choose(page: Any, step: str, key: str, *values: str) -> None:
    """Tick a radio button or checkboxes by their codes ("true"/"false" for yes and no)."""
    for value in values:
        page.locator(f'[name="{step}-{key}"][value="{value}"]').check()


def next_step(page: Any) -> None:
    page.locator("#wizard-form .wizard-buttons .btn-primary").click()


def assert_no_browser_problems(page: Any) -> None:
    """No script error and no Content-Security-Policy refusal on any page seen."""
    assert page.problems == []


def signed_in(page: Any, user: User, live_server: Any) -> Any:
    """Give the browser the session of `user`, as if they had signed in."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    return page


def fill(page: Any, step: str, key: str, value: str) -> None:
    page.locator(f'[name="{step}-{key}"]').fill(value)


def answer_the_questionnaire(page: Any, **about_you: str) -> None:
    """From the first step to the confirmation: `about_you` fills (or overwrites) the first
    page's text fields; every other answer is the simplest one."""
    for key, value in about_you.items():
        fill(page, "about_you", key, value)
    choose(page, "about_you", "sex", "female")
    next_step(page)
    choose(page, "skin", "skin_type", "oily")
    choose(page, "skin", "concerns", "oiliness")
    choose(page, "skin", "acne_lesion_count", "1_5")
    choose(page, "skin", "keloid_history", "false")
    next_step(page)
    choose(page, "retinoids", "isotretinoin", "never")
    next_step(page)
    choose(page, "treatments", "botulinum_before", "false")
    next_step(page)
    choose(page, "health", "pregnancy", "not_pregnant")
    choose(page, "health", "breastfeeding", "false")
    choose(page, "health", "planning_pregnancy", "false")
    next_step(page)
    for key in ("consent_privacy", "consent_off_label", "confirm_accurate"):
        page.locator(f'[name="consent-{key}"]').check()
    next_step(page)
    page.locator("#wizard-form [data-submit-once]").click()
    page.locator("#reference-code").wait_for()


def answer_first_step(page: Any, language: str = "ja") -> None:
    """Send the first page, as a patient does before any later page holds answers to continue
    (a later page opened without them explains that the answers are not in this browser)."""
    page.goto(f"/{language}/intake/")
    fill(page, "about_you", "full_name", "山田 花子")
    fill(page, "about_you", "full_name_kana", "ヤマダ ハナコ")
    fill(page, "about_you", "date_of_birth", "1990-01-01")
    fill(page, "about_you", "phone", "090-1234-5678")
    choose(page, "about_you", "sex", "female")
    next_step(page)
    page.wait_for_url("**/intake/skin/")


# What assistive technology reads, and what the eye sees -----------------------------------------
# Chromium's roles that carry no name or state worth asserting (text runs, layout boxes).
PLAIN_ROLES = frozenset(
    {"generic", "StaticText", "InlineTextBox", "none", "LineBreak", "ListMarker", "LabelText"}
)


def accessibility_tree(page: Any) -> list[dict[str, Any]]:
    """Chromium's accessibility tree of the page (the one screen readers get), flattened: each
    node as {"role", "name", and its states: "required", "invalid", "checked", ...}, ignored and
    purely textual nodes left out. Read over the DevTools protocol: Playwright's own snapshot
    computes names itself and leaves required and invalid out."""
    session = page.context.new_cdp_session(page)
    try:
        nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        session.detach()
    tree = []
    for node in nodes:
        role = node.get("role", {}).get("value")
        if node.get("ignored") or role in PLAIN_ROLES:
            continue
        entry = {"role": role, "name": node.get("name", {}).get("value", "")}
        for prop in node.get("properties", []):
            entry[prop["name"]] = prop["value"].get("value")
        tree.append(entry)
    return tree


def parse_colour(value: str) -> tuple[float, float, float, float]:
    """A computed CSS colour, "rgb(r, g, b)" or "rgba(r, g, b, a)", as (r, g, b, alpha)."""
    numbers = [float(part) for part in value[value.index("(") + 1 : -1].split(",")]
    return (numbers[0], numbers[1], numbers[2], numbers[3] if len(numbers) == 4 else 1.0)


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG's contrast ratio of two computed colours, a translucent foreground laid on the
    (opaque) background first."""
    fr, fg, fb, alpha = parse_colour(foreground)
    br, bg, bb, _ = parse_colour(background)
    shown = (
        fr * alpha + br * (1 - alpha),
        fg * alpha + bg * (1 - alpha),
        fb * alpha + bb * (1 - alpha),
    )
    lighter, darker = sorted((_luminance(shown), _luminance((br, bg, bb))), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# The colour behind an element: its first ancestor with an opaque background, else white.
BACKGROUND_BEHIND = """element => {
  for (let node = element.parentElement; node; node = node.parentElement) {
    const colour = getComputedStyle(node).backgroundColor;
    if (colour && colour !== "transparent" && !colour.startsWith("rgba(0, 0, 0, 0)")) {
      return colour;
    }
  }
  return "rgb(255, 255, 255)";
}"""


# How many lines each element of `selector` takes: its content height over its line height.
LINES_OF = """selector => [...document.querySelectorAll(selector)].map(element => {
  const style = getComputedStyle(element);
  const content = element.getBoundingClientRect().height - parseFloat(style.paddingTop)
    - parseFloat(style.paddingBottom) - parseFloat(style.borderTopWidth)
    - parseFloat(style.borderBottomWidth);
  return Math.round(content / parseFloat(style.lineHeight));
})"""
