"""Doctors' decisions: outcome, note, an acknowledgement of each contraindication and review flag;
append-only history; a decision made meanwhile by someone else is never silently overwritten."""

from __future__ import annotations

import datetime
import re
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from intake.models import Decision, Intake
from intake.review import services as review_services
from intake.review.forms import DecisionForm


@pytest.fixture
def intake(make_intake: Callable[..., Intake]) -> Intake:
    """Pregnant (contraindication), keloids (review), dry skin (caution), off-label (info)."""
    return make_intake(pregnancy="pregnant", keloid_history=True, skin_type="dry")


TO_ACKNOWLEDGE = ["PREGNANCY_BREASTFEEDING", "KELOID"]


def decide_url(intake: Intake, language: str = "en") -> str:
    with translation.override(language):
        return reverse("review:decide", kwargs={"reference": intake.reference})


def intake_url(intake: Intake, language: str = "en") -> str:
    with translation.override(language):
        return reverse("review:intake", kwargs={"reference": intake.reference})


def form_data(
    *,
    outcome: str = "deferred",
    note: str = "Rebook after breastfeeding ends.",
    acknowledge: list[str] = TO_ACKNOWLEDGE,
    based_on: int | None = None,
) -> dict[str, str]:
    data = {"outcome": outcome, "note": note, "based_on": str(based_on or "")}
    data.update({f"ack_{code}": "on" for code in acknowledge})
    return data


def decide(intake: Intake, doctor: User, **kwargs: Any) -> Decision:
    arguments: dict[str, Any] = {
        "outcome": "deferred",
        "note": "Wait.",
        "acknowledged_flags": TO_ACKNOWLEDGE,
        "based_on": None,
    }
    arguments.update(kwargs)
    return review_services.intake_decide(intake=intake, doctor=doctor, **arguments)


# The form ---------------------------------------------------------------------------------------
def test_the_form_asks_to_acknowledge_each_contraindication_and_review_flag_only(
    doctor_client: Client, intake: Intake
) -> None:
    response = doctor_client.get(intake_url(intake))
    form = response.context["form"]
    assert [name for name in form.fields if name.startswith("ack_")] == [
        "ack_PREGNANCY_BREASTFEEDING",
        "ack_KELOID",
    ]
    page = response.content.decode()
    assert 'name="ack_PREGNANCY_BREASTFEEDING"' in page
    assert 'name="ack_DRY_SKIN"' not in page
    assert 'name="based_on"' in page


def test_a_decision_is_recorded_with_the_doctor_the_time_and_the_acknowledged_flags(
    doctor_client: Client, doctor: User, intake: Intake
) -> None:
    before = timezone.now()
    response = doctor_client.post(decide_url(intake), form_data(), follow=True)
    assert response.redirect_chain == [(intake_url(intake), 302)]
    decision = Decision.objects.get(intake=intake)
    assert decision.doctor == doctor
    assert decision.outcome == "deferred"
    assert decision.note == "Rebook after breastfeeding ends."
    assert decision.acknowledged_flags == TO_ACKNOWLEDGE
    assert decision.decided_at >= before
    assert decision.supersedes is None
    intake.refresh_from_db()
    assert intake.status == Intake.Status.DECIDED
    page = response.content.decode()
    assert "The decision has been recorded." in page
    assert "Rebook after breastfeeding ends." in page


def test_without_every_acknowledgement_nothing_is_saved_and_the_missing_ones_are_named(
    doctor_client: Client, intake: Intake
) -> None:
    response = doctor_client.post(
        decide_url(intake),
        form_data(note="Typed with care.", acknowledge=["PREGNANCY_BREASTFEEDING"]),
    )
    assert response.status_code == 400
    assert not Decision.objects.exists()
    page = response.content.decode()
    assert "Not acknowledged yet: KELOID (Tendency to keloids or hypertrophic scars)." in page
    assert "PREGNANCY_BREASTFEEDING (" not in page.split("Not acknowledged yet:")[1][:200]
    # Everything typed is kept.
    assert "Typed with care.</textarea>" in page
    assert re.search(r'<input [^>]*value="deferred"[^>]* checked>', page)
    form = response.context["form"]
    assert form["ack_PREGNANCY_BREASTFEEDING"].value() is True
    assert form["ack_KELOID"].errors == ["Not acknowledged yet."]


@pytest.mark.parametrize("outcome", ["approved_with_conditions", "deferred", "declined"])
def test_a_note_is_required_unless_approved(
    doctor_client: Client, intake: Intake, outcome: str
) -> None:
    response = doctor_client.post(decide_url(intake), form_data(outcome=outcome, note="   "))
    assert response.status_code == 400
    assert not Decision.objects.exists()
    label = dict(Decision.Outcome.choices)[outcome]
    assert f"Write a note: it is required for the outcome “{label}”." in (response.content.decode())


def test_approving_needs_no_note(doctor_client: Client, intake: Intake) -> None:
    doctor_client.post(decide_url(intake), form_data(outcome="approved", note=""))
    assert Decision.objects.get(intake=intake).outcome == "approved"


def test_an_intake_with_nothing_to_acknowledge_can_be_approved_straight_away(
    doctor_client: Client, make_intake: Callable[..., Intake]
) -> None:
    suitable = make_intake()
    response = doctor_client.post(decide_url(suitable), form_data(outcome="approved", note=""))
    assert response.status_code == 302
    decision = Decision.objects.get(intake=suitable)
    assert decision.acknowledged_flags == []


def test_errors_are_in_japanese_on_a_japanese_page(doctor_client: Client, intake: Intake) -> None:
    response = doctor_client.post(
        decide_url(intake, "ja"), form_data(outcome="declined", note="", acknowledge=[])
    )
    page = response.content.decode()
    assert "判断の前に、禁忌と要確認のフラグをすべて確認してください。" in page
    assert (
        "未確認：PREGNANCY_BREASTFEEDING（妊娠中・妊娠の可能性あり・授乳中）、"
        "KELOID（ケロイド・肥厚性瘢痕になりやすい）"
    ) in page
    assert "「施術不可」の場合はメモが必要です。" in page


# History -----------------------------------------------------------------------------------------
def test_a_later_decision_supersedes_the_earlier_which_stays_in_the_history(
    doctor_client: Client, doctor: User, intake: Intake
) -> None:
    doctor_client.post(decide_url(intake), form_data(note="First look: wait."))
    first = Decision.objects.get()
    response = doctor_client.post(
        decide_url(intake),
        form_data(outcome="declined", note="Declined after the call.", based_on=first.pk),
        follow=True,
    )
    second = Decision.objects.exclude(pk=first.pk).get()
    assert second.supersedes == first
    history = response.context["history"]
    assert [(entry.decision, entry.superseded) for entry in history] == [
        (second, False),
        (first, True),
    ]
    page = response.content.decode()
    assert page.index("Declined after the call.") < page.index("First look: wait.")
    assert "Superseded" in page
    assert response.context["form"]["based_on"].value() == second.pk


def test_decisions_are_never_changed_or_deleted_by_a_new_one(
    doctor: User, other_doctor: User, intake: Intake
) -> None:
    first = decide(intake, doctor, note="One")
    decide(intake, other_doctor, outcome="declined", note="Two", based_on=first.pk)
    first.refresh_from_db()
    assert (first.doctor, first.outcome, first.note) == (doctor, "deferred", "One")
    assert Decision.objects.count() == 2


# Someone else decided meanwhile ------------------------------------------------------------------
def test_a_decision_made_meanwhile_is_shown_and_nothing_is_overwritten(
    doctor_client: Client, other_doctor: User, intake: Intake
) -> None:
    doctor_client.get(intake_url(intake))  # the form says: no decision seen
    theirs = decide(intake, other_doctor, outcome="declined", note="Called her: declined.")

    response = doctor_client.post(
        decide_url(intake), form_data(outcome="deferred", note="My careful note.", based_on=None)
    )
    assert response.status_code == 409
    assert list(Decision.objects.all()) == [theirs]
    assert response.context["conflict"] == theirs
    page = response.content.decode()
    assert "Another decision was recorded while you were deciding." in page
    assert "Called her: declined." in page
    assert "Suzuki" in page
    assert "My careful note.</textarea>" in page
    form = response.context["form"]
    assert form["ack_KELOID"].value() is True
    # Submitting again is now a deliberate choice to supersede theirs.
    assert form["based_on"].value() == str(theirs.pk)


def test_submitting_again_after_a_conflict_supersedes_the_other_decision(
    doctor_client: Client, other_doctor: User, intake: Intake
) -> None:
    theirs = decide(intake, other_doctor, outcome="declined", note="Theirs.")
    conflict = doctor_client.post(decide_url(intake), form_data(note="Mine.", based_on=None))
    assert conflict.status_code == 409
    again = dict(conflict.context["form"].data.items())
    response = doctor_client.post(decide_url(intake), again)
    assert response.status_code == 302
    mine = Decision.objects.exclude(pk=theirs.pk).get()
    assert mine.supersedes == theirs
    assert mine.note == "Mine."


def test_a_stale_based_on_is_refused_by_the_service(
    doctor: User, other_doctor: User, intake: Intake
) -> None:
    first = decide(intake, doctor)
    second = decide(intake, other_doctor, based_on=first.pk)
    with pytest.raises(review_services.DecisionConflict) as raised:
        decide(intake, doctor, based_on=first.pk)
    assert raised.value.latest == second
    assert Decision.objects.count() == 2


def test_the_conflict_message_is_in_japanese_on_a_japanese_page(
    doctor_client: Client, other_doctor: User, intake: Intake
) -> None:
    decide(intake, other_doctor, outcome="declined", note="Theirs.")
    response = doctor_client.post(decide_url(intake, "ja"), form_data(based_on=None))
    assert "入力中に、別の判断が登録されました。" in response.content.decode()


# The service checks again --------------------------------------------------------------------
def test_the_service_refuses_a_decision_without_every_acknowledgement(
    doctor: User, intake: Intake
) -> None:
    with pytest.raises(ValidationError, match="KELOID"):
        decide(intake, doctor, acknowledged_flags=["PREGNANCY_BREASTFEEDING"])
    assert not Decision.objects.exists()
    intake.refresh_from_db()
    assert intake.status == Intake.Status.NEW


def test_the_service_refuses_a_missing_note_and_an_unknown_outcome(
    doctor: User, intake: Intake
) -> None:
    with pytest.raises(ValidationError):
        decide(intake, doctor, outcome="declined", note=" ")
    with pytest.raises(ValidationError):
        decide(intake, doctor, outcome="maybe")
    assert not Decision.objects.exists()


def test_the_service_stores_the_time_it_is_given(doctor: User, intake: Intake) -> None:
    when = timezone.now() - datetime.timedelta(hours=1)
    assert decide(intake, doctor, now=when).decided_at == when


def test_the_decision_form_names_every_missing_flag_in_one_message(intake: Intake) -> None:
    flags = [flag for flag in intake.flags.all() if flag.code in TO_ACKNOWLEDGE]
    form = DecisionForm(form_data(acknowledge=[]), flags=flags)
    assert not form.is_valid()
    (message,) = form.non_field_errors()
    assert "PREGNANCY_BREASTFEEDING" in message
    assert "KELOID" in message


def test_switching_language_after_a_refused_decision_leads_to_the_intake_page(
    doctor_client: Client, intake: Intake
) -> None:
    response = doctor_client.post(decide_url(intake), form_data(acknowledge=[]))
    page = response.content.decode()
    assert f'name="next" value="{intake_url(intake, "ja")}"' in page
    switched = doctor_client.post(
        reverse("set_language"), {"language": "ja", "next": intake_url(intake, "ja")}
    )
    assert switched.url == intake_url(intake, "ja")


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (DATABASE_URL): SQLite has no row locks and serialises writes",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_doctors_deciding_at_the_same_moment_record_exactly_one_decision(
    doctor: User, other_doctor: User, intake: Intake
) -> None:
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def decide_now(who: User) -> None:
        try:
            start.wait()
            decide(intake, who, based_on=None)
            outcomes.append("recorded")
        except review_services.DecisionConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=decide_now, args=(who,)) for who in (doctor, other_doctor)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["conflict", "recorded"]
    assert Decision.objects.filter(intake=intake).count() == 1
