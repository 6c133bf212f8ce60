"""send_reminders (intake/reminders.py): patients reminded once, doctors told a count, no names."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.utils import timezone

from intake import reminders
from intake.models import ClinicProfile, EmailDelivery, Intake, Invitation
from tests.smtp import Inbox, run_tasks, text_and_html


def send_reminders() -> str:
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    return out.getvalue()


def invited_yesterday(invitation: Invitation) -> Invitation:
    """Invitations made before today are the ones reminded."""
    yesterday = timezone.now() - datetime.timedelta(days=1)
    Invitation.objects.filter(pk=invitation.pk).update(created_at=yesterday)
    invitation.refresh_from_db()
    return invitation


@pytest.fixture
def due(
    invite: Callable[..., Invitation], clinic: ClinicProfile, today: datetime.date
) -> Invitation:
    """An unfinished invitation with an address, for a visit in two days (the default N)."""
    return invited_yesterday(
        invite(email="hanako@example.jp", visit_date=today + datetime.timedelta(days=2))
    )


def test_a_patient_who_has_not_sent_the_questionnaire_is_reminded_by_email(
    mail_server: Inbox, due: Invitation
) -> None:
    output = send_reminders()
    assert mail_server.messages == []  # queued for the worker
    run_tasks()

    [message] = mail_server.messages
    text, _html = text_and_html(message)
    assert message["To"] == "hanako@example.jp"
    assert "ご来院前の問診票のお願い" in message["Subject"]
    assert "まだ送信されていません" in text and due.token in text
    assert "Reminders queued: 1 (visits within 2 days)." in output
    assert "山田" not in output and "hanako" not in output
    delivery = EmailDelivery.objects.get(kind=EmailDelivery.Kind.REMINDER)
    assert delivery.status == EmailDelivery.Status.SENT


def test_a_patient_is_reminded_once_however_often_the_command_runs(
    mail_server: Inbox, due: Invitation
) -> None:
    send_reminders()
    run_tasks()
    assert "Reminders queued: 0" in send_reminders()
    run_tasks()

    assert len(mail_server.messages) == 1


def test_two_runs_at_once_still_remind_once(due: Invitation) -> None:
    """The database refuses a second reminder even when both runs found the patient due."""
    found_by_both = list(reminders.reminders_due(now=timezone.now()))
    EmailDelivery.objects.create(invitation=due, kind=EmailDelivery.Kind.REMINDER)

    assert found_by_both == [due]
    assert reminders.reminders_queue(now=timezone.now()) == 0
    assert EmailDelivery.objects.filter(kind=EmailDelivery.Kind.REMINDER).count() == 1


@pytest.mark.parametrize("days", [1, 3])
def test_the_days_before_the_visit_come_from_the_settings(
    settings: Any, due: Invitation, days: int
) -> None:
    settings.INTAKE_REMINDER_DAYS = days  # the visit is in 2 days

    queued = reminders.reminders_queue(now=timezone.now())

    assert queued == (1 if days >= 2 else 0)


def test_who_is_not_reminded(
    invite: Callable[..., Invitation], today: datetime.date, make_intake: Callable[..., Intake]
) -> None:
    soon = today + datetime.timedelta(days=1)
    sent = invited_yesterday(invite(email="a@example.jp", visit_date=soon))
    Invitation.objects.filter(pk=sent.pk).update(used_at=timezone.now())
    invited_yesterday(invite(email="", phone="090-0000-0000", visit_date=soon))  # no address
    invited_yesterday(invite(email="b@example.jp", visit_date=today + datetime.timedelta(days=5)))
    invite(email="c@example.jp", visit_date=soon)  # invited today: the invitation is news
    past = invited_yesterday(invite(email="d@example.jp", visit_date=soon))
    Invitation.objects.filter(pk=past.pk).update(visit_date=today - datetime.timedelta(days=1))

    assert list(reminders.reminders_due(now=timezone.now())) == []


def test_doctors_are_told_how_many_intakes_wait_before_near_visits_and_nothing_else(
    mail_server: Inbox,
    make_intake: Callable[..., Intake],
    doctor: User,
    other_doctor: User,
    receptionist: User,
    superuser: User,
    today: datetime.date,
) -> None:
    for user, address in ((doctor, "sato@clinic.example.jp"), (receptionist, "desk@x.jp")):
        user.email = address
        user.save()
    other_doctor.email = "suzuki@clinic.example.jp"
    other_doctor.is_active = False
    other_doctor.save()
    tomorrow = today + datetime.timedelta(days=1)
    make_intake(full_name="山本 一郎", visit_date=today)
    make_intake(full_name="川口 二郎", visit_date=tomorrow, pregnancy="pregnant")
    decided = make_intake(full_name="森田 三郎", visit_date=tomorrow)
    Intake.objects.filter(pk=decided.pk).update(status=Intake.Status.DECIDED)
    make_intake(full_name="先田 四郎", visit_date=today + datetime.timedelta(days=10))

    output = send_reminders()
    run_tasks()

    [message] = mail_server.messages  # the active doctor only: not reception, not the admin
    text, html = text_and_html(message)
    assert message["To"] == "sato@clinic.example.jp"
    assert "2 intakes are waiting for a doctor's review" in text
    assert "確認を待っている問診が2件" in text
    everything = message.as_string() + text + html
    for secret in ("山本", "川口", "一郎", "二郎", "pregnan", "妊娠", "Intake", "not_suitable"):
        assert secret not in everything, secret
    for intake in Intake.objects.all():
        assert intake.reference not in everything
    assert "Intakes waiting for review with a visit from" in output
    assert ": 2; doctors notified: 1." in output


def test_a_doctor_in_no_group_but_with_the_permission_is_told_too(
    make_intake: Callable[..., Intake], today: datetime.date
) -> None:
    from django.contrib.auth.models import Permission

    person = User.objects.create_user("locum", email="locum@clinic.example.jp")
    person.user_permissions.add(Permission.objects.get(codename="review_intake"))
    assert Group.objects.get(name="Doctors").user_set.count() == 0

    assert list(reminders.review_digest_recipients()) == [person]


def test_no_intake_waiting_means_no_email_to_doctors(mail_server: Inbox, doctor: User) -> None:
    doctor.email = "sato@clinic.example.jp"
    doctor.save()

    send_reminders()
    run_tasks()

    assert mail_server.messages == []


def test_without_a_mail_server_nothing_is_queued(settings: Any, due: Invitation) -> None:
    settings.EMAIL_ENABLED = False

    output = send_reminders()

    assert "E-mail is not set up (EMAIL_URL)" in output
    assert not EmailDelivery.objects.exists()
