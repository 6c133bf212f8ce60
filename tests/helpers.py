"""Plain helpers shared by test modules (fixtures live in conftest.py)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import translation

from intake.models import Intake
from intake.views import SUBMITTED_SESSION_KEY

ROOT = Path(__file__).resolve().parent.parent
# The shared examples of spec §3: NAME.in.json (answers and `as_of`) and NAME.out.json.
EXAMPLES = Path(__file__).resolve().parent / "examples"
EXAMPLE_NAMES = sorted(path.name.removesuffix(".in.json") for path in EXAMPLES.glob("*.in.json"))

PASSWORD = "pw-for-tests-only"  # conftest's users

# What a developer's shell may carry that would change the app's settings in a child process.
SETTINGS_VARIABLES = (
    "DJANGO_",
    "AXES_",
    "INTAKE_",
    "DATABASE_URL",
    "GUNICORN_",
    "EMAIL_",
    "CLINIC_SITE_URL",
)


def clean_environment(**overrides: str) -> dict[str, str]:
    """This process's environment without any of the app's settings, plus `overrides`: for a
    server or a command run in a process of its own."""
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(SETTINGS_VARIABLES)
    }
    return env | overrides


REFERENCE_FORMAT = re.compile(r"^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{4}-[0-9ABCDEFGHJKMNPQRSTVWXYZ]{4}$")


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def step_url(step: str, language: str = "en") -> str:
    with translation.override(language):
        return reverse("intake:step", kwargs={"step": step})


def confirmation_page(intake: Intake, language: str) -> str:
    """The confirmation page as the patient who submitted `intake` sees it, in `language`."""
    client = Client()
    session = client.session
    session[SUBMITTED_SESSION_KEY] = {
        "reference": intake.reference,
        "submission_token": str(intake.submission_token),
    }
    session.save()
    with translation.override(language):
        url = reverse("intake:submitted", kwargs={"reference": intake.reference})
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()
