"""intake.services: submitting an intake (answers, consent, result, flag texts), content writes."""

from __future__ import annotations

import datetime
import secrets
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from intake import answers, screening, selectors, services
from intake.models import FlagText, Intake, IntakeFlag, Invitation
from tests.helpers import REFERENCE_FORMAT

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 12, 1, 10, 30, tzinfo=datetime.UTC)  # 19:30 in Tokyo


def submit(given: dict[str, Any], **kwargs: Any) -> Intake:
    options: dict[str, Any] = {
        "answers_given": given,
        "language": "ja",
        "consent_document": selectors.current_consent_document(),
        "submission_token": uuid.uuid4(),
        **kwargs,
    }
    return services.intake_submit(**options)


@pytest.fixture
def risky_answers(valid_answers: dict[str, Any], today: datetime.date) -> dict[str, Any]:
    """Answers touching every kind of field, raising flags of every severity."""
    return {
        **valid_answers,
        "visit_date": None,
        "skin_type": "sensitive",
        "phototype": "",
        "concerns": ["active_acne", "atrophic_scars"],
        "skin_problems_now": ["irritation_peeling"],
        "keloid_history": True,
        "topical_retinoids": ["tretinoin", "retinol"],
        "topical_retinoid_started": today - datetime.timedelta(days=10),
        "retinoid_irritation": ["peeling", "burning"],
        "isotretinoin": "past",
        "isotretinoin_last_dose": today - datetime.timedelta(days=400),
        "botulinum_before": True,
        "botulinum_last_date": today - datetime.timedelta(days=30),
        "botulinum_product": "unknown",
        "botulinum_reactions": ["drooping"],
        "last_resurfacing_date": today - datetime.timedelta(days=100),
        "pregnancy": "pregnant",
        "planning_pregnancy": True,
        "allergies": ["other"],
        "allergy_details": "卵、そば",
        "medications": ["anticoagulant"],
        "medication_details": "ワーファリン 2mg",
        "upcoming_event_date": today + datetime.timedelta(days=40),
    }


# Storing the answers ------------------------------------------------------------------------------
def test_submit_stores_every_answer_with_its_type(
    risky_answers: dict[str, Any], today: datetime.date
) -> None:
    intake = submit(risky_answers)
    intake.refresh_from_db()
    for key in answers.QUESTIONS:
        assert getattr(intake, key) == risky_answers[key], key
    assert isinstance(intake.date_of_birth, datetime.date)
    assert isinstance(intake.topical_retinoid_started, datetime.date)
    assert intake.keloid_history is True
    assert intake.breastfeeding is False
    assert intake.concerns == ["active_acne", "atrophic_scars"]
    assert intake.status == Intake.Status.NEW
    assert intake.language == "ja"


def test_answers_left_out_are_stored_empty_not_as_nulls(valid_answers: dict[str, Any]) -> None:
    given = {
        key: value
        for key, value in valid_answers.items()
        if answers.QUESTIONS[key].required or answers.QUESTIONS[key].must_be_true
    }
    intake = submit(given)
    intake.refresh_from_db()
    assert intake.full_name_kana == ""
    assert intake.email == ""
    assert intake.phototype == ""
    assert intake.botulinum_product == ""
    assert intake.allergy_details == ""
    assert intake.visit_date is None
    assert intake.upcoming_event_date is None
    for key in answers.MULTI_KEYS:
        if key != "concerns":
            assert getattr(intake, key) == [], key


def test_submit_records_the_consent_text_and_when_it_was_given(
    valid_answers: dict[str, Any],
) -> None:
    consent = selectors.current_consent_document()
    intake = submit(valid_answers, now=NOW, consent_document=consent)
    intake.refresh_from_db()
    assert intake.consent_document == consent
    assert intake.consent_at == NOW
    assert intake.submitted_at == NOW
    assert intake.consent_privacy and intake.consent_off_label and intake.confirm_accurate


# The screening result -----------------------------------------------------------------------------
def test_submit_stores_the_screening_result_as_produced(
    risky_answers: dict[str, Any], today: datetime.date
) -> None:
    intake = submit(risky_answers, now=NOW)
    expected = screening.screen(risky_answers, today=timezone.localdate(NOW))
    intake.refresh_from_db()

    assert intake.ruleset_version == screening.RULESET_VERSION
    assert intake.reference_date == expected.reference_date == timezone.localdate(NOW)
    assert intake.verdict == expected.verdict == "not_suitable"
    assert intake.verdict_rank == screening.verdict_rank("not_suitable") == 0
    assert intake.suitability == expected.suitability == "partial"

    flags = list(intake.flags.order_by("position"))
    assert [flag.code for flag in flags] == [flag.code for flag in expected.flags]
    assert [flag.position for flag in flags] == list(range(len(flags)))
    for stored, produced in zip(flags, expected.flags, strict=True):
        assert stored.severity == produced.severity
        assert stored.source == produced.source
        assert stored.keys == list(produced.keys)
        assert (stored.title_ja, stored.title_en) == (produced.title.ja, produced.title.en)
        assert (stored.clinician_note_ja, stored.clinician_note_en) == (
            produced.clinician_note.ja,
            produced.clinician_note.en,
        )
        if produced.patient_note is None:
            assert stored.patient_note_ja == stored.patient_note_en == ""
        else:
            assert (stored.patient_note_ja, stored.patient_note_en) == (
                produced.patient_note.ja,
                produced.patient_note.en,
            )


def test_the_flags_are_kept_strongest_first_then_in_table_order(
    risky_answers: dict[str, Any],
) -> None:
    intake = submit(risky_answers)
    assert [flag.code for flag in intake.flags.all()] == [
        "PREGNANCY_BREASTFEEDING",
        "RECENT_TOXIN",
        "PRIOR_TOXIN_REACTION",
        "RETINOID_IRRITATION",
        "SKIN_FLARE",
        "KELOID",
        "PLANNING_PREGNANCY",
        "TOPICAL_RETINOID",
        "RETINOID_RECENT_START",
        "ANTICOAGULANT",
        "SENSITIVE_SKIN",
        "OFF_LABEL",
        "TOXIN_PRODUCT_UNKNOWN",
        "LIMITED_BENEFIT_SCARS",
    ]


def test_the_visit_date_is_the_stored_reference_date(
    valid_answers: dict[str, Any], today: datetime.date
) -> None:
    visit = today + datetime.timedelta(days=30)
    intake = submit({**valid_answers, "visit_date": visit})
    assert intake.reference_date == visit


@pytest.mark.parametrize(
    ("changes", "verdict", "rank"),
    [
        ({"breastfeeding": True}, "not_suitable", 0),
        ({"keloid_history": True}, "needs_review", 1),
        ({"skin_type": "dry"}, "suitable_with_cautions", 2),
        ({}, "suitable", 3),
    ],
)
def test_the_verdict_rank_sorts_the_most_urgent_first(
    valid_answers: dict[str, Any], changes: dict[str, Any], verdict: str, rank: int
) -> None:
    intake = submit({**valid_answers, **changes})
    assert (intake.verdict, intake.verdict_rank) == (verdict, rank)


def test_the_patient_note_kept_is_the_one_that_fits_the_patient(
    valid_answers: dict[str, Any],
) -> None:
    man = submit({**valid_answers, "sex": "male", "planning_pregnancy": True})
    flag = man.flags.get(code="PLANNING_PREGNANCY")
    assert "contraception" in flag.patient_note_en
    assert "menstrual" not in flag.patient_note_en
    assert "避妊" in flag.patient_note_ja


# Idempotency --------------------------------------------------------------------------------------
def test_submitting_twice_with_one_token_creates_one_intake(valid_answers: dict[str, Any]) -> None:
    token = uuid.uuid4()
    first = submit(valid_answers, submission_token=token)
    second = submit({**valid_answers, "full_name": "別人"}, submission_token=token)
    assert second.pk == first.pk
    assert Intake.objects.count() == 1
    assert Intake.objects.get().full_name == "山田 花子"
    assert IntakeFlag.objects.count() == first.flags.count()


def test_each_token_makes_its_own_intake(valid_answers: dict[str, Any]) -> None:
    references = {submit(valid_answers).reference for _ in range(3)}
    assert len(references) == 3
    assert Intake.objects.count() == 3


def test_stored_references_are_unique_and_well_formed(valid_answers: dict[str, Any]) -> None:
    intake = submit(valid_answers)
    assert REFERENCE_FORMAT.match(intake.reference)


def test_a_reference_that_collides_is_drawn_again(
    valid_answers: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    taken = submit(valid_answers).reference
    draws = iter([taken, taken, "7K3M-9QXZ"])
    monkeypatch.setattr(services, "new_reference", lambda: next(draws))
    second = submit(valid_answers)
    assert second.reference == "7K3M-9QXZ"
    assert Intake.objects.count() == 2


def test_when_no_free_reference_can_be_drawn_nothing_is_stored(
    valid_answers: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    taken = submit(valid_answers).reference
    monkeypatch.setattr(services, "new_reference", lambda: taken)
    with pytest.raises(RuntimeError):
        submit(valid_answers)
    assert Intake.objects.count() == 1


# One transaction ----------------------------------------------------------------------------------
def test_when_storing_the_flags_fails_no_intake_remains(
    valid_answers: dict[str, Any], monkeypatch: pytest.MonkeyPatch, today: datetime.date
) -> None:
    invitation = Invitation.objects.create(
        token=secrets.token_urlsafe(32), full_name="山田 花子", visit_date=today
    )

    def fail(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the flag insert failed")

    monkeypatch.setattr(IntakeFlag.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError, match="flag insert"):
        submit(valid_answers, invitation=invitation)
    assert Intake.objects.count() == 0
    assert IntakeFlag.objects.count() == 0
    invitation.refresh_from_db()
    assert invitation.used_at is None


def test_when_screening_fails_no_intake_is_stored(
    valid_answers: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: Any, **kwargs: Any) -> None:
        raise ValueError("a rule failed")

    monkeypatch.setattr(services.screening, "screen", fail)
    with pytest.raises(ValueError, match="a rule failed"):
        submit(valid_answers)
    assert Intake.objects.count() == 0


# Flag texts edited by staff -----------------------------------------------------------------------
def edit_flag_text(code: str, **texts: str) -> FlagText:
    """Staff's edit of a rule's texts: the given ones changed, the others as the rule has them.

    Only the per-language columns are set: modeltranslation routes a plain `title` to the active
    language's column.
    """
    rule = screening.RULES_BY_CODE[code]
    defaults: dict[str, str] = {}
    for field in ("title", "clinician_note", "patient_note"):
        default = getattr(rule, field)
        for language in ("ja", "en"):
            defaults[f"{field}_{language}"] = texts.get(
                f"{field}_{language}", default.in_language(language) if default else ""
            )
    text, _created = FlagText.objects.update_or_create(code=code, defaults=defaults)
    return text


def test_a_flag_text_edited_by_staff_is_used_for_the_next_intake_and_kept_by_earlier_ones(
    make_intake: Callable[..., Intake],
) -> None:
    before = make_intake()
    original = before.flags.get(code="OFF_LABEL")

    edit_flag_text(
        "OFF_LABEL",
        title_ja="適応外使用（院内表記）",
        title_en="Off-label use (clinic wording)",
        patient_note_ja="医師が施術前にご説明します。",
        patient_note_en="The doctor explains this before the treatment.",
    )
    after = make_intake()
    edited = after.flags.get(code="OFF_LABEL")
    assert edited.title_ja == "適応外使用（院内表記）"
    assert edited.title_en == "Off-label use (clinic wording)"
    assert edited.patient_note_ja == "医師が施術前にご説明します。"
    assert edited.patient_note_en == "The doctor explains this before the treatment."
    rule = screening.RULES_BY_CODE["OFF_LABEL"]
    assert edited.clinician_note_en == rule.clinician_note.en  # not edited: the default

    original_again = IntakeFlag.objects.get(pk=original.pk)
    assert original_again.title_ja == original.title_ja == rule.title.ja
    assert original_again.patient_note_en == rule.patient_note.en


def test_staff_cannot_give_a_patient_note_to_a_rule_that_has_none(
    make_intake: Callable[..., Intake],
) -> None:
    assert screening.RULES_BY_CODE["KELOID"].patient_note is None
    edit_flag_text("KELOID", patient_note_ja="ケロイド注意", patient_note_en="Keloid warning")
    intake = make_intake(keloid_history=True)
    flag = intake.flags.get(code="KELOID")
    assert flag.patient_note_ja == flag.patient_note_en == ""


def test_a_flag_text_left_empty_falls_back_to_the_rules_text(
    make_intake: Callable[..., Intake],
) -> None:
    edit_flag_text("DRY_SKIN", title_en="", patient_note_en="")
    flag = make_intake(skin_type="dry").flags.get(code="DRY_SKIN")
    rule = screening.RULES_BY_CODE["DRY_SKIN"]
    assert flag.title_en == rule.title.en
    assert flag.patient_note_en == rule.patient_note.en


# Invitations --------------------------------------------------------------------------------------
def test_an_invitation_is_tied_to_the_first_intake_only(
    valid_answers: dict[str, Any], today: datetime.date
) -> None:
    invitation = Invitation.objects.create(
        token=secrets.token_urlsafe(32), full_name="山田 花子", visit_date=today
    )
    first = submit(valid_answers, invitation=invitation, now=NOW)
    second = submit(valid_answers, invitation=invitation)
    invitation.refresh_from_db()
    assert first.invitation == invitation
    assert invitation.used_at == NOW
    assert second.invitation is None
    assert Intake.objects.count() == 2  # the second patient's answers are kept all the same


# The clinic's own words: flag texts kept at submit, restoring the defaults ----------------------
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


# The clinic's records and appointment in the screening (spec §2, §5) ----------------------------
def test_an_invitations_visit_date_is_the_appointment_and_the_reference_date(
    valid_answers: dict[str, Any], receptionist: Any, today: datetime.date
) -> None:
    invitation = Invitation.objects.create(
        token=secrets.token_urlsafe(32),
        full_name="山田 花子",
        phone="06-6375-0000",
        visit_date=today + datetime.timedelta(days=20),
        created_by=receptionist,
    )
    # The patient typed another visit date: the clinic's appointment is the reference date.
    intake = services.intake_submit(
        answers_given={**valid_answers, "visit_date": today + datetime.timedelta(days=2)},
        language="ja",
        consent_document=selectors.current_consent_document(),
        submission_token=uuid.uuid4(),
        invitation=invitation,
    )
    assert intake.appointment_date == invitation.visit_date
    assert intake.reference_date == invitation.visit_date
    assert intake.visit_date == today + datetime.timedelta(days=2)  # the answer, as given


def test_the_current_result_is_the_submitted_one_until_a_re_screening(
    make_intake: Callable[..., Intake],
) -> None:
    intake = make_intake(keloid_history=True)
    assert (intake.current_verdict, intake.current_verdict_rank, intake.current_suitability) == (
        intake.verdict,
        intake.verdict_rank,
        intake.suitability,
    )
    assert intake.current_rescreening is None
    assert [flag.code for flag in intake.current_flags()] == ["KELOID", "OFF_LABEL"]


def test_a_repeat_intake_tied_to_its_patient_is_screened_with_the_records_at_submit(
    valid_answers: dict[str, Any],
    patient: Any,
    receptionist: Any,
    record_treatment: Callable[..., Any],
    today: datetime.date,
) -> None:
    record_treatment(patient, today - datetime.timedelta(days=30))
    invitation = Invitation.objects.create(
        token=secrets.token_urlsafe(32),
        full_name="山田 花子",
        phone="06-6375-0000",
        visit_date=today + datetime.timedelta(days=5),
        created_by=receptionist,
    )
    intake = services.intake_submit(
        answers_given=valid_answers,
        language="ja",
        consent_document=selectors.current_consent_document(),
        submission_token=uuid.uuid4(),
        invitation=invitation,
        patient=patient,
    )
    assert intake.patient == patient
    assert list(intake.flags.values_list("code", flat=True)) == [
        "RECENT_TOXIN",
        "RECORD_MISMATCH",
        "OFF_LABEL",
    ]
    link = intake.patient_links.get()
    assert (link.action, link.by) == ("linked", receptionist)


def test_a_re_screening_keeps_the_texts_staff_set_and_what_each_flag_read(
    make_intake: Callable[..., Intake], receptionist: Any, today: datetime.date
) -> None:
    from intake.patients import services as patient_services

    FlagText.objects.filter(code="RECENT_TOXIN").update(title_en="Toxin too recent (clinic)")
    intake = make_intake(
        botulinum_before=True,
        botulinum_last_date=today - datetime.timedelta(days=70),
        botulinum_product="botox",
        visit_date=None,
    )
    rescreening = patient_services.intake_set_appointment(
        intake=intake, appointment_date=today + datetime.timedelta(days=1), by=receptionist
    )
    assert rescreening is not None  # the reference date moved, RECENT_TOXIN stays
    stored = rescreening.flags()[0]
    assert (stored.code, stored.title_en) == ("RECENT_TOXIN", "Toxin too recent (clinic)")
    assert stored.keys == ["botulinum_last_date"]
    assert stored.source.startswith("JP")
    assert rescreening.flag_codes == " RECENT_TOXIN OFF_LABEL "


def test_a_re_screening_with_nothing_new_stores_nothing(make_intake: Callable[..., Intake]) -> None:
    intake = make_intake(keloid_history=True)
    assert services.intake_rescreen(intake=intake) is None
    intake.refresh_from_db()
    assert intake.current_rescreening is None
