"""One patient's whole intake as a browser makes it, on the wizard or on the bare views.

Both journeys are 16 requests: the landing page, six pages each fetched (GET) and answered (POST),
the review page, the submit and the confirmation. Each journey is a new browser: its own session
and CSRF cookies, its own address as the reverse proxy reports it. `app_journey` and
`bare_journey` take anything with the `Browser.request` signature (the test drives them through
Django's test client).
"""

from __future__ import annotations

import gzip
import http.client
import itertools
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from tests.wizard_http import (
    CSRF_FIELD,
    REVIEW_STEP,
    STEP_NAMES,
    PostData,
    Response,
    review_page_fields,
    review_post_data,
    step_path,
    step_post_data,
)

LANGUAGE = "ja"  # the clinic's patients answer in Japanese first
REQUESTS_PER_JOURNEY = 16
ACCEPT_ENCODING = "gzip"


class JourneyFailed(AssertionError):
    pass


class Sender(Protocol):
    def request(self, method: str, path: str, data: PostData | None = None) -> Response: ...


ADDRESSES = itertools.count(1)


def patient_address() -> str:
    number = next(ADDRESSES)
    return f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"


@dataclass
class Browser:
    """A new browser on 127.0.0.1: its cookies, its address, gzip accepted. `received` counts
    the bytes of every response (status line, headers and body as sent, compressed or not)."""

    port: int
    host: str = "127.0.0.1"
    timeout: float = 60.0
    cookies: dict[str, str] = field(default_factory=dict)
    address: str = field(default_factory=patient_address)
    received: int = 0

    def request(self, method: str, path: str, data: PostData | None = None) -> Response:
        headers = {
            "Host": f"{self.host}:{self.port}",
            "Accept-Encoding": ACCEPT_ENCODING,
            "X-Forwarded-For": self.address,
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            if CSRF_FIELD not in data and "csrftoken" in self.cookies:
                data = {**data, CSRF_FIELD: [self.cookies["csrftoken"]]}
            body = urllib.parse.urlencode(data, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            content = raw.read()
            pairs = raw.getheaders()
        finally:
            connection.close()
        self.received += wire_size(raw.status, raw.reason, pairs, content)
        lowered = {name.lower(): value for name, value in pairs}
        for name, value in pairs:
            if name.lower() == "set-cookie":
                cookie_name, _, rest = value.partition("=")
                self.cookies[cookie_name.strip()] = rest.split(";", 1)[0]
        if lowered.get("content-encoding") == "gzip":
            content = gzip.decompress(content)
        return Response(raw.status, lowered, content.decode("utf-8", errors="replace"))


def wire_size(status: int, reason: str, headers: list[tuple[str, str]], body: bytes) -> int:
    """Bytes of a response on the wire: its status line, header lines and body as sent
    (http.client has taken off any chunked framing, a few bytes per chunk)."""
    head = len(f"HTTP/1.1 {status} {reason}\r\n".encode()) + 2
    head += sum(len(f"{name}: {value}\r\n".encode("latin-1")) for name, value in headers)
    return head + len(body)


def expect(response: Response, status: int, what: str, *, location: str = "") -> Response:
    if response.status != status or location not in response.location:
        raise JourneyFailed(
            f"{what}: {response.status} {response.location!r}, expected {status} {location!r}\n"
            f"{response.body[:1500]}"
        )
    return response


def app_journey(browser: Sender, given: Mapping[str, Any]) -> str:
    """The wizard, as a patient fills it in Japanese; returns the reference of the intake."""
    expect(browser.request("GET", f"/{LANGUAGE}/intake/welcome/"), 200, "welcome page")
    for step in STEP_NAMES:
        path = step_path(step, language=LANGUAGE)
        expect(browser.request("GET", path), 200, f"GET {step}")
        answered = browser.request("POST", path, step_post_data(step, given))
        expect(answered, 302, f"POST {step}", location="/intake/")
    review = step_path(REVIEW_STEP, language=LANGUAGE)
    shown = review_page_fields(expect(browser.request("GET", review), 200, "review").body)
    sent = browser.request("POST", review, review_post_data(shown))
    confirmation = expect(sent, 302, "submit", location="/intake/submitted/").location
    expect(browser.request("GET", urllib.parse.urlsplit(confirmation).path), 200, "confirmation")
    return confirmation.rstrip("/").rsplit("/", 1)[-1]


def bare_step_data(number: int) -> PostData:
    return {
        "name": [f"患者 {number}"],
        "when": ["2026-01-15"],
        "choice": ["b"],
        "several": ["x", "z"],
        "agree": ["on"],
    }


def bare_journey(browser: Sender) -> str:
    """The bare views (bench/bench_urls.py), the same 16 requests; returns the reference."""
    from bench.bench_urls import BARE_STEPS

    expect(browser.request("GET", "/bench/bare/"), 200, "bare landing page")
    for number in range(1, BARE_STEPS + 1):
        path = f"/bench/bare/step/{number}/"
        expect(browser.request("GET", path), 200, f"GET bare step {number}")
        answered = browser.request("POST", path, bare_step_data(number))
        expect(answered, 302, f"POST bare step {number}", location="/bench/bare/")
    expect(browser.request("GET", "/bench/bare/review/"), 200, "bare review")
    sent = browser.request("POST", "/bench/bare/review/", {})
    confirmation = expect(sent, 302, "bare submit", location="/bench/bare/done/").location
    expect(browser.request("GET", urllib.parse.urlsplit(confirmation).path), 200, "bare done")
    return confirmation.rstrip("/").rsplit("/", 1)[-1]
