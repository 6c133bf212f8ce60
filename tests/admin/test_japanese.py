"""The admin as a Japanese clinic reads it: no English on its pages, but the few words listed
below, each for a reason. Also the names the admin shows that come from outside our code: the
sign-in attempts of django-axes, the groups, the permissions."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from intake import audit
from intake.admin.users import group_name, permission_name
from intake.models import (
    AccessRecord,
    ClinicProfile,
    ConsentDocument,
    Decision,
    FlagText,
    Intake,
    Invitation,
)
from intake.screening import RULES_BY_CODE
from tests.helpers import read_texts

ENGLISH = re.compile(r"[A-Za-z]{2,}")
# What may be written in Latin letters on a Japanese page, and why. (A pattern stops at a Latin
# letter, not at a word's end: in Japanese a code runs into the next word, "CSVに".)
ALLOWED = tuple(
    re.compile(rf"(?<![A-Za-z_]){pattern}(?![A-Za-z_])")
    for pattern in (
        # Reference codes (H9JV-HQG3) and rule codes (KELOID): codes, read out and searched as
        # such.
        r"[0-9A-Z]{4}-[0-9A-Z]{4}",
        "(?:" + "|".join(sorted(RULES_BY_CODE, key=len, reverse=True)) + ")",
        # E-mail addresses: data, written as they are.
        r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
        # The accounts of this test (usernames, a first name): who did what, as the account reads.
        "(?:admin|dr_sato|Sato|reception_tanaka)",
        # Names Japanese writes in Latin letters: the LINE messaging app's ID, the CSV format, the
        # FHIR API's tokens (APIトークン).
        "LINE ID",
        "CSV",
        "API",
        # The retention text's placeholder, which staff type as it is: {period}.
        r"\{period\}",
    )
)


def english_on(page: str) -> list[str]:
    """The texts of `page` with English in them, once the allowed words are taken out; a text
    the page marks as English (lang="en": a field's English version) is not counted."""
    found = []
    for text in read_texts(page, except_language="en"):
        rest = text
        for allowed in ALLOWED:
            rest = allowed.sub("", rest)
        if ENGLISH.search(rest):
            found.append(text)
    return found


@pytest.fixture
def clinic_in_admin(
    make_intake: Callable[..., Intake], doctor: User, superuser: User
) -> dict[str, Any]:
    """An intake with a decision, an access record and a re-screening's worth of flags, the
    clinic's texts in both languages, and a consent draft."""
    intake = make_intake(keloid_history=True, medication_details="ロキソニン")
    decision = Decision.objects.create(
        intake=intake,
        doctor=doctor,
        outcome=Decision.Outcome.DEFERRED,
        note="ケロイドの既往を確認してから施術します。",
        acknowledged_flags=["KELOID"],
        decided_at=timezone.now(),
    )
    audit.access_record(user=doctor, action=AccessRecord.Action.DETAIL, intake=intake)
    flag_text = FlagText.objects.get(code="KELOID")
    flag_text.title_ja, flag_text.title_en = "ケロイド体質", "Prone to keloids"
    flag_text.save()
    profile = ClinicProfile.objects.create(
        name_ja="梅田スキンクリニック",
        name_en="Umeda Skin Clinic",
        address_ja="大阪市北区梅田1-1-1",
        address_en="1-1-1 Umeda, Kita-ku, Osaka",
        phone="06-6375-0000",
        line_id="@umeda-skin",
    )
    draft = ConsentDocument.objects.create(
        version="2027-01",
        title_ja="個人情報の取り扱い（改定）",
        title_en="Personal information (revised)",
        body_ja="本文",
        body_en="Body",
        effective_date=timezone.localdate(),
    )
    return {
        "intake": intake,
        "decision": decision,
        "flagtext": flag_text,
        "clinicprofile": profile,
        "consentdocument": draft,
    }


def admin_url(name: str, *args: Any) -> str:
    with translation.override("ja"):
        return reverse(f"admin:{name}", args=args)


def pages(objects: dict[str, Any]) -> list[str]:
    return [
        admin_url("index"),
        admin_url("intake_intake_changelist"),
        admin_url("intake_intake_change", objects["intake"].pk),
        admin_url("intake_decision_change", objects["decision"].pk),
        admin_url("intake_flagtext_change", objects["flagtext"].pk),
        admin_url("intake_flagtext_history", objects["flagtext"].pk),
        admin_url(
            "intake_flagtext_simple_history",
            objects["flagtext"].pk,
            objects["flagtext"].history.earliest("history_date").pk,
        ),
        admin_url("intake_consentdocument_change", objects["consentdocument"].pk),
        admin_url("intake_clinicprofile_change", objects["clinicprofile"].pk),
        admin_url("intake_patient_changelist"),
    ]


def test_no_admin_page_a_japanese_clinic_opens_reads_in_english(
    superuser_client: Client, clinic_in_admin: dict[str, Any]
) -> None:
    english = {}
    for url in pages(clinic_in_admin):
        response = superuser_client.get(url)
        assert response.status_code == 200, url
        found = english_on(response.content.decode())
        if found:
            english[url] = found
    assert english == {}, "\n".join(f"{url}: {texts}" for url, texts in english.items())


def test_the_test_finds_english_where_there_is_some() -> None:
    page = (
        '<html lang="ja"><body><p>Invitation:</p><p lang="en">Prone to keloids</p>'
        "<p>KELOID · H9JV-HQG3 · hanako@example.jp</p><script>var x</script></body></html>"
    )
    assert english_on(page) == ["Invitation:"]


def test_the_intake_page_names_its_invitation_and_its_decisions_columns(
    superuser_client: Client, clinic_in_admin: dict[str, Any]
) -> None:
    page = superuser_client.get(
        admin_url("intake_intake_change", clinic_in_admin["intake"].pk)
    ).content.decode()

    assert "問診の案内:" in page
    for header in ("医師", "置き換えた判断", "ユーザー"):
        assert f">{header}</th>" in page or f">{header}\n" in page or f"{header}</" in page


def test_the_invitation_list_names_who_created_each_in_japanese(
    superuser_client: Client, receptionist: User, db: Any
) -> None:
    Invitation.objects.create(
        token="t" * 43,
        full_name="招待 花子",
        phone="090-0000-0000",
        visit_date=timezone.localdate(),
        created_by=receptionist,
    )

    page = superuser_client.get(admin_url("intake_invitation_changelist")).content.decode()

    assert re.search(r'column-created_by">\s*<div class="text"><a [^>]*>作成者</a>', page)
    assert "Created by" not in page


def test_the_sign_in_attempts_section_and_its_models_read_in_japanese(
    superuser_client: Client,
) -> None:
    page = superuser_client.get(admin_url("index")).content.decode()

    for name in ("ログインの記録", "ログイン失敗の集計", "ログイン失敗", "ログイン・ログアウト"):
        assert name in page
    for english in ("Axes", "Access attempts", "Access failures", "Access logs"):
        assert english not in page
    attempts = superuser_client.get(admin_url("axes_accessattempt_changelist")).content.decode()
    assert english_on(attempts) == []


def test_the_groups_read_in_the_readers_language_and_keep_their_names(
    superuser_client: Client, db: Any
) -> None:
    doctors = Group.objects.get(name="Doctors")
    reception = Group.objects.get(name="Reception")

    with translation.override("ja"):
        assert (group_name(doctors), group_name(reception)) == ("医師", "受付")
    with translation.override("en"):
        assert (group_name(doctors), group_name(reception)) == ("Doctors", "Reception")
    groups = superuser_client.get(admin_url("auth_group_changelist")).content.decode()
    change = superuser_client.get(admin_url("auth_group_change", doctors.pk)).content.decode()
    users = superuser_client.get(admin_url("auth_user_changelist")).content.decode()
    for page in (groups, change, users):
        read = " ".join(read_texts(page))
        assert "医師" in read
        assert "Doctors" not in read
    assert Group.objects.filter(name__in=["Doctors", "Reception"]).count() == 2


def test_permissions_read_in_the_readers_language(db: Any) -> None:
    add_intake = Permission.objects.get(codename="add_intake")
    review = Permission.objects.get(codename="review_intake")

    with translation.override("ja"):
        assert permission_name(add_intake) == "患者問診 | 問診 | 問診の追加"
        assert permission_name(review) == "患者問診 | 問診 | 問診を確認し、判断を登録する"
    with translation.override("en"):
        assert permission_name(add_intake) == "Patient intake | intake | Can add intake"
        assert permission_name(review).endswith("| Can review intakes and record decisions")


def test_a_translated_fields_label_names_its_language_in_the_readers_language(
    superuser_client: Client, clinic_in_admin: dict[str, Any]
) -> None:
    url = admin_url("intake_flagtext_change", clinic_in_admin["flagtext"].pk)

    japanese = superuser_client.get(url).content.decode()
    with translation.override("en"):
        english = superuser_client.get(
            reverse("admin:intake_flagtext_change", args=[clinic_in_admin["flagtext"].pk])
        ).content.decode()

    assert "タイトル（日本語）:" in japanese and "タイトル（英語）:" in japanese
    assert "Title (Japanese):" in english and "Title (English):" in english
    assert "[ja]" not in japanese + english and "[en]" not in japanese + english
    # Each language's field says which language its text is in.
    assert re.search(
        r'<input[^>]*name="title_en"[^>]*lang="en"|lang="en"[^>]*name="title_en"', japanese
    )
