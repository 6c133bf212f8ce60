"""The journeys of bench/journey.py still go through: a wizard change that breaks them fails here.

In process, through Django's test client with CSRF checks on, on the benchmarks' URLconf; the
benchmark itself drives the same functions over HTTP against gunicorn.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.test import Client

from bench.common import valid_answers
from bench.journeys import REQUESTS_PER_JOURNEY, app_journey, bare_journey
from intake.models import Intake
from tests.wizard_http import CSRF_FIELD, PostData, Response

pytestmark = pytest.mark.django_db


class CountingClient:
    """A browser for the journeys: Django's test client, enforcing CSRF as a real one is."""

    def __init__(self) -> None:
        self.client = Client(enforce_csrf_checks=True)
        self.requests = 0

    def request(self, method: str, path: str, data: PostData | None = None) -> Response:
        self.requests += 1
        if method == "GET":
            response = self.client.get(path)
        else:
            token = self.client.cookies["csrftoken"].value
            response = self.client.post(path, {**(data or {}), CSRF_FIELD: [token]})
        headers = {name.lower(): value for name, value in response.headers.items()}
        return Response(response.status_code, headers, response.content.decode())


@pytest.fixture(autouse=True)
def bench_urls(settings: Any) -> None:
    settings.ROOT_URLCONF = "bench.bench_urls"


def test_the_app_journey_saves_the_patients_intake_in_sixteen_requests(today: Any) -> None:
    given = valid_answers(random.Random(3), today)
    browser = CountingClient()

    reference = app_journey(browser, given)

    intake = Intake.objects.get(reference=reference)
    assert intake.full_name == given["full_name"]
    assert browser.requests == REQUESTS_PER_JOURNEY


def test_the_bare_journey_saves_one_intake_in_as_many_requests() -> None:
    browser = CountingClient()

    reference = bare_journey(browser)

    assert Intake.objects.filter(reference=reference).count() == 1
    assert browser.requests == REQUESTS_PER_JOURNEY
