"""Writes. Each service is one transaction; views and commands call these, not the ORM."""

from __future__ import annotations

import datetime
import ipaddress
import secrets
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
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
    """The texts to show and keep for each flag: what staff wrote, else the code's defaults.

    The FlagText rows are seeded with the rules' own texts, so a stored text equal to the rule's
    default counts as not edited and the flag's own text is kept. That matters where a rule varies
    its patient note with an answer (PLANNING_PREGNANCY, by sex): the seeded row holds the general
    note, the flag the one for this patient.
    """
    flags = list(flags)
    edited = {text.code: text for text in FlagText.objects.filter(code__in=[f.code for f in flags])}
    texts = []
    for flag in flags:
        rule = screening.RULES_BY_CODE.get(flag.code)
        row: dict[str, str] = {}
        for field in ("title", "clinician_note", "patient_note"):
            default = getattr(flag, field)
            rule_default = getattr(rule, field) if rule is not None else default
            for language in ("ja", "en"):
                staff_text = getattr(edited.get(flag.code), f"{field}_{language}", "") or ""
                staff_text = staff_text.strip()
                if field == "patient_note" and default is None:
                    # The rule has no patient note: nothing staff wrote can make one appear.
                    value = ""
                elif staff_text and (
                    rule_default is None or staff_text != rule_default.in_language(language).strip()
                ):
                    value = staff_text
                else:
                    value = default.in_language(language) if default else ""
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


# Invitations, content and retention (the staff admin) --------------------------------------------
INVITATION_TOKEN_BYTES = 32  # token_urlsafe(32) is 43 characters: Invitation.token's length


def invitation_create(
    *,
    full_name: str,
    visit_date: datetime.date,
    language: str,
    full_name_kana: str = "",
    phone: str = "",
    email: str = "",
    created_by: AbstractBaseUser | None = None,
) -> Invitation:
    """Reception invites a patient to the intake before the visit: a link that works once."""
    if not phone and not email:
        raise ValidationError(_("Enter a phone number or an email address."), code="no_contact")
    with transaction.atomic():
        return Invitation.objects.create(
            token=secrets.token_urlsafe(INVITATION_TOKEN_BYTES),
            full_name=full_name,
            full_name_kana=full_name_kana,
            phone=phone,
            email=email,
            visit_date=visit_date,
            language=language,
            created_by=created_by,
        )


def intakes_export_record(
    *, intakes: Iterable[Intake], user: AbstractBaseUser, ip_address: str | None = None
) -> int:
    """Record an export of `intakes` by `user`, one access record per intake, like any access."""
    try:
        address = str(ipaddress.ip_address(ip_address)) if ip_address else None
    except ValueError:
        address = None
    with transaction.atomic():
        records = AccessRecord.objects.bulk_create(
            AccessRecord(
                intake=intake, user=user, action=AccessRecord.Action.EXPORT, ip_address=address
            )
            for intake in intakes
        )
    return len(records)


def flag_texts_restore_defaults(*, codes: Iterable[str]) -> int:
    """Put the rules' own texts back into the FlagText rows of `codes`; returns how many."""
    restored = 0
    with transaction.atomic():
        for text in FlagText.objects.select_for_update().filter(code__in=list(codes)):
            rule = screening.RULES_BY_CODE.get(text.code)
            if rule is None:
                continue
            for field in ("title", "clinician_note", "patient_note"):
                default = getattr(rule, field)
                for language in ("ja", "en"):
                    value = default.in_language(language) if default else ""
                    setattr(text, f"{field}_{language}", value)
            text.save()
            restored += 1
    return restored


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
        return ConsentDocument.objects.create(
            version=version,
            title_ja=document.title_ja,
            title_en=document.title_en,
            body_ja=document.body_ja,
            body_en=document.body_en,
            effective_date=max(today, document.effective_date),
            published=False,
        )


@dataclass(frozen=True)
class PurgeResult:
    """What a purge removed (or, in a dry run, would remove)."""

    cutoff: datetime.date
    references: tuple[str, ...]
    flags: int
    decisions: int
    rescreenings: int
    invitations: int
    access_records_kept: int
    dry_run: bool


def intakes_purge(*, cutoff: datetime.date, dry_run: bool = False) -> PurgeResult:
    """Delete the intakes past retention (visit, or submission without one, before `cutoff`).

    Their flags, decisions and re-screenings go with them, and so do their invitations and any
    invitation whose visit date is before `cutoff`. Access records stay, counted, without the
    intake (the foreign key is SET_NULL): who opened something, when, remains; whose data it was
    does not. A dry run computes the same result in the same transaction and changes nothing.
    """
    from intake import selectors  # selectors imports services: import at call time

    with transaction.atomic():
        rows = list(
            selectors.intakes_past_retention(cutoff=cutoff)
            .select_for_update()
            .values_list("pk", "reference")
        )
        ids = [pk for pk, _reference in rows]
        references = tuple(reference for _pk, reference in rows)
        invitations = Invitation.objects.filter(
            Q(intake__pk__in=ids) | Q(visit_date__lt=cutoff, intake__isnull=True)
        )
        result = PurgeResult(
            cutoff=cutoff,
            references=references,
            flags=IntakeFlag.objects.filter(intake__in=ids).count(),
            decisions=Decision.objects.filter(intake__in=ids).count(),
            rescreenings=Rescreening.objects.filter(intake__in=ids).count(),
            invitations=invitations.count(),
            access_records_kept=AccessRecord.objects.filter(intake__in=ids).count(),
            dry_run=dry_run,
        )
        if dry_run:
            return result
        invitation_ids = list(invitations.values_list("pk", flat=True))
        intakes_delete(ids=ids)
        Invitation.objects.filter(pk__in=invitation_ids).delete()
    return result


def intakes_delete(*, ids: Iterable[int]) -> int:
    """Delete intakes with their flags, decisions and re-screenings; access records stay.

    A decision PROTECTs the one it superseded (no decision leaves the middle of a history), so
    the histories of the intakes being deleted are taken apart first, inside the transaction.
    """
    ids = list(ids)
    with transaction.atomic():
        Decision.objects.filter(intake__in=ids).update(supersedes=None)
        deleted, _per_model = Intake.objects.filter(pk__in=ids).delete()
    return len(ids) if deleted else 0
