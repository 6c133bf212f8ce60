"""The address a resume link is e-mailed to: step 1's, or another the patient types."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ResumeEmailForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        error_messages={
            "required": _("Enter the e-mail address to send the link to."),
            "invalid": _("Enter a valid e-mail address, for example name@example.com."),
        },
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update(autocomplete="email", inputmode="email")
