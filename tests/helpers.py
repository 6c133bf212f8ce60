"""Plain helpers shared by test modules (fixtures live in conftest.py)."""

from __future__ import annotations

import re
from pathlib import Path

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
# The shared examples of spec §3: NAME.in.json (answers and `as_of`) and NAME.out.json.
EXAMPLES = Path(__file__).resolve().parent / "examples"
EXAMPLE_NAMES = sorted(path.name.removesuffix(".in.json") for path in EXAMPLES.glob("*.in.json"))

PASSWORD = "pw-for-tests-only"  # conftest's users

REFERENCE_FORMAT = re.compile(r"^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{4}-[0-9ABCDEFGHJKMNPQRSTVWXYZ]{4}$")


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def step_url(step: str, language: str = "en") -> str:
    with translation.override(language):
        return reverse("intake:step", kwargs={"step": step})
