"""Invitations in the admin (intake/admin/invitations.py)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from intake.models import Invitation


def test_reception_creates_an_invitation_in_the_admin_and_sees_its_link_and_qr_code(
    staff_client: Callable[[str], Client], receptionist: User, today: datetime.date
) -> None:
    client = staff_client("receptionist")

    response = client.post(
        reverse("admin:intake_invitation_add"),
        {
            "full_name": "管理 画面子",
            "full_name_kana": "カンリ ガメンコ",
            "phone": "",
            "email": "Kanri@Example.jp",
            "visit_date": (today + datetime.timedelta(days=5)).isoformat(),
            "language": "en",
        },
    )

    invitation = Invitation.objects.get()
    assert response.status_code == 302
    assert len(invitation.token) == 43
    assert invitation.created_by == receptionist
    assert invitation.email == "kanri@example.jp"
    page = client.get(reverse("admin:intake_invitation_change", args=[invitation.pk]))
    assert f"http://testserver/en/invite/{invitation.token}/" in page.content.decode()
    assert reverse("invitations:qr", kwargs={"pk": invitation.pk}) in page.content.decode()


def test_a_used_invitation_cannot_be_changed(
    staff_client: Callable[[str], Client], objects: dict[str, Any], today: datetime.date
) -> None:
    used = objects["used_invitation"]

    response = staff_client("receptionist").post(
        reverse("admin:intake_invitation_change", args=[used.pk]),
        {
            "full_name": "Changed",
            "phone": "090-0000-0001",
            "visit_date": today.isoformat(),
            "language": "ja",
        },
    )

    used.refresh_from_db()
    assert response.status_code == 403
    assert used.full_name == "使用 済子"


def test_the_admin_log_of_an_invitation_never_holds_the_patients_name(
    staff_client: Callable[[str], Client], today: datetime.date
) -> None:
    client = staff_client("receptionist")
    visit = today + datetime.timedelta(days=5)
    fields = {"full_name": "記録 名子", "phone": "0900000000", "language": "ja"}
    client.post(reverse("admin:intake_invitation_add"), {**fields, "visit_date": visit})
    invitation = Invitation.objects.get()
    client.post(
        reverse("admin:intake_invitation_change", args=[invitation.pk]),
        {**fields, "full_name": "記録 改名", "visit_date": visit},
    )

    entries = list(LogEntry.objects.order_by("pk"))

    assert [entry.action_flag for entry in entries] == [ADDITION, CHANGE]
    # Readable for staff: which invitation and its visit, never whose it is.
    assert {entry.object_repr for entry in entries} == {f"#{invitation.pk} · {visit.isoformat()}"}
    assert "記録" not in " ".join(entry.change_message for entry in entries)


def test_deleting_an_invitation_in_the_admin_erases_it_from_the_admin_log(
    staff_client: Callable[[str], Client], objects: dict[str, Any], receptionist: User
) -> None:
    invitation = objects["invitation"]
    client = staff_client("receptionist")
    client.post(
        reverse("admin:intake_invitation_change", args=[invitation.pk]),
        {
            "full_name": invitation.full_name,
            "phone": "090-0000-0007",
            "visit_date": invitation.visit_date,
            "language": "ja",
        },
    )

    deleted = client.post(
        reverse("admin:intake_invitation_delete", args=[invitation.pk]),
        {"post": "yes"},
        follow=True,
    )

    assert not Invitation.objects.filter(pk=invitation.pk).exists()
    # Nor does the message saying so name the patient.
    [message] = [str(m) for m in deleted.context["messages"] if "deleted" in str(m)]
    assert f"#{invitation.pk}" in message
    assert invitation.full_name not in message
    entries = LogEntry.objects.order_by("pk")
    assert [(e.action_flag, e.user, e.object_id, e.object_repr) for e in entries] == [
        (CHANGE, receptionist, None, "—"),
        (DELETION, receptionist, None, "—"),
    ]
