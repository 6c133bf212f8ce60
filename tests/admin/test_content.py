"""The clinic's own words in the admin (intake/admin/content.py): flag texts, consent versions,
the clinic profile, in both languages."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from intake import screening, selectors
from intake.models import ClinicProfile, ConsentDocument, FlagText, Intake
from tests.helpers import confirmation_page

NEW_NOTE_JA = "妊娠中・授乳中の方には施術いたしません。詳しくは受付へお尋ねください。"
NEW_NOTE_EN = "We do not treat during pregnancy or breastfeeding. Please ask at reception."
TEXT_COLUMNS = [
    f"{field}_{language}" for field in FlagText.TEXT_FIELDS for language in ("ja", "en")
]


def flag_text_form(text: FlagText, **changes: str) -> dict[str, str]:
    data = {
        f"{field}_{language}": getattr(text, f"{field}_{language}") or ""
        for field in ("title", "clinician_note", "patient_note")
        for language in ("ja", "en")
    }
    return {**data, **changes}


# Flag texts -------------------------------------------------------------------------------------
def written_by_staff(code: str) -> FlagText:
    """A rule's row with every text written by staff, in both languages."""
    FlagText.objects.filter(code=code).update(**{name: f"Staff's {name}" for name in TEXT_COLUMNS})
    return FlagText.objects.get(code=code)


def test_editing_a_patient_note_in_the_admin_changes_what_the_next_patient_sees_in_both_languages(
    staff_client: Callable[[str], Client], make_intake: Callable[..., Intake]
) -> None:
    before = make_intake(pregnancy="pregnant")
    text = FlagText.objects.get(code="PREGNANCY_BREASTFEEDING")

    response = staff_client("doctor").post(
        reverse("admin:intake_flagtext_change", args=[text.pk]),
        flag_text_form(text, patient_note_ja=NEW_NOTE_JA, patient_note_en=NEW_NOTE_EN),
    )
    after_ja = make_intake(pregnancy="pregnant", language="ja")
    after_en = make_intake(pregnancy="pregnant", language="en")

    assert response.status_code == 302
    assert NEW_NOTE_JA in confirmation_page(after_ja, "ja")
    assert NEW_NOTE_EN in confirmation_page(after_en, "en")
    # The earlier intake keeps the note it was shown at submit.
    earlier = confirmation_page(before, "en")
    assert NEW_NOTE_EN not in earlier
    assert screening.RULES_BY_CODE["PREGNANCY_BREASTFEEDING"].patient_note.en in earlier


@pytest.mark.parametrize(
    "emptied", ["title_en", "title_ja", "clinician_note_en", "patient_note_ja", "patient_note_en"]
)
def test_a_flag_text_written_by_staff_may_not_be_left_empty_in_one_language(
    emptied: str, staff_client: Callable[[str], Client], db: Any
) -> None:
    text = written_by_staff("PREGNANCY_BREASTFEEDING")

    response = staff_client("doctor").post(
        reverse("admin:intake_flagtext_change", args=[text.pk]),
        flag_text_form(text, **{emptied: "  "}),
    )

    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    text.refresh_from_db()
    assert getattr(text, emptied).strip()


def test_a_patient_note_written_in_japanese_only_is_refused_with_a_reason(
    staff_client: Callable[[str], Client], db: Any
) -> None:
    text = FlagText.objects.get(code="PREGNANCY_BREASTFEEDING")

    response = staff_client("doctor").post(
        reverse("admin:intake_flagtext_change", args=[text.pk]),
        flag_text_form(text, patient_note_ja=NEW_NOTE_JA, patient_note_en=""),
    )

    assert "Patients read this: write it in Japanese and in English." in response.content.decode()
    text.refresh_from_db()
    assert text.patient_note_ja == ""


def test_a_field_left_blank_in_the_admin_gives_patients_and_doctors_the_codes_text(
    staff_client: Callable[[str], Client], make_intake: Callable[..., Intake]
) -> None:
    text = written_by_staff("PREGNANCY_BREASTFEEDING")

    response = staff_client("doctor").post(
        reverse("admin:intake_flagtext_change", args=[text.pk]),
        flag_text_form(text, patient_note_ja="", patient_note_en=" "),
    )
    intake = make_intake(pregnancy="pregnant")

    rule = screening.RULES_BY_CODE["PREGNANCY_BREASTFEEDING"]
    flag = intake.flags.get(code="PREGNANCY_BREASTFEEDING")
    assert response.status_code == 302
    assert (flag.patient_note_ja, flag.patient_note_en) == (
        rule.patient_note.ja,
        rule.patient_note.en,
    )
    assert (flag.title_ja, flag.title_en) == ("Staff's title_ja", "Staff's title_en")
    assert rule.patient_note.ja in confirmation_page(intake, "ja")
    assert rule.patient_note.en in confirmation_page(intake, "en")


def test_the_flag_text_form_says_a_blank_field_uses_the_codes_text(
    staff_client: Callable[[str], Client], db: Any
) -> None:
    text = FlagText.objects.get(code="PREGNANCY_BREASTFEEDING")

    page = staff_client("doctor").get(reverse("admin:intake_flagtext_change", args=[text.pk]))

    assert "Leave blank to use the text in the code (shown below)." in page.content.decode()


def test_the_flag_text_list_shows_the_title_in_force(
    staff_client: Callable[[str], Client], db: Any
) -> None:
    FlagText.objects.filter(code="KELOID").update(
        title_ja="ケロイド（院内表記）", title_en="Keloid (ours)"
    )

    page = staff_client("doctor").get(reverse("admin:intake_flagtext_changelist"))

    assert "Keloid (ours)" in page.content.decode()
    assert screening.RULES_BY_CODE["DRY_SKIN"].title.en in page.content.decode()


def test_the_patient_note_of_a_rule_without_one_cannot_be_written(
    staff_client: Callable[[str], Client], db: Any
) -> None:
    text = FlagText.objects.get(code="BONT_ALLERGY")

    page = staff_client("doctor").get(reverse("admin:intake_flagtext_change", args=[text.pk]))

    assert 'name="patient_note_en"' not in page.content.decode()
    assert 'name="title_en"' in page.content.decode()


def test_restoring_the_defaults_clears_staffs_texts(
    staff_client: Callable[[str], Client], db: Any
) -> None:
    FlagText.objects.filter(code="KELOID").update(title_ja="編集", title_en="Edited")
    text = FlagText.objects.get(code="KELOID")

    staff_client("doctor").post(
        reverse("admin:intake_flagtext_changelist"),
        {"action": "restore_defaults", "_selected_action": [text.pk]},
    )

    text.refresh_from_db()
    assert (text.title_ja, text.title_en) == ("", "")


def test_translated_content_pages_load_no_script_from_another_site(
    staff_client: Callable[[str], Client], objects: dict[str, Any]
) -> None:
    page = (
        staff_client("doctor")
        .get(reverse("admin:intake_flagtext_change", args=[objects["flagtext"].pk]))
        .content.decode()
    )

    assert '<script src="/static/admin/intake/translation_tabs.js">' in page
    assert "googleapis" not in page and 'src="//' not in page


# Consent versions -------------------------------------------------------------------------------
def consent_form(**changes: Any) -> dict[str, Any]:
    """A complete new version: every part spec §6 requires, in both languages."""
    return {
        "version": "2027-01",
        "title_ja": "個人情報の取り扱いについて（改定）",
        "title_en": "How we handle your personal information (revised)",
        "body_ja": "改定した本文。",
        "body_en": "The revised text.",
        "purposes_ja": "診察前の確認\nご連絡",
        "purposes_en": "The check before your consultation\nContacting you",
        "retention_ja": "回答は{period}保存し、その後削除します。",
        "retention_en": "Your answers are kept for {period}, then deleted.",
        "contact_office_ja": "受付",
        "contact_office_en": "Reception",
        "contact_phone": "06-6375-0000",
        "contact_person_ja": "院長 山田太郎",
        "contact_person_en": "Dr Taro Yamada, director",
        "off_label_ja": "マイクロボトックスは適応外使用です。",
        "off_label_en": "Micro-Botox is an off-label use.",
        "effective_date": datetime.date.today().isoformat(),
        "published": "on",
        **changes,
    }


def first_free_day() -> datetime.date:
    """The first day a new version may take effect: today, or the latest published one's day."""
    latest = ConsentDocument.objects.filter(published=True).latest("effective_date")
    return max(datetime.date.today(), latest.effective_date)


def test_a_new_consent_version_is_what_the_next_patient_agrees_to(
    staff_client: Callable[[str], Client], make_intake: Callable[..., Intake]
) -> None:
    earlier = make_intake()
    agreed_before = earlier.consent_document
    day = first_free_day()

    response = staff_client("doctor").post(
        reverse("admin:intake_consentdocument_add"), consent_form(effective_date=day.isoformat())
    )

    assert response.status_code == 302
    assert selectors.current_consent_document(today=day).version == "2027-01"
    # The earlier intake keeps the version it agreed to.
    earlier.refresh_from_db()
    assert (
        earlier.consent_document == agreed_before != ConsentDocument.objects.get(version="2027-01")
    )


def test_a_version_taking_effect_later_is_not_shown_before_its_date(
    staff_client: Callable[[str], Client], db: Any
) -> None:
    day = first_free_day()
    in_ten_days = day + datetime.timedelta(days=10)
    staff_client("doctor").post(
        reverse("admin:intake_consentdocument_add"),
        consent_form(effective_date=in_ten_days.isoformat()),
    )

    assert selectors.current_consent_document(today=day).version != "2027-01"
    assert selectors.current_consent_document(today=in_ten_days).version == "2027-01"


def test_a_published_consent_version_is_never_edited(
    staff_client: Callable[[str], Client], db: Any
) -> None:
    published = ConsentDocument.objects.get(version="2026-11")

    response = staff_client("superuser").post(
        reverse("admin:intake_consentdocument_change", args=[published.pk]),
        consent_form(version="2026-11", body_en="Rewritten"),
    )

    published.refresh_from_db()
    assert response.status_code == 403
    assert published.body_en.startswith("The clinic handles")


def test_a_change_to_the_consent_text_starts_as_a_draft_copy(
    staff_client: Callable[[str], Client], today: datetime.date
) -> None:
    published = ConsentDocument.objects.get(version="2026-12")
    in_force = selectors.current_consent_document(today=today)

    staff_client("doctor").post(
        reverse("admin:intake_consentdocument_changelist"),
        {"action": "new_draft", "_selected_action": [published.pk]},
    )

    draft = ConsentDocument.objects.get(published=False)
    assert draft.version != published.version
    assert draft.version.startswith(f"{today:%Y-%m}")
    assert (draft.title_en, draft.body_ja) == (published.title_en, published.body_ja)
    # Every part spec §6 requires is copied too, so the draft can be published as it is.
    for part in ConsentDocument.REQUIRED_PARTS:
        assert (getattr(draft, f"{part}_ja"), getattr(draft, f"{part}_en")) == (
            getattr(published, f"{part}_ja"),
            getattr(published, f"{part}_en"),
        ), part
    assert selectors.current_consent_document(today=today) == in_force


@pytest.mark.parametrize("emptied", ["title_en", "body_ja", "body_en"])
def test_a_consent_version_needs_both_languages(
    emptied: str, staff_client: Callable[[str], Client], db: Any
) -> None:
    response = staff_client("doctor").post(
        reverse("admin:intake_consentdocument_add"), consent_form(**{emptied: " "})
    )

    assert response.status_code == 200
    assert not ConsentDocument.objects.filter(version="2027-01").exists()


def test_a_published_version_cannot_take_effect_before_the_latest_one(
    staff_client: Callable[[str], Client], db: Any
) -> None:
    response = staff_client("doctor").post(
        reverse("admin:intake_consentdocument_add"), consent_form(effective_date="2026-10-01")
    )

    assert response.status_code == 200
    assert "A new version takes effect on or after the latest published one" in (
        response.content.decode()
    )


# The parts spec §6 requires: the admin refuses to publish without them -------------------------
REQUIRED_MESSAGE = {
    "en": "Required before publishing: patients must be told this before they agree",
    "ja": "公開するには必須です。患者さんが同意する前に知らせる必要がある項目です",
}


@pytest.mark.parametrize("part", ConsentDocument.REQUIRED_PARTS)
@pytest.mark.parametrize("blank", ["ja", "both"])
def test_a_version_missing_a_required_part_is_not_published(
    part: str, blank: str, staff_client: Callable[[str], Client], db: Any
) -> None:
    emptied = {
        f"{part}_{language}": "" for language in (["ja", "en"] if blank == "both" else ["ja"])
    }

    response = staff_client("doctor").post(
        reverse("admin:intake_consentdocument_add"),
        consent_form(effective_date=first_free_day().isoformat(), **emptied),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) == set(emptied)
    assert not ConsentDocument.objects.filter(version="2027-01").exists()
    if blank == "both":
        assert REQUIRED_MESSAGE["en"] in response.content.decode()


def test_the_refusal_to_publish_is_explained_in_japanese(
    staff_client: Callable[[str], Client], db: Any
) -> None:
    with translation.override("ja"):
        url = reverse("admin:intake_consentdocument_add")

    response = staff_client("doctor").post(
        url,
        consent_form(effective_date=first_free_day().isoformat(), purposes_ja="", purposes_en=""),
    )

    assert REQUIRED_MESSAGE["ja"] in response.content.decode()


def test_a_draft_may_be_saved_without_its_required_parts(
    staff_client: Callable[[str], Client], db: Any
) -> None:
    blank = {
        f"{part}_{language}": ""
        for part in ConsentDocument.REQUIRED_PARTS
        for language in ("ja", "en")
    }
    form = consent_form(**blank, contact_phone="")
    del form["published"]

    response = staff_client("doctor").post(reverse("admin:intake_consentdocument_add"), form)

    assert response.status_code == 302
    assert ConsentDocument.objects.get(version="2027-01").published is False


def test_a_retention_text_without_the_period_placeholder_is_not_published(
    staff_client: Callable[[str], Client], db: Any
) -> None:
    response = staff_client("doctor").post(
        reverse("admin:intake_consentdocument_add"),
        consent_form(
            effective_date=first_free_day().isoformat(),
            retention_en="Your answers are kept for 3 years, then deleted.",
        ),
    )

    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"retention_en"}
    assert "Write {period} where the retention period goes" in response.content.decode()
    assert "(now 5 years)" in response.content.decode()


def test_a_blank_contact_phone_is_published_only_when_the_clinic_has_a_phone(
    staff_client: Callable[[str], Client], db: Any
) -> None:
    form = consent_form(effective_date=first_free_day().isoformat(), contact_phone="")
    client = staff_client("doctor")

    refused = client.post(reverse("admin:intake_consentdocument_add"), form)
    ClinicProfile.objects.create(
        name_ja="梅田", name_en="Umeda", address_ja="大阪", address_en="Osaka", phone="06-1"
    )
    accepted = client.post(reverse("admin:intake_consentdocument_add"), form)

    assert set(refused.context["adminform"].form.errors) == {"contact_phone"}
    assert accepted.status_code == 302
    assert ConsentDocument.objects.get(version="2027-01").contact_phone_in_force == "06-1"


# Clinic profile ---------------------------------------------------------------------------------
def clinic_form(**changes: str) -> dict[str, str]:
    return {
        "name_ja": "梅田スキンクリニック",
        "name_en": "Umeda Skin Clinic",
        "address_ja": "大阪市北区梅田1-1-1",
        "address_en": "1-1-1 Umeda, Kita-ku, Osaka",
        "phone": "06-6375-0000",
        "access_ja": "JR大阪駅から徒歩5分",
        "access_en": "5 minutes' walk from JR Osaka Station",
        "line_id": "@umeda-skin",
        "opening_hours_ja": "10:00〜19:00（水曜休診）",
        "opening_hours_en": "10:00–19:00 (closed on Wednesdays)",
        **changes,
    }


def test_the_clinic_profile_written_in_the_admin_is_on_the_confirmation_page_in_both_languages(
    staff_client: Callable[[str], Client], make_intake: Callable[..., Intake]
) -> None:
    response = staff_client("superuser").post(
        reverse("admin:intake_clinicprofile_add"), clinic_form()
    )
    intake = make_intake()

    japanese = confirmation_page(intake, "ja")
    english = confirmation_page(intake, "en")

    assert response.status_code == 302
    assert "梅田スキンクリニック" in japanese and "JR大阪駅から徒歩5分" in japanese
    assert "Umeda Skin Clinic" in english and "closed on Wednesdays" in english
    assert "@umeda-skin" in english and "06-6375-0000" in english


def test_there_is_one_clinic_profile(staff_client: Callable[[str], Client], db: Any) -> None:
    client = staff_client("superuser")
    client.post(reverse("admin:intake_clinicprofile_add"), clinic_form())

    response = client.post(reverse("admin:intake_clinicprofile_add"), clinic_form())

    assert response.status_code == 403
    assert ClinicProfile.objects.count() == 1


@pytest.mark.parametrize(
    "changes",
    [{"name_en": ""}, {"address_ja": ""}, {"access_en": ""}, {"opening_hours_ja": ""}],
    ids=["name", "address", "access", "opening hours"],
)
def test_the_clinic_profile_needs_both_languages_of_what_patients_read(
    changes: dict[str, str], staff_client: Callable[[str], Client], db: Any
) -> None:
    response = staff_client("superuser").post(
        reverse("admin:intake_clinicprofile_add"), clinic_form(**changes)
    )

    assert response.status_code == 200
    assert not ClinicProfile.objects.exists()


def test_optional_clinic_details_may_be_left_out_in_both_languages(
    staff_client: Callable[[str], Client], db: Any
) -> None:
    response = staff_client("superuser").post(
        reverse("admin:intake_clinicprofile_add"),
        clinic_form(access_ja="", access_en="", opening_hours_ja="", opening_hours_en=""),
    )

    assert response.status_code == 302
    assert ClinicProfile.objects.get().access_en in ("", None)
