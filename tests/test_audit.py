"""intake.audit: the access record holds who, what, when and where, nothing medical."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import User

from intake import audit
from intake.models import AccessRecord, Intake


def test_an_access_record_holds_who_what_when_where_and_nothing_medical(
    doctor: User, make_intake: Callable[..., Intake]
) -> None:
    intake = make_intake(pregnancy="pregnant")
    record = audit.access_record(
        user=doctor, action=AccessRecord.Action.DETAIL, intake=intake, ip_address="not an address"
    )
    assert record.ip_address is None
    stored = {field.attname for field in AccessRecord._meta.concrete_fields}
    assert stored == {"id", "intake_id", "user_id", "action", "at", "ip_address"}
