"""Invitations in the admin: reception makes and cancels them here too, with the same form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intake.invitations import services
from intake.invitations.forms import InvitationForm
from intake.invitations.selectors import (
    InvitationStatus,
    invitation_link,
    invitation_status,
    invitations_in_status,
)
from intake.models import Invitation


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
class InvitationAdmin(admin.ModelAdmin):
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
    date_hierarchy = "visit_date"
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
