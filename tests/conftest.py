"""Fixtures for the people involved and the intakes they work with."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from intake import answers, selectors, services
from intake.invitations import services as invitation_services
from intake.models import ClinicProfile, Intake, Invitation
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
def clinic(db: Any) -> ClinicProfile:
    """The clinic's profile in both languages, as patients see it."""
    return ClinicProfile.objects.create(
        name_ja="梅田スキンクリニック",
        name_en="Umeda Skin Clinic",
        address_ja="大阪市北区梅田1-1",
        address_en="1-1 Umeda, Kita-ku, Osaka",
        phone="06-6375-0000",
    )


@pytest.fixture
def tablet_client(receptionist: User) -> Client:
    """The clinic's intake tablet: reception made this browser one (and was signed out)."""
    client = Client()
    client.force_login(receptionist)
    response = client.post(reverse("tablet:setup"))
    assert response.status_code == 302, response
    return client
