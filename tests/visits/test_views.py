"""intake.visits: today's visits for reception and doctors, where staff land, the navigation."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from intake.invitations import services as invitation_services
from intake.models import Intake, Invitation
from intake.visits import selectors
from tests.helpers import PASSWORD

TODAY_URL = "visits:today"


@pytest.fixture
def day_of_visits(
    invite: Callable[..., Invitation], make_intake: Callable[..., Intake], today: datetime.date
) -> dict[str, Any]:
    """Today: one of each state, plus a visit tomorrow that today's page leaves out."""
    invited = invite(full_name="案内 一子", full_name_kana="アンナイ イチコ", visit_date=today)
    started = invite(full_name="途中 二子", full_name_kana="トチュウ フタコ", visit_date=today)
    invitation_services.invitation_mark_started(invitation=started)
    submitted_invitation = invite(
        full_name="送信 三子", full_name_kana="ソウシン ミツコ", visit_date=today
    )
    submitted = make_intake(
        full_name="送信 三子", full_name_kana="ソウシン ミツコ", visit_date=today
    )
    Intake.objects.filter(pk=submitted.pk).update(invitation=submitted_invitation)
    in_review = make_intake(
        full_name="確認 四子",
        full_name_kana="カクニン ヨツコ",
        visit_date=today,
        pregnancy="pregnant",
    )
    Intake.objects.filter(pk=in_review.pk).update(status=Intake.Status.IN_REVIEW)
    decided = make_intake(full_name="決定 五子", full_name_kana="ケッテイ イツコ", visit_date=today)
    Intake.objects.filter(pk=decided.pk).update(status=Intake.Status.DECIDED)
    tomorrow = invite(full_name="明日 六子", visit_date=today + datetime.timedelta(days=1))
    return {
        "invited": invited,
        "started": started,
        "submitted": submitted,
        "in_review": Intake.objects.get(pk=in_review.pk),
        "decided": decided,
        "tomorrow": tomorrow,
    }


def rows(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [row for row in body.split("<tr")[1:]]


def test_reception_sees_todays_visits_each_with_its_state_and_nothing_medical(
    reception_client: Client, day_of_visits: dict[str, Any]
) -> None:
    page = reception_client.get(reverse(TODAY_URL)).text

    found = rows(page)
    states = [row.split('class="visit visit-', 1)[1].split('"', 1)[0] for row in found]
    # By kana: アンナイ, カクニン, ケッテイ, ソウシン, トチュウ.
    assert states == ["invited", "in_review", "decided", "submitted", "started"]
    assert "明日 六子" not in page
    assert "5 visits" in page
    for state_label in ("Invited", "Started", "Submitted", "In review", "Decided"):
        assert state_label in page
    assert "Verdict" not in page and "verdict-" not in page
    assert day_of_visits["in_review"].verdict not in page
    # Reception opens the invitation, never the intake.
    invited = day_of_visits["invited"]
    assert reverse("invitations:detail", kwargs={"pk": invited.pk}) in found[0]
    assert (
        reverse("review:intake", kwargs={"reference": day_of_visits["decided"].reference})
        not in page
    )


def test_doctors_also_see_the_verdict_and_open_the_intake(
    doctor_client: Client, day_of_visits: dict[str, Any]
) -> None:
    page = doctor_client.get(reverse(TODAY_URL)).text

    in_review = day_of_visits["in_review"]
    assert in_review.verdict == "not_suitable"
    assert "verdict-not_suitable" in page and "Contraindicated" in page
    for intake in (day_of_visits["submitted"], in_review, day_of_visits["decided"]):
        assert reverse("review:intake", kwargs={"reference": intake.reference}) in page


def test_reception_loads_no_verdict_from_the_database(
    day_of_visits: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(2):
        visits = selectors.visits_on(timezone.localdate(), for_doctor=False)

    assert {visit.verdict for visit in visits} == {""}


def test_an_intake_is_listed_on_the_day_the_clinic_set_for_it(
    make_intake: Callable[..., Intake], today: datetime.date
) -> None:
    """The patient wrote tomorrow; staff moved the appointment to the day after."""
    tomorrow, later = today + datetime.timedelta(days=1), today + datetime.timedelta(days=2)
    moved = make_intake(visit_date=tomorrow)
    Intake.objects.filter(pk=moved.pk).update(appointment_date=later)

    def references(day: datetime.date) -> list[str]:
        return [visit.reference for visit in selectors.visits_on(day, for_doctor=True)]

    assert moved.reference not in references(tomorrow)
    assert moved.reference in references(later)


def test_another_day_is_chosen_by_date_or_with_the_next_and_previous_links(
    reception_client: Client, day_of_visits: dict[str, Any], today: datetime.date
) -> None:
    tomorrow = today + datetime.timedelta(days=1)

    page = reception_client.get(reverse(TODAY_URL), {"day": tomorrow.isoformat()}).text

    assert "明日 六子" in page and "案内 一子" not in page
    assert "Today's visits" not in page.split("<main", 1)[1].split("</h1>")[0]
    assert f'href="?day={today.isoformat()}"' in page
    assert 'id="back-to-today"' in page
    # Full-width digits, as a Japanese keyboard types them.
    typed = tomorrow.strftime("%Y/%m/%d").translate(
        str.maketrans("0123456789/", "０１２３４５６７８９／")
    )
    assert "明日 六子" in reception_client.get(reverse(TODAY_URL), {"day": typed}).text


@pytest.mark.parametrize("day", ["tomorrow", "2026-02-30", "9999-12-31", "0001-01-01", "\u3000"])
def test_a_day_that_cannot_be_read_shows_today_with_a_message(
    reception_client: Client, day_of_visits: dict[str, Any], day: str
) -> None:
    response = reception_client.get(reverse(TODAY_URL), {"day": day})

    assert response.status_code == 200
    assert "案内 一子" in response.text
    if day.strip():
        assert "Today's visits are shown." in response.text


def test_the_page_is_for_staff_who_see_the_queue(
    client: Client, staff_without_group: User, day_of_visits: dict[str, Any]
) -> None:
    assert client.get(reverse(TODAY_URL)).status_code == 302
    client.force_login(staff_without_group)
    assert client.get(reverse(TODAY_URL)).status_code == 403


def test_the_page_reads_in_japanese(
    reception_client: Client, day_of_visits: dict[str, Any]
) -> None:
    with translation.override("ja"):
        page = reception_client.get(reverse(TODAY_URL)).text

    assert "本日の来院予定" in page
    for label in ("案内済み", "回答中", "回答済み", "確認中", "判断済み"):
        assert label in page


# Where staff land, and the navigation -----------------------------------------------------------
def sign_in(client: Client, user: User) -> Any:
    return client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD}, follow=True
    )


def test_reception_lands_on_todays_visits_and_doctors_on_the_queue(
    client: Client, receptionist: User, doctor: User
) -> None:
    assert sign_in(client, receptionist).redirect_chain[-1][0] == reverse(TODAY_URL)
    client.post(reverse("logout"))
    assert sign_in(Client(), doctor).redirect_chain[-1][0] == reverse("review:queue")


NAVIGATION = {
    "visits:today": "Today&#x27;s visits",
    "review:queue": "Queue",
    "invitations:reception": "Invitations",
    "tablet:setup": "Tablet mode",
    "admin:index": "Admin",
    "password_change": "Change password",
}


@pytest.mark.parametrize(
    ("role", "links"),
    [
        (
            "receptionist",
            {"visits:today", "review:queue", "invitations:reception", "tablet:setup",
             "password_change"},
        ),
        ("doctor", {"visits:today", "review:queue", "password_change"}),
        ("superuser", set(NAVIGATION)),
    ],
)  # fmt: skip
def test_every_staff_page_links_every_page_the_role_may_use_and_no_other(
    request: pytest.FixtureRequest, role: str, links: set[str], invite: Callable[..., Invitation]
) -> None:
    user: User = request.getfixturevalue(role)
    client = Client()
    client.force_login(user)
    pages = [
        reverse(name)
        for name in ("visits:today", "review:queue", "invitations:reception", "password_change")
    ]
    for path in pages:
        response = client.get(path)
        if response.status_code != 200:
            continue
        nav = response.text.split('class="staff-nav', 1)[1].split("</nav>", 1)[0]
        shown = {name for name in NAVIGATION if f'href="{reverse(name)}"' in nav}
        assert shown == links, (path, shown)
        if path != reverse("password_change"):
            assert f'href="{path}" aria-current="page"' in nav
        # Each linked page opens for the role.
        for name in shown:
            assert client.get(reverse(name)).status_code == 200, name


def test_reception_reaches_its_own_page_from_the_queue(reception_client: Client) -> None:
    queue = reception_client.get(reverse("review:queue")).text

    assert f'href="{reverse("invitations:reception")}"' in queue
    assert f'href="{reverse(TODAY_URL)}"' in queue


def test_a_patient_page_shows_no_staff_navigation(client: Client, db: Any) -> None:
    page = client.get(reverse("intake:step", kwargs={"step": "about_you"})).text

    assert "staff-nav" not in page
    assert escape("Today's visits") not in page
