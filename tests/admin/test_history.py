"""The history of the clinic's texts (flag texts, consent texts, the clinic profile): who changed
what and when, each earlier version readable whole in both languages, in the admin's language."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import translation

from intake import audit, retention, services
from intake.models import ClinicProfile, ConsentDocument, FlagText, Intake
from tests.helpers import read_texts

HISTORIES = (FlagText.history.model, ConsentDocument.history.model, ClinicProfile.history.model)


def url(name: str, *args: Any, language: str = "ja") -> str:
    with translation.override(language):
        return reverse(f"admin:{name}", args=args)


def flag_text_form(text: FlagText, **changes: str) -> dict[str, str]:
    data = {
        f"{field}_{language}": getattr(text, f"{field}_{language}") or ""
        for field in FlagText.TEXT_FIELDS
        for language in ("ja", "en")
    }
    return {**data, **changes}


def input_value(page: str, name: str) -> str:
    """The value of the text input or textarea `name` on a form page."""
    textarea = re.search(rf'<textarea name="{name}"[^>]*>\n?(.*?)</textarea>', page, re.DOTALL)
    if textarea:
        return textarea.group(1)
    tag = re.search(rf'<input type="text" name="{name}"[^>]*>', page)
    assert tag is not None, name
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else ""


@pytest.fixture
def edited_twice(staff_client: Callable[[str], Client], doctor: User) -> FlagText:
    """KELOID's title, written by a doctor in both languages, then rewritten."""
    client = staff_client("doctor")
    text = FlagText.objects.get(code="KELOID")
    for title_ja, title_en in (
        ("ケロイド体質", "Prone to keloids"),
        ("肥厚性瘢痕の体質", "Scars thicken"),
    ):
        response = client.post(
            url("intake_flagtext_change", text.pk),
            flag_text_form(text, title_ja=title_ja, title_en=title_en),
        )
        assert response.status_code == 302
        text.refresh_from_db()
    return text


def test_each_change_of_a_flag_text_is_kept_with_who_and_when(
    edited_twice: FlagText, doctor: User
) -> None:
    versions = list(edited_twice.history.order_by("history_date", "history_id"))

    # The text as it stood when the history began, then the doctor's two edits.
    assert [version.history_type for version in versions] == ["+", "~", "~"]
    assert [(v.title_ja, v.title_en) for v in versions] == [
        ("", ""),
        ("ケロイド体質", "Prone to keloids"),
        ("肥厚性瘢痕の体質", "Scars thicken"),
    ]
    assert [v.history_user for v in versions[1:]] == [doctor, doctor]
    assert versions[1].history_date <= versions[2].history_date


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ja", ["変更履歴: KELOID", "変更した人", "変更内容", "タイトル（英語）:", "Sato", "変更"]),
        ("en", ["Change history: KELOID", "Changed by", "What changed", "Title (English):"]),
    ],
)
def test_the_history_page_lists_who_changed_what_in_the_readers_language(
    staff_client: Callable[[str], Client],
    edited_twice: FlagText,
    language: str,
    expected: list[str],
) -> None:
    page = (
        staff_client("doctor")
        .get(url("intake_flagtext_history", edited_twice.pk, language=language))
        .content.decode()
    )

    read = " ".join(read_texts(page))
    for words in expected:
        assert words in read
    assert "Prone to keloids → Scars thicken" in read
    assert "ケロイド体質 → 肥厚性瘢痕の体質" in read


@pytest.mark.parametrize("language", ["ja", "en"])
def test_an_earlier_version_is_readable_whole_in_both_languages(
    staff_client: Callable[[str], Client], edited_twice: FlagText, language: str
) -> None:
    earlier = edited_twice.history.get(title_ja="ケロイド体質")

    response = staff_client("doctor").get(
        url("intake_flagtext_simple_history", edited_twice.pk, earlier.pk, language=language)
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert input_value(page, "title_ja") == "ケロイド体質"
    assert input_value(page, "title_en") == "Prone to keloids"
    assert ("当時保存された版です。" if language == "ja" else "as it was saved then") in page


def test_restoring_an_earlier_version_makes_it_the_text_again_and_is_itself_recorded(
    staff_client: Callable[[str], Client], edited_twice: FlagText
) -> None:
    earlier = edited_twice.history.get(title_ja="ケロイド体質")

    response = staff_client("doctor").post(
        url("intake_flagtext_simple_history", edited_twice.pk, earlier.pk),
        flag_text_form(earlier.instance),
    )

    edited_twice.refresh_from_db()
    assert response.status_code == 302
    assert (edited_twice.title_ja, edited_twice.title_en) == ("ケロイド体質", "Prone to keloids")
    assert edited_twice.history.count() == 4


def test_a_published_consent_text_is_never_restored_from_its_history(
    staff_client: Callable[[str], Client], db: Any
) -> None:
    published = ConsentDocument.objects.filter(published=True).latest("effective_date")
    first = published.history.earliest("history_date")
    client = staff_client("superuser")

    page = client.get(url("intake_consentdocument_simple_history", published.pk, first.pk))
    refused = client.post(
        url("intake_consentdocument_simple_history", published.pk, first.pk),
        {"version": published.version, "title_ja": "書き換え", "title_en": "Rewritten"},
    )

    assert page.status_code == 200
    assert input_value(page.content.decode(), "title_ja") == published.title_ja
    assert 'name="_save"' not in page.content.decode()  # no button to restore it
    assert refused.status_code == 403
    published.refresh_from_db()
    assert published.title_ja != "書き換え"


def test_a_consent_drafts_edits_and_the_clinic_profiles_are_kept(
    staff_client: Callable[[str], Client], clinic: ClinicProfile, superuser: User
) -> None:
    client = staff_client("superuser")
    draft = services.consent_document_new_draft(
        document=ConsentDocument.objects.filter(published=True).latest("effective_date")
    )
    clinic.name_ja, clinic.name_en = "梅田スキンクリニック本院", "Umeda Skin Clinic (main)"
    clinic._history_user = superuser  # as the admin's save does
    clinic.save()

    history = client.get(url("intake_clinicprofile_history", clinic.pk)).content.decode()
    first = clinic.history.earliest("history_date")
    earlier = client.get(url("intake_clinicprofile_simple_history", clinic.pk, first.pk))

    assert draft.history.count() == 1 and draft.history.get().history_type == "+"
    assert "梅田スキンクリニック → 梅田スキンクリニック本院" in " ".join(read_texts(history))
    assert "Umeda Skin Clinic → Umeda Skin Clinic (main)" in " ".join(read_texts(history))
    page = earlier.content.decode()
    assert input_value(page, "name_ja") == "梅田スキンクリニック"
    assert input_value(page, "name_en") == "Umeda Skin Clinic"


def test_restoring_the_texts_in_the_code_is_a_version_too(
    staff_client: Callable[[str], Client], edited_twice: FlagText
) -> None:
    response = staff_client("doctor").post(
        url("intake_flagtext_changelist"),
        {"action": "restore_defaults", "_selected_action": [edited_twice.pk]},
    )

    latest = edited_twice.history.latest("history_date")
    assert response.status_code == 302
    assert (latest.title_ja, latest.title_en, latest.history_type) == ("", "", "~")
    assert latest.history_user.username == "dr_sato"


def test_reception_reads_no_history_of_texts_it_cannot_see(
    staff_client: Callable[[str], Client], edited_twice: FlagText
) -> None:
    earlier = edited_twice.history.earliest("history_date")
    client = staff_client("receptionist")

    assert client.get(url("intake_flagtext_history", edited_twice.pk)).status_code == 403
    view = client.get(url("intake_flagtext_simple_history", edited_twice.pk, earlier.pk))
    assert view.status_code == 403


def test_every_text_has_its_first_version_from_when_the_history_began(db: Any) -> None:
    for model in (FlagText, ConsentDocument):
        rows = model.objects.count()
        assert rows
        started = model.history.filter(history_change_reason="history started")
        assert started.count() == rows


def test_an_account_that_changed_a_text_is_kept_not_deleted(
    edited_twice: FlagText, doctor: User
) -> None:
    assert list(audit.users_with_history(User.objects.filter(pk=doctor.pk))) == [doctor]


def test_the_histories_hold_nothing_about_patients_and_retention_leaves_them(
    edited_twice: FlagText, make_intake: Callable[..., Intake], today: datetime.date
) -> None:
    for history in HISTORIES:
        related = {
            field.related_model
            for field in history._meta.get_fields()
            if isinstance(field, models.ForeignKey)
        }
        assert related == {User}, history  # who changed it, nothing else
    intake = make_intake()
    kept = {history: history.objects.count() for history in HISTORIES}

    retention.intakes_delete(ids=[intake.pk])

    assert {history: history.objects.count() for history in HISTORIES} == kept


@pytest.mark.parametrize("version", ["14Q7-T6CH", "0x1", "1.5"])
def test_a_version_address_that_is_not_a_number_is_not_found(
    staff_client: Callable[[str], Client], edited_twice: FlagText, version: str
) -> None:
    client = staff_client("doctor")
    path = url("intake_flagtext_history", edited_twice.pk)

    assert client.get(f"{path}{version}/").status_code == 404
    assert client.get(url("intake_flagtext_changelist") + f"{version}/history/").status_code == 404
    assert (
        client.get(url("intake_flagtext_changelist") + f"{version}/history/1/").status_code == 404
    )
