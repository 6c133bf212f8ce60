"""intake.emails: what a patient's and a doctor's e-mail say, in which language, and what never."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from email.header import decode_header, make_header
from email.utils import parseaddr
from typing import Any

import pytest
from django.utils import formats, translation

from intake import emails
from intake.models import ClinicProfile, EmailDelivery, Invitation

# Words that would tell a reader of the inbox what the visit is for, or what the patient said.
MEDICAL = ("botox", "ボトックス", "toxin", "ボツリヌス", "verdict", "pregnan", "妊娠", "retinoid")


@pytest.fixture(autouse=True)
def site(settings: Any) -> None:
    settings.SITE_URL = "https://intake.clinic.example.jp"
    settings.DEFAULT_FROM_EMAIL = "intake@clinic.example.jp"


def parts(message: Any) -> tuple[str, str]:
    (html, mime), *_others = message.alternatives
    assert mime == "text/html"
    return message.body, html


def visit_in(language: str, day: datetime.date) -> str:
    with translation.override(language):
        return formats.date_format(day, "DATE_FORMAT")


@pytest.mark.parametrize("language", ["ja", "en"])
def test_an_invitation_email_has_the_clinic_the_visit_date_and_the_link_in_the_patients_language(
    invite: Callable[..., Invitation], clinic: ClinicProfile, language: str
) -> None:
    invitation = invite(language=language, email="hanako@example.jp")

    message = emails.invitation_message(invitation, kind=EmailDelivery.Kind.INVITATION)

    text, html = parts(message)
    link = f"https://intake.clinic.example.jp/{language}/invite/{invitation.token}/"
    name = "梅田スキンクリニック" if language == "ja" else "Umeda Skin Clinic"
    date = visit_in(language, invitation.visit_date)
    assert message.to == ["hanako@example.jp"]
    assert name in message.subject and date in message.subject
    for body in (text, html):
        assert name in body and date in body and link in body
        assert "06-6375-0000" in body
    if language == "ja":
        assert "山田 花子 様" in text
        assert "問診票" in message.subject
    else:
        assert "Dear 山田 花子," in text
        assert "questionnaire" in message.subject
    assert f'href="{link}"' in html
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert sender(message) == (name, "intake@clinic.example.jp")


def sender(message: Any) -> tuple[str, str]:
    """The From header as a mail program shows it: the display name decoded, the address."""
    name, address = parseaddr(message.message()["From"])
    return str(make_header(decode_header(name))), address


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_reminder_says_the_questionnaire_is_not_sent_yet(
    invite: Callable[..., Invitation], clinic: ClinicProfile, language: str
) -> None:
    invitation = invite(language=language, email="hanako@example.jp")

    message = emails.invitation_message(invitation, kind=EmailDelivery.Kind.REMINDER)

    text, _html = parts(message)
    expected = "まだ送信されていません" if language == "ja" else "has not been sent yet"
    assert expected in text
    assert invitation.token in text


@pytest.mark.parametrize("kind", EmailDelivery.Kind.values)
def test_no_patient_email_says_anything_medical(
    invite: Callable[..., Invitation], clinic: ClinicProfile, kind: str
) -> None:
    for language in ("ja", "en"):
        message = emails.invitation_message(
            invite(language=language, email="x@example.jp"), kind=kind
        )
        text, html = parts(message)
        everything = f"{message.subject}\n{text}\n{html}".lower()
        assert [word for word in MEDICAL if word in everything] == []


def test_a_name_with_markup_is_escaped_in_html_and_kept_as_typed_in_text(
    invite: Callable[..., Invitation], clinic: ClinicProfile
) -> None:
    invitation = invite(language="en", email="x@example.jp", full_name="O'Brien <b>Ann</b>")

    text, html = parts(emails.invitation_message(invitation, kind=EmailDelivery.Kind.INVITATION))

    assert "Dear O'Brien <b>Ann</b>," in text
    assert "<b>Ann</b>" not in html and "&lt;b&gt;Ann&lt;/b&gt;" in html


def test_without_a_clinic_profile_the_email_still_reads(
    invite: Callable[..., Invitation],
) -> None:
    invitation = invite(language="en", email="x@example.jp")

    message = emails.invitation_message(invitation, kind=EmailDelivery.Kind.INVITATION)

    assert message.subject.startswith("The clinic: ")
    assert sender(message) == ("", "intake@clinic.example.jp")


def test_the_doctors_email_has_a_count_and_the_queues_link_in_both_languages(
    clinic: ClinicProfile, today: datetime.date
) -> None:
    until = today + datetime.timedelta(days=2)

    message = emails.review_digest_message(
        to="dr@clinic.example.jp", count=3, visit_from=today, visit_to=until
    )

    text, html = parts(message)
    query = f"?visit_from={today.isoformat()}&amp;visit_to={until.isoformat()}"
    assert "3 intakes are waiting for a doctor's review" in text
    assert "3件" in text
    assert f"https://intake.clinic.example.jp/ja/review/?visit_from={today.isoformat()}" in text
    assert f"https://intake.clinic.example.jp/en/review/{query}" in html
    assert "3" in message.subject
