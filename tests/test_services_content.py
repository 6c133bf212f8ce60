"""intake.services on the clinic's own words: flag texts kept at submit, restoring the defaults."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from intake import screening, selectors, services
from intake.models import FlagText, Intake

pytestmark = pytest.mark.django_db


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


def test_restoring_the_defaults_clears_every_text_of_the_rows_asked_for_only() -> None:
    staff_texts = {
        "title_ja": "院内表記",
        "title_en": "Clinic wording",
        "clinician_note_ja": "院内メモ",
        "clinician_note_en": "Clinic note",
        "patient_note_ja": "ご案内",
        "patient_note_en": "Our note",
    }
    FlagText.objects.filter(code__in=["DRY_SKIN", "KELOID", "OFF_LABEL"]).update(**staff_texts)

    restored = services.flag_texts_restore_defaults(codes=["DRY_SKIN", "KELOID"])

    assert restored == 2
    for code in ("DRY_SKIN", "KELOID"):
        text = FlagText.objects.get(code=code)
        assert [getattr(text, name) for name in staff_texts] == [""] * len(staff_texts)
    off_label = FlagText.objects.get(code="OFF_LABEL")
    assert [getattr(off_label, name) for name in staff_texts] == list(staff_texts.values())


def test_after_a_restore_the_next_intake_gets_the_codes_texts(
    make_intake: Callable[..., Intake],
) -> None:
    FlagText.objects.filter(code="OFF_LABEL").update(title_ja="院内表記", title_en="Ours")

    services.flag_texts_restore_defaults(codes=["OFF_LABEL"])
    flag = make_intake().flags.get(code="OFF_LABEL")

    rule = screening.RULES_BY_CODE["OFF_LABEL"]
    assert (flag.title_ja, flag.title_en) == (rule.title.ja, rule.title.en)
