"""Writes of the patient's side and of the clinic's content. Each service is one transaction;
views, the admin and commands call these, not the ORM. The doctors' and reception's writes are in
their rooms (`review/`, `invitations/`); access records in `audit.py`; purges in `retention.py`."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from intake import answers, screening, selectors
from intake.bilingual import LANGUAGE_CODES
from intake.models import ConsentDocument, FlagText, Intake, IntakeFlag, Invitation, Rescreening
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
    now: datetime.datetime | None = None,
) -> Intake:
    """Store a patient's validated answers and screen them, in one transaction.

    Idempotent on `submission_token`: a double click or a re-sent POST returns the intake the
    first one created.
    """
    existing = Intake.objects.filter(submission_token=submission_token).first()
    if existing is not None:
        return existing
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
                result = screening.screen(values, today=timezone.localdate(now))
                intake = Intake.objects.create(
                    reference=new_reference(),
                    submission_token=submission_token,
                    language=language,
                    submitted_at=now,
                    consent_document=consent_document,
                    consent_at=now,
                    # An invitation already used (another tab) no longer ties; the answers stay.
                    invitation=invitation if linked else None,
                    ruleset_version=result.ruleset,
                    reference_date=result.reference_date,
                    verdict=result.verdict,
                    verdict_rank=screening.verdict_rank(result.verdict),
                    suitability=result.suitability,
                    **values,
                )
                IntakeFlag.objects.bulk_create(_flag_rows(intake, result))
                return intake
        except IntegrityError:
            existing = Intake.objects.filter(submission_token=submission_token).first()
            if existing is not None:
                return existing
            # Otherwise the reference collided with another intake's: draw a new one.
    raise RuntimeError("Could not draw a unique reference code.")


def _outcome_key(
    verdict: str, suitability: str, flags: Iterable[tuple[str, str]]
) -> tuple[str, str, frozenset[tuple[str, str]]]:
    return (verdict, suitability, frozenset(flags))


def intake_rescreen(*, intake: Intake) -> Rescreening | None:
    """Run the current rules over the stored answers, as of the day the intake was submitted.

    Where the verdict, the suitability or the flags (code and severity) differ from the latest
    stored result (the latest re-screening, else the original), store a new Rescreening beside
    it; nothing stored is ever changed. Returns the new Rescreening, or None when nothing differs.
    """
    result = screening.screen(intake.answers(), today=timezone.localdate(intake.submitted_at))
    earlier = sorted(intake.rescreenings.all(), key=lambda r: (r.created_at, r.pk))
    if earlier:
        stored = _outcome_key(
            earlier[-1].verdict,
            earlier[-1].suitability,
            ((flag["code"], flag["severity"]) for flag in earlier[-1].result["flags"]),
        )
    else:
        stored = _outcome_key(
            intake.verdict,
            intake.suitability,
            ((flag.code, flag.severity) for flag in intake.flags.all()),
        )
    current = _outcome_key(
        result.verdict, result.suitability, ((flag.code, flag.severity) for flag in result.flags)
    )
    if current == stored:
        return None
    with transaction.atomic():
        return Rescreening.objects.create(
            intake=intake,
            ruleset_version=result.ruleset,
            reference_date=result.reference_date,
            verdict=result.verdict,
            suitability=result.suitability,
            result=result.as_dict(),
        )


def flag_texts_restore_defaults(*, codes: Iterable[str]) -> int:
    """Clear staff's texts from the FlagText rows of `codes`, so the code's texts apply again;
    returns how many rows."""
    cleared = {
        f"{field}_{language}": "" for field in FlagText.TEXT_FIELDS for language in LANGUAGE_CODES
    }
    return FlagText.objects.filter(code__in=list(codes)).update(
        **cleared, updated_at=timezone.now()
    )


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
