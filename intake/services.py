"""Writes. Each service is one transaction; views and commands call these, not the ORM."""

from __future__ import annotations

import datetime
import secrets
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from intake import answers, screening
from intake.models import ConsentDocument, FlagText, Intake, IntakeFlag, Invitation

# Crockford's base32 without I, L, O, U: easy to read out at reception, 32^8 ≈ 10^12 codes.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 8


def new_reference() -> str:
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
    return f"{code[:4]}-{code[4:]}"


def normalise_reference(value: str) -> str:
    """What a person typed or read out, as stored: upper case, O→0, I/L→1, one hyphen."""
    code = value.strip().upper().replace("-", "").replace(" ", "")
    code = code.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    return f"{code[:4]}-{code[4:]}" if len(code) == REFERENCE_LENGTH else code


def current_consent_document(*, today: datetime.date | None = None) -> ConsentDocument:
    today = today or timezone.localdate()
    return (
        ConsentDocument.objects.filter(published=True, effective_date__lte=today)
        .order_by("-effective_date", "-id")
        .first()
    ) or ConsentDocument.objects.filter(published=True).earliest("effective_date")


def flag_texts(flags: Iterable[screening.Flag]) -> list[dict[str, str]]:
    """The texts to show and keep for each flag: what staff wrote, else the code's defaults."""
    flags = list(flags)
    edited = {text.code: text for text in FlagText.objects.filter(code__in=[f.code for f in flags])}
    texts = []
    for flag in flags:
        row: dict[str, str] = {}
        for field in ("title", "clinician_note", "patient_note"):
            default = getattr(flag, field)
            for language in ("ja", "en"):
                staff_text = getattr(edited.get(flag.code), f"{field}_{language}", "") or ""
                if field == "patient_note" and default is None:
                    # The rule has no patient note: nothing staff wrote can make one appear.
                    staff_text = ""
                    value = ""
                else:
                    value = staff_text or (default.in_language(language) if default else "")
                row[f"{field}_{language}"] = value
        texts.append(row)
    return texts


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
            zip(result.flags, flag_texts(result.flags), strict=True)
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
