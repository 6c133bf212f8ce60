"""intake.management.commands.demo_data: a laptop demo's data, never in production."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from intake import answers
from intake.management.commands.demo_data import CLINIC, DEMO_PEOPLE
from intake.models import ClinicProfile, Intake, IntakeFlag

pytestmark = pytest.mark.django_db


def run_demo_data() -> str:
    out = StringIO()
    call_command("demo_data", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "intakes": Intake.objects.count(),
        "flags": IntakeFlag.objects.count(),
        "users": User.objects.count(),
        "clinics": ClinicProfile.objects.count(),
    }


def test_a_new_database_has_no_users_until_demo_data_runs() -> None:
    assert not User.objects.exists()


def test_running_demo_data_twice_adds_nothing_the_second_time() -> None:
    run_demo_data()
    first = counts()
    run_demo_data()
    assert counts() == first
    assert first["intakes"] >= 4
    assert first["clinics"] == 1
    assert first["users"] == len(DEMO_PEOPLE)


def test_demo_intakes_cover_every_verdict_in_both_languages(today: Any) -> None:
    run_demo_data()
    # The returning patient's visits aside (see below): one new intake per verdict and language.
    intakes = list(Intake.objects.filter(patient__isnull=True))
    assert {intake.verdict for intake in intakes} == set(answers.VERDICT_LABELS)
    for verdict in answers.VERDICT_LABELS:
        languages = {intake.language for intake in intakes if intake.verdict == verdict}
        assert languages == {"ja", "en"}, verdict
    assert all(intake.visit_date > today for intake in intakes)
    assert all(intake.status == "new" for intake in intakes)


def test_demo_intakes_are_screened_like_any_submitted_intake() -> None:
    run_demo_data()
    pregnant = Intake.objects.get(pregnancy="possibly_pregnant")
    codes = list(pregnant.flags.order_by("position").values_list("code", flat=True))
    assert codes[0] == "PREGNANCY_BREASTFEEDING"
    assert pregnant.verdict == "not_suitable"
    assert pregnant.ruleset_version
    assert pregnant.consent_document is not None


def test_demo_people_have_their_roles_and_the_printed_passwords() -> None:
    output = run_demo_data()
    for username, password, group, superuser in DEMO_PEOPLE:
        user = User.objects.get(username=username)
        assert user.is_staff
        assert user.is_superuser is superuser
        assert user.check_password(password)
        if group:
            assert user.groups.filter(name=group).exists()
        assert username in output
        assert password in output
    assert User.objects.get(username="demo_doctor").has_perm("intake.review_intake")
    assert not User.objects.get(username="demo_reception").has_perm("intake.review_intake")


def test_demo_data_prints_where_to_open_the_app() -> None:
    output = run_demo_data()
    with translation.override("ja"):
        assert f"http://127.0.0.1:8000{reverse('intake:start')}" in output
        assert f"http://127.0.0.1:8000{reverse('review:queue')}" in output
        assert f"http://127.0.0.1:8000{reverse('admin:index')}" in output


def test_demo_data_creates_a_bilingual_clinic_profile() -> None:
    run_demo_data()
    clinic = ClinicProfile.objects.get()
    assert clinic.name_ja == CLINIC["name_ja"]
    assert clinic.name_en == CLINIC["name_en"]
    assert "大阪" in clinic.address_ja
    assert "Osaka" in clinic.address_en
    with translation.override("en"):
        assert clinic.name == CLINIC["name_en"]
    with translation.override("ja"):
        assert clinic.name == CLINIC["name_ja"]


def test_demo_data_keeps_the_clinic_profile_a_clinic_already_has() -> None:
    ClinicProfile.objects.create(
        name_ja="本物のクリニック", name_en="The real clinic", address_ja="東京", address_en="Tokyo"
    )
    run_demo_data()
    assert ClinicProfile.objects.get().name_en == "The real clinic"


def test_demo_data_refuses_to_run_in_production(settings: Any) -> None:
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        run_demo_data()
    assert counts() == {"intakes": 0, "flags": 0, "users": 0, "clinics": 0}


def test_demo_data_has_a_returning_patient_with_history_changes_and_a_record_mismatch(
    today: Any,
) -> None:
    from intake.models import Patient, Treatment
    from intake.patients import selectors as patient_selectors

    output = run_demo_data()
    run_demo_data()  # idempotent for the returning patient too

    patient = Patient.objects.get()
    visits = list(patient.intakes.order_by("submitted_at"))
    assert len(visits) == 3
    assert [visit.status for visit in visits] == ["decided", "decided", "new"]
    assert Treatment.objects.filter(patient=patient).count() == 2
    current = visits[-1]
    assert current.reference in output
    assert current.visit_date > today
    assert current.current_rescreening.reason == "linked"
    assert "RECORD_MISMATCH" in [flag.code for flag in current.current_flags()]
    changes = patient_selectors.answer_changes(intake=current, previous=visits[1], language="en")
    assert {"skin_type", "concerns", "topical_retinoids"} <= {change.key for change in changes}
