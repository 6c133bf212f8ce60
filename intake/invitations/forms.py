"""Reception's invitation form, shared by the reception page and the admin.

It accepts what the intake's first step accepts (same name, kana, phone and visit-date rules), so
the details it prefills never fail the patient's own validation.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intake.fields import (
    MAX_DAYS_TO_VISIT,
    AccessibleBoundField,
    NormalisedDateInput,
    clean_kana,
    clean_phone_number,
)
from intake.models import Invitation
from intake.text import normalise_width


class InvitationForm(forms.ModelForm):
    bound_field_class = AccessibleBoundField

    class Meta:
        model = Invitation
        fields = ["full_name", "full_name_kana", "phone", "email", "visit_date", "language"]
        widgets = {"visit_date": NormalisedDateInput()}
        help_texts = {
            "full_name_kana": _("In katakana; hiragana is converted."),
            "language": _("The language the patient's intake opens in."),
        }

    def __init__(self, *args: Any, today: datetime.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        # The admin builds this form without fields for a user who may only view.
        if "phone" in self.fields:
            self.fields["phone"].widget.attrs.update(inputmode="tel", autocomplete="off")
        if "email" in self.fields:
            self.fields["email"].widget.attrs.update(autocomplete="off")

    def clean_full_name(self) -> str:
        return " ".join(normalise_width(self.cleaned_data["full_name"]).split())

    def clean_full_name_kana(self) -> str:
        return clean_kana(self.cleaned_data.get("full_name_kana", ""))

    def clean_phone(self) -> str:
        return clean_phone_number(self.cleaned_data.get("phone", ""))

    def clean_email(self) -> str:
        return self.cleaned_data.get("email", "").strip().lower()

    def clean_visit_date(self) -> datetime.date:
        value = self.cleaned_data["visit_date"]
        if value < self.today:
            raise forms.ValidationError(_("The visit date has passed."), code="past")
        if (value - self.today).days > MAX_DAYS_TO_VISIT:
            raise forms.ValidationError(
                _("Enter a visit date within a year from today."), code="too_far"
            )
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        contact_errors = self.has_error("phone") or self.has_error("email")
        if not cleaned.get("phone") and not cleaned.get("email") and not contact_errors:
            raise forms.ValidationError(
                _("Enter a phone number or an email address."), code="no_contact"
            )
        return cleaned


class ReceptionInvitationForm(InvitationForm):
    """Reception's page: the invitation, and whether to e-mail its link at once."""

    send_email = forms.BooleanField(
        label=_("E-mail the link to the patient now"),
        help_text=_("When an e-mail address is given. It is sent in the background."),
        required=False,
        initial=True,
    )

    class Meta(InvitationForm.Meta):
        pass

    def __init__(self, *args: Any, email_enabled: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not email_enabled:
            del self.fields["send_email"]

    def invitation_details(self) -> dict[str, Any]:
        """What `invitation_create` takes: the cleaned data without the sending choice."""
        return {key: value for key, value in self.cleaned_data.items() if key != "send_email"}
