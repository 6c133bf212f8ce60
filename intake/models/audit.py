"""The access record's rows: who opened which intake or patient record, when and from where."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from intake.models.intakes import Intake
from intake.models.patients import Patient


class AccessRecord(models.Model):
    """Who opened which intake or patient record, when, from where; kept without identity when
    the intake or the patient is purged.

    The record outlives the intake (SET_NULL) but not its reader's account: a user who has a
    record can't be deleted (PROTECT), only deactivated, and the username is kept as text too.
    """

    class Action(models.TextChoices):
        DETAIL = "detail", _("Opened the intake")
        PRINT = "print", _("Opened the print view")
        ADMIN = "admin", _("Opened in the admin")
        EXPORT = "export", _("Exported")
        # A refused decision (bad input, or decided meanwhile) shows the whole intake again.
        DECISION_REFUSED = "decision_refused", _("Shown again, decision not saved")
        # The patient record (spec §5): `patient` is set; `intake` too when one intake was shown.
        PATIENT = "patient", _("Opened the patient's page")
        HISTORY = "history", _("Shown in the patient's history")
        MATCH = "match", _("Shown as a possible match")
        VISIT = "visit", _("Opened the visit's link and appointment page")
        TREATMENT = "treatment", _("Opened the treatment form")
        # Carrying an intake into a chart (issue 12), and the patient's handout.
        HANDOUT = "handout", _("Opened the patient handout")
        CHART = "chart", _("Read the chart text")
        FHIR = "fhir", _("Downloaded as FHIR")
        # An integration's call to the FHIR API: `user` is the token's service account; a call
        # that returned no intake (the questionnaire, an empty page) is recorded without one.
        API = "api", _("Read through the API")

    intake = models.ForeignKey(
        Intake,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_records",
        verbose_name=_("intake"),
    )
    patient = models.ForeignKey(
        Patient,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_records",
        verbose_name=_("patient"),
    )
    # Nullable only for records written before accounts were protected (their user is unknown).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(_("username"), max_length=150, blank=True, editable=False)
    action = models.CharField(_("action"), max_length=16, choices=Action)
    at = models.DateTimeField(_("time"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        verbose_name = _("access record")
        verbose_name_plural = _("access records")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["intake", "-at"], name="access_intake_idx"),
            models.Index(fields=["patient", "-at"], name="access_patient_idx"),
            # The admin's list, latest first, its date filter and its search by username.
            models.Index(fields=["at", "id"], name="access_at_idx"),
            models.Index(Upper("username"), name="access_username_idx"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.username or self.user} · {self.get_action_display()} · {self.at:%Y-%m-%d %H:%M}"
        )
