"""Staff accounts: Django's own user admin, except that an account which has opened an intake or
recorded a decision is deactivated, never deleted.

The access record and the decisions name their author (PROTECT): deleting the account would
either fail on them or, as it once did, leave "someone" in their place. Accounts with no such
history (made by mistake, never used) can still be deleted.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from intake import audit

User = get_user_model()


def _keep_message(usernames: list[str]) -> str:
    return _(
        "Not deleted (%(names)s): an account that has opened intakes or recorded decisions is "
        "kept, because the access record and the decisions name it. Deactivate it instead: "
        "untick “Active” on its page, or choose the action “Deactivate selected accounts” in "
        "the list."
    ) % {"names": ", ".join(usernames)}


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    actions = ["delete_selected", "deactivate"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and audit.users_with_history(User.objects.filter(pk=obj.pk)).exists():
            return False  # hides the Delete link; delete_view explains
        return super().has_delete_permission(request, obj)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        user = self.get_object(request, unquote(object_id))
        if (
            user is not None
            and super().has_delete_permission(request, user)
            and not self.has_delete_permission(request, user)
        ):
            self.message_user(request, _keep_message([user.get_username()]), messages.ERROR)
            opts = self.opts
            return redirect(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", user.pk
            )
        return super().delete_view(request, object_id, extra_context)

    @admin.action(permissions=["delete"], description=django_delete_selected.short_description)
    def delete_selected(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        """Django's own action, unless an account chosen has a history: then nothing is deleted
        (its confirmation page would list the decisions and access records in the way)."""
        kept = list(
            audit.users_with_history(queryset)
            .order_by(User.USERNAME_FIELD)
            .values_list(User.USERNAME_FIELD, flat=True)
        )
        if kept:
            self.message_user(request, _keep_message(kept), messages.ERROR)
            return None
        return django_delete_selected(self, request, queryset)

    @admin.action(permissions=["change"], description=gettext_lazy("Deactivate selected accounts"))
    def deactivate(self, request: HttpRequest, queryset: QuerySet) -> None:
        if queryset.filter(pk=request.user.pk).exists():
            self.message_user(request, _("Your own account stays active."), messages.WARNING)
        users = list(queryset.exclude(pk=request.user.pk).filter(is_active=True))
        User.objects.filter(pk__in=[user.pk for user in users]).update(is_active=False)
        with translation.override(None):  # the log keeps field names untranslated, as Django's
            active = str(capfirst(User._meta.get_field("is_active").verbose_name))
        message = [{"changed": {"fields": [active]}}]
        for user in users:
            self.log_change(request, user, message)
        self.message_user(
            request,
            ngettext(
                "%(count)d account deactivated.", "%(count)d accounts deactivated.", len(users)
            )
            % {"count": len(users)},
            messages.SUCCESS,
        )
