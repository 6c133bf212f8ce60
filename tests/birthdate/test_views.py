"""intake.birthdate.views: the date-of-birth question in front of a repeat invitation's link.

Before the right date, nothing of the patient (the clinic's name only); a wrong date shows the
same page with the same status whoever the link is for; five wrong dates lock the link for any
browser, with a page in both languages telling the patient to contact the clinic."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone, translation

from intake.birthdate import BIRTH_DATE_TRIES
from intake.invitations import services as invitation_services
from intake.models import ClinicProfile, Invitation, Patient
from intake.views import INVITATION_SESSION_KEY, WIZARD_SESSION_KEY
from tests.conftest import LATEST_ANSWERS, PERSON
from tests.helpers import step_url

BORN: datetime.date = PERSON["date_of_birth"]
WRONG = datetime.date(1995, 10, 4)


def link(invitation: Invitation, language: str | None = None) -> str:
    with translation.override(language or invitation.language):
        return reverse("invitations:open", kwargs={"token": invitation.token})


def answer(client: Client, invitation: Invitation, born: Any, language: str | None = None) -> Any:
    value = born.isoformat() if isinstance(born, datetime.date) else born
    return client.post(link(invitation, language), {"date_of_birth": value})


def failures(invitation: Invitation) -> int:
    return Invitation.objects.values_list("birth_date_failures", flat=True).get(pk=invitation.pk)


def normalised(page: str, invitation: Invitation) -> str:
    """A page without what differs between any two requests: the CSRF token, the link's own."""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", page)
    return page.replace(invitation.token, "TOKEN")


@pytest.fixture
def other_invitation(
    submit_on: Any, receptionist: Any, today: datetime.date, clinic: ClinicProfile
) -> Invitation:
    """Another patient's repeat invitation: another name, date of birth, phone and visit."""
    other = Patient.objects.create(
        full_name="佐藤 健",
        full_name_kana="サトウ ケン",
        date_of_birth=datetime.date(1980, 1, 2),
        phone="03-1111-2222",
        email="ken@example.jp",
    )
    return invitation_services.invitation_create(
        full_name=other.full_name,
        phone=other.phone,
        visit_date=today + datetime.timedelta(days=20),
        language="en",
        created_by=receptionist,
        patient=other,
    )


# Before the date of birth -------------------------------------------------------------------------
def test_the_link_asks_for_the_date_of_birth_and_shows_nothing_of_the_patient(
    client: Client, repeat_invitation: Invitation, clinic: ClinicProfile
) -> None:
    response = client.get(link(repeat_invitation))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Confirm your date of birth" in page
    assert "Umeda Skin Clinic" in page
    with translation.override("en"):
        visit = formats.date_format(repeat_invitation.visit_date)
    # The date of birth neither: the next test compares pages of two people born on other days
    # (this one's happens to be the example in the field's help).
    for personal in (
        PERSON["full_name"],
        "山田",
        PERSON["full_name_kana"],
        PERSON["phone"],
        LATEST_ANSWERS["phone"],
        LATEST_ANSWERS["email"],
        visit,
        repeat_invitation.visit_date.isoformat(),
    ):
        assert personal not in page, personal
    assert INVITATION_SESSION_KEY not in client.session
    assert response["Referrer-Policy"] == "strict-origin"  # the token is in the address
    assert "no-store" in response["Cache-Control"]
    assert "django_language" not in response.cookies


def test_a_wrong_date_shows_the_same_page_and_status_whoever_the_link_is_for(
    repeat_invitation: Invitation, other_invitation: Invitation
) -> None:
    first, second = Client(), Client()
    shown = [
        client.get(link(invitation))
        for client, invitation in ((first, repeat_invitation), (second, other_invitation))
    ]
    wrong = [answer(first, repeat_invitation, WRONG), answer(second, other_invitation, WRONG)]

    assert [r.status_code for r in shown] == [200, 200]
    assert [r.status_code for r in wrong] == [200, 200]  # as the question itself
    assert normalised(shown[0].content.decode(), repeat_invitation) == normalised(
        shown[1].content.decode(), other_invitation
    )
    assert normalised(wrong[0].content.decode(), repeat_invitation) == normalised(
        wrong[1].content.decode(), other_invitation
    )
    page = wrong[0].content.decode()
    assert "This date of birth does not match." in page
    assert "You can try 4 more times." in page
    assert 'value="1995-10-04"' in page  # what was typed stays, to correct it
    assert failures(repeat_invitation) == failures(other_invitation) == 1
    assert INVITATION_SESSION_KEY not in first.session


def test_a_date_that_is_not_a_date_is_explained_and_not_counted(
    client: Client, repeat_invitation: Invitation
) -> None:
    typed = answer(client, repeat_invitation, "1995-13-45")
    empty = answer(client, repeat_invitation, "")

    assert typed.status_code == 200
    assert "Enter a real date, for example 2026-04-01." in typed.content.decode()
    assert "Enter your date of birth." in empty.content.decode()
    assert failures(repeat_invitation) == 0


def test_a_date_typed_in_full_width_or_with_slashes_is_read(
    client: Client, repeat_invitation: Invitation
) -> None:
    response = answer(client, repeat_invitation, "１９９５/4/10")

    assert response.status_code == 302
    assert failures(repeat_invitation) == 0


# The right date ---------------------------------------------------------------------------------
def test_the_right_date_opens_the_intake_in_the_invitations_language(
    client: Client, repeat_invitation: Invitation
) -> None:
    client.get(link(repeat_invitation))
    key_before = client.session.session_key

    confirmed = answer(client, repeat_invitation, BORN)
    opened = client.get(confirmed["Location"])

    assert confirmed.status_code == 302
    assert confirmed["Location"] == link(repeat_invitation)  # the link itself, nothing added
    # A new session key, as at a sign-in: one fixed before the check holds nothing open.
    assert client.session.session_key != key_before
    assert opened.status_code == 302
    with translation.override("en"):
        assert opened["Location"] == reverse("intake:start")
    assert client.session[INVITATION_SESSION_KEY] == repeat_invitation.pk
    assert opened.cookies["django_language"].value == "en"
    assert failures(repeat_invitation) == 0


def test_after_the_right_date_the_link_goes_on_without_asking_again(
    client: Client, repeat_invitation: Invitation
) -> None:
    answer(client, repeat_invitation, BORN)
    client.get(link(repeat_invitation))

    again = client.get(link(repeat_invitation))

    assert again.status_code == 302
    assert client.get(again["Location"])["Location"] == step_url("about_you")


def test_the_date_of_birth_is_asked_in_every_new_browser(
    repeat_invitation: Invitation,
) -> None:
    answer(Client(), repeat_invitation, BORN)

    response = Client().get(link(repeat_invitation))

    assert response.status_code == 200
    assert "Confirm your date of birth" in response.content.decode()


def test_an_unfinished_questionnaire_is_mentioned_only_after_the_date_of_birth(
    client: Client, repeat_invitation: Invitation, valid_answers: dict[str, Any]
) -> None:
    session = client.session
    session[WIZARD_SESSION_KEY] = {"step": "skin", "step_data": {"about_you": {"x": ["1"]}}}
    session.save()

    before = client.get(link(repeat_invitation)).content.decode()
    after = client.get(answer(client, repeat_invitation, BORN)["Location"])

    assert "Confirm your date of birth" in before
    assert "unfinished" not in before
    assert after.status_code == 200
    assert "You have an unfinished questionnaire" in after.content.decode()  # shows the visit
    assert client.session[WIZARD_SESSION_KEY]["step_data"]  # nothing erased yet


# The lock -----------------------------------------------------------------------------------------
def test_five_wrong_dates_lock_the_link_with_a_page_in_both_languages(
    client: Client, repeat_invitation: Invitation, clinic: ClinicProfile
) -> None:
    responses = [answer(client, repeat_invitation, WRONG) for _ in range(BIRTH_DATE_TRIES)]

    assert [r.status_code for r in responses] == [200] * 4 + [403]
    assert "You can try 1 more time." in responses[3].content.decode()
    page = responses[-1].content.decode()
    assert "This link is locked." in page
    assert "このリンクはロックされました。" in page
    assert "Please contact the clinic" in page
    assert "Umeda Skin Clinic" in page and "梅田スキンクリニック" in page
    assert "06-6375-0000" in page  # the clinic's phone
    assert "Confirm your date of birth" not in page
    assert failures(repeat_invitation) == BIRTH_DATE_TRIES


def test_a_locked_link_stays_locked_in_a_new_browser_and_to_the_right_date(
    repeat_invitation: Invitation,
) -> None:
    Invitation.objects.filter(pk=repeat_invitation.pk).update(birth_date_failures=BIRTH_DATE_TRIES)
    browser = Client()

    shown = browser.get(link(repeat_invitation))
    right = answer(browser, repeat_invitation, BORN)

    assert shown.status_code == right.status_code == 403
    assert "This link is locked." in right.content.decode()
    assert INVITATION_SESSION_KEY not in browser.session
    assert failures(repeat_invitation) == BIRTH_DATE_TRIES


def test_a_browser_that_confirmed_before_the_lock_goes_on(
    client: Client, repeat_invitation: Invitation
) -> None:
    answer(client, repeat_invitation, BORN)
    for _ in range(BIRTH_DATE_TRIES):
        answer(Client(), repeat_invitation, WRONG)

    response = client.get(link(repeat_invitation))

    assert response.status_code == 302
    assert client.session[INVITATION_SESSION_KEY] == repeat_invitation.pk


def test_an_expired_repeat_link_does_not_say_the_visit_date(
    client: Client, repeat_invitation: Invitation, today: datetime.date
) -> None:
    visit = today - datetime.timedelta(days=1)
    Invitation.objects.filter(pk=repeat_invitation.pk).update(visit_date=visit)

    response = client.get(link(repeat_invitation))

    page = response.content.decode()
    assert response.status_code == 410
    assert "This link has expired." in page
    with translation.override("en"):
        assert formats.date_format(visit) not in page
    assert f"{visit.month}月{visit.day}日" not in page


def test_the_date_of_birth_question_reads_in_japanese(
    client: Client, repeat_invitation: Invitation, clinic: ClinicProfile
) -> None:
    shown = client.get(link(repeat_invitation, "ja")).content.decode()
    wrong = answer(client, repeat_invitation, WRONG, "ja").content.decode()

    assert "生年月日の確認" in shown
    assert "梅田スキンクリニック" in shown
    assert "生年月日が一致しません。" in wrong
    assert "あと4回入力できます。" in wrong


def test_the_used_link_is_refused_after_the_intake_was_sent(
    client: Client, repeat_invitation: Invitation
) -> None:
    Invitation.objects.filter(pk=repeat_invitation.pk).update(used_at=timezone.now())

    response = answer(client, repeat_invitation, BORN)

    assert response.status_code == 410
    assert failures(repeat_invitation) == 0
