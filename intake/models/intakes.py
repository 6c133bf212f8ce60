"""The intake as submitted, the flags and re-screenings of its screening, and doctors' decisions.

An intake keeps the result of its screening at submit; a later re-screening (newer rules, the
clinic's records, an appointment date) is stored beside it. The current result, the latest
re-screening's or else the original, is copied onto the intake (`current_*`) in the transaction
that stores the re-screening, so the queue sorts and filters on it with an index.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from intake import answers, screening
from intake.bilingual import language_code
from intake.models.choices import LabelChoices, answer_code
from intake.models.content import ConsentDocument
from intake.models.invitations import Invitation


def effective_visit_date() -> Coalesce:
    """The day the patient is expected: the appointment date the clinic set, else the visit date
    the patient gave. The queue sorts and filters on this expression, and its indexes are on it
    (the same expression, so PostgreSQL and SQLite use them): nothing to keep in step."""
    return Coalesce("appointment_date", "visit_date", output_field=models.DateField())


class Intake(models.Model):
    """One patient's answers, exactly as submitted, and the screening result produced at submit."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_REVIEW = "in_review", _("In review")
        DECIDED = "decided", _("Decided")

    OPEN_STATUSES = (Status.NEW, Status.IN_REVIEW)

    reference = models.CharField(_("reference"), max_length=16, unique=True, editable=False)
    # Idempotency key of the submit: a double click or a re-sent POST finds the same intake.
    submission_token = models.UUIDField(unique=True, editable=False)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    submitted_at = models.DateTimeField(_("submitted"))
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.NEW)
    invitation = models.OneToOneField(
        Invitation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="intake",
        verbose_name=_("invitation"),
    )
    consent_document = models.ForeignKey(
        ConsentDocument, on_delete=models.PROTECT, related_name="+", verbose_name=_("consent text")
    )
    consent_at = models.DateTimeField(_("consent given"))
    # The clinic's record of this person (spec §5), linked by staff, never automatically.
    patient = models.ForeignKey(
        "intake.Patient",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intakes",
        verbose_name=_("patient"),
    )
    # The visit date the clinic set (an invitation's, or staff's later): the reference date.
    appointment_date = models.DateField(_("appointment date"), null=True, blank=True)

    # Step 1 · about you
    full_name = models.CharField(_("full name"), max_length=100)
    full_name_kana = models.CharField(_("name in katakana"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("date of birth"))
    sex = answer_code("sex", verbose_name=_("sex"))
    phone = models.CharField(_("phone"), max_length=30)
    email = models.EmailField(_("email"), blank=True)
    visit_date = models.DateField(_("visit date"), null=True, blank=True)
    # Step 2 · skin
    skin_type = answer_code("skin_type", verbose_name=_("skin type"))
    phototype = answer_code("phototype", verbose_name=_("phototype"), blank=True)
    concerns = models.JSONField(_("concerns"), default=list)
    acne_lesion_count = answer_code("acne_lesion_count", verbose_name=_("inflamed spots"))
    skin_problems_now = models.JSONField(_("skin problems now"), default=list, blank=True)
    keloid_history = models.BooleanField(_("keloid history"))
    # Step 3 · retinoids
    topical_retinoids = models.JSONField(_("topical retinoids"), default=list, blank=True)
    topical_retinoid_started = models.DateField(_("retinoid started"), null=True, blank=True)
    retinoid_irritation = models.JSONField(_("retinoid irritation"), default=list, blank=True)
    isotretinoin = answer_code("isotretinoin", verbose_name=_("oral isotretinoin"))
    isotretinoin_last_dose = models.DateField(_("isotretinoin last dose"), null=True, blank=True)
    # Step 4 · treatments
    botulinum_before = models.BooleanField(_("botulinum toxin before"))
    botulinum_last_date = models.DateField(_("last botulinum toxin"), null=True, blank=True)
    botulinum_product = answer_code("botulinum_product", verbose_name=_("product"), blank=True)
    botulinum_reactions = models.JSONField(_("reactions"), default=list, blank=True)
    last_resurfacing_date = models.DateField(_("last resurfacing"), null=True, blank=True)
    # Step 5 · health
    pregnancy = answer_code("pregnancy", verbose_name=_("pregnancy"))
    breastfeeding = models.BooleanField(_("breastfeeding"))
    planning_pregnancy = models.BooleanField(_("planning a pregnancy"))
    neuromuscular = models.JSONField(_("neuromuscular diseases"), default=list, blank=True)
    other_conditions = models.JSONField(_("other conditions"), default=list, blank=True)
    allergies = models.JSONField(_("allergies"), default=list, blank=True)
    allergy_details = models.TextField(_("allergy details"), max_length=500, blank=True)
    medications = models.JSONField(_("medications"), default=list, blank=True)
    medication_details = models.TextField(_("medication details"), max_length=500, blank=True)
    upcoming_event_date = models.DateField(_("upcoming event"), null=True, blank=True)
    # Step 6 · consent
    consent_privacy = models.BooleanField(_("consent to privacy notice"))
    consent_off_label = models.BooleanField(_("understands off-label use"))
    confirm_accurate = models.BooleanField(_("confirms answers are accurate"))

    # Screening at submit (never changed; re-screening stores a Rescreening beside it)
    ruleset_version = models.CharField(_("ruleset"), max_length=32)
    reference_date = models.DateField(_("reference date"))
    verdict = models.CharField(_("verdict"), max_length=32, choices=LabelChoices("VERDICT_LABELS"))
    # 0 = not_suitable … 3 = suitable: the doctors' queue sorts on it with an index.
    verdict_rank = models.PositiveSmallIntegerField(editable=False)
    suitability = models.CharField(
        _("suitability"), max_length=16, choices=LabelChoices("SUITABILITY_LABELS")
    )
    # The current result: the latest re-screening's, else the above (intake_rescreen sets them).
    current_rescreening = models.OneToOneField(
        "intake.Rescreening",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    current_verdict = models.CharField(
        _("current verdict"),
        max_length=32,
        choices=LabelChoices("VERDICT_LABELS"),
        editable=False,
    )
    current_verdict_rank = models.PositiveSmallIntegerField(editable=False)
    current_suitability = models.CharField(
        _("current suitability"),
        max_length=16,
        choices=LabelChoices("SUITABILITY_LABELS"),
        editable=False,
    )

    class Meta:
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")
        ordering = ["current_verdict_rank", "visit_date", "submitted_at"]
        # The queue reads the current result and the effective visit date (the appointment,
        # else the patient's date): these indexes are on them, not on the original.
        indexes = [
            models.Index(
                F("current_verdict_rank"),
                effective_visit_date(),
                F("submitted_at"),
                condition=Q(status__in=["new", "in_review"]),
                name="intake_open_queue_idx",
            ),
            models.Index(
                F("status"),
                F("current_verdict_rank"),
                effective_visit_date(),
                name="intake_queue_idx",
            ),
            # The counts per verdict read this index alone (bench/RESULTS.md).
            models.Index(fields=["status", "current_verdict"], name="intake_status_verdict_idx"),
            # The queue with every status, first page without a sort of the whole table.
            models.Index(
                F("current_verdict_rank"),
                effective_visit_date(),
                F("submitted_at"),
                F("id"),
                name="intake_queue_all_idx",
            ),
            # Reception's queue (by day) and the visit-date filters of both queues.
            models.Index(effective_visit_date(), F("submitted_at"), name="intake_visit_idx"),
            models.Index(fields=["submitted_at"], name="intake_submitted_idx"),
            models.Index(fields=["phone"], name="intake_phone_idx"),
            # The admin's list in its two orders (doctors', reception's; the latter also serves
            # the visit-date filters) and its filters on the current result. The searches'
            # trigram indexes are PostgreSQL's only: migration 0016 makes them (intake/search.py).
            models.Index(
                fields=["current_verdict_rank", "visit_date", "submitted_at", "id"],
                name="intake_admin_idx",
            ),
            models.Index(
                fields=["visit_date", "submitted_at", "id"], name="intake_admin_visit_idx"
            ),
            models.Index(fields=["current_verdict"], name="intake_verdict_idx"),
            models.Index(fields=["current_suitability"], name="intake_suitability_idx"),
        ]
        permissions = [
            ("review_intake", "Can review intakes and record decisions"),
            ("view_queue", "Can see the intake queue (names, visit dates, status)"),
            ("export_intake", "Can export intakes to CSV"),
            ("set_appointment", "Can set or move an intake's appointment date"),
        ]

    def __str__(self) -> str:
        return self.reference

    def answers(self) -> dict[str, Any]:
        """The answers as submitted, keyed as the data dictionary is: what screening, review,
        export and the admin read."""
        return {key: getattr(self, key) for key in answers.QUESTIONS}

    @property
    def current_reference_date(self) -> datetime.date:
        """The reference date of the current result (an appointment set later moves it)."""
        if self.current_rescreening_id is not None:
            return self.current_rescreening.reference_date
        return self.reference_date

    def current_flags(self) -> list[IntakeFlag]:
        """The flags of the current result: the latest re-screening's, else those of submit."""
        if self.current_rescreening_id is not None:
            return self.current_rescreening.flags()
        return list(self.flags.all())


class IntakeFlag(models.Model):
    """A flag raised at submit, with the texts as they were shown then."""

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="flags")
    position = models.PositiveSmallIntegerField()
    code = models.CharField(_("code"), max_length=40)
    severity = models.CharField(
        _("severity"), max_length=16, choices=LabelChoices("SEVERITY_LABELS")
    )
    source = models.CharField(_("source"), max_length=100, blank=True)
    keys = models.JSONField(_("answers read"), default=list)
    title_ja = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    clinician_note_ja = models.TextField()
    clinician_note_en = models.TextField()
    patient_note_ja = models.TextField(blank=True)
    patient_note_en = models.TextField(blank=True)

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        # By the column: "intake" would order by Intake's own ordering, joining intake_intake
        # to every read of flags (the queue's, the export's). Likewise below and for treatments.
        ordering = ["intake_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["intake", "position"], name="intakeflag_unique_position"
            ),
        ]
        indexes = [models.Index(fields=["code", "intake"], name="intakeflag_code_idx")]

    def __str__(self) -> str:
        return self.code

    def text(self, field: str, language: str | None = None) -> str:
        """`field` (title, clinician_note, patient_note) as kept at submit, in `language` (by
        default the active one)."""
        return getattr(self, f"{field}_{language_code(language or get_language())}")

    @property
    def title(self) -> str:
        return self.text("title")

    @property
    def clinician_note(self) -> str:
        return self.text("clinician_note")

    @property
    def patient_note(self) -> str:
        return self.text("patient_note")


class Rescreening(models.Model):
    """A later screening whose outcome differs from the latest stored one: newer rules, or what
    the clinic knows changed (a link to a patient, a treatment recorded, an appointment date)."""

    class Reason(models.TextChoices):
        RULESET = "ruleset", _("The rules changed")
        LINKED = "linked", _("Linked to a patient record")
        UNLINKED = "unlinked", _("Unlinked from a patient record")
        TREATMENT = "treatment", _("A treatment was recorded or corrected")
        APPOINTMENT = "appointment", _("The appointment date was set or moved")

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="rescreenings")
    created_at = models.DateTimeField(_("re-screened"), auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=16, choices=Reason, default=Reason.RULESET)
    # Who did what caused it; none for the `rescreen` command.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    ruleset_version = models.CharField(_("ruleset"), max_length=32)
    reference_date = models.DateField(_("reference date"))
    verdict = models.CharField(_("verdict"), max_length=32, choices=LabelChoices("VERDICT_LABELS"))
    suitability = models.CharField(
        _("suitability"), max_length=16, choices=LabelChoices("SUITABILITY_LABELS")
    )
    # The full result as screening.ScreeningResult.as_dict() gives it, each flag with its source
    # and keys, and the texts staff had set then (as IntakeFlag keeps them at submit).
    result = models.JSONField(_("result"))
    # " CODE CODE ": the queue's flag filter finds a code here without reading the JSON.
    flag_codes = models.CharField(max_length=1000, blank=True, editable=False)

    class Meta:
        verbose_name = _("re-screening")
        verbose_name_plural = _("re-screenings")
        ordering = ["intake_id", "-created_at"]

    def __str__(self) -> str:
        return f"{self.intake} · {self.ruleset_version}"

    def flags(self) -> list[IntakeFlag]:
        """The flags of this result, as unsaved IntakeFlag rows: read like the ones of submit."""
        rows = []
        for position, flag in enumerate(self.result.get("flags", [])):
            texts = {
                f"{field}_{language}": (flag.get(field) or {}).get(language, "")
                for field in ("title", "clinician_note", "patient_note")
                for language in ("ja", "en")
            }
            # Results stored before the source and keys were kept: the rule's, if it still exists.
            rule = screening.RULES_BY_CODE.get(flag["code"])
            rows.append(
                IntakeFlag(
                    position=position,
                    code=flag["code"],
                    severity=flag["severity"],
                    source=flag.get("source", rule.source if rule else ""),
                    keys=list(flag.get("keys", rule.keys if rule else ())),
                    **texts,
                )
            )
        return rows


class Decision(models.Model):
    """A doctor's decision on an intake. Append-only: a later decision supersedes an earlier one."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Approved")
        APPROVED_WITH_CONDITIONS = "approved_with_conditions", _("Approved with conditions")
        DEFERRED = "deferred", _("Deferred")
        DECLINED = "declined", _("Declined")

    intake = models.ForeignKey(
        Intake, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("intake")
    )
    doctor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("doctor"),
    )
    outcome = models.CharField(_("outcome"), max_length=32, choices=Outcome)
    note = models.TextField(_("note"), blank=True)
    acknowledged_flags = models.JSONField(_("acknowledged flags"), default=list)
    decided_at = models.DateTimeField(_("decided"))
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("replaces the decision"),
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["intake_id", "-decided_at", "-id"]
        # The admin's list, latest first, and its date filter.
        indexes = [models.Index(fields=["decided_at", "id"], name="decision_decided_idx")]

    def __str__(self) -> str:
        return f"{self.intake} · {self.get_outcome_display()}"
