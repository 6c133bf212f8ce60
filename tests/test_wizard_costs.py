"""What a patient's page costs: session writes and SQL statements per request, bytes sent."""

from __future__ import annotations

import datetime
import gzip
import re
from typing import Any
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from intake.models import Intake
from intake.views import IntakeWizard
from intake.wizard_storage import KEPT_SINCE_KEY
from tests.helpers import step_url as url
from tests.test_views import STEPS, fill_steps, post_step, step_answers
from tests.wizard_http import SESSION_KEY, review_page_fields, review_post_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled(today: datetime.date) -> dict[str, dict[str, Any]]:
    return step_answers(today)


def session_writes(queries: CaptureQueriesContext) -> list[str]:
    return [
        query["sql"]
        for query in queries.captured_queries
        if "django_session" in query["sql"] and not query["sql"].lstrip().startswith("SELECT")
    ]


def stored_expiry(client: Client) -> datetime.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_page_opened_right_after_its_answers_were_saved_does_not_write_the_session(
    client: Client, filled: dict[str, Any]
) -> None:
    fill_steps(client, filled, until="health")

    with CaptureQueriesContext(connection) as queries:
        page = client.get(url("health"))

    assert page.status_code == 200
    assert session_writes(queries) == []


def test_a_page_opened_a_minute_after_the_last_save_keeps_the_answers_longer(
    client: Client, filled: dict[str, Any]
) -> None:
    fill_steps(client, filled, until="health")
    session = client.session
    session[KEPT_SINCE_KEY] = session[KEPT_SINCE_KEY] - 61
    session.save()
    # As saved a while ago.
    before = timezone.now() + datetime.timedelta(hours=1)
    Session.objects.filter(session_key=session.session_key).update(expire_date=before)

    client.get(url("health"))

    assert stored_expiry(client) > before + datetime.timedelta(hours=12)


def test_answers_sent_again_unchanged_write_nothing_but_the_step_reached(
    client: Client, filled: dict[str, Any]
) -> None:
    fill_steps(client, filled, until="health")
    client.get(url("skin"))  # back to step 2: the session's current step is saved
    stored = client.session["wizard_intake_wizard"]

    post_step(client, "skin", filled["skin"])

    assert client.session["wizard_intake_wizard"]["step_data"] == stored["step_data"]


def test_sending_changed_answers_saves_them(client: Client, filled: dict[str, Any]) -> None:
    fill_steps(client, filled, until="health")

    post_step(client, "skin", {**filled["skin"], "skin_type": "dry"})

    stored = client.session["wizard_intake_wizard"]["step_data"]["skin"]
    assert stored["skin-skin_type"] == ["dry"]


def test_a_step_page_and_its_post_take_few_sql_statements(
    client: Client, filled: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    fill_steps(client, filled, until="health")

    # Reading the session; on the POST, saving it too (in a savepoint, in tests).
    with django_assert_max_num_queries(1):
        client.get(url("health"))
    with django_assert_max_num_queries(4):
        post_step(client, "health", filled["health"])


def test_the_time_shown_moves_with_the_save_a_minute_later(
    client: Client, filled: dict[str, Any]
) -> None:
    fill_steps(client, filled, until="health")
    session = client.session
    session[KEPT_SINCE_KEY] = session[KEPT_SINCE_KEY] - 3600
    session.save()

    client.get(url("health"))

    since = client.session[KEPT_SINCE_KEY]
    assert abs(since - timezone.now().timestamp()) < 5


# What a page weighs ------------------------------------------------------------------------------
def test_pages_are_sent_gzipped_to_a_browser_that_accepts_it(client: Client) -> None:
    page = client.get(url("about_you"), HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert page["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in page["Vary"]
    html = gzip.decompress(page.content).decode()
    assert 'id="wizard-form"' in html
    # The headers the rest of the middleware adds are still there.
    assert "default-src 'self'" in page["Content-Security-Policy"]
    assert page["X-Frame-Options"] == "DENY"


def test_pages_are_sent_plain_to_a_client_that_does_not_accept_gzip(client: Client) -> None:
    page = client.get(url("about_you"))

    assert not page.has_header("Content-Encoding")
    assert 'id="wizard-form"' in page.text


@pytest.mark.parametrize("name", ["intake:welcome", "intake:start"])
def test_patient_pages_load_no_bootstrap_script(client: Client, name: str) -> None:
    page = client.get(reverse(name), follow=True)

    assert page.status_code == 200
    assert "<script" in page.text
    assert "bootstrap" not in "".join(re.findall(r"<script[^>]*>", page.text))


# Each step's form once per request ---------------------------------------------------------------
def built_forms(client: Client, method: str, path: str, data: Any = None) -> list[str]:
    """The steps whose form the wizard built to answer this request, in order."""
    original = IntakeWizard.get_form
    built: list[str] = []

    def get_form(view: IntakeWizard, step: str | None = None, *args: Any, **kwargs: Any) -> Any:
        built.append(step or view.steps.current)
        return original(view, step, *args, **kwargs)

    with mock.patch.object(IntakeWizard, "get_form", get_form):
        response = client.post(path, data) if method == "POST" else client.get(path)
    assert response.status_code in (200, 302)
    return built


def test_the_review_page_builds_each_steps_form_once(
    client: Client, filled: dict[str, Any]
) -> None:
    fill_steps(client, filled)

    built = built_forms(client, "GET", url("review"))

    assert sorted(built) == sorted([*STEPS, "review"])


def test_the_submit_validates_every_step_again_building_each_form_once(
    client: Client, filled: dict[str, Any]
) -> None:
    fill_steps(client, filled)
    shown = review_page_fields(client.get(url("review")).text)

    built = built_forms(client, "POST", url("review"), review_post_data(shown))

    assert sorted(built) == sorted([*STEPS, "review"])
    assert Intake.objects.count() == 1


def test_the_submit_refuses_answers_changed_in_the_session_behind_the_review_page(
    client: Client, filled: dict[str, Any]
) -> None:
    fill_steps(client, filled)
    shown = review_page_fields(client.get(url("review")).text)
    session = client.session
    # An answer no page would accept, as if stored by a tampered request.
    session[SESSION_KEY]["step_data"]["about_you"]["about_you-email"] = ["not an address"]
    session.save()

    response = client.post(url("review"), review_post_data(shown))

    assert response.status_code in (302, 409)
    assert Intake.objects.count() == 0


def test_a_submit_takes_few_sql_statements_and_never_reads_the_intakes(
    client: Client, filled: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    fill_steps(client, filled)
    shown = review_page_fields(client.get(url("review")).text)

    # The session read; the submission count (one statement, and once an hour the removal of
    # the hours before), in a savepoint in tests; the consent document; the intake and its
    # flags with the flag texts, in a savepoint; the session saved, in a savepoint.
    with (
        django_assert_max_num_queries(14),
        CaptureQueriesContext(connection) as queries,
    ):
        response = client.post(url("review"), review_post_data(shown))

    assert response.status_code == 302
    assert Intake.objects.count() == 1
    reads = [query["sql"] for query in queries.captured_queries if "SELECT" in query["sql"]]
    assert not [sql for sql in reads if '"intake_intake"' in sql]


# Rendering ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("step", ["about_you", "retinoids", "consent"])
def test_step_pages_render_their_questions_without_crispys_templates_per_field(
    client: Client, filled: dict[str, Any], step: str
) -> None:
    fill_steps(client, filled, until=step)

    page = client.get(url(step))

    names = {template.name for template in page.templates}
    assert "intake/_step_field.html" in names
    assert not any(name.startswith("bootstrap5/") for name in names)


def test_step_pages_write_their_text_boxes_without_djangos_widget_templates(
    client: Client,
) -> None:
    client.get(reverse("intake:start"))

    page = client.get(url("about_you"))

    names = {template.name for template in page.templates}
    assert 'type="email"' in page.text and 'type="date"' in page.text
    assert not names & {f"django/forms/widgets/{kind}.html" for kind in ("text", "email", "date")}
