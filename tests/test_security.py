"""Security: login lockout, POST-only logout, no password reset, CSP and headers, same-origin
pages, spam guards."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from intake.models import Intake
from tests.helpers import PASSWORD, step_url
from tests.wizard_http import STEP_NAMES, review_page_fields, review_post_data, step_post_data


def answer_every_step(
    client: Client, given: dict[str, Any], language: str = "en"
) -> dict[str, str]:
    """Walk the wizard up to its review page; returns the review form's hidden fields."""
    client.get(f"/{language}/intake/")
    for step in STEP_NAMES:
        response = client.post(step_url(step, language), step_post_data(step, given))
        assert response.status_code == 302, response.content.decode()[:2000]
    return review_page_fields(client.get(step_url("review", language)).content.decode())


def submit(client: Client, given: dict[str, Any], language: str = "en") -> Any:
    shown = answer_every_step(client, given, language)
    return client.post(step_url("review", language), review_post_data(shown))


def reverse_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


# Login lockout (django-axes) -------------------------------------------------------------------
@pytest.fixture
def failure_limit(settings: Any) -> int:
    settings.AXES_FAILURE_LIMIT = 3
    return 3


def fail_to_log_in(client: Client, username: str, times: int, language: str = "en") -> Any:
    with translation.override(language):
        url = reverse("login")
    response = None
    for _ in range(times):
        response = client.post(url, {"username": username, "password": "wrong password"})
    return response


def test_login_is_locked_after_the_failure_limit(doctor: User, failure_limit: int) -> None:
    client = Client()

    before = fail_to_log_in(client, doctor.username, failure_limit - 1)
    locked = fail_to_log_in(client, doctor.username, 1)

    assert before.status_code == 200
    assert locked.status_code in (403, 429)
    assert "registration/lockout.html" in [t.name for t in locked.templates]
    assert "Sign-in paused" in locked.content.decode()
    assert "3 failed attempts" in locked.content.decode()
    assert "try again in 60 minutes" in locked.content.decode()


def test_the_right_password_does_not_get_through_a_lockout(
    doctor: User, failure_limit: int
) -> None:
    client = Client()
    fail_to_log_in(client, doctor.username, failure_limit)

    response = client.post(reverse("login"), {"username": doctor.username, "password": PASSWORD})

    assert response.status_code in (403, 429)
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_speaks_japanese(doctor: User, failure_limit: int) -> None:
    response = fail_to_log_in(Client(), doctor.username, failure_limit, language="ja")

    page = response.content.decode()
    assert response.status_code in (403, 429)
    assert '<html lang="ja">' in page
    assert "ログインの一時停止" in page
    assert "ログインに3回続けて失敗しました" in page
    assert "60分後にもう一度お試しいただくか" in page


def test_a_lockout_holds_one_account_not_everyone_at_the_clinic(
    doctor: User, other_doctor: User, failure_limit: int
) -> None:
    client = Client()
    fail_to_log_in(client, doctor.username, failure_limit)

    response = client.post(
        reverse("login"), {"username": other_doctor.username, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(other_doctor.pk)


# Logout ------------------------------------------------------------------------------------------
def test_logout_refuses_a_get_so_a_link_or_an_image_cannot_sign_staff_out(
    doctor_client: Client,
) -> None:
    response = doctor_client.get(reverse("logout"))

    assert response.status_code == 405
    assert doctor_client.session.get("_auth_user_id")


def test_logout_by_post_signs_out(doctor_client: Client) -> None:
    response = doctor_client.post(reverse("logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in doctor_client.session


# No password reset until the clinic sends e-mail -------------------------------------------------
@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize(
    "path",
    ["accounts/password_reset/", "accounts/password_reset/done/", "accounts/reset/done/"]
    + ["accounts/reset/MQ/set-password/", "accounts/reset/MQ/abc-123/"],
)
def test_password_reset_is_not_offered_until_the_clinic_sends_email(
    db: Any, doctor: User, language: str, path: str
) -> None:
    response = Client().post(f"/{language}/{path}", {"email": "dr@example.jp"})

    assert response.status_code == 404
    assert reverse_or_none("password_reset") is None


def test_the_sign_in_page_does_not_link_to_a_password_reset(db: Any) -> None:
    page = Client().get(reverse("login")).content.decode()

    assert "password_reset" not in page
    assert "/reset/" not in page


def test_staff_can_still_change_their_password(doctor_client: Client) -> None:
    response = doctor_client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-pass-phrase",
            "new_password2": "a-new-long-pass-phrase",
        },
    )

    assert response["Location"] == reverse("password_change_done")
    assert doctor_client.get(reverse("password_change_done")).status_code == 200


# Headers ---------------------------------------------------------------------------------------
def test_the_intake_page_sends_a_strict_content_security_policy(patient_client: Client) -> None:
    response = patient_client.get(step_url("about_you"))

    policy = response["Content-Security-Policy"]
    directives = dict(
        (part.split(" ", 1) + [""])[:2] for part in (p.strip() for p in policy.split(";"))
    )
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_intake_pages_carry_the_security_headers_and_are_never_cached(
    patient_client: Client,
) -> None:
    response = patient_client.get(step_url("about_you"))

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    session_cookie = patient_client.cookies[settings.SESSION_COOKIE_NAME]
    assert session_cookie["httponly"]
    assert session_cookie["samesite"] == "Lax"


# No third-party resources, no inline script or style --------------------------------------------
class PageAudit(HTMLParser):
    """Collects every URL a page refers to, and any inline script, style or event handler."""

    URL_ATTRIBUTES = {"src", "href", "action", "formaction", "srcset", "poster", "data"}

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []
        self.links: list[str] = []
        self.inline: list[str] = []
        self._script_without_src = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name in self.URL_ATTRIBUTES:
                for url in value.split(",") if name == "srcset" else [value]:
                    self.urls.append((tag, name, url.strip().split(" ")[0]))
            if name.startswith("on") or name == "style":
                self.inline.append(f"<{tag} {name}=...>")
        if tag == "a" and "href" in values:
            self.links.append(values["href"])
        if tag == "style":
            self.inline.append("<style>")
        self._script_without_src = tag == "script" and not values.get("src")

    def handle_data(self, data: str) -> None:
        if self._script_without_src and data.strip():
            self.inline.append("<script> with a body")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script_without_src = False


def audit(html: str) -> PageAudit:
    parser = PageAudit()
    parser.feed(html)
    return parser


def foreign_urls(page: PageAudit) -> list[str]:
    """URLs that would reach another origin.

    data: URLs are part of the page itself; tel: and mailto: links open an app and fetch nothing.
    """
    foreign = []
    for tag, attribute, url in page.urls:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme == "data" or (tag == "a" and parts.scheme in ("tel", "mailto")):
            continue
        if (parts.scheme or parts.netloc) and parts.netloc != "testserver":
            foreign.append(f"<{tag} {attribute}={url}>")
    return foreign


def page_kind(path: str) -> str:
    """One visit per kind of page: /admin/intake/flagtext/7/change/ stands for all of them."""
    path = re.sub(r"/\d+/", "/<id>/", path)
    return re.sub(r"/[0-9A-Z]{4}-[0-9A-Z]{4}/", "/<reference>/", path)


def crawl(client: Client, start: list[str], *, limit: int = 60) -> dict[str, str]:
    """GET pages reachable by links from `start` (same origin, one per kind); path → HTML."""
    pages: dict[str, str] = {}
    queue = list(start)
    seen = {page_kind(url) for url in queue}
    while queue and len(pages) < limit:
        url = queue.pop(0)
        response = client.get(url)
        if response.status_code in (301, 302):
            target = urllib.parse.urlsplit(response["Location"])
            if not target.netloc and page_kind(target.path) not in seen:
                seen.add(page_kind(target.path))
                queue.append(target.path)
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        pages[url] = html
        for link in audit(html).links:
            parts = urllib.parse.urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if parts.path.startswith(settings.STATIC_URL) or page_kind(parts.path) in seen:
                continue
            seen.add(page_kind(parts.path))
            queue.append(parts.path)
    return pages


def assert_pages_are_self_contained(pages: dict[str, str]) -> None:
    problems = {}
    for url, html in pages.items():
        page = audit(html)
        found = foreign_urls(page) + page.inline
        if found:
            problems[url] = found
    assert not problems


def test_every_page_of_the_intake_uses_only_same_origin_resources_and_no_inline_code(
    db: Any, valid_answers: dict[str, Any]
) -> None:
    pages: dict[str, str] = {}
    for language in ("ja", "en"):
        client = Client()
        client.get(f"/{language}/intake/")
        for step in STEP_NAMES:
            pages[step_url(step, language)] = client.get(step_url(step, language)).content.decode()
            client.post(step_url(step, language), step_post_data(step, valid_answers))
        review = client.get(step_url("review", language))
        pages[step_url("review", language)] = review.content.decode()
        shown = review_page_fields(review.content.decode())
        done = client.post(step_url("review", language), review_post_data(shown), follow=True)
        pages[done.redirect_chain[-1][0]] = done.content.decode()
        # A page with errors on it too.
        errors = client.post(step_url("about_you", language), {})
        pages[f"{step_url('about_you', language)} (errors)"] = errors.content.decode()

    assert len(pages) == 2 * (len(STEP_NAMES) + 3)
    assert_pages_are_self_contained(pages)


def test_every_staff_page_uses_only_same_origin_resources_and_no_inline_code(
    make_intake: Callable[..., Intake],
    doctor_client: Client,
    reception_client: Client,
    admin_client_logged_in: Client,
) -> None:
    make_intake()
    make_intake(pregnancy="pregnant", language="en")
    start = [reverse("login")]
    for language in ("en", "ja"):
        with translation.override(language):
            queue = reverse_or_none("review:queue")
        if queue:
            start.append(queue)
    pages = {}
    for client in (doctor_client, reception_client):
        pages |= crawl(client, start, limit=40)
    # The test client activates each page's language in this thread: name the one wanted.
    with translation.override("en"):
        admin_index = reverse("admin:index")
    pages |= crawl(admin_client_logged_in, [admin_index], limit=80)

    assert admin_index in pages
    assert len(pages) > 20
    assert_pages_are_self_contained(pages)


def test_the_lockout_page_uses_only_same_origin_resources(doctor: User, failure_limit: int) -> None:
    response = fail_to_log_in(Client(), doctor.username, failure_limit)

    assert_pages_are_self_contained({"lockout": response.content.decode()})


# Spam guards -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "Leave this field empty."), ("ja", "この欄は空欄のままにしてください。")],
)
def test_a_bot_filling_the_honeypot_is_stopped_on_the_first_step(
    db: Any, valid_answers: dict[str, Any], language: str, message: str
) -> None:
    client = Client()
    client.get(f"/{language}/intake/")
    data = step_post_data("about_you", valid_answers) | {"about_you-website": ["http://spam"]}

    response = client.post(step_url("about_you", language), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["wizard"]["steps"].current == "about_you"


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Too many questionnaires have been sent from this connection."),
        ("ja", "この接続から送信された問診が多すぎます。"),
    ],
)
def test_too_many_submissions_from_one_address_are_refused_with_a_clear_message(
    db: Any, valid_answers: dict[str, Any], settings: Any, language: str, message: str
) -> None:
    settings.INTAKE_SUBMIT_RATE_LIMIT = 2
    for _ in range(2):
        assert submit(Client(), valid_answers, language).status_code == 302

    refused = submit(Client(), valid_answers, language)

    assert refused.status_code == 429
    assert message in refused.content.decode()
    assert Intake.objects.count() == 2


def test_a_forged_forwarded_for_header_does_not_escape_the_rate_limit(
    db: Any, valid_answers: dict[str, Any], settings: Any
) -> None:
    """Without a trusted proxy, X-Forwarded-For comes from the client and is ignored."""
    settings.INTAKE_SUBMIT_RATE_LIMIT = 1
    submit(Client(HTTP_X_FORWARDED_FOR="198.51.100.1"), valid_answers)

    refused = submit(Client(HTTP_X_FORWARDED_FOR="198.51.100.2"), valid_answers)

    assert refused.status_code == 429
    assert Intake.objects.count() == 1
