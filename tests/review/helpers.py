"""Plain helpers of the review workspace's tests: a decision as the form posts it or the service
takes it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from intake.models import Decision, Intake
from intake.review import services as review_services

# The flags of the `intake` fixture a decision must acknowledge.
TO_ACKNOWLEDGE = ["PREGNANCY_BREASTFEEDING", "KELOID"]


def form_data(
    *,
    outcome: str = "deferred",
    note: str = "Rebook after breastfeeding ends.",
    acknowledge: list[str] = TO_ACKNOWLEDGE,
    based_on: int | None = None,
) -> dict[str, str]:
    data = {"outcome": outcome, "note": note, "based_on": str(based_on or "")}
    data.update({f"ack_{code}": "on" for code in acknowledge})
    return data


def decide(intake: Intake, doctor: User, **kwargs: Any) -> Decision:
    arguments: dict[str, Any] = {
        "outcome": "deferred",
        "note": "Wait.",
        "acknowledged_flags": TO_ACKNOWLEDGE,
        "based_on": None,
    }
    arguments.update(kwargs)
    return review_services.intake_decide(intake=intake, doctor=doctor, **arguments)
