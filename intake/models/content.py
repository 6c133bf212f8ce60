"""The clinic's own content, edited by staff in the admin: consent texts, the clinic profile and
staff's wording of the rules' texts."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from intake.bilingual import language_code


class ConsentDocument(models.Model):
    """A version of the consent text a patient agrees to. Published versions are never edited."""

    version = models.CharField(_("version"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"))
    effective_date = models.DateField(_("effective date"))
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        ordering = ["-effective_date", "-version"]

    def __str__(self) -> str:
        return f"{self.version} · {self.title}"


class ClinicProfile(models.Model):
    """The clinic's own details, shown to patients on the confirmation page and the print view."""

    name = models.CharField(_("clinic name"), max_length=200)
    address = models.TextField(_("address"))
    phone = models.CharField(_("phone"), max_length=30)
    access = models.TextField(_("access directions"), blank=True)
    line_id = models.CharField(_("LINE ID"), max_length=50, blank=True)
    opening_hours = models.TextField(_("opening hours"), blank=True)

    class Meta:
        verbose_name = _("clinic profile")
        verbose_name_plural = _("clinic profile")

    def __str__(self) -> str:
        return self.name


class FlagText(models.Model):
    """Staff's own wording of one rule's texts; a blank field (per language) is the code's text."""

    TEXT_FIELDS = ("title", "clinician_note", "patient_note")

    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    clinician_note = models.TextField(_("clinician note"), blank=True)
    patient_note = models.TextField(_("patient note"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("flag text")
        verbose_name_plural = _("flag texts")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    def staff_text(self, field: str, language: str | None = None) -> str:
        """Staff's `field` in `language` (default: the active one), stripped; "" is the code's."""
        return (getattr(self, f"{field}_{language_code(language or get_language())}") or "").strip()
