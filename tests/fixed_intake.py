"""One intake fixed to the minute, for the outputs compared whole: the chart text's golden files,
the FHIR Bundle and the consultation summary.

A returning patient (山田 花子) treated on 2026-09-15, who comes back on 2026-12-01 using
tretinoin with irritation, allergic to lidocaine, on painkillers, with a wedding soon after the
visit and an emoji in her notes; a doctor approved her with conditions.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from intake import answers, selectors, services
from intake.models import Intake, Patient
from intake.patients import services as patient_services
from intake.review import services as review_services

REFERENCE = "GLD0-0001"
VISIT = datetime.date(2026, 12, 1)
SUBMITTED = timezone.make_aware(datetime.datetime(2026, 11, 20, 9, 30))
DECIDED = timezone.make_aware(datetime.datetime(2026, 11, 24, 18, 5))
TREATED = datetime.date(2026, 9, 15)

ANSWERS = {
    **answers.example_answers(SUBMITTED.date()),
    "visit_date": VISIT,
    "skin_type": "combination",
    "concerns": ["oiliness", "enlarged_pores", "acne_redness"],
    "acne_lesion_count": "6_20",
    "topical_retinoids": ["tretinoin"],
    "topical_retinoid_started": datetime.date(2026, 11, 10),
    "retinoid_irritation": ["redness", "peeling"],
    "botulinum_before": True,
    "botulinum_last_date": datetime.date(2026, 9, 15),
    "botulinum_product": "botox_vista",
    "allergies": ["lidocaine"],
    "allergy_details": "歯科の麻酔で動悸がしました。\n念のためお知らせします🙂",
    "medications": ["otc_blood_thinning"],
    "medication_details": "ロキソニン（頭痛のときだけ）",
    "upcoming_event_date": datetime.date(2026, 12, 6),
}
NOTE = (
    "トレチノインは施術の5日前から中止。リドカインを含まない希釈で行う。"
    "結婚式が5日後のため、内出血の可能性を説明し同意を得た。"
)


def fixed_intake(*, doctor: User, receptionist: User) -> Intake:
    """The intake above, stored through the real services, its reference fixed."""
    patient = Patient.objects.create(
        full_name="山田 花子",
        full_name_kana="ヤマダ ハナコ",
        date_of_birth=datetime.date(1995, 4, 10),
        phone="06-6375-0000",
        email="hanako@example.jp",
        created_by=receptionist,
    )
    patient_services.treatment_record(
        patient=patient,
        doctor=doctor,
        treated_on=TREATED,
        product="botox_vista",
        dilution_ml_per_100u=Decimal("2.5"),
        total_units=Decimal("22.5"),
        areas=["cheeks", "forehead"],
        lot_number="C1234A",
        note="Cheeks intradermal, 0.05 mL per point.",
        now=timezone.make_aware(datetime.datetime(2026, 9, 15, 16, 0)),
    )
    intake = services.intake_submit(
        answers_given=ANSWERS,
        language="ja",
        consent_document=selectors.current_consent_document(today=SUBMITTED.date()),
        submission_token=uuid.uuid5(uuid.NAMESPACE_URL, "tests/fixed_intake"),
        patient=patient,
        now=SUBMITTED,
    )
    Intake.objects.filter(pk=intake.pk).update(reference=REFERENCE)
    review_services.intake_decide(
        intake=intake,
        doctor=doctor,
        outcome="approved_with_conditions",
        note=NOTE,
        acknowledged_flags=[flag.code for flag in intake.flags.all()],
        based_on=None,
        now=DECIDED,
    )
    return Intake.objects.get(pk=intake.pk)
