"""Invitations in the admin (intake/admin/invitations.py)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

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
