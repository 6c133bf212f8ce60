"""A link to continue an unfinished questionnaire on another device (`intake/resume/`).

The answers are copied from the session as they are (the wizard's step data), with the date of
birth given on step 1 that the link asks for first (`intake/birthdate/`). Only a hash of the
token is kept once the e-mail is sent; the link works once, until `expires_at`, and the purge
deletes it after that (`intake/retention.py`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ResumeLink(models.Model):
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The token itself only until the worker has e-mailed it (or given up): then blank.
    token_to_send = models.CharField(max_length=43, blank=True, editable=False)
    email = models.EmailField(_("email"), blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="ja"
    )
    # The wizard's saved answers ({"step", "step_data", "extra_data"}); emptied once used.
    answers = models.JSONField(default=dict, editable=False)
    date_of_birth = models.DateField(null=True, editable=False)
    # Wrong dates of birth typed on the link; at intake.birthdate.BIRTH_DATE_TRIES it locks.
    birth_date_failures = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("resume link")
        verbose_name_plural = _("resume links")

    def __str__(self) -> str:
        return f"#{self.pk}"
