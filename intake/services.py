"""Writes of the patient's side and of the clinic's content. Each service is one transaction;
views, the admin and commands call these, not the ORM. The doctors' and reception's writes are in
their rooms (`review/`, `invitations/`); access records in `audit.py`; purges in `retention.py`."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from intake import answers, screening, selectors
from intake.bilingual import LANGUAGE_CODES
from intake.models import (
    ConsentDocument,
    FlagText,
    Intake,
    IntakeFlag,
    Invitation,
    Patient,
    PatientLink,
    Rescreening,
)
from intake.patients.selectors import patient_toxin_dates, patients_toxin_dates
from intake.references import new_reference


def _flag_rows(intake: Intake, result: screening.ScreeningResult) -> list[IntakeFlag]:
    return [
        IntakeFlag(
            intake=intake,
            position=position,
            code=flag.code,
            severity=flag.severity,
            source=flag.source,
            keys=list(flag.keys),
            **texts,
        )
        for position, (flag, texts) in enumerate(
            zip(result.flags, selectors.flag_texts(result.flags), strict=True)
        )
    ]


def intake_submit(
    *,
    answers_given: Mapping[str, Any],
    language: str,
    consent_document: ConsentDocument,
    submission_token: uuid.UUID,
    invitation: Invitation | None = None,
    patient: Patient | None = None,
    now: datetime.datetime | None = None,
) -> Intake:
    """Store a patient's validated answers and screen them, in one transaction.

    An invitation's visit date is the appointment date the clinic set (the reference date of
    spec §2). With `patient` (a repeat intake tied to its patient record), the clinic's recorded
    toxin treatments enter the screening, and the link is recorded as made by the repeat
    invitation (in the name of the receptionist who invited). Idempotent on `submission_token`:
    a double click or a re-sent POST returns the intake the first one created.
    """
    now = now or timezone.now()
    values = {key: answers_given.get(key) for key in answers.QUESTIONS}
    for key in answers.MULTI_KEYS:
        values[key] = list(values[key] or [])
    for key, question in answers.QUESTIONS.items():
        if values[key] is None and question.kind in {"text", "email", "phone", "code"}:
            values[key] = ""

    for _attempt in range(5):
        try:
            with transaction.atomic():
                linked = invitation is not None and bool(
                    Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
                        used_at=now
                    )
                )
                appointment_date = invitation.visit_date if linked else None
                result = screening.screen(
                    values,
                    today=timezone.localdate(now),
                    treated_on=patient_toxin_dates(patient_id=patient.pk) if patient else (),
                    appointment_date=appointment_date,
                )
                intake = Intake.objects.create(
                    reference=new_reference(),
                    submission_token=submission_token,
                    language=language,
                    submitted_at=now,
                    consent_document=consent_document,
                    consent_at=now,
                    # An invitation already used (another tab) no longer ties; the answers stay.
                    invitation=invitation if linked else None,
                    appointment_date=appointment_date,
                    patient=patient,
                    ruleset_version=result.ruleset,
                    reference_date=result.reference_date,
                    verdict=result.verdict,
                    verdict_rank=screening.verdict_rank(result.verdict),
                    suitability=result.suitability,
                    current_verdict=result.verdict,
                    current_verdict_rank=screening.verdict_rank(result.verdict),
                    current_suitability=result.suitability,
                    **values,
                )
                IntakeFlag.objects.bulk_create(_flag_rows(intake, result))
                if patient is not None:
                    PatientLink.objects.create(
                        intake=intake,
                        patient=patient,
                        action=PatientLink.Action.LINKED,
                        source=PatientLink.Source.REPEAT_INVITATION,
                        by=invitation.created_by if invitation is not None else None,
                    )
                return intake
        except IntegrityError:
            # Looked up only now: the token's unique constraint tells a repeat, so a first
            # submit (nearly all of them) spends no statement on it.
            existing = Intake.objects.filter(submission_token=submission_token).first()
            if existing is not None:
                return existing
            # Otherwise the reference collided with another intake's: draw a new one.
    raise RuntimeError("Could not draw a unique reference code.")


def _outcome_key(
    reference_date: datetime.date,
    verdict: str,
    suitability: str,
    flags: Iterable[tuple[str, str]],
) -> tuple[datetime.date, str, str, frozenset[tuple[str, str]]]:
    return (reference_date, verdict, suitability, frozenset(flags))


def _stored_result(
    result: screening.ScreeningResult, *, texts: Mapping[str, FlagText] | None = None
) -> dict[str, Any]:
    """The result as a re-screening keeps it: each flag with its source, the answers it read and
    the texts staff had set (what IntakeFlag keeps at submit; `texts`: read already)."""
    stored = result.as_dict()
    rows = selectors.flag_texts(result.flags, overrides=texts)
    stored["flags"] = [
        {
            **flag.as_dict(),
            "source": flag.source,
            "keys": list(flag.keys),
            **{
                field: (
                    {language: row[f"{field}_{language}"] for language in LANGUAGE_CODES}
                    if field != "patient_note" or flag.patient_note is not None
                    else None
                )
                for field in FlagText.TEXT_FIELDS
            },
        }
        for flag, row in zip(result.flags, rows, strict=True)
    ]
    return stored


def intake_rescreen(
    *,
    intake: Intake,
    reason: str = Rescreening.Reason.RULESET,
    by: AbstractBaseUser | None = None,
) -> Rescreening | None:
    """Screen an intake again with the current rules and what the clinic knows now: the toxin
    treatments recorded for its patient and its appointment date.

    The screening date stays the day of submission, so nothing but those inputs and the rules
    moves the result. Where the reference date, the verdict, the suitability or the flags (code
    and severity) differ from the current result (the latest re-screening, else the original), a
    new Rescreening is stored beside it with `reason` and `by`, and becomes the intake's current
    result in the same transaction; nothing stored is ever changed. A decided intake whose visit
    is still to come goes back to review: its decision was made on another result. Returns the
    new Rescreening, or None when nothing differs.
    """
    with transaction.atomic():
        locked = (
            Intake.objects.select_for_update(of=("self",))
            .select_related("current_rescreening")
            .get(pk=intake.pk)
        )
        changed = _rescreened(
            locked,
            treated_on=patient_toxin_dates(patient_id=locked.patient_id),
            flags=locked.flags.values_list("code", "severity"),
            reason=reason,
            by=by,
        )
        if changed is None:
            return None
        rescreening, changes = changed
        rescreening.save()
        changes["current_rescreening"] = rescreening
        Intake.objects.filter(pk=locked.pk).update(**changes)
    for field, value in changes.items():
        setattr(intake, field, value)
    return rescreening


def intakes_rescreen_batch(
    *, intakes: QuerySet[Intake], after: int, size: int, reason: str = Rescreening.Reason.RULESET
) -> tuple[int, int, int]:
    """`intake_rescreen` for the next `size` of `intakes` with a pk above `after`, in one
    transaction: they are locked (in pk order) and read together, the re-screenings that differ
    are stored with one INSERT and the intakes moved to them with one UPDATE. Returns how many
    were screened, how many changed, and the pk the next batch starts after (fewer than `size`
    screened: none is left)."""
    with transaction.atomic():
        batch = list(
            intakes.filter(pk__gt=after)
            .select_for_update(of=("self",))
            .select_related("current_rescreening")
            .order_by("pk")[:size]
        )
        if not batch:
            return 0, 0, after
        toxin_dates = patients_toxin_dates(patient_ids={i.patient_id for i in batch} - {None})
        flags: dict[int, list[tuple[str, str]]] = {}
        for intake_id, code, severity in IntakeFlag.objects.filter(
            intake__in=[i.pk for i in batch if i.current_rescreening is None]
        ).values_list("intake_id", "code", "severity"):
            flags.setdefault(intake_id, []).append((code, severity))
        texts = selectors.flag_text_overrides()
        changed = []
        for intake in batch:
            outcome = _rescreened(
                intake,
                treated_on=toxin_dates.get(intake.patient_id, ()),
                flags=flags.get(intake.pk, ()),
                reason=reason,
                texts=texts,
            )
            if outcome is not None:
                rescreening, changes = outcome
                for field, value in changes.items():
                    setattr(intake, field, value)
                changed.append((intake, rescreening))
        Rescreening.objects.bulk_create([rescreening for _intake, rescreening in changed])
        for intake, rescreening in changed:
            intake.current_rescreening = rescreening
        if changed:
            Intake.objects.bulk_update(
                [intake for intake, _rescreening in changed],
                ["current_rescreening", *_CURRENT_RESULT, "status"],
            )
    return len(batch), len(changed), batch[-1].pk


_CURRENT_RESULT = ("current_verdict", "current_verdict_rank", "current_suitability")


def _rescreened(
    locked: Intake,
    *,
    treated_on: Iterable[datetime.date],
    flags: Iterable[tuple[str, str]],
    reason: str,
    by: AbstractBaseUser | None = None,
    texts: Mapping[str, FlagText] | None = None,
) -> tuple[Rescreening, dict[str, Any]] | None:
    """The unsaved re-screening of a locked intake and the intake's changes, or None when the
    result is the current one. `flags` are the original's, read only without a re-screening."""
    result = screening.screen(
        locked.answers(),
        today=timezone.localdate(locked.submitted_at),
        treated_on=tuple(treated_on),
        appointment_date=locked.appointment_date,
    )
    current = locked.current_rescreening
    if current is not None:
        stored = _outcome_key(
            current.reference_date,
            current.verdict,
            current.suitability,
            ((flag["code"], flag["severity"]) for flag in current.result["flags"]),
        )
    else:
        stored = _outcome_key(locked.reference_date, locked.verdict, locked.suitability, flags)
    now = _outcome_key(
        result.reference_date,
        result.verdict,
        result.suitability,
        ((flag.code, flag.severity) for flag in result.flags),
    )
    if now == stored:
        return None
    codes = [flag.code for flag in result.flags]
    rescreening = Rescreening(
        intake=locked,
        reason=reason,
        requested_by=by,
        ruleset_version=result.ruleset,
        reference_date=result.reference_date,
        verdict=result.verdict,
        suitability=result.suitability,
        result=_stored_result(result, texts=texts),
        flag_codes=f" {' '.join(codes)} " if codes else "",
    )
    changes: dict[str, Any] = {
        "current_verdict": result.verdict,
        "current_verdict_rank": screening.verdict_rank(result.verdict),
        "current_suitability": result.suitability,
    }
    if locked.status == Intake.Status.DECIDED and result.reference_date >= timezone.localdate():
        changes["status"] = Intake.Status.IN_REVIEW
    return rescreening, changes


def flag_texts_restore_defaults(*, codes: Iterable[str]) -> int:
    """Clear staff's texts from the FlagText rows of `codes`, so the code's texts apply again;
    returns how many rows. Row by row, not one UPDATE: each change enters the texts' history."""
    cleared = [
        f"{field}_{language}" for field in FlagText.TEXT_FIELDS for language in LANGUAGE_CODES
    ]
    texts = list(FlagText.objects.filter(code__in=list(codes)).order_by("code"))
    with transaction.atomic():
        for text in texts:
            for name in cleared:
                setattr(text, name, "")
            text.save(update_fields=[*cleared, "updated_at"])
    return len(texts)


def consent_document_new_draft(
    *, document: ConsentDocument, today: datetime.date | None = None
) -> ConsentDocument:
    """A new, unpublished version copied from `document`: the way to change a published text."""
    today = today or timezone.localdate()
    base = f"{today:%Y-%m}"
    with transaction.atomic():
        taken = set(
            ConsentDocument.objects.filter(version__startswith=base).values_list(
                "version", flat=True
            )
        )
        version = next(
            candidate
            for candidate in (base, *(f"{base}-{n}" for n in range(2, 1000)))
            if candidate not in taken
        )
        translated = ("title", "body", *ConsentDocument.REQUIRED_PARTS)
        return ConsentDocument.objects.create(
            version=version,
            **{
                f"{field}_{language}": getattr(document, f"{field}_{language}")
                for field in translated
                for language in LANGUAGE_CODES
            },
            contact_phone=document.contact_phone,
            effective_date=max(today, document.effective_date),
            published=False,
        )
