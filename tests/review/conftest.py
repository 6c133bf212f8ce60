"""Fixtures of the review workspace's tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from intake.models import Intake


@pytest.fixture
def intake(make_intake: Callable[..., Intake]) -> Intake:
    """Pregnant (contraindication), keloids (review), dry skin (caution), off-label (info)."""
    return make_intake(pregnancy="pregnant", keloid_history=True, skin_type="dry")
