"""The invitation's card: what reception prints for the patient, in the patient's language, with
nothing for staff on it; and the copy button beside the link."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from intake.invitations import services as invitation_services
from intake.models import ClinicProfile, Invitation
from tests.helpers import class_texts

# A Saturday: the card gives the weekday with the date.
VISIT = datetime.date(2030, 3, 16)


@pytest.fixture
def visit_day(monkeypatch: pytest.MonkeyPatch) -> datetime.date:
    """The invitation is made a few days before the visit, so it is pending."""
    monkeypatch.setattr(timezone, "localdate", lambda *args: VISIT - datetime.timedelta(days=4))
    return VISIT


def invite(receptionist: User, *, language: str, visit: datetime.date) -> Invitation:
    return invitation_services.invitation_create(
        full_name="山田 花子" if language == "ja" else "Jane Smith",
        full_name_kana="",
        phone="090-1111-2222",
        email="",
        visit_date=visit,
        language=language,
        created_by=receptionist,
    )


def detail(client: Client, invitation: Invitation, staff_language: str) -> str:
    with translation.override(staff_language):
        url = reverse("invitations:detail", kwargs={"pk": invitation.pk})
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def card_of(page: str) -> str:
    start = page.index('<section class="invitation-card"')
    return page[start : page.index("</section>", start)]


@pytest.mark.parametrize(
    ("patient", "staff", "expected"),
    [
        (
            "en",
            "ja",
            {
                "invitation-card-clinic": "Umeda Skin Clinic",
                "invitation-card-name": "For Jane Smith",
                "facts": ["Visit date", "March 16, 2030 (Sat)", "Time it takes"],
                "steps": "Scan the QR code with your phone's camera",
                "contact": "Questions: please call us at 06-6375-0000.",
            },
        ),
        (
            "ja",
            "en",
            {
                "invitation-card-clinic": "梅田スキンクリニック",
                "invitation-card-name": "山田 花子 様",
                "facts": ["来院予定日", "2030年3月16日（土）", "所要時間", "約10分"],
                "steps": "スマートフォンのカメラでQRコードを読み取る",
                "contact": "ご不明な点は 06-6375-0000 までお電話ください。",
            },
        ),
    ],
)
def test_the_card_is_in_the_patients_language_whatever_the_staffs(
    reception_client: Client,
    receptionist: User,
    clinic: ClinicProfile,
    visit_day: datetime.date,
    patient: str,
    staff: str,
    expected: dict[str, Any],
) -> None:
    invitation = invite(receptionist, language=patient, visit=visit_day)

    page = detail(reception_client, invitation, staff)

    card = card_of(page)
    assert f'lang="{patient}"' in card
    assert class_texts(card, "invitation-card-clinic") == [expected["invitation-card-clinic"]]
    assert class_texts(card, "invitation-card-name") == [expected["invitation-card-name"]]
    facts = class_texts(card, "invitation-card-facts")[0]
    for fact in expected["facts"]:
        assert fact in facts
    assert expected["steps"] in class_texts(card, "invitation-card-steps")[0]
    assert class_texts(card, "invitation-card-contact") == [expected["contact"]]
    # The QR code and the whole link, never cut: the address the QR code holds.
    link = f"http://testserver/{patient}/invite/{invitation.token}/"
    assert class_texts(card, "invitation-url") == [link]
    assert reverse("invitations:qr", kwargs={"pk": invitation.pk}) in card


def test_the_card_carries_nothing_for_staff(
    reception_client: Client, receptionist: User, clinic: ClinicProfile, visit_day: datetime.date
) -> None:
    receptionist.is_staff = True
    receptionist.save(update_fields=["is_staff"])
    invitation = invite(receptionist, language="ja", visit=visit_day)

    page = detail(reception_client, invitation, "ja")

    card = card_of(page)
    admin = reverse("admin:intake_invitation_change", args=[invitation.pk])
    assert admin in page  # for staff, on screen
    for staff_only in (admin, "管理画面", "状態", "患者さんの回答待ち", "English", "<button"):
        assert staff_only not in card
    # The staff's part is its own block, which the print stylesheet leaves out with the header
    # and the messages.
    assert '<div class="invitation-staff">' in page
    assert page.index('<div class="invitation-staff">') < page.index(admin) < page.index(card)


def test_the_print_stylesheet_prints_the_card_alone() -> None:
    stylesheet = finders.find("invitations/invitation.css")
    assert stylesheet is not None
    with open(stylesheet, encoding="utf-8") as handle:
        css = handle.read()
    print_rules = css[css.index("@media print") :]
    assert re.search(
        r"header, \.skip-link, main > \.alert, \.invitation-staff \{ display: none", css
    )
    assert "overflow-wrap: anywhere" in css  # the address wraps, never cut off
    assert ".invitation-card" in print_rules


def test_a_used_or_expired_invitation_has_no_card(
    reception_client: Client, receptionist: User, visit_day: datetime.date
) -> None:
    used = invite(receptionist, language="ja", visit=visit_day)
    Invitation.objects.filter(pk=used.pk).update(used_at=timezone.now())
    expired = invite(receptionist, language="en", visit=visit_day - datetime.timedelta(days=5))

    for invitation in (used, expired):
        page = detail(reception_client, invitation, "ja")
        assert "invitation-card" not in page
        assert invitation.token not in page


def test_the_copy_button_is_a_static_script_without_inline_code(
    reception_client: Client, receptionist: User, visit_day: datetime.date
) -> None:
    invitation = invite(receptionist, language="ja", visit=visit_day)

    page = detail(reception_client, invitation, "ja")

    button = re.search(r"<button[^>]*data-copy=\"invitation-link\"[^>]*>([^<]*)</button>", page)
    assert button is not None and button.group(1) == "リンクをコピー"
    assert 'data-copied="リンクをコピーしました。"' in button.group(0)
    assert " hidden" in button.group(0)  # shown by the script: no script, no dead button
    assert "onclick" not in page
    assert '<script src="/static/invitations/invitation.js" defer></script>' in page
    assert re.search(r"<script>(?!</script>)", page) is None
