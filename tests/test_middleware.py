"""intake.middleware: /healthz for the load balancer, control characters in URLs, idle staff
sessions, and the client address behind the proxy."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from intake.middleware import (
    ACTIVITY_RESOLUTION_SECONDS,
    LAST_ACTIVITY_SESSION_KEY,
    ClientAddressMiddleware,
    activity_resolution,
)
from tests.helpers import PASSWORD, step_url
from tests.wizard_http import step_post_data


# /healthz for the load balancer ------------------------------------------------------------------
@pytest.mark.parametrize("address", ["10.0.0.11:8000", "10.0.0.11", "[fd00::11]:8000"])
def test_the_health_check_answers_a_plain_http_probe_by_address_behind_production_settings(
    db: Any, settings: Any, address: str
) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["intake.example.jp"]

    response = Client().get("/healthz", HTTP_HOST=address)

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]
    # Everything else is still redirected to HTTPS, and refused under another name.
    assert Client().get("/en/intake/", HTTP_HOST="intake.example.jp").status_code == 301
    settings.SECURE_SSL_REDIRECT = False
    assert Client().get("/en/intake/", HTTP_HOST=address).status_code == 400


def test_the_health_check_by_address_says_503_when_the_database_is_down(
    db: Any, settings: Any
) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["intake.example.jp"]

    with mock.patch("intake.selectors.database_available", return_value=False):
        response = Client().get("/healthz", HTTP_HOST="10.0.0.11:8000")

    assert response.status_code == 503
    assert set(response.json()) == {"status", "database"}


# Control characters in URLs ---------------------------------------------------------------------
NUL_URLS = [
    "/ja/invite/abc%00def/",
    "/en/review/AB%00C/",
    "/en/review/AB%00C/print/",
    "/en/review/AB%00C/decide/",
    "/en/intake/submitted/AB%00C/",
    "/en/admin/intake/intake/?reference=AB%00C",
    "/en/admin/intake/intake/?q=%00",
    "/en/review/?q=a%00b",
    "/en/reception/?q=%00",
    "/en/review/AB%0AC/",
    "/en/intake/about_you%09/",
    "/%00",
]


@pytest.mark.parametrize("url", NUL_URLS)
@pytest.mark.parametrize("who", ["anonymous", "doctor_client", "reception_client", "superuser"])
def test_a_nul_or_control_character_in_a_url_is_a_400(
    request: pytest.FixtureRequest, db: Any, url: str, who: str
) -> None:
    client = (
        Client()
        if who == "anonymous"
        else request.getfixturevalue("admin_client_logged_in" if who == "superuser" else who)
    )

    assert client.get(url).status_code == 400


def test_a_nul_in_a_cookie_is_a_400(db: Any) -> None:
    client = Client()
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"

    assert client.get("/en/intake/").status_code == 400


def test_a_tab_pasted_into_the_queue_search_is_not_refused(doctor_client: Client) -> None:
    response = doctor_client.get(reverse("review:queue") + "?q=%E5%B1%B1%E7%94%B0%09")

    assert response.status_code == 200


# Idle staff sessions ---------------------------------------------------------------------------
def test_staff_are_signed_out_after_the_idle_timeout(
    admin_client_logged_in: Client, clock: Callable[[float], None]
) -> None:
    client = admin_client_logged_in
    assert client.get(reverse("admin:index")).status_code == 200

    clock(settings.STAFF_IDLE_TIMEOUT + 1)
    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    login = urllib.parse.urlsplit(response["Location"])
    assert login.path == reverse("login")
    assert urllib.parse.parse_qs(login.query) == {"next": [reverse("admin:index")]}
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out after a period of inactivity" in page


def test_the_idle_sign_out_message_is_in_japanese_on_japanese_pages(
    admin_client_logged_in: Client, clock: Callable[[float], None]
) -> None:
    client = admin_client_logged_in
    with translation.override("ja"):
        admin_index = reverse("admin:index")
    client.get(admin_index)

    clock(settings.STAFF_IDLE_TIMEOUT + 1)
    response = client.get(admin_index, follow=True)

    assert "一定時間操作がなかったため、ログアウトしました" in response.content.decode()


def test_signing_in_starts_the_idle_clock(clock: Callable[[float], None], superuser: User) -> None:
    client = Client()
    client.post(reverse("login"), {"username": superuser.username, "password": PASSWORD})
    assert client.session[LAST_ACTIVITY_SESSION_KEY]

    # Signed in, then left alone: the next request finds the session expired.
    clock(settings.STAFF_IDLE_TIMEOUT + 1)
    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_staff_who_keep_working_stay_signed_in(
    admin_client_logged_in: Client, clock: Callable[[float], None]
) -> None:
    client = admin_client_logged_in
    # Three requests each just under the timeout apart: far longer than the timeout in total.
    for step in range(1, 4):
        clock(step * (settings.STAFF_IDLE_TIMEOUT - ACTIVITY_RESOLUTION_SECONDS))
        assert client.get(reverse("admin:index")).status_code == 200

    assert client.session["_auth_user_id"]


def test_a_search_in_the_url_is_not_carried_into_the_sign_in_link(
    admin_client_logged_in: Client, clock: Callable[[float], None]
) -> None:
    client = admin_client_logged_in
    client.get(reverse("admin:index"))

    clock(settings.STAFF_IDLE_TIMEOUT + 1)
    response = client.get(reverse("admin:auth_user_changelist") + "?q=%E5%B1%B1%E7%94%B0")

    assert response.status_code == 302
    assert "q=" not in urllib.parse.unquote(response["Location"])
    assert "山田" not in urllib.parse.unquote(response["Location"])


@pytest.mark.parametrize("timeout", [1, 5, 30, 59, 90])
def test_staff_working_within_a_short_idle_timeout_stay_signed_in(
    admin_client_logged_in: Client,
    clock: Callable[[float], None],
    settings: Any,
    timeout: int,
) -> None:
    settings.STAFF_IDLE_TIMEOUT = timeout
    client = admin_client_logged_in
    pause = max(1, timeout - activity_resolution(timeout))
    assert client.get(reverse("admin:index")).status_code == 200
    # Ten requests, each at most a timeout less the stamp's resolution after the one before.
    for step in range(1, 11):
        clock(step * pause)
        assert client.get(reverse("admin:index")).status_code == 200, (timeout, step)

    clock(10 * pause + timeout + 1)
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_activity_stamp_moves_more_often_than_a_short_timeout() -> None:
    assert activity_resolution(30 * 60) == ACTIVITY_RESOLUTION_SECONDS
    assert activity_resolution(30) == 3
    assert activity_resolution(1) == 1


def test_an_active_page_writes_the_session_at_most_once_a_minute(
    admin_client_logged_in: Client, clock: Callable[[float], None]
) -> None:
    client = admin_client_logged_in
    client.get(reverse("admin:index"))
    stamp = client.session[LAST_ACTIVITY_SESSION_KEY]

    clock(ACTIVITY_RESOLUTION_SECONDS - 1)
    client.get(reverse("admin:index"))
    unchanged = client.session[LAST_ACTIVITY_SESSION_KEY]
    clock(ACTIVITY_RESOLUTION_SECONDS)
    client.get(reverse("admin:index"))

    assert unchanged == stamp
    assert client.session[LAST_ACTIVITY_SESSION_KEY] == stamp + ACTIVITY_RESOLUTION_SECONDS


def test_a_patient_who_pauses_for_hours_keeps_every_answer(
    db: Any, valid_answers: dict[str, Any], clock: Callable[[float], None]
) -> None:
    client = Client()
    client.get("/en/intake/")
    client.post(step_url("about_you"), step_post_data("about_you", valid_answers))

    clock(5 * 60 * 60)
    response = client.get(step_url("skin"))

    assert response.status_code == 200
    assert LAST_ACTIVITY_SESSION_KEY not in client.session
    stored = client.session["wizard_intake_wizard"]["step_data"]["about_you"]
    assert stored["about_you-full_name"] == [valid_answers["full_name"]]


# The idle warning and "Stay signed in" -----------------------------------------------------------
def idle_warning(page: str) -> dict[str, str]:
    """The idle warning's data attributes on a page, {} when it has none."""
    match = re.search(r'<dialog id="idle-warning"[^>]*>', page)
    return dict(re.findall(r'data-([a-z-]+)="([^"]*)"', match.group(0))) if match else {}


def test_a_signed_in_page_says_how_long_it_has_before_the_idle_sign_out(
    doctor_client: Client, clock: Callable[[float], None], settings: Any
) -> None:
    settings.STAFF_IDLE_TIMEOUT = 30 * 60
    first = doctor_client.get(reverse("review:queue")).content.decode()
    # Within the stamp's resolution the stamp does not move: the time left shrinks.
    clock(ACTIVITY_RESOLUTION_SECONDS - 20)
    later = doctor_client.get(reverse("review:queue")).content.decode()

    assert idle_warning(first) == {"seconds-left": "1800", "timeout": "1800"}
    assert idle_warning(later) == {"seconds-left": "1760", "timeout": "1800"}
    assert reverse("keep_alive") in later


def test_patients_and_the_sign_in_page_have_no_idle_warning(client: Client, db: Any) -> None:
    assert idle_warning(client.get(step_url("about_you")).content.decode()) == {}
    assert idle_warning(client.get(reverse("login")).content.decode()) == {}


def test_stay_signed_in_restarts_the_idle_clock(
    doctor_client: Client, clock: Callable[[float], None], settings: Any
) -> None:
    settings.STAFF_IDLE_TIMEOUT = 30 * 60
    doctor_client.get(reverse("review:queue"))

    clock(settings.STAFF_IDLE_TIMEOUT - 5)
    response = doctor_client.post(reverse("keep_alive"))
    assert response.status_code == 204
    assert response.content == b""
    # Without it the doctor would be signed out here; with it, a whole timeout more.
    clock(2 * settings.STAFF_IDLE_TIMEOUT - 10)
    assert doctor_client.get(reverse("review:queue")).status_code == 200


def test_stay_signed_in_after_the_timeout_signs_out_all_the_same(
    doctor_client: Client, clock: Callable[[float], None]
) -> None:
    doctor_client.get(reverse("review:queue"))

    clock(settings.STAFF_IDLE_TIMEOUT + 1)
    response = doctor_client.post(reverse("keep_alive"))

    assert response.status_code == 302
    assert urllib.parse.urlsplit(response["Location"]).path == reverse("login")
    assert "_auth_user_id" not in doctor_client.session


def test_stay_signed_in_is_a_post_with_the_csrf_token_from_a_signed_in_user(
    doctor: User, client: Client
) -> None:
    # Anonymous: nothing to keep.
    assert client.post(reverse("keep_alive")).status_code == 403
    # A GET changes nothing (405), and another site can't post it without the token (403).
    doctor_client = Client(enforce_csrf_checks=True)
    doctor_client.force_login(doctor)
    assert doctor_client.get(reverse("keep_alive")).status_code == 405
    assert doctor_client.post(reverse("keep_alive")).status_code == 403
    doctor_client.get(reverse("review:queue"))
    token = doctor_client.cookies[settings.CSRF_COOKIE_NAME].value
    response = doctor_client.post(reverse("keep_alive"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 204


def test_signing_in_again_after_an_idle_sign_out_leads_to_the_page_asked_for(
    doctor_client: Client, clock: Callable[[float], None]
) -> None:
    doctor_client.get(reverse("review:queue"))

    clock(settings.STAFF_IDLE_TIMEOUT + 1)
    response = doctor_client.get(reverse("patients:list"))

    assert urllib.parse.parse_qs(urllib.parse.urlsplit(response["Location"]).query) == {
        "next": [reverse("patients:list")]
    }


# The client address behind the proxy -------------------------------------------------------------
def test_behind_the_proxy_the_client_address_is_the_one_the_proxy_appended() -> None:
    seen = {}

    def view(request: Any) -> Any:
        seen["address"] = request.META["REMOTE_ADDR"]

    middleware = ClientAddressMiddleware(view)
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9, 192.0.2.44"
    )
    middleware(request)

    # The left entry was written by the client and could be anything; the proxy wrote the last.
    assert seen["address"] == "192.0.2.44"
