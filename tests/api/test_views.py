"""The read-only FHIR API (intake/api/views.py): tokens, the Questionnaire, one intake's Bundle,
the intakes changed since a time page by page, and the errors, each a FHIR OperationOutcome.
Every answer is validated with fhir.resources' R4B models."""

from __future__ import annotations

import datetime
import json
import urllib.parse
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from intake.api import services
from intake.models import AccessRecord, ApiToken, Intake
from intake.review import services as review_services
from tests.fhir.helpers import validate

FHIR_JSON = "application/fhir+json; charset=utf-8"


@pytest.fixture
def token(superuser: User) -> tuple[ApiToken, str]:
    """The chart system's token: it reads every intake, and every call is recorded."""
    made = ApiToken(name="Karte sync")
    secret = services.api_token_issue(token=made, created_by=superuser)
    return made, secret


@pytest.fixture
def api(token: tuple[ApiToken, str]) -> Client:
    """The integration: sends its token with every request."""
    return Client(HTTP_AUTHORIZATION=f"Bearer {token[1]}")


def read(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == FHIR_JSON
    assert "no-store" in response["Cache-Control"]
    body = json.loads(response.content)
    validate(body)
    return body


def assert_outcome(response: Any, status: int, code: str) -> dict[str, Any]:
    body = read(response, status)
    assert body["resourceType"] == "OperationOutcome"
    assert body["issue"][0]["code"] == code
    assert body["issue"][0]["diagnostics"]
    return body


def bundle_url(reference: str) -> str:
    return reverse("api:bundle", kwargs={"reference": reference})


# Tokens ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "header",
    [None, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer cit_not-a-real-token", "Token x"],
)
def test_a_call_without_a_valid_token_is_a_401_outcome_and_reads_nothing(
    make_intake: Callable[..., Intake], header: str | None
) -> None:
    intake = make_intake()
    client = Client(**({"HTTP_AUTHORIZATION": header} if header is not None else {}))
    for url in (bundle_url(intake.reference), reverse("api:bundles"), reverse("api:metadata")):
        response = client.get(url)
        assert_outcome(response, 401, "login")
        assert response["WWW-Authenticate"] == 'Bearer realm="fhir"'
        assert intake.full_name not in response.content.decode()
    assert not AccessRecord.objects.exists()


def test_a_revoked_token_or_a_deactivated_account_gets_a_401(
    api: Client, token: tuple[ApiToken, str], make_intake: Callable[..., Intake]
) -> None:
    intake = make_intake()
    assert api.get(bundle_url(intake.reference)).status_code == 200
    services.api_tokens_revoke(tokens=ApiToken.objects.filter(pk=token[0].pk))
    assert_outcome(api.get(bundle_url(intake.reference)), 401, "login")

    ApiToken.objects.filter(pk=token[0].pk).update(revoked_at=None)
    User.objects.filter(pk=token[0].account_id).update(is_active=False)
    assert_outcome(api.get(bundle_url(intake.reference)), 401, "login")


def test_the_token_is_kept_only_as_its_hash(token: tuple[ApiToken, str]) -> None:
    made, secret = token
    stored = ApiToken.objects.values().get(pk=made.pk)
    assert secret not in json.dumps(stored, default=str)
    assert stored["prefix"] == secret[:12] and secret.startswith("cit_")
    assert len(secret) > 40


def test_a_token_reads_as_its_own_service_account_that_cannot_sign_in(
    token: tuple[ApiToken, str],
) -> None:
    account = token[0].account
    assert account.username.startswith("api-") and account.first_name == "Karte sync"
    assert not account.has_usable_password()
    assert not account.is_staff and not account.groups.exists()
    assert not account.get_all_permissions()


# Reads and their record --------------------------------------------------------------------------
def test_the_questionnaire_is_read_with_a_token_and_the_call_recorded(
    api: Client, token: tuple[ApiToken, str]
) -> None:
    body = read(api.get(reverse("api:questionnaire", kwargs={"resource_id": "intake"})))
    assert body["resourceType"] == "Questionnaire"
    assert body["url"] == "http://testserver/api/fhir/Questionnaire/intake"
    record = AccessRecord.objects.get()
    assert record.user == token[0].account and record.action == AccessRecord.Action.API
    assert record.intake is None and record.username == token[0].account.username
    token[0].refresh_from_db()
    assert token[0].last_used_at is not None


def test_the_base_url_setting_makes_the_canonical_urls(api: Client, settings: Any) -> None:
    settings.FHIR_BASE_URL = "https://intake.example-clinic.jp/api/fhir"
    body = read(api.get(reverse("api:questionnaire", kwargs={"resource_id": "intake"})))
    assert body["url"] == "https://intake.example-clinic.jp/api/fhir/Questionnaire/intake"
    assert body["item"][1]["item"][0]["answerOption"][0]["valueCoding"]["system"] == (
        "https://intake.example-clinic.jp/api/fhir/CodeSystem/skin-type"
    )


def test_one_intake_is_read_as_its_bundle_and_recorded_with_its_patient(
    api: Client, token: tuple[ApiToken, str], returning: dict[str, Any], receptionist: User
) -> None:
    from intake.patients import services as patient_services

    intake: Intake = returning["current"]
    patient_services.intake_link(intake=intake, patient=returning["patient"], by=receptionist)
    body = read(api.get(bundle_url(intake.reference)), 200)
    assert body["resourceType"] == "Bundle" and body["id"] == intake.reference
    assert body["entry"][0]["resource"]["resourceType"] == "Patient"
    record = AccessRecord.objects.get(action=AccessRecord.Action.API)
    assert record.intake == intake and record.patient == returning["patient"]
    assert record.user == token[0].account


def test_the_metadata_says_what_the_api_offers(api: Client) -> None:
    body = read(api.get(reverse("api:metadata")))
    assert body["resourceType"] == "CapabilityStatement"
    resources = {resource["type"] for resource in body["rest"][0]["resource"]}
    assert resources == {"Bundle", "Questionnaire"}


# Errors -----------------------------------------------------------------------------------------
def test_an_unknown_reference_or_questionnaire_or_path_is_a_404_outcome(api: Client) -> None:
    assert_outcome(api.get(bundle_url("ZZZZ-ZZZZ")), 404, "not-found")
    assert_outcome(
        api.get(reverse("api:questionnaire", kwargs={"resource_id": "other"})), 404, "not-found"
    )
    assert_outcome(api.get("/api/fhir/Patient/1"), 404, "not-found")
    assert_outcome(api.get("/api/fhir/"), 404, "not-found")
    # Every call with a token is in the record, the ones that found nothing too.
    assert AccessRecord.objects.filter(intake=None).count() == 4


@pytest.mark.parametrize(
    "query",
    [
        "_lastUpdated=2026-12-01",  # no prefix: FHIR's "eq"
        "_lastUpdated=lt2026-12-01",
        "_lastUpdated=ge2026-12-01T09:00:00",  # no time zone
        "_lastUpdated=gesoon",
        "_lastUpdated=ge2026-02-30",
        "_lastUpdated=ge0001-01-01T00:00:00%2B09:00",  # before the first instant in UTC
        "_lastUpdated=gt9999-12-31T23:59:59.999999%2B00:00",  # past the last instant
        "_lastUpdated=ge2026-12-01&_lastUpdated=ge2026-12-02",
        "_count=0",
        "_count=101",
        "_count=ten",
        "_count=-1",
        "_cursor=made-up",
    ],
)
def test_a_parameter_the_api_cannot_read_is_a_400_outcome_saying_why(
    api: Client, query: str
) -> None:
    response = api.get(reverse("api:bundles") + "?" + query)
    assert_outcome(response, 400, "invalid")


def test_the_error_says_it_in_the_callers_language(api: Client) -> None:
    response = api.get(reverse("api:bundles") + "?_count=0", HTTP_ACCEPT_LANGUAGE="ja")
    assert "1から100" in assert_outcome(response, 400, "invalid")["issue"][0]["diagnostics"]
    response = api.get(reverse("api:bundles") + "?_count=0", HTTP_ACCEPT_LANGUAGE="en")
    assert "from 1 to 100" in assert_outcome(response, 400, "invalid")["issue"][0]["diagnostics"]


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_the_api_is_read_only(api: Client, make_intake: Callable[..., Intake], method: str) -> None:
    intake = make_intake()
    response = getattr(api, method)(bundle_url(intake.reference))
    assert_outcome(response, 405, "not-supported")
    assert response["Allow"] == "GET"
    assert Intake.objects.filter(pk=intake.pk).exists()


# Intakes changed since a time, page by page ----------------------------------------------------
def search(api: Client, **query: str) -> dict[str, Any]:
    return read(api.get(reverse("api:bundles") + "?" + urllib.parse.urlencode(query)))


def references_of(page: dict[str, Any]) -> list[str]:
    return [entry["resource"]["id"] for entry in page["entry"]]


def next_link(page: dict[str, Any]) -> str | None:
    links = {link["relation"]: link["url"] for link in page["link"]}
    return links.get("next")


def test_the_search_lists_intakes_changed_since_a_time_oldest_change_first(
    api: Client, make_intake: Callable[..., Intake], doctor: User
) -> None:
    first, second, third = make_intake(), make_intake(), make_intake()
    # The first is decided after all three were sent: it changed last.
    review_services.intake_decide(
        intake=first,
        doctor=doctor,
        outcome="approved",
        note="",
        acknowledged_flags=[],
        based_on=None,
        now=third.submitted_at + datetime.timedelta(seconds=1),
    )
    page = search(api)
    assert page["type"] == "searchset"
    assert references_of(page) == [second.reference, third.reference, first.reference]
    assert all(entry["search"]["mode"] == "match" for entry in page["entry"])
    assert page["entry"][0]["fullUrl"] == f"http://testserver/api/fhir/Bundle/{second.reference}"

    since = timezone.localtime(third.submitted_at).isoformat()
    assert references_of(search(api, _lastUpdated=f"ge{since}")) == [
        third.reference,
        first.reference,
    ]
    assert references_of(search(api, _lastUpdated=f"gt{since}")) == [first.reference]
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert references_of(search(api, _lastUpdated=f"ge{tomorrow}")) == []
    today = timezone.localdate().isoformat()
    assert len(references_of(search(api, _lastUpdated=f"ge{today}"))) == 3
    assert references_of(search(api, _lastUpdated=f"gt{today}")) == []


def test_every_intake_on_a_page_is_recorded_and_an_empty_page_once(
    api: Client, make_intake: Callable[..., Intake], token: tuple[ApiToken, str]
) -> None:
    intakes = [make_intake(), make_intake()]
    search(api)
    recorded = AccessRecord.objects.filter(action=AccessRecord.Action.API)
    assert sorted(recorded.values_list("intake", flat=True)) == sorted(i.pk for i in intakes)
    assert {record.user for record in recorded} == {token[0].account}
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    search(api, _lastUpdated=f"ge{tomorrow}")
    assert recorded.filter(intake=None).count() == 1


def test_following_the_next_links_gives_every_intake_once_even_if_one_changes_meanwhile(
    api: Client, make_intake: Callable[..., Intake], doctor: User
) -> None:
    intakes = [make_intake() for _ in range(5)]
    seen: list[str] = []
    page = search(api, _count="2")
    seen += references_of(page)
    # Meanwhile the first intake listed is decided: it moves to the end, and comes again.
    review_services.intake_decide(
        intake=intakes[0],
        doctor=doctor,
        outcome="approved",
        note="",
        acknowledged_flags=[],
        based_on=None,
    )
    while (url := next_link(page)) is not None:
        assert url.startswith("http://testserver/api/fhir/Bundle?")
        page = read(api.get(url.removeprefix("http://testserver")))
        assert len(page["entry"]) <= 2
        seen += references_of(page)
    assert seen[:2] == [intakes[0].reference, intakes[1].reference]
    assert sorted(set(seen)) == sorted(i.reference for i in intakes)
    assert seen.count(intakes[0].reference) == 2 and len(seen) == 6


def test_a_page_lists_at_most_the_count_asked(
    api: Client, make_intake: Callable[..., Intake]
) -> None:
    for _ in range(3):
        make_intake()
    page = search(api, _count="1")
    assert len(page["entry"]) == 1 and next_link(page)
    assert len(search(api)["entry"]) == 3
