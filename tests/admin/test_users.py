"""Staff accounts in the admin (intake/admin/users.py): deactivated, not deleted, once they have
read an intake or recorded a decision, so the access record and the decisions keep their author."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from intake import audit
from intake.models import AccessRecord, Intake
from tests.helpers import PASSWORD


@pytest.fixture
def reader(db: Any, make_intake: Callable[..., Intake]) -> User:
    """A reception account that has opened an intake (and recorded no decision)."""
    user = User.objects.create_user("reader_ito", is_staff=True)
    audit.access_record(user=user, action=AccessRecord.Action.ADMIN, intake=make_intake())
    return user


@pytest.fixture
def newcomer(db: Any) -> User:
    """An account that never opened anything: created by mistake, say."""
    return User.objects.create_user("newcomer_kato", is_staff=True)


def delete_url(user: User, language: str = "en") -> str:
    with translation.override(language):
        return reverse("admin:auth_user_delete", args=[user.pk])


def test_an_account_that_read_an_intake_cannot_be_deleted_and_deactivation_is_offered(
    staff_client: Callable[[str], Client], reader: User
) -> None:
    client = staff_client("superuser")

    response = client.get(delete_url(reader), follow=True)
    posted = client.post(delete_url(reader), {"post": "yes"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("admin:auth_user_change", args=[reader.pk])
    for page in (response, posted):
        assert "Not deleted (reader_ito): an account that has opened intakes" in (
            page.content.decode()
        )
        assert "Deactivate selected accounts" in page.content.decode()
    assert User.objects.filter(pk=reader.pk, is_active=True).exists()
    assert reverse("admin:auth_user_delete", args=[reader.pk]) not in response.content.decode()


def test_a_doctor_with_decisions_cannot_be_deleted_either(
    staff_client: Callable[[str], Client], objects: dict[str, Any]
) -> None:
    doctor = objects["user"]
    AccessRecord.objects.filter(user=doctor).delete()  # the decision alone keeps the account

    staff_client("superuser").post(delete_url(doctor), {"post": "yes"})

    assert User.objects.filter(pk=doctor.pk).exists()


def test_delete_selected_refuses_the_accounts_with_a_history_and_deletes_nothing(
    staff_client: Callable[[str], Client], reader: User, newcomer: User
) -> None:
    response = staff_client("superuser").post(
        reverse("admin:auth_user_changelist"),
        {"action": "delete_selected", "_selected_action": [reader.pk, newcomer.pk], "post": "yes"},
        follow=True,
    )

    page = response.content.decode()
    assert "Not deleted (reader_ito): an account that has opened intakes" in page
    assert "PREGNANCY" not in page and "Opened in the admin" not in page
    assert User.objects.filter(pk__in=[reader.pk, newcomer.pk]).count() == 2


def test_an_account_with_no_history_can_still_be_deleted(
    staff_client: Callable[[str], Client], newcomer: User
) -> None:
    client = staff_client("superuser")

    confirmation = client.get(delete_url(newcomer))
    client.post(delete_url(newcomer), {"post": "yes"})

    assert confirmation.status_code == 200
    assert not User.objects.filter(pk=newcomer.pk).exists()


def test_the_administrator_deactivates_selected_accounts_but_not_their_own(
    staff_client: Callable[[str], Client], reader: User, newcomer: User, superuser: User
) -> None:
    response = staff_client("superuser").post(
        reverse("admin:auth_user_changelist"),
        {
            "action": "deactivate",
            "_selected_action": [reader.pk, newcomer.pk, superuser.pk],
        },
        follow=True,
    )

    page = response.content.decode()
    assert "2 accounts deactivated." in page
    assert "Your own account stays active." in page
    assert set(User.objects.filter(is_active=False).values_list("username", flat=True)) == {
        "reader_ito",
        "newcomer_kato",
    }
    assert AccessRecord.objects.filter(user=reader).count() == 1


def test_a_deactivated_account_can_no_longer_sign_in(
    client: Client, staff_client: Callable[[str], Client], doctor: User
) -> None:
    staff_client("superuser").post(
        reverse("admin:auth_user_changelist"),
        {"action": "deactivate", "_selected_action": [doctor.pk]},
    )

    client.post(reverse("login"), {"username": doctor.username, "password": PASSWORD})

    assert "_auth_user_id" not in client.session


def test_the_refusal_and_the_action_read_in_japanese(
    staff_client: Callable[[str], Client], reader: User
) -> None:
    client = staff_client("superuser")

    refused = client.get(delete_url(reader, "ja"), follow=True).content.decode()
    with translation.override("ja"):
        listing = client.get(reverse("admin:auth_user_changelist")).content.decode()

    assert "削除していません（reader_ito）：問診を閲覧したか判断を登録したアカウントは" in refused
    assert "選択したアカウントを無効にする" in listing


def test_deleting_an_account_with_a_history_outside_the_admin_fails_too(reader: User) -> None:
    with pytest.raises(ProtectedError):
        reader.delete()

    assert AccessRecord.objects.get().user == reader
