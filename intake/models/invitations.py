"""Reception's invitations: an appointment's one-time link into the intake.

An invitation made from a patient's page (`patient`) opens a repeat intake (spec §5): its link
asks for the date of birth first and counts wrong ones here, on the invitation itself, so that no
new browser or session starts the count again (`intake/birthdate/`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Invitation(models.Model):
    """An appointment's link to the intake, created by reception; works once."""

    token = models.CharField(max_length=43, unique=True, editable=False)
    full_name = models.CharField(_("full name"), max_length=100)
    full_name_kana = models.CharField(_("name in katakana"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    visit_date = models.DateField(_("visit date"))
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="ja"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    # The patient record a repeat intake is for: prefilled from their latest intake, tied at submit.
    patient = models.ForeignKey(
        "intake.Patient",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("patient"),
    )
    # Wrong dates of birth typed on the link; at intake.birthdate.BIRTH_DATE_TRIES it locks.
    birth_date_failures = models.PositiveSmallIntegerField(
        _("wrong dates of birth"), default=0, editable=False
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["visit_date", "full_name"]

    def __str__(self) -> str:
        return f"{self.full_name} · {self.visit_date}"
