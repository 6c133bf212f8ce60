"""Retention and erasure: which intakes are past the clinic's retention period, and deleting them.

An intake goes with its flags, decisions, re-screenings and invitation, and the admin's log
forgets whose they were; the access records stay, without the intake, so who opened something
and when remains while whose data it was does not. The purge also deletes expired sessions: the
answers of intakes abandoned before sending.

A patient record (spec §5) goes with the purge that removes its last intake, with its treatments,
links and invitations, unless the clinic recorded a treatment on or after the cutoff (the record of
a recent treatment is kept as long as an intake would be) or a repeat invitation still waits for a
visit; it is never deleted while an intake links to it.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import transaction
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.utils import timezone

from intake.models import (
    AccessRecord,
    Decision,
    Intake,
    IntakeFlag,
    Invitation,
    Patient,
    Rescreening,
    ResumeLink,
    Treatment,
)

# What an erased admin log entry says instead of the object's text: who did what, and when, and
# to which kind of object, stay; which object does not.
ERASED = "—"


BATCH_SIZE = 500


def _past_retention(cutoff: datetime.date) -> Q:
    return Q(visit_date__lt=cutoff) | Q(visit_date__isnull=True, submitted_at__date__lt=cutoff)


def intakes_past_retention(*, cutoff: datetime.date) -> QuerySet[Intake]:
    """Intakes whose visit, or submission when there is no visit date, is before `cutoff`."""
    return Intake.objects.filter(_past_retention(cutoff)).order_by("submitted_at", "pk")


@dataclass(frozen=True)
class PurgeResult:
    """What a purge removed (or, in a dry run, would remove)."""

    cutoff: datetime.date
    intakes: int
    flags: int
    decisions: int
    rescreenings: int
    invitations: int
    access_records_kept: int
    log_entries: int
    # None when the session engine keeps no table to count (its sessions expire by themselves).
    sessions: int | None
    dry_run: bool
    # Patient records left without any intake, with their treatments and links.
    patients: int = 0
    # Links to continue a questionnaire (intake/resume/) expired or used, with their answers.
    resume_links: int = 0


@dataclass(frozen=True)
class PurgeBatch:
    """One batch of a purge, done (in a dry run: counted) in a transaction of its own."""

    model: type[Model]  # what the batch deletes: Intake, Invitation, Patient, ...
    number: int  # of the batches of this model, from 1
    size: int
    done: int  # of this model so far, this batch included
    total: int  # of this model found when the purge came to it
    references: tuple[str, ...] = ()  # the intakes', for a batch of intakes


def intakes_purge(
    *,
    cutoff: datetime.date,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[PurgeBatch], object] | None = None,
) -> PurgeResult:
    """Delete the intakes past retention (visit, or submission without one, before `cutoff`).

    Their flags, decisions and re-screenings go with them, and so do their invitations and any
    invitation whose visit date is before `cutoff`; the admin's log entries of all of them are
    anonymised. Access records stay, counted, without the intake (the foreign key is SET_NULL):
    who opened something, when, remains; whose data it was does not. Expired sessions go too:
    they hold the answers of intakes abandoned before sending, and so do links to continue a
    questionnaire once expired or used.

    All of it in batches of `batch_size` rows by primary key, each in a transaction of its own
    that leaves the data consistent (an intake goes with its invitation and whatever names it),
    reading ids only: memory stays the same whatever the backlog, no transaction holds locks for
    long, and a purge stopped half-way is finished by the next run. Intakes go first, patient
    records after, once no intake holds them. `progress` hears of each batch once it is done. A
    dry run goes through the same batches, counts the same and changes nothing.
    """
    now = timezone.now()
    counts: Counter[str] = Counter()

    def intakes(rows: list[tuple[int, str, int | None]]) -> tuple[str, ...]:
        ids = [pk for pk, _reference, _invitation in rows]
        invitation_ids = [pk for _pk, _reference, pk in rows if pk is not None]
        counts["flags"] += IntakeFlag.objects.filter(intake__in=ids).count()
        counts["decisions"] += Decision.objects.filter(intake__in=ids).count()
        counts["rescreenings"] += Rescreening.objects.filter(intake__in=ids).count()
        counts["access_records_kept"] += AccessRecord.objects.filter(intake__in=ids).count()
        counts["invitations"] += len(invitation_ids)
        references = {pk: reference for pk, reference, _invitation in rows}
        counts["log_entries"] += _admin_log_of(
            intakes=references, invitation_ids=invitation_ids
        ).count()
        if not dry_run:
            intakes_delete(ids=ids)
        return tuple(references.values())

    def invitations(rows: list[tuple[int]]) -> tuple[str, ...]:
        ids = [pk for (pk,) in rows]
        counts["invitations"] += len(ids)
        counts["log_entries"] += _admin_log_of(intakes={}, invitation_ids=ids).count()
        if not dry_run:
            invitations_delete(ids=ids)
        return ()

    def patients(rows: list[tuple[int]]) -> tuple[str, ...]:
        if not dry_run:
            patients_delete(ids=[pk for (pk,) in rows])
        return ()

    def unreferenced(model: type[Model]) -> Callable[[list[tuple[Any]]], tuple[str, ...]]:
        """Rows nothing points to (links to continue, sessions): one DELETE, nothing read."""

        def delete(rows: list[tuple[Any]]) -> tuple[str, ...]:
            if not dry_run:
                model._default_manager.filter(pk__in=[pk for (pk,) in rows]).delete()
            return ()

        return delete

    def batches(rows: QuerySet[Any], work: Callable[[list[Any]], tuple[str, ...]]) -> int:
        return _in_batches(
            rows, work, size=batch_size, lock=not dry_run, progress=progress or _ignore
        )

    intake_count = batches(
        Intake.objects.filter(_past_retention(cutoff)).values_list("pk", "reference", "invitation"),
        intakes,
    )
    # Invitations no intake came from (those of the intakes went with them).
    batches(
        Invitation.objects.filter(visit_date__lt=cutoff, intake__isnull=True).values_list("pk"),
        invitations,
    )
    patient_count = batches(
        patients_left_without_intakes(cutoff=cutoff).values_list("pk"), patients
    )
    resume_link_count = batches(
        resume_links_spent(now=now).values_list("pk"), unreferenced(ResumeLink)
    )
    sessions = _expired_sessions(now)
    if sessions is not None:
        session_count: int | None = batches(
            sessions.values_list("pk"), unreferenced(sessions.model)
        )
    else:
        session_count = None
        if not dry_run:
            _session_store().clear_expired()
    return PurgeResult(
        cutoff=cutoff,
        intakes=intake_count,
        flags=counts["flags"],
        decisions=counts["decisions"],
        rescreenings=counts["rescreenings"],
        invitations=counts["invitations"],
        access_records_kept=counts["access_records_kept"],
        log_entries=counts["log_entries"],
        sessions=session_count,
        dry_run=dry_run,
        patients=patient_count,
        resume_links=resume_link_count,
    )


def _in_batches(
    rows: QuerySet[Any],
    work: Callable[[list[Any]], tuple[str, ...]],
    *,
    size: int,
    lock: bool,
    progress: Callable[[PurgeBatch], object],
) -> int:
    """Call `work` on `rows` (a values_list, the pk first) `size` at a time, by pk, each batch
    in a transaction of its own that reads (and, with `lock`, locks) the batch first; returns
    how many rows. Only the batch's values are ever held."""
    total = rows.count()
    done = number = 0
    after = None
    while total:
        with transaction.atomic():
            page = rows if after is None else rows.filter(pk__gt=after)
            if lock:
                page = page.select_for_update(of=("self",))
            batch = list(page.order_by("pk")[:size])
            references = work(batch) if batch else ()
        if not batch:
            break
        after = batch[-1][0]
        done += len(batch)
        number += 1
        progress(PurgeBatch(rows.model, number, len(batch), done, total, references))
        if len(batch) < size:
            break
    return done


def _ignore(batch: PurgeBatch) -> None:
    return None


def intakes_delete(*, ids: Iterable[int]) -> int:
    """Delete intakes with their flags, decisions, re-screenings and invitations; anonymise the
    admin's log entries of all of them. Access records stay, without the intake.

    A decision PROTECTs the one it superseded (no decision leaves the middle of a history), so
    the histories of the intakes being deleted are taken apart first, inside the transaction.
    """
    ids = list(ids)
    with transaction.atomic():
        rows = dict(Intake.objects.filter(pk__in=ids).values_list("pk", "reference"))
        invitation_ids = list(
            Intake.objects.filter(pk__in=ids, invitation__isnull=False).values_list(
                "invitation", flat=True
            )
        )
        _erase(_admin_log_of(intakes=rows, invitation_ids=[]))
        # Their access records keep who and when, neither the intake nor whose it was.
        AccessRecord.objects.filter(intake__in=ids).update(patient=None)
        Decision.objects.filter(intake__in=ids).update(supersedes=None)
        # Only the pks are read (here and for patients and invitations): Django needs instances
        # to follow the cascades, not the answers (a few KB each).
        deleted, _per_model = Intake.objects.filter(pk__in=ids).only("pk").delete()
        invitations_delete(ids=invitation_ids)
    return len(ids) if deleted else 0


def patients_left_without_intakes(*, cutoff: datetime.date) -> QuerySet[Patient]:
    """Patient records that no intake links to once the intakes past retention are gone,
    created before `cutoff`, with no treatment recorded on or after it and no repeat invitation
    for a visit on or after it still unused. The same before the purge of the intakes (a dry
    run) and after it."""
    others = Intake.objects.filter(patient=OuterRef("pk")).exclude(_past_retention(cutoff))
    recent = Treatment.objects.filter(patient=OuterRef("pk"), treated_on__gte=cutoff)
    invited = Invitation.objects.filter(
        patient=OuterRef("pk"), used_at__isnull=True, visit_date__gte=cutoff
    )
    return Patient.objects.filter(created_at__date__lt=cutoff).exclude(
        Exists(others) | Exists(recent) | Exists(invited)
    )


def patients_delete(*, ids: Iterable[int]) -> int:
    """Delete patient records no intake links to, with their treatments, links and invitations;
    their access records stay, without the patient. Nothing in the admin's log names them (read
    only there)."""
    ids = list(ids)
    with transaction.atomic():
        invitations_delete(
            ids=Invitation.objects.filter(patient__in=ids).values_list("pk", flat=True)
        )
        # A correction PROTECTs the record it superseded: take the histories apart first.
        Treatment.objects.filter(patient__in=ids).update(supersedes=None)
        deleted, _per_model = Patient.objects.filter(pk__in=ids).only("pk").delete()
    return len(ids) if deleted else 0


def invitations_delete(*, ids: Iterable[int]) -> int:
    """Delete invitations (name, phone, e-mail, visit date) and anonymise their admin log."""
    ids = list(ids)
    with transaction.atomic():
        _erase(_admin_log_of(intakes={}, invitation_ids=ids))
        deleted, _per_model = Invitation.objects.filter(pk__in=ids).only("pk").delete()
    return deleted


def _admin_log_of(*, intakes: dict[int, str], invitation_ids: Iterable[int]) -> QuerySet[LogEntry]:
    """The admin's log entries that name one of `intakes` (pk: reference) or `invitation_ids`.

    An invitation's text names the patient; an intake's is its reference. Decisions and
    re-screenings read "reference · …": their entries (deletions from when the admin allowed
    them) are found by that reference, in Python, as there are only ever a few of them.
    """
    references = set(intakes.values())
    related = (
        [
            pk
            for pk, text in LogEntry.objects.filter(
                _of(Decision) | _of(Rescreening), object_id__isnull=False
            ).values_list("pk", "object_repr")
            if text.split(" · ")[0] in references
        ]
        if references
        else []
    )
    return LogEntry.objects.filter(
        (_of(Intake) & Q(object_id__in=[str(pk) for pk in intakes]))
        | (_of(Invitation) & Q(object_id__in=[str(pk) for pk in invitation_ids]))
        | Q(pk__in=related)
    )


def _of(model: type) -> Q:
    # By name, not ContentType.objects.get_for_model(), which may write: a dry run writes nothing.
    return Q(
        content_type__app_label=model._meta.app_label, content_type__model=model._meta.model_name
    )


def _erase(entries: QuerySet[LogEntry]) -> int:
    return entries.update(object_id=None, object_repr=ERASED, change_message="")


def resume_links_spent(*, now: datetime.datetime) -> QuerySet[ResumeLink]:
    """Links to continue a questionnaire that no longer open it: expired, or used."""
    return ResumeLink.objects.filter(Q(expires_at__lt=now) | Q(used_at__isnull=False))


def _session_store() -> type:
    return import_module(settings.SESSION_ENGINE).SessionStore


def _expired_sessions(now: datetime.datetime) -> QuerySet | None:
    """The expired sessions where the engine keeps them in the database (the default here)."""
    store = _session_store()
    if not issubclass(store, DatabaseSessionStore):
        return None
    return store.get_model_class().objects.filter(expire_date__lt=now)
