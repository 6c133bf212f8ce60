"""Invitations in the admin: reception makes and cancels them here too, with the same form.

The admin's log names an invitation by its number and visit date, never by the patient's name
(the log outlives the invitation); deleting one here erases it from the log too (retention).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intake import retention
from intake.admin.lists import LongListAdmin
from intake.invitations import services
from intake.invitations.forms import InvitationForm
from intake.invitations.selectors import (
    InvitationStatus,
    invitation_link,
    invitation_status,
    invitations_in_status,
)
from intake.models import Invitation


def invitation_log_repr(invitation: Invitation) -> str:
    """How the admin's log and pages about other objects name an invitation: number and visit
    date, readable for staff, with no name, phone or e-mail."""
    return f"#{invitation.pk} · {invitation.visit_date}"


def _log(
    request: HttpRequest, invitations: Iterable[Invitation], flag: int, message: Any = ""
) -> None:
    content_type = ContentType.objects.get_for_model(Invitation)
    if isinstance(message, list):
        message = json.dumps(message)
    LogEntry.objects.bulk_create(
        LogEntry(
            user_id=request.user.pk,
            content_type=content_type,
            object_id=str(invitation.pk),
            object_repr=invitation_log_repr(invitation),
            action_flag=flag,
            change_message=message,
        )
        for invitation in invitations
    )


class InvitationStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Any]]:
        return InvitationStatus.choices

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() not in InvitationStatus.values:
            return queryset
        return queryset.filter(invitations_in_status(self.value(), today=timezone.localdate()))


@admin.register(Invitation)
class InvitationAdmin(LongListAdmin):
    form = InvitationForm
    list_display = (
        "full_name",
        "full_name_kana",
        "visit_date",
        "language",
        "status",
        "created_at",
        "created_by",
    )
    list_filter = (InvitationStatusFilter, "language", "visit_date")
    search_fields = ("full_name", "full_name_kana", "phone", "email")
    list_select_related = ("created_by",)
    ordering = ("visit_date", "full_name", "pk")
    readonly_fields = ("created_by", "created_at", "used_at", "intake_reference")
    change_form_template = "admin/intake/invitation/change_form.html"

    def get_fields(self, request: HttpRequest, obj: Invitation | None = None) -> list[str]:
        fields = ["full_name", "full_name_kana", "phone", "email", "visit_date", "language"]
        if obj is not None:
            fields += ["created_by", "created_at", "used_at", "intake_reference"]
        return fields

    @admin.display(description=_("status"))
    def status(self, invitation: Invitation) -> str:
        return invitation_status(invitation, today=timezone.localdate()).label

    @admin.display(description=_("intake"))
    def intake_reference(self, invitation: Invitation) -> str:
        intake = getattr(invitation, "intake", None)
        return intake.reference if intake is not None else "—"

    def has_change_permission(self, request: HttpRequest, obj: Invitation | None = None) -> bool:
        if obj is not None and obj.used_at is not None:
            return False  # the intake it led to is tied to it as it was
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Invitation | None = None) -> bool:
        if obj is not None and obj.used_at is not None and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    # The log: as Django writes it, but named without the patient ----------------------------
    def log_addition(self, request: HttpRequest, obj: Invitation, message: Any) -> None:
        _log(request, [obj], ADDITION, message)

    def log_change(self, request: HttpRequest, obj: Invitation, message: Any) -> None:
        _log(request, [obj], CHANGE, message)

    def log_deletions(self, request: HttpRequest, queryset: Iterable[Invitation]) -> None:
        _log(request, queryset, DELETION)

    def delete_model(self, request: HttpRequest, obj: Invitation) -> None:
        retention.invitations_delete(ids=[obj.pk])

    def response_delete(self, request: HttpRequest, obj_display: str, obj_id: Any) -> HttpResponse:
        # "The invitation “#12” was deleted": the message names no patient either.
        return super().response_delete(request, f"#{obj_id}", obj_id)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        retention.invitations_delete(ids=list(queryset.values_list("pk", flat=True)))

    def save_model(
        self, request: HttpRequest, obj: Invitation, form: forms.ModelForm, change: bool
    ) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        created = services.invitation_create(**form.cleaned_data, created_by=request.user)
        # The admin goes on with `obj` (messages, redirect): make it the created row.
        for field in ("pk", "token", "created_by_id", "created_at"):
            setattr(obj, field, getattr(created, field))
        obj._state.adding = False
        obj._state.db = created._state.db

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], **kwargs: Any
    ) -> HttpResponse:
        obj = kwargs.get("obj")  # the admin passes every argument by keyword
        if obj is not None:
            context.update(
                invitation_status=invitation_status(obj, today=timezone.localdate()),
                invitation_link=invitation_link(request, obj),
                invitation_qr_url=reverse("invitations:qr", kwargs={"pk": obj.pk}),
            )
        return super().render_change_form(request, context, **kwargs)
