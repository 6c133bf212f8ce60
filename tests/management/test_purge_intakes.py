"""intake.management.commands.purge_intakes: deletes what is past retention; a dry run says so."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import timezone

from intake import audit
from intake.invitations import services as invitation_services
from intake.models import AccessRecord, Decision, Intake, IntakeFlag, Invitation
from intake.review import services as review_services

DAY = datetime.timedelta(days=1)


def purge(*args: str) -> list[str]:
    out = io.StringIO()
    call_command("purge_intakes", *args, stdout=out)
    return out.getvalue().splitlines()


@pytest.fixture
def old_and_new(
    make_intake: Callable[..., Intake], doctor: User, other_doctor: User, today: datetime.date
) -> dict[str, Any]:
    """Intakes on both sides of a 30-day period, with what hangs on them."""
    old_visit = make_intake(visit_date=today - 31 * DAY, pregnancy="pregnant")
    old_submitted = make_intake(visit_date=None)
    Intake.objects.filter(pk=old_submitted.pk).update(submitted_at=timezone.now() - 40 * DAY)
    recent_visit = make_intake(visit_date=today - 29 * DAY)
    recent_submitted = make_intake(visit_date=None)
    future_visit = make_intake(visit_date=today + 3 * DAY)
    # Submitted long ago, but the visit is recent: the visit date counts.
    old_submission_recent_visit = make_intake(visit_date=today - 5 * DAY)
    Intake.objects.filter(pk=old_submission_recent_visit.pk).update(
        submitted_at=timezone.now() - 400 * DAY
    )

    first = review_services.intake_decide(
        intake=old_visit,
        doctor=doctor,
        outcome=Decision.Outcome.DEFERRED,
        note="Call back.",
        acknowledged_flags=["PREGNANCY_BREASTFEEDING"],
        based_on=None,
    )
    review_services.intake_decide(
        intake=old_visit,
        doctor=other_doctor,
        outcome=Decision.Outcome.DECLINED,
        note="Pregnant.",
        acknowledged_flags=["PREGNANCY_BREASTFEEDING"],
        based_on=first.pk,
    )
    for intake in (old_visit, old_visit, old_submitted, recent_visit):
        audit.access_record(user=doctor, action=AccessRecord.Action.DETAIL, intake=intake)

    used_invitation = invitation_services.invitation_create(
        full_name="古い 招待", phone="0900000000", visit_date=today, language="ja"
    )
    Invitation.objects.filter(pk=used_invitation.pk).update(visit_date=today - 31 * DAY)
    Intake.objects.filter(pk=old_visit.pk).update(invitation=used_invitation)
    stale_invitation = invitation_services.invitation_create(
        full_name="未使用 招待", phone="0900000001", visit_date=today, language="ja"
    )
    Invitation.objects.filter(pk=stale_invitation.pk).update(visit_date=today - 60 * DAY)
    pending_invitation = invitation_services.invitation_create(
        full_name="予定 招待", phone="0900000002", visit_date=today + DAY, language="ja"
    )
    return {
        "purged": [old_visit, old_submitted],
        "kept": [
            recent_visit,
            recent_submitted,
            future_visit,
            old_submission_recent_visit,
        ],
        "purged_invitations": [used_invitation, stale_invitation],
        "kept_invitations": [pending_invitation],
    }


def test_a_dry_run_lists_what_is_past_retention_and_changes_nothing(
    old_and_new: dict[str, Any],
) -> None:
    before = (
        Intake.objects.count(),
        IntakeFlag.objects.count(),
        Decision.objects.count(),
        Invitation.objects.count(),
        AccessRecord.objects.filter(intake__isnull=False).count(),
    )

    lines = purge("--older-than", "30", "--dry-run")

    purged = sorted(intake.reference for intake in old_and_new["purged"])
    assert sorted(line.strip() for line in lines if line.startswith("  ")) == purged
    assert "Would delete 2 intake(s)." in lines
    assert "Would delete 1 invitation(s)." not in lines
    assert "Would delete 2 invitation(s)." in lines
    assert "Would keep 3 access record(s) without the intake." in lines
    assert lines[-1] == "Dry run: nothing was changed."
    assert before == (
        Intake.objects.count(),
        IntakeFlag.objects.count(),
        Decision.objects.count(),
        Invitation.objects.count(),
        AccessRecord.objects.filter(intake__isnull=False).count(),
    )


def test_the_real_run_does_what_the_dry_run_printed(old_and_new: dict[str, Any]) -> None:
    dry = purge("--older-than", "30", "--dry-run")
    access_records = AccessRecord.objects.count()

    real = purge("--older-than", "30")

    done = {"Would delete": "Deleted", "Would keep": "Kept", "Would anonymise": "Anonymised"}
    for would, did in done.items():
        dry = [line.replace(would, did) for line in dry]
    assert dry[:-1] == real
    for intake in old_and_new["purged"]:
        assert not Intake.objects.filter(pk=intake.pk).exists()
    for intake in old_and_new["kept"]:
        assert Intake.objects.filter(pk=intake.pk).exists()
    assert not Invitation.objects.filter(
        pk__in=[i.pk for i in old_and_new["purged_invitations"]]
    ).exists()
    assert Invitation.objects.filter(pk=old_and_new["kept_invitations"][0].pk).exists()
    assert not IntakeFlag.objects.filter(intake__isnull=True).exists()
    assert not Decision.objects.exists()
    # Access records stay, counted, with who and when, but not whose intake.
    assert AccessRecord.objects.count() == access_records
    assert AccessRecord.objects.filter(intake__isnull=True).count() == 3


def test_a_second_run_finds_nothing_more(old_and_new: dict[str, Any]) -> None:
    purge("--older-than", "30")

    lines = purge("--older-than", "30")

    assert "Deleted 0 intake(s)." in lines


@override_settings(INTAKE_RETENTION_DAYS=35)
def test_the_default_period_comes_from_the_settings(
    old_and_new: dict[str, Any], today: datetime.date
) -> None:
    lines = purge("--dry-run")

    assert lines[0].startswith("Retention 35 days")
    assert f"before {(today - 35 * DAY).isoformat()}" in lines[0]
    # Only the intake submitted 40 days ago without a visit date is older than 35 days.
    assert [line.strip() for line in lines if line.startswith("  ")] == [
        old_and_new["purged"][1].reference
    ]


@pytest.mark.parametrize("days", ["0", "-5", "thirty"])
def test_a_period_that_is_not_a_positive_number_of_days_is_refused(days: str, db: Any) -> None:
    with pytest.raises(CommandError):
        call_command("purge_intakes", "--older-than", days, stdout=io.StringIO())


def test_the_purge_also_says_which_admin_log_entries_and_abandoned_sessions_it_erased(
    old_and_new: dict[str, Any], superuser: User
) -> None:
    for invitation in old_and_new["purged_invitations"]:
        LogEntry.objects.log_actions(
            user_id=superuser.pk, queryset=[invitation], action_flag=ADDITION, single_object=True
        )
    abandoned = SessionStore()
    abandoned["wizard_intake_wizard"] = {"step_data": {}}
    abandoned.create()
    Session.objects.filter(pk=abandoned.session_key).update(expire_date=timezone.now() - DAY)

    dry = purge("--older-than", "30", "--dry-run")
    real = purge("--older-than", "30")

    assert "Would anonymise 2 admin log entry(ies) of what is deleted." in dry
    assert "Would delete 1 expired session(s) (unfinished intakes, abandoned)." in dry
    assert "Anonymised 2 admin log entry(ies) of what is deleted." in real
    assert "Deleted 1 expired session(s) (unfinished intakes, abandoned)." in real
    assert not Session.objects.exists()
    assert set(LogEntry.objects.values_list("object_repr", flat=True)) == {"—"}
