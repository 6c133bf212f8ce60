"""Who may open what in the review workspace: every URL for every role.

Anonymous visitors and patients are sent to the login page; reception sees the queue's names,
visit dates and status and gets the 403 page for anything medical; doctors (and superusers)
see everything. A logged-in user without the permission never loops back to the login page.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import translation

from intake import answers
from intake.models import AccessRecord, Decision, Intake
from tests.conftest import logged_in

GET_VIEWS = ("review:intake", "review:print")


@pytest.fixture
def flagged_intake(make_intake: Any, today: datetime.date) -> Intake:
    """An intake with a contraindication, a review flag and a caution: plenty a leak would show."""
    return make_intake(
        pregnancy="pregnant",
        keloid_history=True,
        skin_type="dry",
        medications=["otc_blood_thinning"],
        medication_details="ロキソニン",
        allergy_details="花粉症",
    )


@pytest.fixture
def no_role_client(staff_without_group: User) -> Client:
    """Logged in, but in no clinic group: sees nothing of the patients."""
    return logged_in(staff_without_group)


@pytest.fixture
def superuser_client(superuser: User) -> Client:
    """The administrator: counts as a doctor in the review workspace."""
    return logged_in(superuser)


def url(name: str, intake: Intake | None = None, language: str = "en") -> str:
    with translation.override(language):
        if intake is None:
            return reverse(name)
        return reverse(name, kwargs={"reference": intake.reference})


def assert_sent_to_login(response: Any, expected_next: str) -> None:
    assert response.status_code == 302
    target = urlsplit(response.url)
    assert target.path == reverse("login")
    assert f"next={expected_next}" in target.query.replace("%2F", "/")


def decision_post(intake: Intake) -> dict[str, str]:
    data = {"outcome": "deferred", "note": "Wait until after the pregnancy.", "based_on": ""}
    for flag in intake.flags.filter(severity__in=["contraindication", "review"]):
        data[f"ack_{flag.code}"] = "on"
    return data


# Anonymous visitors and patients ---------------------------------------------------------------
@pytest.mark.parametrize("client_fixture", ["client", "patient_client"])
def test_anonymous_visitors_and_patients_are_sent_to_the_login_page_from_every_url(
    request: pytest.FixtureRequest, client_fixture: str, flagged_intake: Intake
) -> None:
    client = request.getfixturevalue(client_fixture)
    queue = url("review:queue")
    assert_sent_to_login(client.get(queue), queue)
    for name in GET_VIEWS:
        target = url(name, flagged_intake)
        assert_sent_to_login(client.get(target), target)
    decide = url("review:decide", flagged_intake)
    assert_sent_to_login(client.post(decide, decision_post(flagged_intake)), decide)

    assert not Decision.objects.exists()
    assert not AccessRecord.objects.exists()
    flagged_intake.refresh_from_db()
    assert flagged_intake.status == Intake.Status.NEW


def test_the_login_page_is_in_the_language_of_the_page_asked_for(
    client: Client, flagged_intake: Intake
) -> None:
    response = client.get(url("review:queue", language="ja"), follow=True)
    assert response.redirect_chain[-1][0].startswith("/ja/accounts/login/")
    assert "スタッフ用ログイン" in response.content.decode()


def test_the_password_change_page_needs_a_login(client: Client) -> None:
    target = url("password_change")
    assert_sent_to_login(client.get(target), target)


# Reception ---------------------------------------------------------------------------------------
def test_reception_sees_names_visit_dates_and_status_in_the_queue(
    reception_client: Client, flagged_intake: Intake
) -> None:
    response = reception_client.get(url("review:queue"))
    assert response.status_code == 200
    page = response.content.decode()
    assert flagged_intake.full_name in page
    assert flagged_intake.full_name_kana in page
    assert flagged_intake.reference in page
    assert "New" in page


def test_reception_never_sees_answers_flags_or_verdicts_in_the_queue(
    reception_client: Client, flagged_intake: Intake
) -> None:
    page = reception_client.get(url("review:queue")).content.decode()
    for flag in flagged_intake.flags.all():
        assert flag.code not in page
        assert flag.title_en not in page
    for labels in (answers.VERDICT_LABELS, answers.SUITABILITY_LABELS, answers.SEVERITY_LABELS):
        for label in labels.values():
            assert f">{label.en}<" not in page
            assert label.ja not in page
    for secret in ("ロキソニン", "花粉症", flagged_intake.phone, "1995"):
        assert secret not in page
    # No link into the medical record, and no medical filter to probe with.
    assert url("review:intake", flagged_intake) not in page
    for name in ("verdict", "suitability", "flag"):
        assert f'name="{name}"' not in page


def test_reception_cannot_narrow_the_queue_with_a_medical_filter_typed_in_the_address(
    reception_client: Client, make_intake: Any, flagged_intake: Intake
) -> None:
    suitable = make_intake(full_name="鈴木 一郎", full_name_kana="スズキ イチロウ")
    for query in ("verdict=not_suitable", "suitability=poor", "flag=PREGNANCY_BREASTFEEDING"):
        page = reception_client.get(f"{url('review:queue')}?{query}").content.decode()
        assert suitable.full_name in page, query
        assert flagged_intake.full_name in page, query


def test_reception_queue_order_does_not_give_the_verdicts_away(
    reception_client: Client, make_intake: Any, today: datetime.date
) -> None:
    # The suitable patient comes first by visit date, although a doctor would see her second.
    suitable = make_intake(full_name="早い 来院", visit_date=today + datetime.timedelta(days=2))
    unsuitable = make_intake(
        full_name="遅い 来院", pregnancy="pregnant", visit_date=today + datetime.timedelta(days=9)
    )
    page = reception_client.get(url("review:queue")).content.decode()
    assert page.index(suitable.full_name) < page.index(unsuitable.full_name)


@pytest.mark.parametrize("name", GET_VIEWS)
def test_reception_gets_the_403_page_for_an_intake_and_its_print_view(
    reception_client: Client, flagged_intake: Intake, name: str
) -> None:
    response = reception_client.get(url(name, flagged_intake))
    assert response.status_code == 403
    page = response.content.decode()
    assert "No access" in page
    assert flagged_intake.full_name not in page
    assert not AccessRecord.objects.exists()


def test_reception_cannot_record_a_decision(
    reception_client: Client, flagged_intake: Intake
) -> None:
    response = reception_client.post(
        url("review:decide", flagged_intake), decision_post(flagged_intake)
    )
    assert response.status_code == 403
    assert not Decision.objects.exists()


def test_the_403_page_is_in_japanese_on_a_japanese_url(
    reception_client: Client, flagged_intake: Intake
) -> None:
    response = reception_client.get(url("review:intake", flagged_intake, language="ja"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "アクセス権がありません" in page
    assert '<html lang="ja">' in page


# Logged in without a clinic role -----------------------------------------------------------------
def test_a_user_without_a_clinic_role_gets_the_403_page_everywhere_never_a_login_loop(
    no_role_client: Client, flagged_intake: Intake
) -> None:
    for target in [url("review:queue"), *(url(name, flagged_intake) for name in GET_VIEWS)]:
        response = no_role_client.get(target)
        assert response.status_code == 403, target
        assert "If you need access" in response.content.decode()
    response = no_role_client.post(
        url("review:decide", flagged_intake), decision_post(flagged_intake)
    )
    assert response.status_code == 403
    assert not Decision.objects.exists()


# Doctors and superusers ------------------------------------------------------------------------
@pytest.mark.parametrize("client_fixture", ["doctor_client", "superuser_client"])
def test_doctors_and_superusers_open_every_page_and_decide(
    request: pytest.FixtureRequest, client_fixture: str, flagged_intake: Intake
) -> None:
    client = request.getfixturevalue(client_fixture)
    queue = client.get(url("review:queue")).content.decode()
    assert url("review:intake", flagged_intake) in queue
    assert "PREGNANCY_BREASTFEEDING" in queue
    for name in GET_VIEWS:
        response = client.get(url(name, flagged_intake))
        assert response.status_code == 200, name
        assert flagged_intake.full_name in response.content.decode()
    response = client.post(url("review:decide", flagged_intake), decision_post(flagged_intake))
    assert response.status_code == 302
    assert response.url == url("review:intake", flagged_intake)
    assert Decision.objects.get(intake=flagged_intake).outcome == "deferred"


def test_an_unknown_reference_is_404_for_a_doctor(doctor_client: Client) -> None:
    with translation.override("en"):
        target = reverse("review:intake", kwargs={"reference": "ZZZZ-ZZZZ"})
    assert doctor_client.get(target).status_code == 404


def test_the_decision_url_takes_only_post(doctor_client: Client, flagged_intake: Intake) -> None:
    assert doctor_client.get(url("review:decide", flagged_intake)).status_code == 405


def test_review_pages_are_never_cached(doctor_client: Client, flagged_intake: Intake) -> None:
    for target in [url("review:queue"), *(url(name, flagged_intake) for name in GET_VIEWS)]:
        assert "no-store" in doctor_client.get(target)["Cache-Control"], target


# Signing in and out --------------------------------------------------------------------------
def test_a_doctor_signs_in_and_lands_on_the_queue(client: Client, doctor: User) -> None:
    response = client.post(
        url("login"), {"username": doctor.username, "password": "pw-for-tests-only"}
    )
    assert response.status_code == 302
    assert response.url == url("review:queue")


def test_signing_in_returns_to_the_page_asked_for(
    client: Client, doctor: User, flagged_intake: Intake
) -> None:
    target = url("review:intake", flagged_intake)
    response = client.post(
        url("login"),
        {"username": doctor.username, "password": "pw-for-tests-only", "next": target},
    )
    assert response.url == target


def test_signing_out_is_a_post_that_leads_to_the_login_page(doctor_client: Client) -> None:
    page = doctor_client.get(url("review:queue")).content.decode()
    assert f'action="{url("logout")}"' in page
    response = doctor_client.post(url("logout"))
    assert response.status_code == 302
    assert response.url == url("login")
    assert doctor_client.get(url("review:queue")).status_code == 302


@pytest.mark.parametrize(
    ("language", "heading"), [("en", "Change password"), ("ja", "パスワード変更")]
)
def test_the_password_change_page_renders_in_both_languages(
    doctor_client: Client, language: str, heading: str
) -> None:
    response = doctor_client.get(url("password_change", language=language))
    assert response.status_code == 200
    assert heading in response.content.decode()


def test_a_doctor_changes_the_password(doctor_client: Client, doctor: User) -> None:
    response = doctor_client.post(
        url("password_change"),
        {
            "old_password": "pw-for-tests-only",
            "new_password1": "a-much-longer-Passphrase-42",
            "new_password2": "a-much-longer-Passphrase-42",
        },
        follow=True,
    )
    assert "Your password has been changed." in response.content.decode()
    doctor.refresh_from_db()
    assert doctor.check_password("a-much-longer-Passphrase-42")


@pytest.mark.parametrize(("language", "other"), [("en", "ja"), ("ja", "en")])
def test_the_language_switch_leads_to_the_same_page_in_the_other_language(
    doctor_client: Client, flagged_intake: Intake, language: str, other: str
) -> None:
    for name in GET_VIEWS:
        page = doctor_client.get(url(name, flagged_intake, language)).content.decode()
        assert f'name="next" value="{url(name, flagged_intake, other)}"' in page
        switched = doctor_client.post(
            url("set_language"), {"language": other, "next": url(name, flagged_intake, other)}
        )
        assert switched.url == url(name, flagged_intake, other)
