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
from django.urls import reverse
from django.utils import timezone, translation

from intake import answers, selectors, services
from intake.invitations import services as invitation_services
from intake.models import ClinicProfile, Intake, Invitation, Patient, Treatment
from intake.patients import services as patient_services
from tests.helpers import PASSWORD, logged_in, step_url
from tests.smtp import Inbox, smtp_server
from tests.wizard_http import step_post_data


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
def patient_client(db: Any, today: datetime.date) -> Client:
    """A patient's phone: anonymous, part-way through the intake (the first step answered)."""
    client = Client()
    client.get("/ja/intake/")
    response = client.post(
        step_url("about_you", "ja"), step_post_data("about_you", answers.example_answers(today))
    )
    assert response.status_code == 302, response
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


# A repeat intake (spec §5) -----------------------------------------------------------------------
# What 山田 花子 answered at her latest visit, among the answers a repeat intake carries over: none
# is a fresh form's, and the phone is not the one on her record (which reception's invitation has).
LATEST_ANSWERS: dict[str, Any] = {
    **PERSON,
    "phone": "090-1111-2222",
    "sex": "other",
    "email": "hanako.yamada@example.jp",
    "skin_type": "dry",
    "phototype": "IV",
    "keloid_history": True,
    "neuromuscular": ["other_neuromuscular"],
    "other_conditions": ["glaucoma", "bleeding_disorder"],
    "allergies": ["lidocaine", "other"],
    "allergy_details": "キウイで口がかゆくなる",
    "medications": ["otc_blood_thinning"],
    "medication_details": "ロキソニンS",
    "botulinum_before": True,
    "botulinum_product": "botox_vista",
}


@pytest.fixture
def returning_patient(
    submit_on: Callable[..., Intake],
    patient: Patient,
    receptionist: User,
    record_treatment: Callable[..., Treatment],
    today: datetime.date,
) -> Patient:
    """山田 花子's record with two intakes: 200 days ago (other answers), and 40 days ago in
    English, the latest, with LATEST_ANSWERS; treated by the clinic 40 days ago."""
    older = submit_on(200, skin_type="normal", email="old.address@example.jp", phototype="II")
    latest = submit_on(
        40,
        language="en",
        **LATEST_ANSWERS,
        botulinum_last_date=today - datetime.timedelta(days=130),
    )
    for intake in (older, latest):
        patient_services.intake_link(intake=intake, patient=patient, by=receptionist)
    Intake.objects.filter(pk__in=[older.pk, latest.pk]).update(status=Intake.Status.DECIDED)
    record_treatment(patient, today - datetime.timedelta(days=40), intake=latest)
    return patient


@pytest.fixture
def repeat_invitation(
    returning_patient: Patient, receptionist: User, today: datetime.date
) -> Invitation:
    """Reception's invitation of 山田 花子 to a repeat intake, for a visit in 3 days, in English."""
    return invitation_services.invitation_create(
        full_name=returning_patient.full_name,
        full_name_kana=returning_patient.full_name_kana,
        phone=returning_patient.phone,
        visit_date=today + datetime.timedelta(days=3),
        language="en",
        created_by=receptionist,
        patient=returning_patient,
    )


@pytest.fixture
def mail_server(settings: Any) -> Iterator[Inbox]:
    """A real SMTP server on 127.0.0.1 that Django sends to (no TLS), and what it received."""
    with smtp_server() as (inbox, port):
        settings.EMAIL_ENABLED = True
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 5
        settings.DEFAULT_FROM_EMAIL = "intake@clinic.example.jp"
        settings.SITE_URL = "https://intake.clinic.example.jp"
        yield inbox


@pytest.fixture
def invite(db: Any, today: datetime.date, receptionist: User) -> Callable[..., Invitation]:
    """Create an invitation through the real service; keyword arguments override the details."""

    def make(**overrides: Any) -> Invitation:
        details = {
            "full_name": "山田 花子",
            "full_name_kana": "ヤマダ ハナコ",
            "phone": "06-6375-0000",
            "email": "",
            "visit_date": today + datetime.timedelta(days=3),
            "language": "ja",
            "created_by": receptionist,
            **overrides,
        }
        return invitation_services.invitation_create(**details)

    return make


@pytest.fixture
def tablet_client(receptionist: User) -> Client:
    """The clinic's intake tablet: reception made this browser one (and was signed out)."""
    client = Client()
    client.force_login(receptionist)
    response = client.post(reverse("tablet:setup"))
    assert response.status_code == 302, response
    return client


@pytest.fixture
def clock() -> Iterator[Callable[[float], None]]:
    """Moves the idle timeout's clock (intake.middleware): `clock(seconds)` sets how far in the
    future "now" is."""
    start = time.time()
    offset = [0.0]
    with mock.patch("intake.middleware.time.time", side_effect=lambda: start + offset[0]):
        yield lambda seconds: offset.__setitem__(0, seconds)
