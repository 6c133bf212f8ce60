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


# How many lines each element of `selector` takes: its content height over its line height.
LINES_OF = """selector => [...document.querySelectorAll(selector)].map(element => {
  const style = getComputedStyle(element);
  const content = element.getBoundingClientRect().height - parseFloat(style.paddingTop)
    - parseFloat(style.paddingBottom) - parseFloat(style.borderTopWidth)
    - parseFloat(style.borderBottomWidth);
  return Math.round(content / parseFloat(style.lineHeight));
})"""
