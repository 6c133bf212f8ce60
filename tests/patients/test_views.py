"""intake.patients.views: who may open what, what reception never sees, the access record of
every page that shows a patient, linking by an explicit POST, appointments and treatments, in
both languages."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import translation

from intake.models import AccessRecord, Intake, Patient, PatientLink, Rescreening, Treatment
from intake.patients import services
from tests.helpers import PASSWORD


def url(name: str, language: str = "en", **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(f"patients:{name}", kwargs=kwargs)


def treatment_post(**overrides: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "treated_on": datetime.date.today().isoformat(),
        "product": "botox_vista",
        "lot_number": "c1234a",
        "dilution_ml_per_100u": "5",
        "total_units": "24",
        "areas": ["cheeks", "forehead"],
        "note": "",
    }
    data.update(overrides)
    return data


# Who may open what -------------------------------------------------------------------------------
def test_anonymous_visitors_are_sent_to_sign_in(client: Client, patient: Patient) -> None:
    for target in (url("list"), url("detail", pk=patient.pk)):
        response = client.get(target)
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


@pytest.mark.parametrize("action", ["link", "new_patient", "unlink", "appointment"])
def test_a_form_posted_after_signing_out_signs_in_again_to_the_visit_page(
    client: Client, receptionist: User, make_intake: Callable[..., Intake], action: str
) -> None:
    """Its address only takes the form's POST: signing in again must not land on a 405."""
    intake = make_intake()
    response = client.post(url(action, reference=intake.reference), {"note": "typed"})

    visit = url("visit", reference=intake.reference)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={visit}"
    signed_in = client.post(
        response["Location"],
        {"username": receptionist.username, "password": PASSWORD},
        follow=True,
    )
    assert signed_in.redirect_chain[-1][0] == visit
    assert signed_in.status_code == 200


def test_staff_without_a_clinic_role_open_nothing(
    staff_without_group: User, returning: dict[str, Any]
) -> None:
    client = Client()
    client.force_login(staff_without_group)
    patient, current = returning["patient"], returning["current"]
    for target in (
        url("list"),
        url("detail", pk=patient.pk),
        url("visit", reference=current.reference),
        url("treatment_new", pk=patient.pk),
    ):
        assert client.get(target).status_code == 403
    response = client.post(url("link", reference=current.reference), {"patient": patient.pk})
    assert response.status_code == 403
    assert not AccessRecord.objects.exists()


def test_reception_never_records_or_corrects_a_treatment(
    reception_client: Client, returning: dict[str, Any]
) -> None:
    patient, treatment = returning["patient"], returning["treatment"]
    assert reception_client.get(url("treatment_new", pk=patient.pk)).status_code == 403
    assert (
        reception_client.post(url("treatment_new", pk=patient.pk), treatment_post()).status_code
        == 403
    )
    assert reception_client.get(url("treatment_correct", pk=treatment.pk)).status_code == 403
    assert Treatment.objects.count() == 1


# The list and the patient's page -----------------------------------------------------------------
def test_staff_find_a_patient_and_the_list_is_not_recorded(
    reception_client: Client, patient: Patient
) -> None:
    response = reception_client.get(url("list") + "?q=やまだ")
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [patient]
    assert patient.full_name in response.content.decode()
    assert not AccessRecord.objects.exists()


def test_reception_sees_contact_details_and_visits_never_anything_medical(
    reception_client: Client, receptionist: User, returning: dict[str, Any]
) -> None:
    patient, earlier = returning["patient"], returning["earlier"]
    response = reception_client.get(url("detail", pk=patient.pk))

    page = response.content.decode()
    assert response.status_code == 200
    assert patient.phone in page
    assert earlier.reference in page
    for medical in (
        "Verdict",
        "Suitable",
        "Treatments",
        "24.0 U",
        "Botox Vista",
        "C1234A",
        "OFF_LABEL",
    ):
        assert medical not in page, medical
    assert "treatments" not in response.context
    # Reception's visit list loads no answer about health at all.
    visit = response.context["visits"][0]
    assert {"verdict", "skin_type", "pregnancy", "current_verdict"} <= visit.get_deferred_fields()
    record = AccessRecord.objects.get()
    assert (record.action, record.patient, record.intake, record.user) == (
        "patient",
        patient,
        None,
        receptionist,
    )


def test_doctors_see_everything_and_each_intake_shown_is_recorded(
    doctor_client: Client, doctor: User, returning: dict[str, Any], receptionist: User
) -> None:
    patient, earlier, current = returning["patient"], returning["earlier"], returning["current"]
    services.intake_link(intake=current, patient=patient, by=receptionist)

    response = doctor_client.get(url("detail", pk=patient.pk), REMOTE_ADDR="203.0.113.9")

    page = response.content.decode()
    assert "Botox Vista" in page and "C1234A" in page and "24.0 U" in page
    assert "Needs review" in page  # the current result of today's intake
    assert {(r.action, r.intake_id) for r in AccessRecord.objects.filter(patient=patient)} == {
        ("patient", None),
        ("history", earlier.pk),
        ("history", current.pk),
    }
    assert set(AccessRecord.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
    assert [record.action for record in response.context["access_records"]][0] in {
        "patient",
        "history",
    }


def test_the_patient_page_opens_in_japanese(
    doctor_client: Client, returning: dict[str, Any]
) -> None:
    response = doctor_client.get(url("detail", "ja", pk=returning["patient"].pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert "施術記録" in page and "ボトックスビスタ" in page and "連絡先" in page


def test_an_unknown_patient_is_404(doctor_client: Client, db: Any) -> None:
    assert doctor_client.get(url("detail", pk=999)).status_code == 404


# The visit page: suggestions, linking by POST only -----------------------------------------------
def test_the_visit_page_suggests_and_records_who_was_shown_but_links_nothing(
    reception_client: Client, returning: dict[str, Any]
) -> None:
    current, patient = returning["current"], returning["patient"]

    response = reception_client.get(url("visit", reference=current.reference))

    assert response.status_code == 200
    assert response.context["suggestions"] == [patient]
    page = response.content.decode()
    assert "Link to this patient" in page
    for medical in ("Verdict", "OFF_LABEL", "Combination"):
        assert medical not in page
    current.refresh_from_db()
    assert current.patient is None
    assert set(AccessRecord.objects.values_list("action", "intake", "patient")) == {
        ("visit", current.pk, None),
        ("match", None, patient.pk),
    }


def test_linking_is_an_explicit_post_and_screens_again(
    reception_client: Client, receptionist: User, returning: dict[str, Any]
) -> None:
    current, patient = returning["current"], returning["patient"]
    assert reception_client.get(url("link", reference=current.reference)).status_code == 405

    response = reception_client.post(
        url("link", reference=current.reference), {"patient": patient.pk}
    )

    assert response.status_code == 302
    assert response["Location"] == url("visit", reference=current.reference)
    current.refresh_from_db()
    assert current.patient == patient
    assert current.current_verdict == "needs_review"
    assert Rescreening.objects.get(intake=current).requested_by == receptionist


def test_a_new_patient_record_from_the_intake(
    reception_client: Client, submit_on: Callable[..., Intake]
) -> None:
    intake = submit_on(0)
    response = reception_client.post(url("new_patient", reference=intake.reference))
    patient = Patient.objects.get()
    assert response["Location"] == url("detail", pk=patient.pk)
    intake.refresh_from_db()
    assert intake.patient == patient


def test_unlinking_without_a_reason_is_refused_with_the_page_and_a_message(
    reception_client: Client, receptionist: User, returning: dict[str, Any]
) -> None:
    current = returning["current"]
    services.intake_link(intake=current, patient=returning["patient"], by=receptionist)

    response = reception_client.post(url("unlink", reference=current.reference), {"note": " "})
    assert response.status_code == 400
    assert "Say why the link was wrong." in response.content.decode()
    # The language switch of the refused page leads to the visit page, not to the POST's URL.
    assert f'value="{url("visit", "ja", reference=current.reference)}"' in (
        response.content.decode()
    )
    with translation.override("ja"):
        response = reception_client.post(
            url("unlink", "ja", reference=current.reference), {"note": ""}
        )
    assert "紐づけが誤っている理由を書いてください。" in response.content.decode()

    response = reception_client.post(
        url("unlink", reference=current.reference), {"note": "Another person."}
    )
    assert response.status_code == 302
    current.refresh_from_db()
    assert current.patient is None
    assert PatientLink.objects.filter(intake=current, action="unlinked").exists()


def test_the_appointment_is_set_on_the_visit_page_and_a_bad_date_is_explained(
    reception_client: Client, returning: dict[str, Any], today: datetime.date
) -> None:
    current = returning["current"]
    target = url("appointment", reference=current.reference)

    response = reception_client.post(target, {"appointment_date": "2020-01-01"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "can&#x27;t be before the day the questionnaire was sent" in page
    assert 'value="2020-01-01"' in page  # what was typed is kept
    with translation.override("ja"):
        response = reception_client.post(
            url("appointment", "ja", reference=current.reference), {"appointment_date": "あした"}
        )
    assert response.status_code == 400
    assert "日付" in response.content.decode()

    later = today + datetime.timedelta(days=14)
    # Full-width digits, as a Japanese keyboard types them.
    typed = later.isoformat().translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))
    response = reception_client.post(target, {"appointment_date": typed})
    assert response.status_code == 302
    current.refresh_from_db()
    assert current.appointment_date == later
    assert current.current_rescreening.reason == "appointment"


# Treatments --------------------------------------------------------------------------------------
def test_a_doctor_records_a_treatment_from_the_intake(
    doctor_client: Client,
    doctor: User,
    receptionist: User,
    returning: dict[str, Any],
    today: datetime.date,
) -> None:
    patient, current = returning["patient"], returning["current"]
    services.intake_link(intake=current, patient=patient, by=receptionist)
    target = url("treatment_new", pk=patient.pk) + f"?intake={current.reference}"

    form_page = doctor_client.get(target)
    assert form_page.status_code == 200
    # The visit is in 3 days: the form proposes today, never a day to come.
    assert form_page.context["form"].initial["treated_on"] == today
    assert AccessRecord.objects.filter(action="treatment", patient=patient).count() == 1

    response = doctor_client.post(
        target, treatment_post(total_units="２２．５", intake=current.reference)
    )
    assert response.status_code == 302
    treatment = Treatment.objects.get(intake=current)
    assert (treatment.total_units, treatment.lot_number, treatment.doctor) == (
        __import__("decimal").Decimal("22.5"),
        "C1234A",
        doctor,
    )


@pytest.mark.parametrize("language", ["en", "ja"])
def test_bad_units_are_explained_in_the_users_language_and_nothing_typed_is_lost(
    doctor_client: Client, patient: Patient, language: str
) -> None:
    with translation.override(language):
        response = doctor_client.post(
            url("treatment_new", language, pk=patient.pk),
            treatment_post(total_units="2400", lot_number="LOT-77", note="頬と額"),
        )
    assert response.status_code == 400
    page = response.content.decode()
    expected = {
        "en": "Enter the total units given, between 0.5 and 500",
        "ja": "投与した総単位数を0.5〜500の範囲で入力してください",
    }[language]
    assert expected in page
    assert 'value="LOT-77"' in page and "頬と額" in page
    assert not Treatment.objects.exists()
    # The refused form showed the patient again: recorded too.
    assert AccessRecord.objects.filter(action="treatment").count() == 1


def test_a_correction_supersedes_the_record_which_stays(
    doctor_client: Client, returning: dict[str, Any], today: datetime.date
) -> None:
    treatment = returning["treatment"]
    target = url("treatment_correct", pk=treatment.pk)
    form = doctor_client.get(target).context["form"]
    assert form.initial["total_units"] == treatment.total_units

    response = doctor_client.post(
        target,
        treatment_post(
            treated_on=treatment.treated_on.isoformat(), total_units="30", note="Units typo."
        ),
    )
    assert response.status_code == 302
    correction = Treatment.objects.get(supersedes=treatment)
    treatment.refresh_from_db()
    assert (treatment.total_units, correction.total_units) == (24, 30)
    assert correction.intake == treatment.intake

    again = doctor_client.post(target, treatment_post(treated_on=treatment.treated_on.isoformat()))
    assert again.status_code == 400
    assert "already been corrected" in again.content.decode()
    assert Treatment.objects.count() == 2


def test_a_treatment_for_an_intake_of_another_patient_is_404(
    doctor_client: Client, returning: dict[str, Any]
) -> None:
    other = Patient.objects.create(full_name="別人", date_of_birth=datetime.date(1990, 1, 1))
    target = url("treatment_new", pk=other.pk) + f"?intake={returning['earlier'].reference}"
    assert doctor_client.get(target).status_code == 404
