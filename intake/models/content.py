"""The clinic's own content, edited by staff in the admin: consent texts, the clinic profile and
staff's wording of the rules' texts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from intake.bilingual import Text, language_code

# Where the retention period goes in a consent's retention text: filled in from the setting, so
# the text always says what purge_intakes does.
RETENTION_PERIOD_PLACEHOLDER = "{period}"


def retention_period(days: int) -> Text:
    """A retention period in words: whole years where it is a number of years, else days."""
    if days > 0 and days % 365 == 0:
        years = days // 365
        return Text(f"{years}年間", f"{years} year" if years == 1 else f"{years} years")
    return Text(f"{days}日間", f"{days} day" if days == 1 else f"{days} days")


class ConsentDocument(models.Model):
    """A version of the consent text a patient agrees to. Published versions are never edited.

    Besides the free text (`body`), the parts spec §6 requires are fields of their own, so that
    the admin can refuse to publish a version without one (`REQUIRED_PARTS`): the purposes, the
    retention, the contact for privacy and the off-label disclosure. Versions from before these
    fields existed have them blank and show their body alone.
    """

    REQUIRED_PARTS = ("purposes", "retention", "contact_office", "contact_person", "off_label")

    version = models.CharField(_("version"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"))
    purposes = models.TextField(
        _("purposes of use"), blank=True, help_text=_("One purpose per line.")
    )
    retention = models.TextField(
        _("retention"),
        blank=True,
        help_text=_(
            "How long the answers are kept and what happens then. Write {period} where the "
            "period goes: it is filled in from the clinic's retention setting."
        ),
    )
    contact_office = models.CharField(_("office for privacy enquiries"), max_length=200, blank=True)
    contact_phone = models.CharField(
        _("phone for privacy enquiries"),
        max_length=30,
        blank=True,
        help_text=_("Leave blank to show the clinic's phone number (clinic profile)."),
    )
    contact_person = models.CharField(
        _("person responsible for privacy"), max_length=200, blank=True
    )
    off_label = models.TextField(_("off-label use and unapproved products"), blank=True)
    effective_date = models.DateField(_("effective date"))
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        ordering = ["-effective_date", "-version"]

    def __str__(self) -> str:
        return f"{self.version} · {self.title}"

    @property
    def purpose_list(self) -> list[str]:
        """The purposes in the active language, one per line of the text."""
        return [line.strip() for line in (self.purposes or "").splitlines() if line.strip()]

    @property
    def retention_text(self) -> str:
        """The retention text in the active language, the period in words from the setting."""
        period = retention_period(settings.INTAKE_RETENTION_DAYS).in_language(get_language())
        return (self.retention or "").replace(RETENTION_PERIOD_PLACEHOLDER, period)

    @property
    def contact_phone_in_force(self) -> str:
        """The phone for privacy enquiries: this version's, else the clinic's own."""
        if self.contact_phone:
            return self.contact_phone
        clinic = ClinicProfile.objects.first()
        return clinic.phone if clinic is not None else ""


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
