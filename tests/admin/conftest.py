"""What the admin's tests share: one of everything the admin shows."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from intake import audit
from intake.invitations import services as invitation_services
from intake.models import (
    AccessRecord,
    ClinicProfile,
    ConsentDocument,
    Decision,
    FlagText,
    Intake,
    Invitation,
    PatientLink,
)
from intake.patients import services as patient_services


@pytest.fixture
def objects(
    make_intake: Callable[..., Intake], doctor: User, receptionist: User, today: datetime.date
) -> dict[str, Any]:
    """One of everything the admin shows, for the URLs of its pages."""
    intake = make_intake(pregnancy="pregnant")
    decision = Decision.objects.create(
        intake=intake,
        doctor=doctor,
        outcome=Decision.Outcome.DECLINED,
        note="Pregnant: rebook after breastfeeding.",
        acknowledged_flags=["PREGNANCY_BREASTFEEDING"],
        decided_at=timezone.now(),
    )
    access = audit.access_record(user=doctor, action=AccessRecord.Action.DETAIL, intake=intake)
    draft = ConsentDocument.objects.create(
        version="2027-01",
        title_ja="個人情報の取り扱い（改定）",
        title_en="Personal information (revised)",
        body_ja="本文",
        body_en="Body",
        effective_date=today + datetime.timedelta(days=30),
    )
    profile = ClinicProfile.objects.create(
        name_ja="梅田スキンクリニック",
        name_en="Umeda Skin Clinic",
        address_ja="大阪市北区梅田1-1-1",
        address_en="1-1-1 Umeda, Kita-ku, Osaka",
        phone="06-6375-0000",
    )
    invitation = invitation_services.invitation_create(
        full_name="招待 花子",
        phone="090-0000-0000",
        visit_date=today + datetime.timedelta(days=2),
        language="ja",
        created_by=receptionist,
    )
    used = invitation_services.invitation_create(
        full_name="使用 済子",
        phone="090-0000-0001",
        visit_date=today + datetime.timedelta(days=2),
        language="ja",
    )
    Invitation.objects.filter(pk=used.pk).update(used_at=timezone.now())
    # A patient of their own: the intake above stays as the other tests know it.
    patient_intake = make_intake(visit_date=None)
    patient = patient_services.patient_create_from_intake(intake=patient_intake, by=doctor)
    treatment = patient_services.treatment_record(
        patient=patient,
        doctor=doctor,
        treated_on=today,
        product="botox",
        dilution_ml_per_100u=Decimal("2.5"),
        total_units=Decimal("20"),
        areas=["glabella"],
    )
    return {
        "patient": patient,
        "treatment": treatment,
        "patientlink": PatientLink.objects.get(intake=patient_intake),
        "intake": intake,
        "flagtext": FlagText.objects.get(code="PREGNANCY_BREASTFEEDING"),
        "consentdocument": ConsentDocument.objects.get(version="2026-11"),
        "consent_draft": draft,
        "clinicprofile": profile,
        "invitation": invitation,
        "used_invitation": used,
        "accessrecord": access,
        "decision": decision,
        "user": doctor,
        "user_without_history": receptionist,
        "group": Group.objects.get(name="Doctors"),
    }
