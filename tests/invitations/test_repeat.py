"""Repeat intakes (spec §5): reception invites a known patient from the patient's page; after the
date of birth, the intake opens with the answers that rarely change carried over from the
patient's latest intake, the review page marks them, and the submit ties the intake to the
patient and screens it with the clinic's treatments."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import translation

from intake import answers
from intake.birthdate import BIRTH_DATE_TRIES
from intake.invitations import services as invitation_services
from intake.models import AccessRecord, Intake, Invitation, Patient, PatientLink
from tests.conftest import LATEST_ANSWERS, PERSON
from tests.helpers import step_url
from tests.wizard_http import STEP_NAMES, review_page_fields, review_post_data, step_post_data


def url(name: str, language: str = "en", **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def link(invitation: Invitation, language: str | None = None) -> str:
    return url("invitations:open", language or invitation.language, token=invitation.token)


def open_confirmed(client: Client, invitation: Invitation, language: str = "en") -> None:
    """The patient opens the link, gives the right date of birth, and moves on from the first
    page as it was filled in (kept as it stands, as the step links do), so every page opens."""
    confirmed = client.post(link(invitation), {"date_of_birth": PERSON["date_of_birth"]})
    assert confirmed.status_code == 302
    client.get(link(invitation))
    first = step_form(client, "about_you", language)
    shown = {name: first[name].value() for name in first.fields}
    kept = client.post(
        step_url("about_you", language),
        {**step_post_data("about_you", shown), "wizard_goto_step": ["about_you"]},
    )
    assert kept.status_code in (200, 302), kept.status_code


def step_form(client: Client, step: str, language: str = "en") -> Any:
    response = client.get(step_url(step, language))
    assert response.status_code == 200, response.status_code
    return response.context["wizard"]["form"]


def as_shown(question: answers.Question, value: Any) -> Any:
    """An answer as its field shows it before the patient touches it."""
    if question.kind == "bool":
        return "true" if value else "false"
    return value


# now: what the patient answers about today, beside what was carried over.
NOW = {
    "visit_date": None,
    "concerns": ["enlarged_pores"],
    "acne_lesion_count": "none",
    "isotretinoin": "never",
    "botulinum_before": False,  # forgets the clinic's treatment of 40 days ago
    "pregnancy": "not_applicable",
    "breastfeeding": False,
    "planning_pregnancy": False,
    "consent_privacy": True,
    "consent_off_label": True,
    "confirm_accurate": True,
}


def send_repeat_intake(client: Client, invitation: Invitation, **changes: Any) -> Intake:
    """Walk every step as the carried-over answers stand, with `changes`, and send."""
    open_confirmed(client, invitation)
    given = {**LATEST_ANSWERS, **NOW, "visit_date": invitation.visit_date, **changes}
    for step in STEP_NAMES:
        response = client.post(step_url(step), step_post_data(step, given))
        assert response.status_code == 302, response.content.decode()[:3000]
    shown = review_page_fields(client.get(step_url("review")).content.decode())
    assert client.post(step_url("review"), review_post_data(shown)).status_code == 302
    return Intake.objects.get(invitation=invitation)


# Reception, from the patient's page ---------------------------------------------------------------
def test_the_patient_page_offers_reception_a_repeat_invitation(
    reception_client: Client, doctor_client: Client, returning_patient: Patient
) -> None:
    page = reception_client.get(url("patients:detail", pk=returning_patient.pk)).content.decode()
    doctors = doctor_client.get(url("patients:detail", pk=returning_patient.pk)).content.decode()

    invite = url("invitations:for_patient", pk=returning_patient.pk)
    assert f'href="{invite}"' in page
    assert "Invite to a repeat intake" in page
    assert invite not in doctors  # doctors make no invitations


def test_the_invitation_form_is_prefilled_from_the_patient_record(
    reception_client: Client, returning_patient: Patient, receptionist: User
) -> None:
    response = reception_client.get(url("invitations:for_patient", pk=returning_patient.pk))

    form = response.context["form"]
    assert response.status_code == 200
    assert {key: form[key].value() for key in form.fields if key != "send_email"} == {
        "full_name": "山田 花子",
        "full_name_kana": "ヤマダ ハナコ",
        "phone": "06-6375-0000",
        "email": "",
        "visit_date": None,  # typed by reception
        "language": "en",  # the language of her latest intake
    }
    record = AccessRecord.objects.get()
    assert (record.patient, record.user, record.action) == (
        returning_patient,
        receptionist,
        AccessRecord.Action.PATIENT,
    )


def test_reception_creates_a_repeat_invitation_tied_to_the_patient(
    reception_client: Client, returning_patient: Patient, receptionist: User, today: datetime.date
) -> None:
    visit = today + datetime.timedelta(days=5)

    response = reception_client.post(
        url("invitations:for_patient", pk=returning_patient.pk),
        {
            "full_name": "山田 花子",
            "full_name_kana": "やまだ はなこ",
            "phone": "06-6375-0000",
            "email": "",
            "visit_date": visit.isoformat(),
            "language": "ja",
        },
    )

    invitation = Invitation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("invitations:detail", pk=invitation.pk)
    assert invitation.patient == returning_patient
    assert invitation.created_by == receptionist
    assert invitation.visit_date == visit
    assert invitation.full_name_kana == "ヤマダ ハナコ"
    assert invitation.birth_date_failures == 0
    page = reception_client.get(url("patients:detail", pk=returning_patient.pk)).content.decode()
    assert url("invitations:detail", pk=invitation.pk) in page
    assert "Waiting for the patient" in page


def test_a_repeat_invitation_without_a_visit_date_keeps_what_was_typed(
    reception_client: Client, returning_patient: Patient
) -> None:
    response = reception_client.post(
        url("invitations:for_patient", pk=returning_patient.pk),
        {"full_name": "山田 花子", "phone": "090-9999-8888", "language": "ja"},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "This field is required." in page
    assert 'value="090-9999-8888"' in page
    assert not Invitation.objects.exists()


def test_only_reception_and_the_administrator_invite_from_a_patients_page(
    client: Client, doctor_client: Client, superuser: User, returning_patient: Patient
) -> None:
    target = url("invitations:for_patient", pk=returning_patient.pk)

    assert client.get(target).status_code == 302  # to sign in
    assert doctor_client.get(target).status_code == 403
    client.force_login(superuser)
    assert client.get(target).status_code == 200
    assert client.get(url("invitations:for_patient", pk=999999)).status_code == 404


def test_the_repeat_invitation_form_reads_in_japanese(
    reception_client: Client, returning_patient: Patient
) -> None:
    page = reception_client.get(
        url("invitations:for_patient", "ja", pk=returning_patient.pk)
    ).content.decode()

    assert "再来の問診を案内する" in page
    assert f"生年月日を{BIRTH_DATE_TRIES}回誤るとロックされます。" in page


def test_the_patient_page_says_when_a_link_is_locked(
    reception_client: Client, repeat_invitation: Invitation, returning_patient: Patient
) -> None:
    Invitation.objects.filter(pk=repeat_invitation.pk).update(birth_date_failures=BIRTH_DATE_TRIES)

    page = reception_client.get(url("patients:detail", pk=returning_patient.pk)).content.decode()

    assert "Locked: wrong dates of birth" in page
    assert url("invitations:detail", pk=repeat_invitation.pk) in page


# The intake, prefilled --------------------------------------------------------------------------
@pytest.mark.parametrize("key", answers.REPEAT_KEYS)
def test_each_answer_that_rarely_changes_is_carried_over_from_the_latest_intake(
    client: Client, repeat_invitation: Invitation, key: str
) -> None:
    question = answers.QUESTIONS[key]
    open_confirmed(client, repeat_invitation)

    form = step_form(client, question.step)

    # The first page comes back as the patient left it (strings); the others as prefilled.
    assert str(form[key].value()) == str(as_shown(question, LATEST_ANSWERS[key]))


def test_everything_about_now_is_asked_again(client: Client, repeat_invitation: Invitation) -> None:
    open_confirmed(client, repeat_invitation)

    for step in STEP_NAMES:
        form = step_form(client, step)
        for question in answers.STEPS_BY_NAME[step].questions:
            if question.key in answers.REPEAT_KEYS:
                continue
            value = form[question.key].value()
            if question.key == "visit_date":
                assert str(value) == repeat_invitation.visit_date.isoformat()  # the invitation's
            else:
                assert value in ([], "", False, None), question.key


def test_a_patient_without_an_intake_left_gets_the_invitations_details_only(
    client: Client, patient: Patient, receptionist: User, today: datetime.date
) -> None:
    # Every intake of this record was unlinked (or purged): nothing to carry over.
    invitation = invitation_services.invitation_create(
        full_name=patient.full_name,
        phone=patient.phone,
        visit_date=today + datetime.timedelta(days=2),
        language="en",
        created_by=receptionist,
        patient=patient,
    )
    open_confirmed(client, invitation)

    about_you = step_form(client, "about_you")
    skin = step_form(client, "skin")

    assert about_you["full_name"].value() == patient.full_name
    assert about_you["phone"].value() == patient.phone
    assert about_you["date_of_birth"].value() in (None, "")
    assert skin["skin_type"].value() is None
    assert "Some answers on this page" not in client.get(step_url("skin")).content.decode()


def test_a_carried_over_page_says_so_and_a_page_without_one_does_not(
    client: Client, repeat_invitation: Invitation
) -> None:
    open_confirmed(client, repeat_invitation)

    skin = client.get(step_url("skin")).content.decode()
    retinoids = client.get(step_url("retinoids")).content.decode()

    note = "Some answers on this page are filled in from your last visit."
    assert note in skin
    assert note not in retinoids


def test_without_the_date_of_birth_in_this_session_nothing_is_carried_over(
    client: Client, repeat_invitation: Invitation
) -> None:
    # The session names the invitation, as if set by hand: it was never confirmed here.
    session = client.session
    session["intake_invitation"] = repeat_invitation.pk
    session.save()

    form = step_form(client, "about_you")

    assert form["full_name"].value() is None
    assert form["date_of_birth"].value() is None


def test_the_review_page_marks_what_was_carried_over_and_what_the_patient_changed(
    client: Client, repeat_invitation: Invitation
) -> None:
    open_confirmed(client, repeat_invitation)
    given = {**LATEST_ANSWERS, **NOW, "skin_type": "combination", "allergies": ["lidocaine"]}
    for step in STEP_NAMES:
        client.post(step_url(step), step_post_data(step, given))

    response = client.get(step_url("review"))

    rows = {
        row.key: row.carried
        for section in response.context["review_sections"]
        for row in section.rows
    }
    assert rows["skin_type"] == rows["allergies"] == "changed"
    kept = set(answers.REPEAT_KEYS) - {"skin_type", "allergies", "botulinum_product"}
    assert {key: rows[key] for key in kept} == dict.fromkeys(kept, "kept")
    assert "botulinum_product" not in rows  # not asked: no toxin before, this time
    assert {key for key, mark in rows.items() if mark} == kept | {"skin_type", "allergies"}
    page = response.content.decode()
    assert page.count("From your last visit</span>") == len(kept)
    assert page.count("Changed from your last visit</span>") == 2
    assert "those marked “Changed from your last visit” are the ones you changed" in page


def test_the_review_page_marks_read_in_japanese(
    client: Client, repeat_invitation: Invitation
) -> None:
    open_confirmed(client, repeat_invitation)
    given = {**LATEST_ANSWERS, **NOW, "skin_type": "combination"}
    for step in STEP_NAMES:
        client.post(step_url(step), step_post_data(step, given))

    page = client.get(step_url("review", "ja")).content.decode()

    assert "前回の回答</span>" in page
    assert page.count("前回から変更</span>") == 1


def test_an_ordinary_intake_has_no_marks(
    client: Client, valid_answers: dict[str, Any], db: Any
) -> None:
    for step in STEP_NAMES:
        client.post(step_url(step), step_post_data(step, valid_answers))

    page = client.get(step_url("review")).content.decode()

    assert "From your last visit" not in page
    assert "carried-note" not in page


# The submit -------------------------------------------------------------------------------------
def test_the_sent_intake_is_tied_to_the_patient_and_screened_with_the_clinics_records(
    client: Client, repeat_invitation: Invitation, returning_patient: Patient, receptionist: User
) -> None:
    intake = send_repeat_intake(client, repeat_invitation, skin_type="combination")

    assert intake.patient == returning_patient
    assert intake.invitation == repeat_invitation
    assert intake.appointment_date == repeat_invitation.visit_date
    assert intake.skin_type == "combination"
    assert intake.allergy_details == LATEST_ANSWERS["allergy_details"]
    tie = PatientLink.objects.get(intake=intake)
    assert (tie.patient, tie.action, tie.source, tie.by) == (
        returning_patient,
        PatientLink.Action.LINKED,
        PatientLink.Source.REPEAT_INVITATION,
        receptionist,
    )
    # Treated by the clinic 40 days ago, and the patient says never: both flags at submit.
    codes = [flag.code for flag in intake.flags.all()]
    assert {"RECENT_TOXIN", "RECORD_MISMATCH"} <= set(codes)
    assert intake.current_rescreening is None  # the result at submit already had the records
    repeat_invitation.refresh_from_db()
    assert repeat_invitation.used_at == intake.submitted_at
    assert client.get(link(repeat_invitation)).status_code == 410
    assert client.session.get("birth_date_confirmed") == []


def test_the_doctor_sees_the_history_and_the_change_of_a_repeat_intake(
    client: Client, repeat_invitation: Invitation, doctor_client: Client
) -> None:
    intake = send_repeat_intake(client, repeat_invitation, skin_type="combination")

    page = doctor_client.get(url("review:intake", reference=intake.reference)).content.decode()

    assert "Answers that differ from the previous intake" in page
    assert "Combination" in page
    assert "Answers differ from the clinic&#x27;s treatment record" in page  # RECORD_MISMATCH


def test_the_visit_page_says_the_link_came_from_the_repeat_invitation(
    client: Client, repeat_invitation: Invitation, reception_client: Client
) -> None:
    intake = send_repeat_intake(client, repeat_invitation)

    page = reception_client.get(url("patients:visit", reference=intake.reference)).content.decode()

    assert "(Repeat invitation, date of birth confirmed)" in page
