"""API tokens in the admin (intake/admin/api.py): the administrator makes one, sees it once,
revokes it; nobody else sees them; none is deleted."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import translation

from intake import audit
from intake.api import services
from intake.models import AccessRecord, ApiToken, Intake

ADD = "admin:intake_apitoken_add"
CHANGELIST = "admin:intake_apitoken_changelist"


def shown_token(page: str) -> str:
    found = re.search(r'id="api-token" class="vLargeTextField" value="(cit_[^"]+)"', page)
    assert found, "the token is shown on the page after its creation"
    return found.group(1)


def test_the_administrator_makes_a_token_sees_it_once_and_it_reads_the_api(
    superuser_client: Client, make_intake: Callable[..., Intake]
) -> None:
    intake = make_intake()
    response = superuser_client.post(reverse(ADD), {"name": "Karte sync", "scope": "fhir.read"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    secret = shown_token(response.content.decode())

    token = ApiToken.objects.get()
    assert token.name == "Karte sync" and token.prefix == secret[:12]
    # Shown once: never on the list, the token's page or the admin's log.
    for page in (reverse(CHANGELIST), reverse("admin:intake_apitoken_change", args=[token.pk])):
        body = superuser_client.get(page).content.decode()
        assert token.prefix in body and secret not in body
    assert secret not in " ".join(LogEntry.objects.values_list("object_repr", flat=True))

    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get(reverse("api:bundle", kwargs={"reference": intake.reference})).status_code == 200
    assert AccessRecord.objects.get(action="api").user == token.account


def test_the_administrator_revokes_a_token_and_its_next_call_is_refused(
    superuser_client: Client, superuser: User
) -> None:
    token = ApiToken(name="Warehouse")
    secret = services.api_token_issue(token=token, created_by=superuser)
    changelist = reverse(CHANGELIST)  # in English, before a request activates another language
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get(reverse("api:metadata")).status_code == 200

    response = superuser_client.post(
        changelist, {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )
    assert "1 token revoked." in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api.get(reverse("api:metadata")).status_code == 401
    assert "Revoked" in superuser_client.get(changelist).content.decode()


def test_a_token_is_never_deleted_not_even_by_the_administrator(
    superuser_client: Client, superuser: User
) -> None:
    token = ApiToken(name="Warehouse")
    services.api_token_issue(token=token, created_by=superuser)
    url = reverse("admin:intake_apitoken_delete", args=[token.pk])
    assert superuser_client.get(url).status_code == 403
    assert superuser_client.post(url, {"post": "yes"}).status_code == 403
    assert ApiToken.objects.filter(pk=token.pk).exists()


@pytest.mark.parametrize("role", ["doctor", "receptionist", "staff_without_group"])
def test_only_the_administrator_sees_api_tokens(
    role: str, staff_client: Callable[[str], Client], superuser: User
) -> None:
    token = ApiToken(name="Warehouse")
    services.api_token_issue(token=token, created_by=superuser)
    client = staff_client(role)
    for url in (
        reverse(CHANGELIST),
        reverse(ADD),
        reverse("admin:intake_apitoken_change", args=[token.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert reverse(CHANGELIST) not in client.get(reverse("admin:index")).content.decode()


def test_the_token_page_is_in_japanese_for_a_japanese_administrator(
    superuser_client: Client,
) -> None:
    with translation.override("ja"):
        url = reverse(ADD)
    response = superuser_client.post(url, {"name": "電子カルテ連携", "scope": "fhir.read"})
    page = response.content.decode()
    shown_token(page)
    assert "今だけ表示されます" in page


def test_a_new_token_needs_the_name_of_its_integration(superuser_client: Client) -> None:
    response = superuser_client.post(reverse(ADD), {"name": "", "scope": "fhir.read"})
    assert response.status_code == 200
    assert not ApiToken.objects.exists()
    assert 'id="api-token"' not in response.content.decode()


def test_the_service_account_of_a_token_that_has_read_is_kept_like_any_readers(
    superuser: User,
) -> None:
    token = ApiToken(name="Warehouse")
    secret = services.api_token_issue(token=token, created_by=superuser)
    Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get(reverse("api:metadata"))
    assert audit.users_with_history(User.objects.filter(pk=token.account_id)).exists()
