"""Staff accounts: Django's own user admin, except that an account which has opened an intake or
recorded a decision is deactivated, never deleted.

The access record and the decisions name their author (PROTECT): deleting the account would
either fail on them or, as it once did, leave "someone" in their place. Accounts with no such
history (made by mistake, never used) can still be deleted.

Groups and permissions read in the reader's language: the groups keep the English names the
code finds them by (Doctors, Reception: migration 0002), and Django stores permission names in
English; both are translated where they are shown, never renamed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission
from django.db.models import Field, QuerySet
from django.forms import ModelMultipleChoiceField
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


# Django's default permissions, "Can add intake": the action, then the model's name.
DEFAULT_PERMISSIONS = {
    "add": gettext_lazy("Can add %(model)s"),
    "change": gettext_lazy("Can change %(model)s"),
    "delete": gettext_lazy("Can delete %(model)s"),
    "view": gettext_lazy("Can view %(model)s"),
}


def group_name(group: Group) -> str:
    """The group's name in the reader's language (the catalogue translates Doctors, Reception)."""
    return _(group.name)


def permission_name(permission: Permission) -> str:
    """ "Patient intake | intake | Can add intake" in the reader's language: Django's default
    permissions from the action and the model's name, our own from the catalogue."""
    model = permission.content_type.model_class()
    if model is None:
        return str(permission)
    action = permission.codename.partition("_")[0]
    if (
        action in DEFAULT_PERMISSIONS
        and permission.codename == f"{action}_{model._meta.model_name}"
    ):
        name = DEFAULT_PERMISSIONS[action] % {"model": model._meta.verbose_name}
    else:
        name = _(permission.name)
    return f"{permission.content_type} | {name}"


def _named_in_language(formfield: Any) -> Any:
    if isinstance(formfield, ModelMultipleChoiceField):
        if formfield.queryset.model is Group:
            formfield.label_from_instance = group_name
        elif formfield.queryset.model is Permission:
            formfield.label_from_instance = permission_name
    return formfield


class GroupNameFilter(admin.RelatedFieldListFilter):
    """The user list's filter by group, each group in the reader's language."""

    def field_choices(self, field: Field, request: HttpRequest, model_admin: Any) -> list[Any]:
        return [(pk, _(name)) for pk, name in super().field_choices(field, request, model_admin)]


admin.site.unregister(Group)


class _NamedGroup:
    """A group as the list's checkboxes name it (their aria-label): in the reader's language."""

    def __init__(self, group: Group) -> None:
        self.pk = group.pk
        self._name = group_name(group)

    def __str__(self) -> str:
        return self._name


@admin.register(Group)
class StaffGroupAdmin(GroupAdmin):
    list_display = ("display_name",)

    def action_checkbox(self, group: Group) -> str:
        return super().action_checkbox(_NamedGroup(group))

    @admin.display(description=gettext_lazy("name"), ordering="name")
    def display_name(self, group: Group) -> str:
        return group_name(group)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        return _named_in_language(super().formfield_for_manytomany(db_field, request, **kwargs))

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], **kwargs: Any
    ) -> HttpResponse:
        obj = kwargs.get("obj")  # the admin passes every argument by keyword
        if obj is not None:
            # The page's title and breadcrumbs (templates/admin/auth/group/change_form.html).
            context["subtitle"] = group_name(obj)
        return super().render_change_form(request, context, **kwargs)


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    actions = ["delete_selected", "deactivate"]
    list_filter = ("is_staff", "is_superuser", "is_active", ("groups", GroupNameFilter))

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        return _named_in_language(super().formfield_for_manytomany(db_field, request, **kwargs))

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
