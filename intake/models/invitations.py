"""Reception's invitations: an appointment's one-time link into the intake."""

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
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["visit_date", "full_name"]

    def __str__(self) -> str:
        return f"{self.full_name} · {self.visit_date}"
