"""The keys of integrations to the FHIR API (`intake.api`): one per integration, read only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """An integration's key to the read-only FHIR API, made by an administrator in the admin.

    Only the token's SHA-256 is stored: the token itself is shown once, when it is made. Each
    token reads as its own service account (`account`: no password, no group, not staff), which
    the access record names for every call; the account is kept, like any reader's, and a
    token is revoked rather than deleted. Deactivating the account stops the token too.
    """

    class Scope(models.TextChoices):
        READ = "fhir.read", _("Read intakes and the questionnaire (FHIR, read only)")

    name = models.CharField(
        _("integration"),
        max_length=100,
        help_text=_("Who uses the token, for example the name of the chart system."),
    )
    scope = models.CharField(_("scope"), max_length=32, choices=Scope, default=Scope.READ)
    # The token's first characters: enough to tell tokens apart, never enough to use one.
    prefix = models.CharField(_("token begins with"), max_length=16, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_token",
        editable=False,
        verbose_name=_("service account"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
