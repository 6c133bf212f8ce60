"""The access record's rows: who opened which intake, when and from where."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from intake.models.intakes import Intake


class AccessRecord(models.Model):
    """Who opened which intake, when, from where; kept without identity when an intake is purged.

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

    intake = models.ForeignKey(
        Intake, on_delete=models.SET_NULL, null=True, blank=True, related_name="access_records"
    )
    # Nullable only for records written before accounts were protected (their user is unknown).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    username = models.CharField(_("username"), max_length=150, blank=True, editable=False)
    action = models.CharField(_("action"), max_length=16, choices=Action)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        verbose_name = _("access record")
        verbose_name_plural = _("access records")
        ordering = ["-at"]
        indexes = [models.Index(fields=["intake", "-at"], name="access_intake_idx")]

    def __str__(self) -> str:
        return f"{self.username or self.user} · {self.action} · {self.at:%Y-%m-%d %H:%M}"
