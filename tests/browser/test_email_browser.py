"""An invitation by e-mail in Chromium: reception sends it, the test SMTP server receives it, the
patient opens the link from the e-mail and sends the questionnaire."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from intake.models import EmailDelivery, Intake
from tests.browser.helpers import (
    DESKTOP,
    MOBILE,
    answer_the_questionnaire,
    axe_check,
    signed_in,
)
from tests.smtp import Inbox, run_tasks, text_and_html

pytestmark = pytest.mark.browser


def ja(name: str, **kwargs: Any) -> str:
    with translation.override("ja"):
        return reverse(name, kwargs=kwargs or None)


def test_an_invitation_sent_by_email_is_received_opened_and_answered(
    new_page: Callable[..., Any],
    receptionist: User,
    live_server: Any,
    mail_server: Inbox,
    settings: Any,
    clinic: Any,
) -> None:
    settings.SITE_URL = live_server.url
    visit = timezone.localdate() + datetime.timedelta(days=4)

    # Reception fills the invitation with an e-mail address and leaves "send" ticked.
    reception = signed_in(new_page(**DESKTOP), receptionist, live_server)
    reception.goto(ja("invitations:reception"))
    form = reception.locator(".invitation-form")
    form.locator('[name="full_name"]').fill("メール 花子")
    form.locator('[name="full_name_kana"]').fill("めーる はなこ")
    form.locator('[name="email"]').fill("hanako.mail@example.jp")
    form.locator('[name="visit_date"]').fill(visit.isoformat())
    form.locator('[name="language"]').select_option("ja")
    expect(form.locator('[name="send_email"]')).to_be_checked()
    reception.get_by_role("button", name="案内を作成する").click()
    expect(reception.locator("#email-deliveries .delivery-status")).to_have_text("送信待ち")
    axe_check(reception)
    assert mail_server.messages == []

    # The worker sends it; reception sees it sent.
    assert run_tasks() == 1
    reception.reload()
    expect(reception.locator("#email-deliveries .delivery-status")).to_have_text("送信済み")
    axe_check(reception)

    # The e-mail, as the mail server received it.
    [message] = mail_server.messages
    text, html = text_and_html(message)
    assert message["To"] == "hanako.mail@example.jp"
    assert "梅田スキンクリニック" in message["Subject"]
    link = re.search(r"https?://\S+/ja/invite/[\w-]+/", text)[0]
    assert link.startswith(live_server.url)
    assert f'href="{link}"' in html

    # The patient opens the link on her phone: prefilled, answered, sent.
    patient = new_page(**MOBILE)
    patient.goto(link)
    expect(patient.locator('[name="about_you-full_name"]')).to_have_value("メール 花子")
    expect(patient.locator('[name="about_you-email"]')).to_have_value("hanako.mail@example.jp")
    expect(patient.locator("#session-note")).to_contain_text("まで保存され")
    patient.locator('[name="about_you-date_of_birth"]').fill("1992-06-01")
    patient.locator('[name="about_you-phone"]').fill("090-5555-6666")
    answer_the_questionnaire(patient)

    intake = Intake.objects.select_related("invitation").get()
    expect(patient.locator("#reference-code")).to_have_text(intake.reference)
    assert intake.invitation is not None and intake.invitation.used_at is not None
    assert EmailDelivery.objects.get().status == EmailDelivery.Status.SENT
    assert reception.problems == [] and patient.problems == []


def test_a_failing_mail_server_shows_failed_then_sent_after_the_retry(
    new_page: Callable[..., Any],
    receptionist: User,
    live_server: Any,
    mail_server: Inbox,
    invite: Callable[..., Any],
) -> None:
    invitation = invite(email="retry@example.jp", language="en")
    mail_server.temporary_failures = 1
    page = signed_in(new_page(**DESKTOP), receptionist, live_server)
    with translation.override("en"):
        detail = reverse("invitations:detail", kwargs={"pk": invitation.pk})

    page.goto(detail)
    page.get_by_role("button", name="Send the link by e-mail").click()
    run_tasks()
    page.reload()
    status = page.locator("#email-deliveries tbody tr").first
    expect(status.locator(".delivery-status")).to_have_text("Failed")
    expect(status).to_contain_text("The mail server refused the e-mail. (code 451)")
    expect(status).to_contain_text("Will be tried again at")
    axe_check(page)

    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_tasks()
    page.reload()
    expect(page.locator("#email-deliveries .delivery-status")).to_have_text("Sent")
    assert len(mail_server.messages) == 1
    assert page.problems == []
