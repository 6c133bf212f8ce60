"""intake/resume/: a link by e-mail to continue the questionnaire on another device, after the
date of birth given on step 1 (issue 11)."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from intake import retention
from intake.birthdate import BIRTH_DATE_TRIES
from intake.models import ClinicProfile, ResumeLink
from intake.resume import services
from intake.resume.selectors import token_hash
from tests.helpers import step_url
from tests.smtp import Inbox, run_tasks, text_and_html
from tests.test_emails import MEDICAL
from tests.test_views import fill_steps, post_step, step_answers

pytestmark = pytest.mark.django_db

BIRTH = "1995-04-10"


@pytest.fixture
def filled(today: datetime.date) -> dict[str, dict[str, Any]]:
    return step_answers(today)


def request_url(language: str = "en") -> str:
    with translation.override(language):
        return reverse("intake:resume_request")


def ask_for_link(
    client: Client, filled: dict[str, Any], *, language: str = "en", **form: str
) -> Any:
    """Answer up to the health page, type something there, then ask for a link."""
    fill_steps(client, filled, language=language, until="health")
    response = post_step(
        client, "health", {"allergy_details": "卵"}, language=language, resume_later="1"
    )
    assert response.status_code == 302
    assert response["Location"] == request_url(language)
    page = client.get(request_url(language))
    assert page.status_code == 200
    return client.post(request_url(language), form or {"email": "hanako@example.jp"})


def emailed_link(mail_server: Inbox) -> str:
    assert run_tasks() == 1
    [message] = mail_server.messages
    text, _html = text_and_html(message)
    return re.search(r"https://intake\.clinic\.example\.jp(/\S+/continue/\S+/)", text)[1]


def test_the_button_shows_once_step_1_is_answered_and_only_with_email_enabled(
    client: Client, filled: dict[str, Any], settings: Any
) -> None:
    settings.EMAIL_ENABLED = True
    assert 'name="resume_later"' not in client.get(step_url("about_you")).text
    fill_steps(client, filled, until="skin")
    assert 'name="resume_later"' in client.get(step_url("skin")).text
    settings.EMAIL_ENABLED = False
    assert 'name="resume_later"' not in client.get(step_url("skin")).text
    assert client.get(request_url())["Location"] == reverse("intake:start")


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_link_is_emailed_with_nothing_medical_and_opens_the_answers_in_another_browser(
    client: Client, filled: dict[str, Any], mail_server: Inbox, clinic: ClinicProfile, language: str
) -> None:
    response = ask_for_link(client, filled, language=language, email="other@example.jp")
    assert response.status_code == 302
    sent = client.get(request_url(language))
    assert "other@example.jp" in sent.text and 'id="resume-sent"' in sent.text

    [link] = ResumeLink.objects.all()
    path = emailed_link(mail_server)
    [message] = mail_server.messages
    text, html = text_and_html(message)
    name = "梅田スキンクリニック" if language == "ja" else "Umeda Skin Clinic"
    assert mail_server.recipients == [["other@example.jp"]]
    assert name in message["Subject"]
    for body in (text, html):
        assert name in body
        assert "山田" not in body and "卵" not in body and "1995" not in body
        assert not any(word in body.lower() for word in MEDICAL)
    # Once sent, only the token's hash stays.
    link.refresh_from_db()
    assert link.token_to_send == "" and link.token_hash == token_hash(path.split("/")[-2])

    other = Client()
    gate = other.get(path)
    assert gate.status_code == 200 and "山田" not in gate.text and "卵" not in gate.text
    assert other.post(path, {"date_of_birth": BIRTH})["Location"] == path
    opened = other.get(path)
    with translation.override(language):
        assert opened["Location"] == reverse("intake:step", kwargs={"step": "health"})
    page = other.get(opened["Location"])
    assert page.status_code == 200 and "卵" in page.text
    # The answers are all there: the intake can be sent from the new browser.
    fill_from = {step: filled[step] for step in ("health", "consent")}
    for step, data in fill_from.items():
        assert post_step(other, step, data, language=language).status_code == 302
    review = other.get(step_url("review", language))
    assert "山田 花子" in review.text
    # One use: the answers are gone from the link, which opens nothing again.
    link.refresh_from_db()
    assert link.used_at is not None and link.answers == {} and link.date_of_birth is None
    assert Client().get(path).status_code == 404


def test_a_wrong_date_of_birth_reveals_nothing_and_locks_the_link(
    client: Client, filled: dict[str, Any], mail_server: Inbox, clinic: ClinicProfile
) -> None:
    ask_for_link(client, filled)
    path = emailed_link(mail_server)
    for _try in range(BIRTH_DATE_TRIES):
        wrong = Client().post(path, {"date_of_birth": "1990-01-01"})
        assert "山田" not in wrong.text and "卵" not in wrong.text and "hanako" not in wrong.text
    locked = Client().post(path, {"date_of_birth": BIRTH})
    assert locked.status_code == 403
    assert ResumeLink.objects.get().used_at is None


def test_an_expired_link_opens_nothing_and_the_purge_deletes_it(
    client: Client, filled: dict[str, Any], mail_server: Inbox, today: datetime.date
) -> None:
    ask_for_link(client, filled)
    path = emailed_link(mail_server)
    ResumeLink.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    other = Client()
    refused = other.get(path)
    assert refused.status_code == 404 and "山田" not in refused.text
    assert other.post(path, {"date_of_birth": BIRTH}).status_code == 404
    unknown = Client().get(path[:-5] + "xxxx/")
    assert unknown.status_code == 404
    main = re.compile(r"<main.*</main>", re.S)
    assert main.search(unknown.text)[0] == main.search(refused.text)[0]

    result = retention.intakes_purge(cutoff=today - datetime.timedelta(days=3650))
    assert result.resume_links == 1
    assert not ResumeLink.objects.exists()


def test_the_link_expires_after_72_hours_and_the_purge_keeps_an_open_one(
    today: datetime.date,
) -> None:
    link, token = services.resume_link_create(
        answers={"step": "skin", "step_data": {}, "extra_data": {}},
        date_of_birth=datetime.date(1995, 4, 10),
        email="a@example.jp",
        language="ja",
    )
    assert link.expires_at - link.created_at == pytest.approx(
        datetime.timedelta(hours=72), abs=datetime.timedelta(seconds=5)
    )
    assert link.token_hash == token_hash(token) and token not in link.token_hash
    result = retention.intakes_purge(cutoff=today - datetime.timedelta(days=3650))
    assert result.resume_links == 0 and ResumeLink.objects.count() == 1
    assert services.resume_link_take(link=link) == {
        "step": "skin",
        "step_data": {},
        "extra_data": {},
    }
    assert services.resume_link_take(link=link) is None


def test_a_bad_address_is_explained_and_nothing_is_queued(
    client: Client, filled: dict[str, Any], mail_server: Inbox
) -> None:
    response = ask_for_link(client, filled, email="not an address")
    assert response.status_code == 400
    assert "valid e-mail address" in response.text
    assert not ResumeLink.objects.exists()
