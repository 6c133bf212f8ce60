"""Writes. Each service is one transaction; views and commands call these, not the ORM."""

from __future__ import annotations

import datetime
import ipaddress
import secrets
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intake import answers, screening
from intake.models import (
    AccessRecord,
    ConsentDocument,
    Decision,
    FlagText,
    Intake,
    IntakeFlag,
    Invitation,
    Rescreening,
)

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


# The doctors' review -----------------------------------------------------------------------------
# A decision needs the doctor's explicit acknowledgement of every flag of these severities.
ACKNOWLEDGED_SEVERITIES = (screening.CONTRAINDICATION, screening.REVIEW)


class DecisionConflict(Exception):
    """Someone else recorded a decision after the one the deciding doctor last saw."""

    def __init__(self, latest: Decision | None) -> None:
        super().__init__("The intake was decided meanwhile by someone else.")
        self.latest = latest


def access_record(
    *,
    user: AbstractBaseUser,
    action: str,
    intake: Intake,
    ip_address: str | None = None,
) -> AccessRecord:
    """Record that `user` opened `intake`: who, what, when and from where, never what was seen."""
    try:
        address = str(ipaddress.ip_address(ip_address)) if ip_address else None
    except ValueError:
        address = None
    return AccessRecord.objects.create(user=user, action=action, intake=intake, ip_address=address)


def intake_open_for_review(
    *, intake: Intake, user: AbstractBaseUser, ip_address: str | None = None
) -> Intake:
    """A doctor opens an intake: record the access; the first open moves it to in review."""
    with transaction.atomic():
        access_record(
            user=user, action=AccessRecord.Action.DETAIL, intake=intake, ip_address=ip_address
        )
        if intake.status == Intake.Status.NEW:
            # Conditional update: a concurrent open or decision is never undone.
            moved = Intake.objects.filter(pk=intake.pk, status=Intake.Status.NEW).update(
                status=Intake.Status.IN_REVIEW
            )
            if moved:
                intake.status = Intake.Status.IN_REVIEW
    return intake


def _latest_decision(intake: Intake) -> Decision | None:
    return (
        Decision.objects.filter(intake=intake)
        .select_related("doctor")
        .order_by("-decided_at", "-id")
        .first()
    )


def intake_decide(
    *,
    intake: Intake,
    doctor: AbstractBaseUser,
    outcome: str,
    note: str,
    acknowledged_flags: Iterable[str],
    based_on: int | None,
    now: datetime.datetime | None = None,
) -> Decision:
    """Record a doctor's decision; it supersedes the previous one, which stays in the history.

    `based_on` is the id of the latest decision the doctor saw (None when there was none). If
    another decision was recorded since, nothing is saved and DecisionConflict carries it.
    """
    note = note.strip()
    if outcome not in Decision.Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    if outcome != Decision.Outcome.APPROVED and not note:
        raise ValidationError({"note": _("A note is required unless the outcome is approved.")})
    acknowledged = set(acknowledged_flags)
    try:
        with transaction.atomic():
            locked = Intake.objects.select_for_update().get(pk=intake.pk)
            required = list(
                locked.flags.filter(severity__in=ACKNOWLEDGED_SEVERITIES)
                .order_by("position")
                .values_list("code", flat=True)
            )
            missing = [code for code in required if code not in acknowledged]
            if missing:
                raise ValidationError(
                    _("Not acknowledged: %(codes)s.") % {"codes": ", ".join(missing)},
                    code="unacknowledged",
                )
            latest = _latest_decision(locked)
            if (latest.pk if latest else None) != based_on:
                raise DecisionConflict(latest)
            decision = Decision.objects.create(
                intake=locked,
                doctor=doctor,
                outcome=outcome,
                note=note,
                acknowledged_flags=required,
                decided_at=now or timezone.now(),
                supersedes=latest,
            )
            locked.status = Intake.Status.DECIDED
            locked.save(update_fields=["status"])
    except IntegrityError as error:
        # Two decisions superseding the same one (databases without row locks, like SQLite):
        # the unique `supersedes` lets only the first through.
        raise DecisionConflict(_latest_decision(intake)) from error
    intake.status = Intake.Status.DECIDED
    return decision


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
    values = {key: getattr(intake, key) for key in answers.QUESTIONS}
    result = screening.screen(values, today=timezone.localdate(intake.submitted_at))
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
