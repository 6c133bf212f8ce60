"""What each page of the journey costs a phone: bytes on the wire, and step 1's first paint.

Bytes: one patient walks the journey; each page's HTML is counted as received (status line,
headers, body as sent with `Accept-Encoding: gzip`), and so is every static file the page
refers to (stylesheets, scripts, icons, images, and the fonts and images the stylesheets name).
A first visit fetches the HTML and all of them; a repeat visit only the HTML, the static files
being cached far-future under their hashed names (the table says whether they are).

First contentful paint: Debian's Chromium through Playwright, a cold cache each run, on a
throttled phone (Chrome DevTools Protocol: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up,
CPU 4 × slower), read from the page's `first-contentful-paint` performance entry.
"""

from __future__ import annotations

import re
import statistics
import time
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from journeys import Browser, app_journey

from tests.wizard_http import PostData, Response

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
PHONE_NETWORK = {
    "offline": False,
    "latency": 150,  # ms, added to every request's round trip
    "downloadThroughput": 1.6e6 / 8,  # bytes/s
    "uploadThroughput": 750e3 / 8,
}
CPU_SLOWDOWN = 4
PHONE_VIEWPORT = {"width": 412, "height": 823}

REFERENCES = (
    re.compile(r"<link\b[^>]*?\bhref=\"([^\"]+)\"", re.IGNORECASE),
    re.compile(r"<(?:script|img|source)\b[^>]*?\bsrc=\"([^\"]+)\"", re.IGNORECASE),
)
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
LINK_RELS_FETCHED = re.compile(r"\brel=\"[^\"]*(stylesheet|icon|preload|modulepreload)")


@dataclass
class Page:
    name: str
    html_bytes: int
    assets: list[str]
    server_seconds: list[float] = field(default_factory=list)


def referenced_assets(html: str, base: str) -> list[str]:
    """The same-site files a browser fetches for `html` at `base`, in page order."""
    found = []
    for pattern in REFERENCES:
        for match in pattern.finditer(html):
            tag = match.group(0)
            if tag.lower().startswith("<link") and not LINK_RELS_FETCHED.search(tag):
                continue
            found.append(match.group(1))
    return same_site(found, base)


def same_site(urls: list[str], base: str) -> list[str]:
    paths = []
    for url in urls:
        if url.startswith(("data:", "#")):
            continue
        parts = urllib.parse.urlsplit(urllib.parse.urljoin(base, url))
        if parts.netloc in ("", "127.0.0.1") or parts.netloc.startswith("127.0.0.1:"):
            paths.append(parts.path)
    return list(dict.fromkeys(paths))


class RecordingBrowser(Browser):
    """A patient's browser that notes every page it GETs: its wire size, the static files it
    refers to, and the server's time for it (the page fetched `repeat` times more)."""

    def __init__(self, port: int, repeat: int) -> None:
        super().__init__(port)
        self.repeat = repeat
        self.pages: list[Page] = []

    def request(self, method: str, path: str, data: PostData | None = None) -> Response:
        before = self.received
        started = time.perf_counter()
        response = super().request(method, path, data)
        if method != "GET":
            return response
        page = Page(page_name(path), self.received - before, referenced_assets(response.body, path))
        page.server_seconds.append(time.perf_counter() - started)
        for _ in range(self.repeat):
            started = time.perf_counter()
            super().request(method, path)
            page.server_seconds.append(time.perf_counter() - started)
        self.pages.append(page)
        return response


class InProcessBrowser:
    """The journey through Django's test client in this process: the CPU each page's GET
    takes the app, median of `repeat` GETs, whatever else the machine is doing (no network)."""

    def __init__(self, repeat: int) -> None:
        from django.test import Client

        self.client = Client()
        self.repeat = repeat
        self.cpu: dict[str, float] = {}

    def request(self, method: str, path: str, data: PostData | None = None) -> Response:
        if method == "GET":
            self.client.get(path)  # warm
            times = []
            for _ in range(self.repeat):
                started = time.process_time()
                response = self.client.get(path)
                times.append(time.process_time() - started)
            self.cpu[page_name(path)] = statistics.median(times)
        else:
            response = self.client.post(path, data)
        headers = {name.lower(): value for name, value in response.headers.items()}
        return Response(response.status_code, headers, response.content.decode())


def render_cpu(given: Mapping[str, Any], repeat: int = 20) -> dict[str, float]:
    """CPU seconds of each page's GET, in this process, by page name."""
    browser = InProcessBrowser(repeat)
    app_journey(browser, given)
    return browser.cpu


def page_name(path: str) -> str:
    parts = [part for part in path.split("/") if part]
    return "confirmation" if "submitted" in parts else parts[-1]


@dataclass
class Asset:
    path: str
    bytes: int
    cache_control: str


def fetch_assets(port: int, paths: list[str]) -> dict[str, Asset]:
    """Every static file once, with the files its stylesheets refer to."""
    fetched: dict[str, Asset] = {}
    queue = list(paths)
    while queue:
        path = queue.pop(0)
        if path in fetched:
            continue
        browser = Browser(port)
        response = browser.request("GET", path)
        if response.status != 200:
            raise AssertionError(f"static file {path}: {response.status}")
        fetched[path] = Asset(path, browser.received, response.headers.get("cache-control", ""))
        if path.endswith(".css"):
            queue += same_site(CSS_URL.findall(response.body), path)
    return fetched


def page_weights(
    port: int, given: Mapping[str, Any], repeat: int = 5
) -> tuple[list[Page], dict[str, Asset]]:
    """One patient's journey: its pages (in order) and the static files they refer to."""
    browser = RecordingBrowser(port, repeat)
    app_journey(browser, given)
    assets: dict[str, Asset] = {}
    for page in browser.pages:
        fetched = fetch_assets(port, page.assets)
        assets.update(fetched)
        page.assets = list(fetched)  # with the fonts and images of its stylesheets
    return browser.pages, assets


def first_paint_seconds(url: str, runs: int) -> list[float]:
    """Step 1's first contentful paint on a throttled phone, `runs` times with a cold cache."""
    from playwright.sync_api import sync_playwright

    paints = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            for _ in range(runs):
                context = browser.new_context(
                    viewport=PHONE_VIEWPORT, device_scale_factor=2, is_mobile=True, locale="ja-JP"
                )
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                cdp.send("Network.emulateNetworkConditions", PHONE_NETWORK)
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
                page.goto(url, wait_until="load")
                page.wait_for_function(
                    "performance.getEntriesByName('first-contentful-paint').length > 0"
                )
                start = page.evaluate(
                    "performance.getEntriesByName('first-contentful-paint')[0].startTime"
                )
                paints.append(start / 1000)
                context.close()
        finally:
            browser.close()
    return paints
