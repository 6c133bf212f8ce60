"""intake.management.commands.purge_intakes: deletes what is past retention; a dry run says so."""

from __future__ import annotations

import dataclasses
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
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from intake import audit, retention
from intake.invitations import services as invitation_services
from intake.models import AccessRecord, Decision, Intake, IntakeFlag, Invitation
from intake.review import services as review_services
from tests.helpers import transactions_of

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


# In batches --------------------------------------------------------------------------------------
def purge_quietly(*args: str) -> list[str]:
    out = io.StringIO()
    call_command("purge_intakes", *args, stdout=out, verbosity=0)
    return out.getvalue().splitlines()


@pytest.fixture
def make_old(
    make_intake: Callable[..., Intake], doctor: User, superuser: User, today: datetime.date
) -> Callable[[int], list[Intake]]:
    """Intakes past a 30-day period, each alike: flags, an invitation the admin logged, a read."""

    def make(count: int) -> list[Intake]:
        made = []
        for number in range(count):
            intake = make_intake(visit_date=today - 40 * DAY)
            invitation = invitation_services.invitation_create(
                full_name="古い 招待", phone=f"09000001{number:02}", visit_date=today, language="ja"
            )
            Invitation.objects.filter(pk=invitation.pk).update(visit_date=today - 40 * DAY)
            Intake.objects.filter(pk=intake.pk).update(invitation=invitation)
            LogEntry.objects.log_actions(
                user_id=superuser.pk,
                queryset=[invitation],
                action_flag=ADDITION,
                single_object=True,
            )
            audit.access_record(user=doctor, action=AccessRecord.Action.DETAIL, intake=intake)
            made.append(intake)
        return made

    return make


def queries_per_transaction(*args: str) -> list[int]:
    """Run the purge and undo it: the queries of each of its transactions."""
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        purge_quietly(*args)
        transaction.set_rollback(True)
    return transactions_of(captured.captured_queries, level=1)


def test_each_batch_of_the_purge_is_one_transaction(
    make_old: Callable[[int], list[Intake]],
) -> None:
    make_old(5)

    with CaptureQueriesContext(connection) as captured:
        lines = purge_quietly("--older-than", "30", "--batch-size", "2")

    assert len(transactions_of(captured.captured_queries)) == 3  # 2 + 2 + 1, not one for all
    assert "Deleted 5 intake(s)." in lines
    assert "Deleted 5 invitation(s)." in lines
    assert not Intake.objects.exists() and not Invitation.objects.exists()


def test_a_batch_of_the_purge_costs_the_same_queries_whatever_its_size(
    make_old: Callable[[int], list[Intake]],
) -> None:
    make_old(6)

    by_two = queries_per_transaction("--older-than", "30", "--batch-size", "2")
    by_three = queries_per_transaction("--older-than", "30", "--batch-size", "3")

    # Ids and counts by the batch, deletes by lists of ids: no query per intake. A last look
    # finds that none is left.
    per_batch = by_three[0]
    assert by_two == [per_batch] * 3 + [1]
    assert by_three == [per_batch] * 2 + [1]


def test_the_purge_never_reads_the_answers_or_the_names_it_deletes(
    make_old: Callable[[int], list[Intake]],
) -> None:
    make_old(2)

    with CaptureQueriesContext(connection) as captured:
        purge_quietly("--older-than", "30")

    assert not Intake.objects.exists()
    read = [query["sql"] for query in captured.captured_queries if "SELECT" in query["sql"]]
    assert not [sql for sql in read if '"full_name"' in sql or '"allergies"' in sql]


def test_a_purge_stopped_half_way_is_finished_by_the_next_run(
    make_old: Callable[[int], list[Intake]], monkeypatch: pytest.MonkeyPatch
) -> None:
    intakes = make_old(5)
    invitations = [intake.invitation_id for intake in Intake.objects.order_by("pk")]
    delete = retention.intakes_delete
    calls = []

    def fails_at_the_second_batch(*, ids: Any) -> int:
        calls.append(ids)
        if len(calls) == 2:
            raise RuntimeError("stopped")
        return delete(ids=ids)

    monkeypatch.setattr(retention, "intakes_delete", fails_at_the_second_batch)
    with pytest.raises(RuntimeError):
        purge_quietly("--older-than", "30", "--batch-size", "2")

    # The first batch is done, whole: its intakes with their invitations and log entries; the
    # second is as it was.
    assert list(Intake.objects.order_by("pk")) == intakes[2:]
    assert list(Invitation.objects.order_by("pk").values_list("pk", flat=True)) == invitations[2:]
    assert IntakeFlag.objects.filter(intake__in=intakes[2:]).exists()
    assert LogEntry.objects.filter(object_repr=retention.ERASED).count() == 2

    monkeypatch.undo()
    lines = purge_quietly("--older-than", "30", "--batch-size", "2")

    assert "Deleted 3 intake(s)." in lines
    assert "Deleted 3 invitation(s)." in lines
    assert "Anonymised 3 admin log entry(ies) of what is deleted." in lines
    assert not Intake.objects.exists() and not Invitation.objects.exists()
    assert set(LogEntry.objects.values_list("object_repr", flat=True)) == {retention.ERASED}
    assert AccessRecord.objects.filter(intake__isnull=True).count() == 5


def test_the_counts_are_the_same_whatever_the_batch_size_and_the_real_run_does_them(
    old_and_new: dict[str, Any], today: datetime.date
) -> None:
    cutoff = today - 30 * DAY

    dry_by_one = retention.intakes_purge(cutoff=cutoff, dry_run=True, batch_size=1)
    dry_at_once = retention.intakes_purge(cutoff=cutoff, dry_run=True)
    real_by_one = retention.intakes_purge(cutoff=cutoff, batch_size=1)

    assert dry_by_one == dry_at_once
    assert dataclasses.replace(dry_by_one, dry_run=False) == real_by_one
    assert (real_by_one.intakes, real_by_one.decisions, real_by_one.invitations) == (2, 2, 2)


def test_the_purge_says_how_far_it_is_after_each_batch_in_both_languages(
    old_and_new: dict[str, Any],
) -> None:
    lines = purge("--older-than", "30", "--dry-run", "--batch-size", "1")
    with translation.override("ja"):
        japanese = purge("--older-than", "30", "--dry-run", "--batch-size", "1")
    quiet = purge_quietly("--older-than", "30", "--dry-run", "--batch-size", "1")

    progress = [line for line in lines if line.startswith("Would delete:")]
    assert progress == [
        "Would delete: intakes 1 / 2 (batch 1).",
        "Would delete: intakes 2 / 2 (batch 2).",
        "Would delete: invitations 1 / 1 (batch 1).",
    ]
    assert [line for line in japanese if line.startswith("削除予定")] == [
        "削除予定：問診 1 / 2 件（バッチ 1）",
        "削除予定：問診 2 / 2 件（バッチ 2）",
        "削除予定：問診の案内 1 / 1 件（バッチ 1）",
    ]
    # Without progress, the report is the same, references included.
    assert quiet == [line for line in lines if line not in progress]
