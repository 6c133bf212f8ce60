"""The doctors' workspace for a returning patient (intake/review: views, selectors, queue): the
current result, when and why it changed, the history, the changed answers, the treatments, and
the access record of everything shown."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from intake.models import AccessRecord, Decision, Intake
from intake.patients import services as patient_services
from intake.review import services as review_services

pytestmark = pytest.mark.django_db


def intake_url(intake: Intake, language: str = "en") -> str:
    with translation.override(language):
        return reverse("review:intake", kwargs={"reference": intake.reference})


def queue_url(**query: str) -> str:
    path = reverse("review:queue")
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def linked(returning: dict[str, Any], receptionist: User, doctor: User) -> dict[str, Any]:
    """Today's intake linked to the patient (RECENT_TOXIN, RECORD_MISMATCH raised by the link),
    the earlier visit approved by the doctor."""
    Intake.objects.filter(pk=returning["earlier"].pk).update(status=Intake.Status.IN_REVIEW)
    review_services.intake_decide(
        intake=returning["earlier"],
        doctor=doctor,
        outcome=Decision.Outcome.APPROVED,
        note="",
        acknowledged_flags=[],
        based_on=None,
    )
    patient_services.intake_link(
        intake=returning["current"], patient=returning["patient"], by=receptionist
    )
    return returning


def test_the_intake_page_shows_the_current_result_and_why_it_changed(
    doctor_client: Client, linked: dict[str, Any]
) -> None:
    response = doctor_client.get(intake_url(linked["current"]))
    page = response.content.decode()

    assert [flag.code for flag in response.context["flags"]] == [
        "RECENT_TOXIN",
        "RECORD_MISMATCH",
        "OFF_LABEL",
    ]
    assert "The screening result changed since submission" in page
    assert "Linked to a patient record" in page
    assert "reception_tanaka" in page
    assert "Needs review" in page and "at submission" in page
    difference = response.context["rescreening"]
    assert [flag.code for flag in difference.flags_added] == ["RECENT_TOXIN", "RECORD_MISMATCH"]


def test_the_history_the_changed_answers_and_the_treatments_of_a_returning_patient(
    doctor_client: Client, doctor: User, linked: dict[str, Any]
) -> None:
    current, earlier = linked["current"], linked["earlier"]

    response = doctor_client.get(intake_url(current))

    page = response.content.decode()
    assert [row[0] for row in response.context["earlier"]] == [earlier]
    assert response.context["earlier"][0][1].outcome == "approved"
    assert earlier.reference in page and "Approved" in page
    assert [change.key for change in response.context["changes"]] == ["skin_type"]
    assert "Oily" in page and "Combination" in page
    assert "Botox Vista" in page and "C1234A" in page
    # The earlier intake was shown as history: recorded on it, with the patient.
    assert set(
        AccessRecord.objects.filter(user=doctor).values_list("action", "intake", "patient")
    ) == {
        ("detail", current.pk, linked["patient"].pk),
        ("history", earlier.pk, linked["patient"].pk),
    }


def test_the_returning_patients_page_in_japanese(
    doctor_client: Client, linked: dict[str, Any]
) -> None:
    page = doctor_client.get(intake_url(linked["current"], "ja")).content.decode()
    for text in (
        "これまでの来院",
        "前回の問診",
        "当院の施術記録",
        "患者記録に紐づけたため",
        "脂性肌",
        "混合肌",
    ):
        assert text in page, text


def test_a_decision_acknowledges_the_flags_of_the_current_result(
    doctor_client: Client, linked: dict[str, Any]
) -> None:
    current = linked["current"]
    decide = reverse("review:decide", kwargs={"reference": current.reference})

    refused = doctor_client.post(decide, {"outcome": "approved", "note": ""})
    assert refused.status_code == 400
    assert "RECORD_MISMATCH" in refused.content.decode()

    response = doctor_client.post(
        decide,
        {"outcome": "approved", "note": "", "ack_RECENT_TOXIN": "on", "ack_RECORD_MISMATCH": "on"},
    )
    assert response.status_code == 302
    assert Decision.objects.get(intake=current).acknowledged_flags == [
        "RECENT_TOXIN",
        "RECORD_MISMATCH",
    ]


def test_a_flag_raised_after_the_page_was_shown_holds_the_decision_back(
    returning: dict[str, Any], doctor: User, receptionist: User
) -> None:
    current = returning["current"]
    patient_services.intake_link(intake=current, patient=returning["patient"], by=receptionist)
    with pytest.raises(review_services.ValidationError, match="RECORD_MISMATCH"):
        review_services.intake_decide(
            intake=current,
            doctor=doctor,
            outcome="approved",
            note="",
            acknowledged_flags=[],  # what the page showed before the link
            based_on=None,
        )


def test_the_treatment_is_recorded_from_the_intake_page_once_approved(
    doctor_client: Client, doctor: User, linked: dict[str, Any]
) -> None:
    current = linked["current"]
    assert "record-treatment" not in doctor_client.get(intake_url(current)).content.decode()
    review_services.intake_decide(
        intake=current,
        doctor=doctor,
        outcome="approved",
        note="",
        acknowledged_flags=["RECENT_TOXIN", "RECORD_MISMATCH"],
        based_on=None,
    )
    page = doctor_client.get(intake_url(current)).content.decode()
    assert reverse("patients:treatment_new", kwargs={"pk": linked["patient"].pk}) in page
    assert f"?intake={current.reference}" in page


def test_an_intake_not_linked_says_so_and_counts_the_possible_matches(
    doctor_client: Client, returning: dict[str, Any]
) -> None:
    response = doctor_client.get(intake_url(returning["current"]))
    assert response.context["suggestion_count"] == 1
    assert "1 possible match" in response.content.decode()
    assert "patient" not in response.context


# The queue reads the current result --------------------------------------------------------------
def test_the_queue_sorts_filters_and_counts_on_the_current_result(
    doctor_client: Client,
    linked: dict[str, Any],
    submit_on: Callable[..., Intake],
    today: datetime.date,
) -> None:
    current = linked["current"]
    keloid = submit_on(0, visit_date=today + datetime.timedelta(days=1), keloid_history=True)
    suitable = submit_on(0, visit_date=today + datetime.timedelta(days=1))

    response = doctor_client.get(queue_url())
    rows = {row.reference: row for row in response.context["rows"]}
    # Both need review now; the earlier visit first, then the rest.
    assert [row.reference for row in response.context["rows"]] == [
        keloid.reference,
        current.reference,
        suitable.reference,
    ]
    assert rows[current.reference].verdict == "needs_review"
    assert [flag.code for flag in rows[current.reference].flags] == [
        "RECENT_TOXIN",
        "RECORD_MISMATCH",
        "OFF_LABEL",
    ]
    assert rows[current.reference].rescreened_reason == "Linked to a patient record"
    assert "Linked to a patient record" in response.content.decode()
    counts = {item["code"]: item["count"] for item in response.context["verdict_counts"]}
    assert counts["needs_review"] == 2 and counts["suitable"] == 1

    by_verdict = doctor_client.get(queue_url(verdict="needs_review"))
    assert {row.reference for row in by_verdict.context["rows"]} == {
        keloid.reference,
        current.reference,
    }
    by_flag = doctor_client.get(queue_url(flag="RECORD_MISMATCH"))
    assert [row.reference for row in by_flag.context["rows"]] == [current.reference]
    by_original_flag = doctor_client.get(queue_url(flag="KELOID"))
    assert [row.reference for row in by_original_flag.context["rows"]] == [keloid.reference]


def test_a_flag_the_rescreening_dropped_no_longer_matches(
    doctor_client: Client,
    submit_on: Callable[..., Intake],
    receptionist: User,
    today: datetime.date,
) -> None:
    # RECENT_TOXIN from the answer, until the appointment moves 30 days later.
    intake = submit_on(
        0,
        botulinum_before=True,
        botulinum_last_date=today - datetime.timedelta(days=70),
        botulinum_product="botox",
    )
    assert [
        r.reference for r in doctor_client.get(queue_url(flag="RECENT_TOXIN")).context["rows"]
    ] == [intake.reference]
    patient_services.intake_set_appointment(
        intake=intake, appointment_date=today + datetime.timedelta(days=30), by=receptionist
    )
    assert doctor_client.get(queue_url(flag="RECENT_TOXIN")).context["rows"] == []
    row = doctor_client.get(queue_url()).context["rows"][0]
    assert row.appointment_date == today + datetime.timedelta(days=30)


def test_reception_queue_links_to_the_visit_page_and_shows_no_result(
    reception_client: Client, linked: dict[str, Any]
) -> None:
    response = reception_client.get(queue_url())
    page = response.content.decode()
    current = linked["current"]
    assert reverse("patients:visit", kwargs={"reference": current.reference}) in page
    assert "Linked to a patient record" not in page
    assert "Needs review" not in page


def test_the_print_view_shows_the_current_result(
    doctor_client: Client, linked: dict[str, Any]
) -> None:
    current = linked["current"]
    response = doctor_client.get(reverse("review:print", kwargs={"reference": current.reference}))
    page = response.content.decode()
    assert "RECORD_MISMATCH" in page and "Needs review" in page
    assert AccessRecord.objects.filter(action="print", patient=linked["patient"]).exists()


def test_every_change_of_the_result_is_listed_with_its_reason(
    doctor_client: Client, linked: dict[str, Any], receptionist: User
) -> None:
    current = linked["current"]
    patient_services.intake_set_appointment(
        intake=current,
        appointment_date=current.reference_date + datetime.timedelta(days=60),
        by=receptionist,
    )
    response = doctor_client.get(intake_url(current))
    page = response.content.decode()
    assert "The result changed 2 times" in page
    assert "Linked to a patient record" in page
    assert "The appointment date was set or moved" in page
    # The current result is the latest: the appointment, 123 days after the treatment.
    assert [flag.code for flag in response.context["flags"]] == ["RECORD_MISMATCH", "OFF_LABEL"]


def test_the_key_dates_show_the_clinics_latest_record_beside_the_answer(
    doctor_client: Client, linked: dict[str, Any], today: datetime.date
) -> None:
    response = doctor_client.get(intake_url(linked["current"]))
    dates = {item.key: item for item in response.context["key_dates"]}
    recorded = dates["recorded_toxin"]
    assert recorded.date == today - datetime.timedelta(days=60)
    assert recorded.days_before == 63  # to the visit in 3 days
    assert dates["botulinum_last_date"].date is None  # the patient said none
    assert "Last toxin recorded by the clinic" in response.content.decode()
    page = doctor_client.get(intake_url(linked["current"], "ja")).content.decode()
    assert "当院記録の前回ボツリヌス施術" in page


def test_the_intake_page_costs_the_same_queries_for_one_earlier_visit_and_for_three(
    doctor_client: Client,
    doctor: User,
    receptionist: User,
    linked: dict[str, Any],
    submit_on: Callable[..., Intake],
) -> None:
    page = intake_url(linked["current"])
    doctor_client.get(page)  # the first open also moves the status: not counted

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert doctor_client.get(page).status_code == 200
        return len(context.captured_queries)

    with_one = queries()
    for days_ago in (120, 200):
        older = submit_on(days_ago, skin_type="dry")
        patient_services.intake_link(intake=older, patient=linked["patient"], by=receptionist)
        review_services.intake_decide(
            intake=older,
            doctor=doctor,
            outcome=Decision.Outcome.APPROVED,
            note="",
            acknowledged_flags=[],
            based_on=None,
        )
    response = doctor_client.get(page)
    assert len(response.context["earlier"]) == 3
    assert queries() == with_one
