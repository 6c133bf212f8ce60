"""intake.invitations.views: reception's invitations; the patient's link, once, until the visit."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone, translation

from intake import selectors, services
from intake.invitations import selectors as invitation_selectors
from intake.invitations import services as invitation_services
from intake.models import ClinicProfile, Intake, Invitation
from intake.views import INVITATION_SESSION_KEY as SESSION_KEY
from intake.views import WIZARD_SESSION_KEY
from tests.helpers import step_url
from tests.smtp import Inbox, run_tasks, text_and_html
from tests.wizard_http import STEP_NAMES, review_page_fields, review_post_data, step_post_data


def link_path(invitation: Invitation, language: str | None = None) -> str:
    with translation.override(language or invitation.language):
        return reverse("invitations:open", kwargs={"token": invitation.token})


# The reception page ------------------------------------------------------------------------------
def test_reception_creates_an_invitation_and_is_shown_its_link_and_qr_code(
    reception_client: Client, receptionist: User, today: datetime.date
) -> None:
    response = reception_client.post(
        reverse("invitations:reception"),
        {
            "full_name": "佐藤 太郎",
            "full_name_kana": "さとう たろう",
            "phone": "090-1234-5678",
            "email": "",
            "visit_date": (today + datetime.timedelta(days=2)).isoformat(),
            "language": "en",
        },
    )

    invitation = Invitation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("invitations:detail", kwargs={"pk": invitation.pk})
    assert len(invitation.token) == 43
    assert invitation.full_name_kana == "サトウ タロウ"  # hiragana typed, katakana kept
    assert invitation.created_by == receptionist
    assert invitation.used_at is None

    page = reception_client.get(response["Location"])
    link = f"http://testserver/en/invite/{invitation.token}/"
    assert page.status_code == 200
    assert link in page.content.decode()
    assert reverse("invitations:qr", kwargs={"pk": invitation.pk}) in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0")


def test_the_qr_code_encodes_the_absolute_link_in_the_invitations_language(
    reception_client: Client, invite: Callable[..., Invitation]
) -> None:
    invitation = invite(language="en")

    response = reception_client.get(reverse("invitations:qr", kwargs={"pk": invitation.pk}))

    expected = qrcode.make(
        f"http://testserver/en/invite/{invitation.token}/",
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
    ).to_string()
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content == expected


def test_the_qr_code_and_the_link_are_for_staff_with_the_invitation_permission(
    client: Client, staff_without_group: User, doctor: User, invite: Callable[..., Invitation]
) -> None:
    invitation = invite()
    qr = reverse("invitations:qr", kwargs={"pk": invitation.pk})
    detail = reverse("invitations:detail", kwargs={"pk": invitation.pk})

    assert client.get(qr).status_code == 302  # to the login page
    client.force_login(staff_without_group)
    assert client.get(qr).status_code == 403
    assert client.get(detail).status_code == 403
    client.force_login(doctor)
    assert client.get(qr).status_code == 200
    assert client.get(detail).status_code == 200


def test_only_reception_and_the_administrator_can_create_invitations(
    client: Client, doctor_client: Client, superuser: User
) -> None:
    url = reverse("invitations:reception")
    assert client.get(url).status_code == 302
    assert doctor_client.get(url).status_code == 403
    client.force_login(superuser)
    assert client.get(url).status_code == 200


def test_an_invitation_needs_a_phone_number_or_an_email_address(
    reception_client: Client, today: datetime.date
) -> None:
    response = reception_client.post(
        reverse("invitations:reception"),
        {
            "full_name": "佐藤 太郎",
            "visit_date": (today + datetime.timedelta(days=2)).isoformat(),
            "language": "ja",
        },
    )

    assert response.status_code == 200
    assert "Enter a phone number or an email address." in response.content.decode()
    assert not Invitation.objects.exists()


def test_the_reception_page_lists_invited_patients_who_have_not_finished(
    reception_client: Client, invite: Callable[..., Invitation], today: datetime.date
) -> None:
    waiting = invite(full_name="待機 一郎", visit_date=today)
    invite(full_name="送信 済子")
    Invitation.objects.filter(full_name="送信 済子").update(used_at=timezone.now())
    expired = invite(full_name="期限 切男")
    Invitation.objects.filter(pk=expired.pk).update(visit_date=today - datetime.timedelta(days=1))

    page = reception_client.get(reverse("invitations:reception")).content.decode()

    assert "待機 一郎" in page
    assert "送信 済子" not in page
    assert "期限 切男" not in page
    assert list(invitation_selectors.invitations_pending(today=today)) == [waiting]


def test_the_reception_page_reads_in_japanese(
    reception_client: Client, invite: Callable[..., Invitation]
) -> None:
    invite()
    with translation.override("ja"):
        url = reverse("invitations:reception")

    page = reception_client.get(url).content.decode()

    assert "患者さんに問診を案内する" in page
    assert "案内済み・問診未回答" in page
    assert "ヤマダ ハナコ" in page


# The patient's link -----------------------------------------------------------------------------
def test_the_link_opens_a_fresh_intake_in_the_invitations_language(
    client: Client, invite: Callable[..., Invitation]
) -> None:
    invitation = invite(language="en")
    session = client.session
    session[WIZARD_SESSION_KEY] = {"step": "health", "step_data": {"about_you": {}}}
    session.save()

    response = client.get(link_path(invitation, "ja"))

    assert response.status_code == 302
    with translation.override("en"):
        assert response["Location"] == reverse("intake:start")
    assert client.session[SESSION_KEY] == invitation.pk
    assert WIZARD_SESSION_KEY not in client.session
    assert response.cookies["django_language"].value == "en"
    assert response["Cache-Control"].startswith("max-age=0")


def answer_first_step(client: Client, valid_answers: dict[str, Any]) -> None:
    """A questionnaire started in this browser without the link: its first page answered."""
    response = client.post(step_url("about_you"), step_post_data("about_you", valid_answers))
    assert response.status_code == 302


def test_a_link_opened_over_an_unfinished_questionnaire_asks_before_replacing_it(
    client: Client, invite: Callable[..., Invitation], valid_answers: dict[str, Any]
) -> None:
    answer_first_step(client, valid_answers)
    invitation = invite()

    response = client.get(link_path(invitation))

    page = response.content.decode()
    assert response.status_code == 200
    assert "回答途中の問診票があります" in page
    assert "このご予約の問診票を始める" in page
    assert "回答途中の内容は消去されます。" in page
    assert '<form method="post" action="" ' in page  # its own address: the token goes nowhere
    with translation.override("ja"):
        assert f'href="{reverse("intake:start")}"' in page  # continue the unfinished one
    assert response["Referrer-Policy"] == "strict-origin"  # the token is in the address
    assert "no-store" in response["Cache-Control"]
    # Nothing has changed yet.
    assert client.session[WIZARD_SESSION_KEY]["step_data"]
    assert SESSION_KEY not in client.session
    assert "django_language" not in response.cookies


def test_the_unfinished_questionnaire_page_reads_in_english_with_the_visit_date(
    client: Client, invite: Callable[..., Invitation], valid_answers: dict[str, Any]
) -> None:
    answer_first_step(client, valid_answers)
    invitation = invite(language="en")

    page = client.get(link_path(invitation)).content.decode()

    assert "You have an unfinished questionnaire" in page
    with translation.override("en"):
        date = formats.date_format(invitation.visit_date)
    assert f"This link opens the questionnaire for your appointment on {date}." in page
    assert "Continue the unfinished questionnaire" in page


def test_choosing_the_appointment_erases_the_unfinished_questionnaire_and_opens_the_link(
    client: Client, invite: Callable[..., Invitation], valid_answers: dict[str, Any]
) -> None:
    answer_first_step(client, valid_answers)
    invitation = invite(language="en", full_name="招待 花子")

    response = client.post(link_path(invitation, "ja"))

    assert response.status_code == 302
    with translation.override("en"):
        assert response["Location"] == reverse("intake:start")
    assert WIZARD_SESSION_KEY not in client.session
    assert client.session[SESSION_KEY] == invitation.pk
    assert response.cookies["django_language"].value == "en"
    first_page = client.get(client.get(response["Location"])["Location"]).content.decode()
    assert 'value="招待 花子"' in first_page


def test_continuing_the_unfinished_questionnaire_keeps_it_and_leaves_the_link_unused(
    client: Client, invite: Callable[..., Invitation], valid_answers: dict[str, Any]
) -> None:
    answer_first_step(client, valid_answers)
    invitation = invite()
    client.get(link_path(invitation))

    with translation.override("en"):
        resumed = client.get(client.get(reverse("intake:start"))["Location"])

    assert resumed.context["wizard"]["steps"].current == "skin"
    assert client.session[WIZARD_SESSION_KEY]["step_data"]["about_you"]
    assert SESSION_KEY not in client.session
    invitation.refresh_from_db()
    assert invitation.used_at is None


def test_the_same_link_opened_again_mid_questionnaire_goes_on_where_it_was(
    client: Client, invite: Callable[..., Invitation], valid_answers: dict[str, Any]
) -> None:
    invitation = invite(language="en")
    client.get(link_path(invitation))
    answer_first_step(client, valid_answers)

    again = client.get(link_path(invitation))

    assert again.status_code == 302
    assert client.session[WIZARD_SESSION_KEY]["step_data"]["about_you"]
    assert client.get(again["Location"])["Location"] == step_url("skin")


def test_a_used_link_is_refused_on_the_confirmation_post_too(
    client: Client, invite: Callable[..., Invitation], valid_answers: dict[str, Any]
) -> None:
    answer_first_step(client, valid_answers)
    invitation = invite()
    client.get(link_path(invitation))
    Invitation.objects.filter(pk=invitation.pk).update(used_at=timezone.now())

    response = client.post(link_path(invitation))

    assert response.status_code == 410
    assert client.session[WIZARD_SESSION_KEY]["step_data"]["about_you"]
    assert SESSION_KEY not in client.session


def test_the_links_language_cookie_honours_the_production_settings(
    client: Client, invite: Callable[..., Invitation], settings: Any
) -> None:
    settings.LANGUAGE_COOKIE_SECURE = True  # as clinic/settings.py in production

    response = client.get(link_path(invite(language="en")))

    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_a_used_link_is_refused_with_a_page_in_both_languages(
    client: Client, invite: Callable[..., Invitation]
) -> None:
    invitation = invite()
    Invitation.objects.filter(pk=invitation.pk).update(used_at=timezone.now())

    response = client.get(link_path(invitation))

    page = response.content.decode()
    assert response.status_code == 410
    assert "このリンクはすでに使用されています。" in page
    assert "This link has already been used." in page
    assert SESSION_KEY not in client.session


def test_a_link_is_refused_once_the_visit_date_has_passed(
    client: Client, invite: Callable[..., Invitation], today: datetime.date, clinic: ClinicProfile
) -> None:
    invitation = invite()
    visit = today - datetime.timedelta(days=1)
    Invitation.objects.filter(pk=invitation.pk).update(visit_date=visit)

    response = client.get(link_path(invitation))

    page = response.content.decode()
    assert response.status_code == 410
    assert "This link has expired." in page
    assert "このリンクは有効期限が切れています。" in page
    with translation.override("en"):
        assert f"It was for a visit on {formats.date_format(visit)}, which has passed." in page
    assert f"{visit.year}年{visit.month}月{visit.day}日のご来院のためのリンク" in page
    assert "Umeda Skin Clinic" in page and "梅田スキンクリニック" in page
    assert SESSION_KEY not in client.session


def test_the_link_still_works_on_the_visit_day(
    client: Client, invite: Callable[..., Invitation], today: datetime.date
) -> None:
    invitation = invite(visit_date=today)

    assert client.get(link_path(invitation)).status_code == 302


def test_an_unknown_link_gets_a_friendly_not_found_page(client: Client, db: Any) -> None:
    with translation.override("ja"):
        url = reverse("invitations:open", kwargs={"token": "x" * 43})

    response = client.get(url)

    assert response.status_code == 404
    assert "このリンクは無効です。" in response.content.decode()
    assert "This link is not valid." in response.content.decode()


def test_submitting_the_intake_ties_it_to_the_invitation_and_uses_the_link_up(
    client: Client, invite: Callable[..., Invitation], valid_answers: dict[str, Any]
) -> None:
    invitation = invite()

    intake = services.intake_submit(
        answers_given=valid_answers,
        language="ja",
        consent_document=selectors.current_consent_document(),
        submission_token=uuid.uuid4(),
        invitation=invitation,
    )

    invitation.refresh_from_db()
    assert intake.invitation == invitation
    assert invitation.used_at is not None
    assert client.get(link_path(invitation)).status_code == 410
    assert list(invitation_selectors.invitations_pending(today=timezone.localdate())) == []


def test_an_intake_opened_from_a_link_is_prefilled_tied_to_it_and_the_link_then_refused(
    client: Client, invite: Callable[..., Invitation], valid_answers: dict[str, Any]
) -> None:
    invitation = invite(
        full_name="招待 花子",
        full_name_kana="ショウタイ ハナコ",
        phone="090-1111-2222",
        email="hanako@example.jp",
        language="en",
    )

    first_page = client.get(link_path(invitation), follow=True).content.decode()
    given = {
        **valid_answers,
        **{
            key: getattr(invitation, key)
            for key in ("full_name", "full_name_kana", "phone", "email", "visit_date")
        },
    }
    for step in STEP_NAMES:
        response = client.post(step_url(step), step_post_data(step, given))
        assert response.status_code == 302, response.content.decode()[:2000]
    shown = review_page_fields(client.get(step_url("review")).content.decode())
    submitted = client.post(step_url("review"), review_post_data(shown))
    again = client.get(link_path(invitation))

    for value in ("招待 花子", "ショウタイ ハナコ", "090-1111-2222", "hanako@example.jp"):
        assert f'value="{value}"' in first_page
    assert f'value="{invitation.visit_date.isoformat()}"' in first_page
    intake = Intake.objects.get()
    assert submitted.status_code == 302
    assert intake.invitation == invitation
    assert intake.language == "en"
    invitation.refresh_from_db()
    assert invitation.used_at == intake.submitted_at
    assert again.status_code == 410


# E-mail ------------------------------------------------------------------------------------------
def reception_post(today: datetime.date, **overrides: Any) -> dict[str, Any]:
    return {
        "full_name": "佐藤 太郎",
        "full_name_kana": "サトウ タロウ",
        "phone": "",
        "email": "taro@example.jp",
        "visit_date": (today + datetime.timedelta(days=2)).isoformat(),
        "language": "en",
        "send_email": "on",
        **overrides,
    }


def detail_path(invitation: Invitation) -> str:
    return reverse("invitations:detail", kwargs={"pk": invitation.pk})


def send_path(invitation: Invitation) -> str:
    return reverse("invitations:send", kwargs={"pk": invitation.pk})


def test_reception_creates_an_invitation_and_its_email_goes_out_after_the_request(
    reception_client: Client, receptionist: User, mail_server: Inbox, today: datetime.date
) -> None:
    response = reception_client.post(reverse("invitations:reception"), reception_post(today))

    invitation = Invitation.objects.get()
    delivery = invitation.deliveries.get()
    assert response["Location"] == detail_path(invitation)
    assert (delivery.kind, delivery.status) == ("invitation", "queued")
    assert delivery.created_by == receptionist
    assert mail_server.messages == []  # the request never talks to the mail server
    page = reception_client.get(response["Location"]).text
    assert "Its link is being e-mailed to the patient" in page
    assert 'class="badge delivery-status delivery-queued' in page

    run_tasks()

    [message] = mail_server.messages
    assert message["To"] == "taro@example.jp"
    assert f"/en/invite/{invitation.token}/" in text_and_html(message)[0]
    page = reception_client.get(detail_path(invitation)).text
    assert "delivery-sent" in page and ">Sent<" in page


def test_reception_can_create_an_invitation_without_sending_it(
    reception_client: Client, today: datetime.date
) -> None:
    reception_client.post(reverse("invitations:reception"), reception_post(today, send_email=""))

    invitation = Invitation.objects.get()
    assert not invitation.deliveries.exists()
    page = reception_client.get(detail_path(invitation)).text
    assert 'id="send-email"' in page and "Send the link by e-mail" in page


def test_a_phone_only_invitation_sends_nothing_and_offers_no_email(
    reception_client: Client, today: datetime.date
) -> None:
    reception_client.post(
        reverse("invitations:reception"),
        reception_post(today, email="", phone="090-1234-5678"),
    )

    invitation = Invitation.objects.get()
    assert not invitation.deliveries.exists()
    page = reception_client.get(detail_path(invitation)).text
    assert 'id="send-email"' not in page
    assert "No e-mail address was given" in page


def test_a_failed_email_shows_its_reason_and_when_it_is_tried_again_and_can_be_resent(
    reception_client: Client, invite: Callable[..., Invitation], mail_server: Inbox
) -> None:
    invitation = invite(email="hanako@example.jp")
    mail_server.temporary_failures = 1
    reception_client.post(send_path(invitation))
    run_tasks()

    page = reception_client.get(detail_path(invitation)).text
    assert "delivery-failed" in page
    assert "The mail server refused the e-mail. (code 451)" in page
    assert "Will be tried again at" in page
    assert "hanako@example.jp" in page  # the address reception typed, to check it

    response = reception_client.post(send_path(invitation))
    run_tasks()

    assert response["Location"] == detail_path(invitation)
    assert len(mail_server.messages) == 1
    assert [d.status for d in invitation.deliveries.all()] == ["sent", "failed"]
    page = reception_client.get(detail_path(invitation)).text
    assert "Send the link again" in page


def test_the_reception_list_shows_each_invitations_email_status(
    reception_client: Client, invite: Callable[..., Invitation], mail_server: Inbox
) -> None:
    mail_server.refused = {"wrong@example.jp"}
    invitation_services.invitation_email_queue(invitation=invite(email="wrong@example.jp"))
    invite(full_name="電話 次郎", email="", phone="090-0000-0000")
    run_tasks()

    page = reception_client.get(reverse("invitations:reception")).text

    assert "delivery-failed" in page and ">Failed<" in page
    assert "The mail server refused the address." in page  # read by screen readers
    assert "No address" in page


def test_sending_again_while_one_is_queued_queues_nothing_more(
    reception_client: Client, invite: Callable[..., Invitation]
) -> None:
    invitation = invite(email="hanako@example.jp")

    reception_client.post(send_path(invitation))
    reception_client.post(send_path(invitation))

    assert invitation.deliveries.count() == 1


def test_a_used_or_addressless_invitation_is_not_sent_and_reception_is_told_why(
    reception_client: Client, invite: Callable[..., Invitation]
) -> None:
    used = invite(email="hanako@example.jp")
    Invitation.objects.filter(pk=used.pk).update(used_at=timezone.now())
    no_address = invite(email="", phone="090-0000-0000")

    refused = reception_client.post(send_path(used), follow=True)
    assert "This link no longer opens the questionnaire." in refused.text
    refused = reception_client.post(send_path(no_address), follow=True)
    assert "This invitation has no e-mail address." in refused.text
    assert not used.deliveries.exists() and not no_address.deliveries.exists()


def test_only_reception_sends_and_only_by_post(
    client: Client,
    doctor_client: Client,
    reception_client: Client,
    invite: Callable[..., Invitation],
) -> None:
    invitation = invite(email="hanako@example.jp")

    assert client.post(send_path(invitation)).status_code == 302  # to the login page
    assert doctor_client.post(send_path(invitation)).status_code == 403
    assert reception_client.get(send_path(invitation)).status_code == 405
    assert reception_client.post(reverse("invitations:send", kwargs={"pk": 999})).status_code == 404
    assert not invitation.deliveries.exists()
    assert 'id="send-email"' not in doctor_client.get(detail_path(invitation)).text


def test_without_a_mail_server_reception_is_told_to_give_the_link(
    reception_client: Client, settings: Any, today: datetime.date
) -> None:
    settings.EMAIL_ENABLED = False

    page = reception_client.get(reverse("invitations:reception")).text
    reception_client.post(reverse("invitations:reception"), reception_post(today))

    assert 'name="send_email"' not in page
    assert "E-mail is not set up on this server" in page
    assert not Invitation.objects.get().deliveries.exists()


def test_the_email_status_reads_in_japanese(
    reception_client: Client, invite: Callable[..., Invitation], mail_server: Inbox
) -> None:
    invitation = invite(email="hanako@example.jp")
    mail_server.refused = {"hanako@example.jp"}
    invitation_services.invitation_email_queue(invitation=invitation)
    run_tasks()

    with translation.override("ja"):
        page = reception_client.get(detail_path(invitation)).text

    assert "送信失敗" in page
    assert "メールサーバーがこのアドレスを受け付けませんでした。（コード 550）" in page
    assert "自動での再送はしません" in page
