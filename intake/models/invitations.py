"""Reception's invitations: an appointment's one-time link into the intake, and the e-mails that
carry it.

An invitation made from a patient's page (`patient`) opens a repeat intake (spec §5): its link
asks for the date of birth first and counts wrong ones here, on the invitation itself, so that no
new browser or session starts the count again (`intake/birthdate/`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
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
    # The first answers sent from the link (a POST of the intake), for today's visits.
    started_at = models.DateTimeField(_("started"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["visit_date", "full_name"]
        # The admin's list (in this order) and its visit-date filter.
        indexes = [
            models.Index(fields=["visit_date", "full_name", "id"], name="invitation_list_idx")
        ]

    def __str__(self) -> str:
        return f"{self.full_name} · {self.visit_date}"


class EmailDelivery(models.Model):
    """One e-mail to an invitation's patient (the link, or a reminder) and how its sending went.

    The worker sends it (intake/invitations/tasks.py) and records the outcome here, for reception
    to see. `reason` is written for staff and never holds an address, a name or a server's reply.
    """

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        REMINDER = "reminder", _("Reminder")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not sent")

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="deliveries")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.QUEUED)
    # Why it was not sent: an English message of intake/tasks.py, shown translated (reason_text),
    # and the mail server's reply code, if any.
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    smtp_code = models.PositiveSmallIntegerField(_("reply code"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        ordering = ["invitation", "-created_at", "-id"]
        constraints = [
            # A patient is reminded once per invitation, however often the command runs.
            models.UniqueConstraint(
                fields=["invitation"],
                condition=models.Q(kind="reminder"),
                name="emaildelivery_one_reminder_per_invitation",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} · {self.kind} · {self.status}"

    def reason_text(self) -> str:
        """The reason in the reader's language, with the server's reply code."""
        if not self.reason:
            return ""
        text = gettext(self.reason)
        if self.smtp_code:
            text += gettext(" (code %(code)s)") % {"code": self.smtp_code}
        return text
