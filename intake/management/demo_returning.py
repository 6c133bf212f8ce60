"""The demo's returning patient (spec §5): two earlier visits, each decided and treated, and a
third intake open now, linked to the patient, whose answers differ from the last one and forget
the latest treatment, so the doctor's page shows the history, the changes and RECORD_MISMATCH.

Used by `manage.py demo_data`; idempotent like it (fixed submission tokens, a patient found by
name and date of birth, treatments recorded once).
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import CommandError
from django.utils import timezone, translation

from intake import selectors, services
from intake.management.commands.screen import validate_answers
from intake.models import Decision, Intake, Patient
from intake.patients import services as patient_services
from intake.review import services as review_services

NAMESPACE = uuid.UUID("0b7e8d52-4a1f-4c6e-9f3a-5d2c7b9e1a44")
PERSON = {
    "full_name": "中村 さくら",
    "full_name_kana": "ナカムラ サクラ",
    "date_of_birth": datetime.date(1991, 3, 5),
    "sex": "female",
    "phone": "090-2468-1357",
    "email": "sakura.demo@example.jp",
}
# Days before today of the two earlier visits (each treated on its visit day).
EARLIER_VISITS = (200, 100)


def _answers(base: dict[str, Any], visit: datetime.date, **changes: Any) -> dict[str, Any]:
    return {**base, **PERSON, "visit_date": visit, **changes}


def _submit(key: str, given: dict[str, Any], *, on: datetime.date) -> Intake:
    as_json = {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in given.items()}
    with translation.override("en"):
        answers, problems = validate_answers(as_json, today=on, consent_required=True)
    if problems:
        details = "; ".join(f"{k}: {message}" for k, message in problems)
        raise CommandError(f"demo intake {key!r} is not valid: {details}")
    moment = timezone.make_aware(datetime.datetime.combine(on, datetime.time(10, 0)))
    return services.intake_submit(
        answers_given=answers,
        language="ja",
        consent_document=selectors.current_consent_document(today=on),
        submission_token=uuid.uuid5(NAMESPACE, key),
        now=moment,
    )


def load_returning_patient(
    today: datetime.date, baseline: dict[str, Any], *, doctor: User, reception: User
) -> Intake:
    """The returning patient's three intakes; returns the open one."""
    first_day, second_day = (today - datetime.timedelta(days=n) for n in EARLIER_VISITS)
    first = _submit("visit-1", _answers(baseline, first_day), on=first_day)
    second = _submit(
        "visit-2",
        _answers(
            baseline,
            second_day,
            botulinum_before=True,
            botulinum_last_date=first_day,
            botulinum_product="botox_vista",
        ),
        on=second_day,
    )
    patient = Patient.objects.filter(
        full_name=PERSON["full_name"], date_of_birth=PERSON["date_of_birth"]
    ).first()
    if patient is None:
        patient = patient_services.patient_create_from_intake(intake=first, by=reception)
    patient_services.intake_link(intake=second, patient=patient, by=reception)
    for intake, day in ((first, first_day), (second, second_day)):
        evening = timezone.make_aware(datetime.datetime.combine(day, datetime.time(18, 0)))
        if not Decision.objects.filter(intake=intake).exists():
            review_services.intake_decide(
                intake=intake,
                doctor=doctor,
                outcome=Decision.Outcome.APPROVED,
                note="",
                acknowledged_flags=[],
                based_on=None,
                now=evening,
            )
        if not patient.treatments.filter(treated_on=day).exists():
            patient_services.treatment_record(
                patient=patient,
                doctor=doctor,
                intake=intake,
                treated_on=day,
                product="botox_vista",
                lot_number="C1234A",
                dilution_ml_per_100u=Decimal("5.0"),
                total_units=Decimal("24"),
                areas=["forehead", "cheeks", "nose"],
                note="マイクロボトックス（皮内、約0.5 cm間隔）",
                now=evening,
            )
    # Today: oilier skin, a retinoid started, and the last toxin remembered as the first visit.
    current = _submit(
        "visit-3",
        _answers(
            baseline,
            today + datetime.timedelta(days=3),
            skin_type="combination",
            concerns=["oiliness", "enlarged_pores", "active_acne"],
            topical_retinoids=["adapalene"],
            topical_retinoid_started=today - datetime.timedelta(days=60),
            botulinum_before=True,
            botulinum_last_date=first_day,
            botulinum_product="botox_vista",
        ),
        on=today,
    )
    patient_services.intake_link(intake=current, patient=patient, by=reception)
    return current
