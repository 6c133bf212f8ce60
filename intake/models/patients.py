"""The clinic's own record of a patient across visits (spec §5): the patient, the treatments the
clinic gave (append-only) and the history of linking intakes to a patient.

An intake points at its patient (`Intake.patient`, PROTECT: a patient goes only once no intake is
left, see `retention.py`); so will an invitation to a repeat intake.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from intake import answers
from intake.bilingual import LIST_SEPARATOR
from intake.models.choices import answer_code

# Sane bounds of a treatment record: they catch a slip of the keyboard (25 typed for 2.5, units
# typed in the dilution field), not a dosing rule. Dilution, in mL of saline per 100 units: from
# Dysport's 500 U vial in 1 mL (0.2) to a micro-Botox 100 U in 20 mL; units: one Dysport vial
# (500 U) at most in a session.
DILUTION_MIN = Decimal("0.2")
DILUTION_MAX = Decimal("20")
UNITS_MIN = Decimal("0.5")
UNITS_MAX = Decimal("500")

# The messages of those checks, one text each for the form and the service that checks again.
UNITS_MESSAGE = _(
    "Enter the total units given, between %(min)s and %(max)s (for example 20 or 22.5)."
)
DILUTION_MESSAGE = _(
    "Enter the dilution in mL of saline per 100 units, between %(min)s and %(max)s "
    "(for example 2.5)."
)


class Patient(models.Model):
    """One person across visits: the details staff confirmed, to which intakes are linked."""

    full_name = models.CharField(_("full name"), max_length=100)
    full_name_kana = models.CharField(_("name in katakana"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("date of birth"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("patient")
        verbose_name_plural = _("patients")
        ordering = ["full_name_kana", "full_name", "pk"]
        # Suggestions read the date of birth first; the lists read the kana, in their order.
        indexes = [
            models.Index(fields=["date_of_birth"], name="patient_birth_idx"),
            models.Index(fields=["full_name_kana", "full_name", "id"], name="patient_list_idx"),
            models.Index(fields=["created_at"], name="patient_created_idx"),
        ]
        permissions = [("link_intake", "Can link intakes to patient records")]

    def __str__(self) -> str:
        # A number, never the name: the string of an object ends up in logs and lists.
        return f"#{self.pk}"


class Treatment(models.Model):
    """What the clinic gave, recorded by the doctor after the procedure. Never edited or deleted:
    a correction is a new record that supersedes this one (`supersedes`), and a record entered
    by mistake is withdrawn by a correction marked `withdrawn`."""

    patient = models.ForeignKey(
        "intake.Patient",
        on_delete=models.CASCADE,
        related_name="treatments",
        verbose_name=_("patient"),
    )
    # The visit it was given at, when recorded from one; stays when that intake is purged.
    intake = models.ForeignKey(
        "intake.Intake",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="treatments",
        verbose_name=_("intake"),
    )
    treated_on = models.DateField(_("treatment date"))
    product = answer_code("botulinum_product", verbose_name=_("product"))
    lot_number = models.CharField(_("lot number"), max_length=40, blank=True)
    dilution_ml_per_100u = models.DecimalField(
        _("dilution (mL per 100 U)"), max_digits=5, decimal_places=2
    )
    total_units = models.DecimalField(_("total units"), max_digits=5, decimal_places=1)
    areas = models.JSONField(_("areas"), default=list)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    withdrawn = models.BooleanField(_("withdrawn"), default=False)
    doctor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="treatments",
        verbose_name=_("doctor"),
    )
    recorded_at = models.DateTimeField(_("recorded"))
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("corrects the record"),
    )

    class Meta:
        verbose_name = _("treatment")
        verbose_name_plural = _("treatments")
        ordering = ["patient_id", "-treated_on", "-recorded_at", "-id"]
        indexes = [models.Index(fields=["patient", "treated_on"], name="treatment_patient_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_units__gte=UNITS_MIN, total_units__lte=UNITS_MAX),
                name="treatment_units_in_bounds",
            ),
            models.CheckConstraint(
                condition=Q(
                    dilution_ml_per_100u__gte=DILUTION_MIN, dilution_ml_per_100u__lte=DILUTION_MAX
                ),
                name="treatment_dilution_in_bounds",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient} · {self.treated_on}"

    @property
    def area_labels(self) -> list[str]:
        """The areas in the active language."""
        language = get_language()
        return [
            label.in_language(language)
            if (label := answers.TREATMENT_AREA_LABELS.get(code))
            else code
            for code in self.areas
        ]

    @property
    def areas_display(self) -> str:
        """The areas as one text in the active language (、 between them in Japanese)."""
        return LIST_SEPARATOR.in_language(get_language()).join(self.area_labels)


class PatientLink(models.Model):
    """Who linked an intake to a patient, or undid a wrong link, and when: the links' history."""

    class Action(models.TextChoices):
        LINKED = "linked", _("Linked")
        UNLINKED = "unlinked", _("Unlinked")

    class Source(models.TextChoices):
        STAFF = "staff", _("Staff")
        # Tied at submit: reception invited this patient, who confirmed their date of birth.
        REPEAT_INVITATION = "repeat_invitation", _("Repeat invitation, date of birth confirmed")

    intake = models.ForeignKey(
        "intake.Intake",
        on_delete=models.CASCADE,
        related_name="patient_links",
        verbose_name=_("intake"),
    )
    patient = models.ForeignKey(
        "intake.Patient", on_delete=models.CASCADE, related_name="links", verbose_name=_("patient")
    )
    action = models.CharField(_("action"), max_length=16, choices=Action)
    source = models.CharField(_("source"), max_length=24, choices=Source, default=Source.STAFF)
    # None only when an invitation tied the intake at submit and nobody is named on it.
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)
    note = models.TextField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("patient link")
        verbose_name_plural = _("patient links")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["at", "id"], name="patientlink_at_idx")]

    def __str__(self) -> str:
        return f"{self.intake} · {self.get_action_display()} · {self.patient}"
