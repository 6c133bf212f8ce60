"""intake.middleware: idle staff sessions time out, and the client address behind the proxy."""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import Callable, Iterator
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
)
from tests.helpers import PASSWORD, step_url
from tests.wizard_http import step_post_data


# Idle staff sessions ---------------------------------------------------------------------------
@pytest.fixture
def clock() -> Iterator[Callable[[float], None]]:
    """Moves the middleware's clock: `clock(seconds)` sets how far in the future "now" is."""
    start = time.time()
    offset = [0.0]
    with mock.patch("intake.middleware.time.time", side_effect=lambda: start + offset[0]):
        yield lambda seconds: offset.__setitem__(0, seconds)


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
