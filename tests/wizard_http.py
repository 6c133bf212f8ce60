"""The intake wizard as a browser fills it: POST data per step, and a small HTTP client.

Used by the security, fuzz and concurrency tests and by the benchmarks under bench/, which drive
a real gunicorn over 127.0.0.1 (hence plain `http.client`, no third-party HTTP library).
"""

from __future__ import annotations

import datetime
import http.client
import re
import secrets
import string
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from intake import answers

WIZARD_PREFIX = "intake_wizard"
MANAGEMENT_FIELD = f"{WIZARD_PREFIX}-current_step"
SESSION_KEY = f"wizard_{WIZARD_PREFIX}"
REVIEW_STEP = "review"
STEP_NAMES = tuple(step.name for step in answers.STEPS)
CSRF_FIELD = "csrfmiddlewaretoken"

PostData = dict[str, list[str]]


def field_values(question: answers.Question, value: Any) -> list[str]:
    """One answer as the browser sends it: a list of strings, empty when nothing is sent."""
    if question.kind == "multi":
        return [str(code) for code in value or []]
    if question.kind == "bool":
        if question.must_be_true:
            return ["on"] if value else []
        if value is None:
            return []
        return ["true" if value else "false"]
    if isinstance(value, datetime.date):
        return [value.isoformat()]
    return ["" if value is None else str(value)]


def step_post_data(step: str, given: Mapping[str, Any]) -> PostData:
    """The POST of one step's page with `given` answers (keys missing from `given` are blank)."""
    data: PostData = {MANAGEMENT_FIELD: [step]}
    for question in answers.STEPS_BY_NAME[step].questions:
        values = field_values(question, given.get(question.key))
        if values:
            data[f"{step}-{question.key}"] = values
    return data


def review_post_data(shown: Mapping[str, str]) -> PostData:
    """The review page's "Send": its hidden fields as the page gave them (see review_fields)."""
    return {MANAGEMENT_FIELD: [REVIEW_STEP], **{name: [value] for name, value in shown.items()}}


def stored_review_fields(stored: Mapping[str, Any]) -> dict[str, str]:
    """The review page's hidden fields for a session holding `stored` (wizard_session_data),
    without rendering the page: its token and the digest of the answers it would show."""
    from intake.forms import answers_digest  # needs Django set up: only when called

    return {
        f"{REVIEW_STEP}-submission_token": stored["extra_data"]["submission_token"],
        f"{REVIEW_STEP}-answers_digest": answers_digest(stored["step_data"]),
    }


def wizard_session_data(given: Mapping[str, Any], *, token: str) -> dict[str, Any]:
    """What formtools keeps in the session once every step is answered and the review is shown.

    Lets a benchmark or a test start at the final submit without walking the steps.
    """
    return {
        "step": REVIEW_STEP,
        "step_data": {step: step_post_data(step, given) for step in STEP_NAMES},
        "step_files": {},
        "extra_data": {"submission_token": token},
    }


def new_csrf_secret() -> str:
    """A CSRF cookie value Django accepts; the same value is a valid form token (unmasked)."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(32))


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


HIDDEN_INPUT = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


@dataclass
class HttpClient:
    """One browser: its own cookies, talking HTTP/1.1 to a server on 127.0.0.1."""

    host: str
    port: int
    timeout: float = 30.0
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, data: PostData | None = None) -> Response:
        headers = {"Host": f"{self.host}:{self.port}"}
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
            text = raw.read().decode("utf-8", errors="replace")
            for name, value in raw.getheaders():
                if name.lower() == "set-cookie":
                    cookie_name, _, rest = value.partition("=")
                    self.cookies[cookie_name.strip()] = rest.split(";", 1)[0]
            return Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, text)
        finally:
            connection.close()

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, data: PostData) -> Response:
        return self.request("POST", path, data)

    def follow(self, response: Response, *, limit: int = 5) -> Response:
        for _ in range(limit):
            if response.status not in (301, 302, 303):
                return response
            location = urllib.parse.urlsplit(response.location)
            response = self.get(location.path + (f"?{location.query}" if location.query else ""))
        return response


def step_path(step: str, *, language: str = "en") -> str:
    return f"/{language}/intake/{step}/"


def walk_wizard(
    client: HttpClient,
    given: Mapping[str, Any],
    *,
    steps: tuple[str, ...] = STEP_NAMES,
    language: str = "en",
) -> Response:
    """Answer `steps` in order as a browser would: GET the page, POST it, expect the next one."""
    if steps and steps[0] == STEP_NAMES[0]:
        client.follow(client.get(f"/{language}/intake/"))
    response = Response(0, {}, "")
    for step in steps:
        page = client.get(step_path(step, language=language))
        if page.status != 200:
            raise AssertionError(f"GET {step}: {page.status}")
        response = client.post(step_path(step, language=language), step_post_data(step, given))
        if response.status != 302:
            raise AssertionError(f"POST {step}: {response.status}\n{response.body[:2000]}")
    return response


def review_page_fields(html: str) -> dict[str, str]:
    """A review page's hidden form fields: its submission token and the digest of what it shows."""
    prefix = f"{REVIEW_STEP}-"
    return {name: value for name, value in HIDDEN_INPUT.findall(html) if name.startswith(prefix)}


def review_fields(client: HttpClient, *, language: str = "en") -> dict[str, str]:
    """GET the review page: its form's hidden fields, to send back as review_post_data."""
    page = client.get(step_path(REVIEW_STEP, language=language))
    fields = review_page_fields(page.body)
    if page.status != 200 or not fields.get(f"{REVIEW_STEP}-submission_token"):
        raise AssertionError(f"review page: {page.status}\n{page.body[:2000]}")
    return fields
