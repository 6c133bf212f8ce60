"""django-axes' pages (sign-in attempts) in the reader's language.

axes ships no Japanese: our catalogue translates its models and fields (msgids are global), the
section's name is set in intake/apps.py, and the two columns axes leaves unnamed are named here.
"""

from __future__ import annotations

from typing import Any

from axes import admin as axes_admin
from axes.conf import settings as axes_settings
from axes.models import AccessAttempt
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class SignInAttemptAdmin(axes_admin.AccessAttemptAdmin):
    @admin.display(description=_("expires"))
    def expiration(self, obj: AccessAttempt) -> Any:
        return super().expiration(obj)

    @admin.display(description=_("status"))
    def status(self, obj: AccessAttempt) -> str:
        left = axes_settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        if left <= 0:
            return str(_("Locked Out"))
        return ngettext("%(count)d attempt left", "%(count)d attempts left", left) % {"count": left}


if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)
    admin.site.register(AccessAttempt, SignInAttemptAdmin)
