"""Fixtures for the people involved and the intakes they work with."""

from __future__ import annotations

import datetime
import time
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone, translation

from intake import answers, selectors, services
from intake.models import ClinicProfile, Intake, Patient, Treatment
from intake.patients import services as patient_services
from tests.helpers import PASSWORD, logged_in


@pytest.fixture(autouse=True)
def english_by_default() -> Any:
    """Tests read English unless they ask for Japanese (which has tests of its own)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Test users log in with a deliberately weak, fast hasher; production keeps Django's."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def valid_answers(today: datetime.date) -> dict[str, Any]:
    return answers.example_answers(today)


@pytest.fixture
def clinic(db: Any) -> ClinicProfile:
    """The clinic's profile, as its administrator fills it in after a deploy."""
    return ClinicProfile.objects.create(
        name_ja="梅田スキンクリニック",
        name_en="Umeda Skin Clinic",
        address_ja="大阪市北区梅田1-1-1",
        address_en="1-1-1 Umeda, Kita-ku, Osaka",
        phone="06-6375-0000",
    )


@pytest.fixture
def make_intake(db: Any, today: datetime.date) -> Callable[..., Intake]:
    """Submit an intake through the real service; keyword arguments override answers."""

    def make(*, language: str = "ja", **overrides: Any) -> Intake:
        given = {**answers.example_answers(today), **overrides}
        return services.intake_submit(
            answers_given=given,
            language=language,
            consent_document=selectors.current_consent_document(),
            submission_token=uuid.uuid4(),
        )

    return make


def _user(username: str, group: str | None = None, **extra: Any) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def doctor(db: Any) -> User:
    """A doctor: sees every answer and flag, records decisions."""
    return _user("dr_sato", "Doctors", first_name="Sato")


@pytest.fixture
def other_doctor(db: Any) -> User:
    """A second doctor, for decisions made meanwhile by someone else."""
    return _user("dr_suzuki", "Doctors", first_name="Suzuki")


@pytest.fixture
def receptionist(db: Any) -> User:
    """Reception: sees names, visit dates and status in the queue; never medical answers."""
    return _user("reception_tanaka", "Reception")


@pytest.fixture
def staff_without_group(db: Any) -> User:
    """A logged-in user with no clinic role: sees nothing of the patients."""
    return _user("nobody")


@pytest.fixture
def superuser(db: Any) -> User:
    """The clinic's administrator: runs the admin."""
    return User.objects.create_superuser("admin", "admin@example.jp", PASSWORD)


@pytest.fixture
def superuser_client(superuser: User) -> Client:
    """The administrator, signed in: runs the admin, counts as a doctor in the review workspace."""
    return logged_in(superuser)


@pytest.fixture
def admin_client_logged_in(superuser_client: Client) -> Client:
    """The security and middleware tests' name for `superuser_client`."""
    return superuser_client


@pytest.fixture
def doctor_client(doctor: User) -> Client:
    return logged_in(doctor)


@pytest.fixture
def reception_client(receptionist: User) -> Client:
    return logged_in(receptionist)


@pytest.fixture
def patient_client(db: Any) -> Client:
    """A patient's phone: anonymous, part-way through the intake (the first step answered)."""
    client = Client()
    client.get("/ja/intake/")
    return client


@pytest.fixture
def staff_client(request: pytest.FixtureRequest, db: Any) -> Callable[[str], Client]:
    """A logged-in client for a role fixture's user, with the staff status the admin needs."""

    def login(role: str) -> Client:
        user: User = request.getfixturevalue(role)
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        return logged_in(user)

    return login


# The patient record across visits (spec §5) ------------------------------------------------------
PERSON = {
    "full_name": "山田 花子",
    "full_name_kana": "ヤマダ ハナコ",
    "date_of_birth": datetime.date(1995, 4, 10),
    "phone": "06-6375-0000",
}


@pytest.fixture
def submit_on(db: Any, today: datetime.date) -> Callable[..., Intake]:
    """Submit an intake as of `days_ago` days before today (visit on that day unless given)."""

    def submit(days_ago: int = 0, *, language: str = "ja", **overrides: Any) -> Intake:
        day = today - datetime.timedelta(days=days_ago)
        now = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
        given = {**answers.example_answers(day), "visit_date": day, **overrides}
        return services.intake_submit(
            answers_given=given,
            language=language,
            consent_document=selectors.current_consent_document(),
            submission_token=uuid.uuid4(),
            now=now,
        )

    return submit


@pytest.fixture
def patient(db: Any, receptionist: User) -> Patient:
    """The patient record of 山田 花子 (the example answers' person)."""
    return Patient.objects.create(**PERSON, created_by=receptionist)


@pytest.fixture
def record_treatment(doctor: User) -> Callable[..., Treatment]:
    """Record a treatment through the real service; keyword arguments override the record."""

    def record(patient: Patient, treated_on: datetime.date, **overrides: Any) -> Treatment:
        arguments: dict[str, Any] = {
            "patient": patient,
            "doctor": doctor,
            "treated_on": treated_on,
            "product": "botox_vista",
            "dilution_ml_per_100u": Decimal("5"),
            "total_units": Decimal("24"),
            "areas": ["cheeks", "forehead"],
            "lot_number": "C1234A",
        }
        arguments.update(overrides)
        return patient_services.treatment_record(**arguments)

    return record


@pytest.fixture
def returning(
    submit_on: Callable[..., Intake],
    patient: Patient,
    receptionist: User,
    doctor: User,
    record_treatment: Callable[..., Treatment],
    today: datetime.date,
) -> dict[str, Any]:
    """A patient treated 60 days ago at an earlier visit, and an intake of today, not linked,
    whose answers say no toxin before and a different skin type."""
    earlier = submit_on(60)
    patient_services.intake_link(intake=earlier, patient=patient, by=receptionist)
    Intake.objects.filter(pk=earlier.pk).update(status=Intake.Status.DECIDED)
    treatment = record_treatment(patient, today - datetime.timedelta(days=60), intake=earlier)
    current = submit_on(0, visit_date=today + datetime.timedelta(days=3), skin_type="combination")
    return {"patient": patient, "earlier": earlier, "treatment": treatment, "current": current}


@pytest.fixture
def clock() -> Iterator[Callable[[float], None]]:
    """Moves the idle timeout's clock (intake.middleware): `clock(seconds)` sets how far in the
    future "now" is."""
    start = time.time()
    offset = [0.0]
    with mock.patch("intake.middleware.time.time", side_effect=lambda: start + offset[0]):
        yield lambda seconds: offset.__setitem__(0, seconds)
