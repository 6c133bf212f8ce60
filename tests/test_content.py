"""The clinic's own words: flag texts, consent versions, the clinic profile, in both languages."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from intake import screening, selectors, services
from intake.models import ClinicProfile, ConsentDocument, FlagText, Intake
from intake.views import SUBMITTED_SESSION_KEY

NEW_NOTE_JA = "妊娠中・授乳中の方には施術いたしません。詳しくは受付へお尋ねください。"
NEW_NOTE_EN = "We do not treat during pregnancy or breastfeeding. Please ask at reception."


def confirmation_page(intake: Intake, language: str) -> str:
    """The confirmation page as the patient who submitted `intake` sees it, in `language`."""
    client = Client()
    session = client.session
    session[SUBMITTED_SESSION_KEY] = [intake.reference]
    session.save()
    with translation.override(language):
        url = reverse("intake:submitted", kwargs={"reference": intake.reference})
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def flag_text_form(text: FlagText, **changes: str) -> dict[str, str]:
    data = {
        f"{field}_{language}": getattr(text, f"{field}_{language}") or ""
        for field in ("title", "clinician_note", "patient_note")
        for language in ("ja", "en")
    }
    return {**data, **changes}


# Flag texts -------------------------------------------------------------------------------------
def test_every_rule_has_its_texts_seeded_from_the_code(db: Any) -> None:
    texts = {text.code: text for text in FlagText.objects.all()}

    assert set(texts) == set(screening.RULES_BY_CODE)
    for rule in screening.RULES:
        text = texts[rule.code]
        assert (text.title_ja, text.title_en) == (rule.title.ja, rule.title.en)
        assert (text.clinician_note_ja, text.clinician_note_en) == (
            rule.clinician_note.ja,
            rule.clinician_note.en,
        )
        note = rule.patient_note
        assert (text.patient_note_ja, text.patient_note_en) == (
            (note.ja, note.en) if note else ("", "")
        )


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


def test_an_intake_keeps_the_flag_texts_it_was_shown_at_submit(
    make_intake: Callable[..., Intake],
) -> None:
    intake = make_intake(pregnancy="pregnant")
    FlagText.objects.filter(code="PREGNANCY_BREASTFEEDING").update(
        title_en="Edited title", clinician_note_en="Edited note", patient_note_en="Edited"
    )

    flag = intake.flags.get(code="PREGNANCY_BREASTFEEDING")
    rule = screening.RULES_BY_CODE["PREGNANCY_BREASTFEEDING"]
    assert (flag.title_en, flag.clinician_note_en, flag.patient_note_en) == (
        rule.title.en,
        rule.clinician_note.en,
        rule.patient_note.en,
    )


def test_a_note_that_varies_with_an_answer_keeps_its_variants_until_staff_edit_it(
    make_intake: Callable[..., Intake],
) -> None:
    man = make_intake(sex="male", planning_pregnancy=True)
    note_for_men = man.flags.get(code="PLANNING_PREGNANCY").patient_note_en
    FlagText.objects.filter(code="PLANNING_PREGNANCY").update(patient_note_en="Edited for all.")
    woman = make_intake(sex="female", planning_pregnancy=True)

    assert note_for_men.startswith("For 3 months after the treatment")
    assert woman.flags.get(code="PLANNING_PREGNANCY").patient_note_en == "Edited for all."


def test_a_rule_without_a_patient_note_shows_patients_nothing_whatever_is_stored(
    make_intake: Callable[..., Intake],
) -> None:
    FlagText.objects.filter(code="BONT_ALLERGY").update(patient_note_en="Should never show")

    intake = make_intake(allergies=["botulinum_toxin"])

    assert intake.flags.get(code="BONT_ALLERGY").patient_note_en == ""


@pytest.mark.parametrize(
    "emptied", ["title_en", "title_ja", "clinician_note_en", "patient_note_ja", "patient_note_en"]
)
def test_neither_language_of_a_flag_text_may_be_left_empty(
    emptied: str, staff_client: Callable[[str], Client], db: Any
) -> None:
    text = FlagText.objects.get(code="PREGNANCY_BREASTFEEDING")

    response = staff_client("doctor").post(
        reverse("admin:intake_flagtext_change", args=[text.pk]),
        flag_text_form(text, **{emptied: "  "}),
    )

    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    text.refresh_from_db()
    assert getattr(text, emptied).strip()


def test_an_empty_english_patient_note_is_refused_with_a_reason(
    staff_client: Callable[[str], Client], db: Any
) -> None:
    text = FlagText.objects.get(code="PREGNANCY_BREASTFEEDING")

    response = staff_client("doctor").post(
        reverse("admin:intake_flagtext_change", args=[text.pk]),
        flag_text_form(text, patient_note_en=""),
    )

    assert "Patients read this: write it in Japanese and in English." in response.content.decode()


def test_the_patient_note_of_a_rule_without_one_cannot_be_written(
    staff_client: Callable[[str], Client], db: Any
) -> None:
    text = FlagText.objects.get(code="BONT_ALLERGY")

    page = staff_client("doctor").get(reverse("admin:intake_flagtext_change", args=[text.pk]))

    assert 'name="patient_note_en"' not in page.content.decode()
    assert 'name="title_en"' in page.content.decode()


def test_restoring_the_defaults_puts_the_codes_texts_back(
    staff_client: Callable[[str], Client], db: Any
) -> None:
    FlagText.objects.filter(code="KELOID").update(title_ja="編集", title_en="Edited")
    text = FlagText.objects.get(code="KELOID")

    staff_client("doctor").post(
        reverse("admin:intake_flagtext_changelist"),
        {"action": "restore_defaults", "_selected_action": [text.pk]},
    )

    text.refresh_from_db()
    rule = screening.RULES_BY_CODE["KELOID"]
    assert (text.title_ja, text.title_en) == (rule.title.ja, rule.title.en)


# Consent versions -------------------------------------------------------------------------------
def consent_form(**changes: Any) -> dict[str, Any]:
    return {
        "version": "2027-01",
        "title_ja": "個人情報の取り扱いについて（改定）",
        "title_en": "How we handle your personal information (revised)",
        "body_ja": "改定した本文。",
        "body_en": "The revised text.",
        "effective_date": datetime.date.today().isoformat(),
        "published": "on",
        **changes,
    }


def test_a_new_consent_version_is_what_the_next_patient_agrees_to(
    staff_client: Callable[[str], Client],
    make_intake: Callable[..., Intake],
    valid_answers: dict[str, Any],
    today: datetime.date,
) -> None:
    earlier = make_intake()

    response = staff_client("doctor").post(
        reverse("admin:intake_consentdocument_add"),
        consent_form(effective_date=today.isoformat()),
    )
    later = make_intake()

    assert response.status_code == 302
    assert earlier.consent_document.version == "2026-11"
    assert later.consent_document.version == "2027-01"
    assert selectors.current_consent_document(today=today).version == "2027-01"


def test_a_version_taking_effect_later_is_not_shown_before_its_date(
    staff_client: Callable[[str], Client], today: datetime.date
) -> None:
    staff_client("doctor").post(
        reverse("admin:intake_consentdocument_add"),
        consent_form(effective_date=(today + datetime.timedelta(days=10)).isoformat()),
    )

    assert selectors.current_consent_document(today=today).version == "2026-11"
    in_ten_days = today + datetime.timedelta(days=10)
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
    published = ConsentDocument.objects.get(version="2026-11")

    staff_client("doctor").post(
        reverse("admin:intake_consentdocument_changelist"),
        {"action": "new_draft", "_selected_action": [published.pk]},
    )

    draft = ConsentDocument.objects.get(published=False)
    assert draft.version != published.version
    assert draft.version.startswith(f"{today:%Y-%m}")
    assert (draft.title_en, draft.body_ja) == (published.title_en, published.body_ja)
    assert selectors.current_consent_document(today=today) == published


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


def test_flag_texts_reach_the_submit_service_unchanged_for_an_unedited_rule(
    valid_answers: dict[str, Any], db: Any
) -> None:
    intake = services.intake_submit(
        answers_given={**valid_answers, "keloid_history": True},
        language="en",
        consent_document=selectors.current_consent_document(),
        submission_token=uuid.uuid4(),
    )

    flag = intake.flags.get(code="KELOID")
    rule = screening.RULES_BY_CODE["KELOID"]
    assert (flag.title_ja, flag.title_en) == (rule.title.ja, rule.title.en)
