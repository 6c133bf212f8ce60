"""intake.birthdate.services: a date of birth checked against the record, wrong ones counted on
the link's row (atomically, whatever the browser), and the lock after BIRTH_DATE_TRIES."""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections, transaction

from intake.birthdate import BIRTH_DATE_TRIES, birth_date_tries_left
from intake.birthdate.services import BirthDateCheck, birth_date_check
from intake.models import Invitation

BORN = datetime.date(1995, 4, 10)
WRONG = datetime.date(1995, 10, 4)


def check(invitation: Invitation, given: datetime.date) -> BirthDateCheck:
    return birth_date_check(record=invitation, expected=BORN, given=given)


def failures(invitation: Invitation) -> int:
    return Invitation.objects.values_list("birth_date_failures", flat=True).get(pk=invitation.pk)


def test_the_right_date_confirms_and_counts_nothing(repeat_invitation: Invitation) -> None:
    result = check(repeat_invitation, BORN)

    assert result == BirthDateCheck(confirmed=True, tries_left=BIRTH_DATE_TRIES)
    assert not result.locked
    assert failures(repeat_invitation) == 0


def test_a_wrong_date_is_counted_on_the_invitation_itself(repeat_invitation: Invitation) -> None:
    result = check(repeat_invitation, WRONG)

    assert result == BirthDateCheck(confirmed=False, tries_left=BIRTH_DATE_TRIES - 1)
    assert not result.locked
    # In the database, not in a session: any browser reads the same count.
    assert failures(repeat_invitation) == 1
    assert birth_date_tries_left(Invitation.objects.get(pk=repeat_invitation.pk)) == 4


def test_the_fifth_wrong_date_locks_the_link_even_to_the_right_date(
    repeat_invitation: Invitation,
) -> None:
    results = [check(repeat_invitation, WRONG) for _ in range(BIRTH_DATE_TRIES)]
    after = [check(repeat_invitation, WRONG), check(repeat_invitation, BORN)]

    assert [r.tries_left for r in results] == [4, 3, 2, 1, 0]
    assert [r.locked for r in results] == [False] * 4 + [True]
    assert all(r.locked and not r.confirmed for r in after)
    assert failures(repeat_invitation) == BIRTH_DATE_TRIES  # nothing counted past the limit


def test_right_dates_between_wrong_ones_do_not_reset_the_count(
    repeat_invitation: Invitation,
) -> None:
    # Someone guessing can't wait for the patient to confirm and start again.
    check(repeat_invitation, WRONG)
    check(repeat_invitation, BORN)
    check(repeat_invitation, WRONG)

    assert failures(repeat_invitation) == 2


def test_a_stale_object_is_given_the_count_as_stored(repeat_invitation: Invitation) -> None:
    stale = Invitation.objects.get(pk=repeat_invitation.pk)
    for _ in range(BIRTH_DATE_TRIES - 1):
        check(repeat_invitation, WRONG)

    result = check(stale, WRONG)

    assert result.locked
    assert stale.birth_date_failures == BIRTH_DATE_TRIES


# PostgreSQL: wrong dates sent at the same moment, each on its own connection ----------------------
needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (DATABASE_URL): SQLite has no row locks and serialises writes",
)
committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def in_threads(*works: Callable[[], object]) -> list[object]:
    """Run `works` at once, each in a thread with its own database connection."""
    start = threading.Barrier(len(works))

    def run(work: Callable[[], object]) -> object:
        try:
            start.wait(timeout=30)
            return work()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(works)) as pool:
        return list(pool.map(run, works))


@needs_postgresql
@committed
def test_two_wrong_dates_at_the_same_moment_count_two(repeat_invitation: Invitation) -> None:
    # The worst order: the first check has counted but not committed when the second one runs.
    def first() -> BirthDateCheck:
        with transaction.atomic():
            result = check(Invitation.objects.get(pk=repeat_invitation.pk), WRONG)
            time.sleep(0.5)
        return result

    def second() -> BirthDateCheck:
        time.sleep(0.1)
        return check(Invitation.objects.get(pk=repeat_invitation.pk), WRONG)

    results = in_threads(first, second)

    assert failures(repeat_invitation) == 2
    assert sorted(r.tries_left for r in results) == [3, 4]  # type: ignore[attr-defined]


@needs_postgresql
@committed
def test_eight_wrong_dates_at_the_same_moment_count_five_and_lock(
    repeat_invitation: Invitation,
) -> None:
    def guess() -> BirthDateCheck:
        return check(Invitation.objects.get(pk=repeat_invitation.pk), WRONG)

    results = in_threads(*[guess] * 8)

    assert failures(repeat_invitation) == BIRTH_DATE_TRIES
    # One after the other, each behind the row lock: no count lost, none past the limit.
    assert sorted(r.tries_left for r in results) == [0, 0, 0, 0, 1, 2, 3, 4]  # type: ignore[attr-defined]
    assert all(not r.confirmed for r in results)  # type: ignore[attr-defined]
