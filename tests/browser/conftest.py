"""Browser fixtures: Playwright's sync API driving Debian's Chromium against a live server.

Every test in this folder is marked `browser` and runs against pytest-django's `live_server`
(so with `transactional_db`, the database emptied after each test; the rows the migrations
create, such as the groups and the first consent text, are put back by serialized rollback).

Without /usr/bin/chromium the folder is skipped with a message saying how to install it, except
in CI (the `CI` environment variable set), where a missing browser is an error: CI must never
pass without having run the browser tests.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.helpers import DESKTOP, MOBILE

# Playwright's sync API runs an event loop in the test's thread; Django would then refuse ORM
# calls made from that thread (fixtures, assertions) as "async unsafe". They are not: the loop
# only drives the browser.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
MISSING_CHROMIUM = (
    f"browser tests skipped: no Chromium at {CHROMIUM} "
    "(install it with `apt-get install chromium fonts-ipafont-gothic`; CI installs it)"
)
# Long enough for a loaded CI machine, short enough that a missing element fails quickly.
TIMEOUT_MS = 10_000

HERE = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Everything in this folder is a browser test, even if its module forgot the mark."""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_available() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but there is no Chromium at {CHROMIUM}: browser tests must run.")
    pytest.skip(MISSING_CHROMIUM)


@pytest.fixture(autouse=True)
def _browser_test_setup(
    chromium_available: None,
    playwright_instance: Any,
    django_db_serialized_rollback: None,
    live_server: Any,
) -> None:
    """Skip or fail first when there is no browser; then a live server with the migrated rows."""


@pytest.fixture(scope="session")
def playwright_instance(chromium_available: None, django_db_setup: None) -> Iterator[Any]:
    from django.db import connections
    from playwright.sync_api import sync_playwright

    before = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        # Playwright leaves its asyncio loop marked as running in this thread, and Django then
        # keeps a separate set of connections for "async" code. Hand it back the connections the
        # test database was set up with: they hold the serialized rows that restore what the
        # migrations created after each test's flush, and the test and its fixtures keep using
        # one connection.
        for alias, connection in before.items():
            setattr(connections._connections, alias, connection)
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Any) -> Iterator[Any]:
    """One headless Chromium for the whole session; each test gets its own context."""
    browser = playwright_instance.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def new_page(browser: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """Open a page in a fresh context (its own cookies: one person); keyword arguments are
    Playwright's context options (viewport, locale, ...). Relative URLs go to the live server.

    Each page records its console errors and uncaught exceptions in `page.problems`, where a
    Content-Security-Policy refusal shows up too.
    """
    contexts: list[Any] = []

    def open_page(**options: Any) -> Any:
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.problems = []
        page.on("console", lambda message: _record_console_error(page, message))
        page.on("pageerror", lambda error: page.problems.append(str(error)))
        return page

    yield open_page
    for context in contexts:
        context.close()


def _record_console_error(page: Any, message: Any) -> None:
    # Chromium asks for /favicon.ico on its own; its 404 says nothing about the page.
    if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
        page.problems.append(message.text)


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    """A desktop-sized page in Japanese, the clinic's default language."""
    return new_page(viewport=DESKTOP["viewport"], locale="ja-JP")


@pytest.fixture
def mobile_page(new_page: Callable[..., Any]) -> Any:
    """A patient's phone: 375×812, Japanese."""
    return new_page(**MOBILE)


@pytest.fixture
def desktop_page(new_page: Callable[..., Any]) -> Any:
    """A desktop browser at 1280×900, English."""
    return new_page(**DESKTOP)
