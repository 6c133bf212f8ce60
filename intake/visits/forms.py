"""The day chooser of today's visits: a date typed any way the intake accepts, else today."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intake.fields import NormalisedDateField

# Far enough for any appointment or look back; the day before and after must exist too.
MAX_YEARS_AWAY = 10


class DayForm(forms.Form):
    day = NormalisedDateField(label=_("Day"), required=False)

    def clean_day(self) -> datetime.date | None:
        day = self.cleaned_data.get("day")
        if day is not None and abs((day - timezone.localdate()).days) > MAX_YEARS_AWAY * 366:
            raise forms.ValidationError(
                _("Choose a day within ten years of today."), code="too_far"
            )
        return day
