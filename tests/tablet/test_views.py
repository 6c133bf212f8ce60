"""intake.tablet: the clinic's intake tablet, from reception's button to the next patient."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import translation

from intake.models import Intake
from intake.tablet import mode
from tests.helpers import PASSWORD, step_url
from tests.wizard_http import (
    SESSION_KEY,
    review_post_data,
    stored_review_fields,
    wizard_session_data,
)

START = "tablet:start"


def fill_everything(client: Client, answers: dict[str, Any]) -> dict[str, str]:
    """Every step answered in this session (as the wizard stores them); the review's fields."""
    client.get(step_url("about_you"))  # the patient's session, as their first page makes it
    stored = wizard_session_data(answers, token=str(uuid.uuid4()))
    session = client.session
    session[SESSION_KEY] = stored
    session.save()
    return stored_review_fields(stored)


def submit(client: Client, answers: dict[str, Any]) -> Any:
    fields = fill_everything(client, answers)
    return client.post(step_url("review"), review_post_data(fields))


def begin(client: Client, language: str = "ja") -> Any:
    return client.post(reverse("tablet:begin"), {"language": language})


# Making a tablet ----------------------------------------------------------------------------------
def test_reception_makes_this_device_a_tablet_and_is_signed_out(
    client: Client, receptionist: User
) -> None:
    client.force_login(receptionist)
    setup = client.get(reverse("tablet:setup"))
    assert setup.status_code == 200 and 'id="tablet-enable"' in setup.text

    response = client.post(reverse("tablet:setup"))

    assert response["Location"] == reverse(START)
    cookie = response.cookies[mode.COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == settings.INTAKE_TABLET_DAYS * 24 * 3600
    assert "_auth_user_id" not in client.session


def test_only_reception_makes_a_tablet(client: Client, doctor: User) -> None:
    assert client.post(reverse("tablet:setup")).status_code == 302  # to the login page
    client.force_login(doctor)
    assert client.post(reverse("tablet:setup")).status_code == 403
    assert mode.COOKIE_NAME not in client.cookies


def test_a_forged_or_edited_tablet_cookie_makes_no_tablet(client: Client, db: Any) -> None:
    client.cookies[mode.COOKIE_NAME] = "1"
    assert client.get(reverse(START))["Location"] == reverse("intake:start")
    client.cookies[mode.COOKIE_NAME] = "eyJieSI6MX0:1vBx1E:not-the-signature"
    assert client.get(reverse("review:queue")).status_code == 302  # the sign-in, as anyone


def test_the_tablets_pages_send_any_other_device_to_the_questionnaire(client: Client) -> None:
    for name in (START, "tablet:begin", "tablet:finish", "tablet:leave"):
        response = client.get(reverse(name)) if name == START else client.post(reverse(name))
        assert response["Location"] == reverse("intake:start"), name


# The start screen and a patient ----------------------------------------------------------------
def test_the_start_screen_offers_both_languages(tablet_client: Client) -> None:
    page = tablet_client.get(reverse(START))

    assert page.status_code == 200
    assert "日本語で始める" in page.text and "Start in English" in page.text
    assert "tablet-idle-dialog" not in page.text  # nothing to clear yet
    assert "static/intake/tablet.js" in page.text
    assert "no-store" in page["Cache-Control"]


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_patient_starts_in_their_language_with_a_session_of_their_own(
    tablet_client: Client, language: str
) -> None:
    before = tablet_client.session.session_key

    response = begin(tablet_client, language)

    with translation.override(language):
        assert response["Location"] == reverse("intake:start")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == language
    page = tablet_client.get(step_url("about_you", language))
    assert page.status_code == 200
    assert 'id="tablet-idle-dialog"' in page.text
    assert f'data-idle-seconds="{settings.INTAKE_TABLET_IDLE_SECONDS}"' in page.text
    assert tablet_client.session.session_key != before


def test_the_confirmation_has_a_finish_button_that_leaves_nothing_of_the_patient(
    tablet_client: Client, valid_answers: dict[str, Any]
) -> None:
    begin(tablet_client, "en")
    confirmation = tablet_client.get(submit(tablet_client, valid_answers)["Location"])
    reference = Intake.objects.get().reference
    assert reference in confirmation.text
    assert 'id="tablet-finish"' in confirmation.text

    finished = tablet_client.post(reverse("tablet:finish"))

    assert finished["Location"] == reverse(START)
    # The session that held the patient is gone, its cookie with it.
    assert finished.cookies[settings.SESSION_COOKIE_NAME].value == ""
    # The next patient: the confirmation, the answers and the review are out of reach.
    again = tablet_client.get(reverse("intake:submitted", kwargs={"reference": reference}))
    assert again.status_code == 404 and 'id="reference-code"' not in again.text
    assert tablet_client.get(step_url("review"))["Location"] == reverse("intake:session_ended")
    assert tablet_client.get(step_url("health"))["Location"] == reverse("intake:session_ended")
    first_step = tablet_client.get(step_url("about_you")).text
    assert valid_answers["full_name"] not in first_step


def test_two_patients_in_a_row_each_send_their_own_intake(
    tablet_client: Client, valid_answers: dict[str, Any]
) -> None:
    begin(tablet_client)
    submit(tablet_client, valid_answers)
    tablet_client.post(reverse("tablet:finish"))
    begin(tablet_client, "en")
    second = submit(tablet_client, {**valid_answers, "full_name": "Second Patient"})

    first, last = Intake.objects.order_by("pk")
    assert second["Location"] == reverse("intake:submitted", kwargs={"reference": last.reference})
    assert last.full_name == "Second Patient" and first.full_name != last.full_name
    assert (
        tablet_client.get(
            reverse("intake:submitted", kwargs={"reference": first.reference})
        ).status_code
        == 404
    )


def test_the_tablet_is_not_held_by_the_submission_limit(
    tablet_client: Client, valid_answers: dict[str, Any], settings: Any
) -> None:
    settings.INTAKE_SUBMIT_RATE_LIMIT = 1
    for _patient in range(3):
        begin(tablet_client)
        assert submit(tablet_client, valid_answers).status_code == 302
        tablet_client.post(reverse("tablet:finish"))

    assert Intake.objects.count() == 3
    # A phone on the same connection is still limited, and counted from zero.
    phone = Client()
    phone.get("/en/intake/")
    assert submit(phone, valid_answers).status_code == 302
    phone = Client()
    phone.get("/en/intake/")
    assert submit(phone, valid_answers).status_code == 429


# Idle --------------------------------------------------------------------------------------------
def test_a_questionnaire_left_idle_is_cleared_by_the_server_too(
    tablet_client: Client, valid_answers: dict[str, Any]
) -> None:
    begin(tablet_client)
    fill_everything(tablet_client, valid_answers)
    tablet_client.get(step_url("health"))  # the page is in use: the server stamps it
    session = tablet_client.session
    assert isinstance(session[mode.LAST_SEEN_SESSION_KEY], int)
    session[mode.LAST_SEEN_SESSION_KEY] = int(time.time()) - mode.server_idle_limit() - 1
    session.save()

    response = tablet_client.get(step_url("review"))

    assert response["Location"] == reverse(START)
    assert SESSION_KEY not in tablet_client.session


def test_a_patient_typing_on_one_page_keeps_the_session(
    tablet_client: Client, valid_answers: dict[str, Any], settings: Any
) -> None:
    settings.INTAKE_TABLET_IDLE_SECONDS = 60
    begin(tablet_client)
    fill_everything(tablet_client, valid_answers)
    session = tablet_client.session
    session[mode.LAST_SEEN_SESSION_KEY] = int(time.time()) - 50
    session.save()

    # The page's script says the patient is typing: the session is used now.
    assert tablet_client.post(reverse("tablet:keep_alive")).status_code == 204
    assert tablet_client.session[mode.LAST_SEEN_SESSION_KEY] >= int(time.time()) - 1
    assert tablet_client.get(step_url("review")).status_code == 200


def test_a_page_a_while_ago_but_within_the_idle_time_is_kept(
    tablet_client: Client, valid_answers: dict[str, Any]
) -> None:
    begin(tablet_client)
    fill_everything(tablet_client, valid_answers)
    session = tablet_client.session
    session[mode.LAST_SEEN_SESSION_KEY] = int(time.time()) - settings.INTAKE_TABLET_IDLE_SECONDS
    session.save()

    assert tablet_client.get(step_url("review")).status_code == 200


# No staff page ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    [
        "login",
        "review:queue",
        "visits:today",
        "invitations:reception",
        "tablet:setup",
        "admin:index",
        "password_change",
    ],
)
def test_the_tablet_opens_no_staff_page_not_even_the_sign_in(
    tablet_client: Client, name: str
) -> None:
    response = tablet_client.get(reverse(name))

    assert response.status_code == 403
    assert "This tablet is for the questionnaire only" in response.text
    assert f'href="{reverse(START)}"' in response.text
    assert tablet_client.post(reverse(name), {"username": "x"}).status_code == 403


def test_a_staff_session_found_on_the_tablet_is_ended(
    tablet_client: Client, receptionist: User
) -> None:
    tablet_client.force_login(receptionist)

    tablet_client.get(reverse(START))

    assert "_auth_user_id" not in tablet_client.session


def test_the_site_root_on_the_tablet_is_the_start_screen(tablet_client: Client) -> None:
    assert tablet_client.get("/")["Location"] == reverse(START)


def test_the_session_ended_page_on_the_tablet_leads_to_the_start_screen(
    tablet_client: Client,
) -> None:
    page = tablet_client.get(reverse("intake:session_ended")).text

    assert f'href="{reverse(START)}" id="session-ended-restart"' in page
    assert "LINE" not in page


# Leaving tablet mode ------------------------------------------------------------------------------
def test_staff_end_tablet_mode_with_their_password_without_being_signed_in(
    tablet_client: Client, receptionist: User
) -> None:
    response = tablet_client.post(
        reverse("tablet:leave"), {"username": receptionist.username, "password": PASSWORD}
    )

    assert response["Location"] == reverse("login")
    assert response.cookies[mode.COOKIE_NAME].value == ""
    assert "_auth_user_id" not in tablet_client.session
    assert tablet_client.get(reverse("login")).status_code == 200


def test_a_wrong_password_or_a_patient_leaves_the_tablet_a_tablet(
    tablet_client: Client, receptionist: User, doctor: User
) -> None:
    wrong = tablet_client.post(
        reverse("tablet:leave"), {"username": receptionist.username, "password": "guess"}
    )
    assert wrong.status_code == 200 and "Please enter a correct username" in wrong.text
    doctor_try = tablet_client.post(
        reverse("tablet:leave"), {"username": doctor.username, "password": PASSWORD}
    )
    assert "This account cannot end tablet mode." in doctor_try.text
    assert tablet_client.get(reverse("login")).status_code == 403


def test_guessing_the_password_on_the_tablet_is_locked_out_as_at_the_sign_in(
    tablet_client: Client, receptionist: User, settings: Any
) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    for _guess in range(2):
        tablet_client.post(
            reverse("tablet:leave"), {"username": receptionist.username, "password": "guess"}
        )

    locked = tablet_client.post(
        reverse("tablet:leave"), {"username": receptionist.username, "password": PASSWORD}
    )

    assert locked.status_code == 429
    assert mode.COOKIE_NAME not in locked.cookies
