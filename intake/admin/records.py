"""Decisions and access records in the admin: read only, long lists (admin/lists.py) searched by
an intake's reference through its index; opening one decision is recorded for its intake."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse

from intake import search
from intake.admin.intakes import record_admin_reading
from intake.admin.lists import ByIntakeReference, LongListAdmin
from intake.models import AccessRecord, Decision


class ReadOnlyAdmin(LongListAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Decision)
class DecisionAdmin(ByIntakeReference, ReadOnlyAdmin):
    """Decisions are append-only and made in the review workspace; here they are only read.

    No one deletes one, the administrator included: the intake would still say decided. A
    decision goes only with its whole intake (retention, or the intake's own delete page).
    The list is like the queue (outcomes of many intakes, no note) and is not recorded; the
    page of one decision (note, acknowledged flags) and its history are, for its intake.
    """

    list_display = ("intake", "outcome", "doctor", "decided_at")
    list_filter = ("outcome", "decided_at")
    search_fields = ("intake__reference",)
    list_select_related = ("intake", "doctor")
    ordering = ("-decided_at", "-pk")

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], **kwargs: Any
    ) -> HttpResponse:
        obj = kwargs.get("obj")  # the admin passes every argument by keyword
        if obj is not None:
            record_admin_reading(request, [obj.intake])
        return super().render_change_form(request, context, **kwargs)

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().history_view(request, object_id, extra_context)
        decision = getattr(response, "context_data", None) or {}
        if response.status_code == 200 and decision.get("object") is not None:
            # Its title is the decision: "reference · outcome".
            record_admin_reading(request, [decision["object"].intake])
        return response


@admin.register(AccessRecord)
class AccessRecordAdmin(ReadOnlyAdmin):
    list_display = ("at", "user", "action", "intake", "patient", "ip_address")
    list_filter = ("action", "at")
    search_fields = ("intake__reference", "username")
    list_select_related = ("intake", "patient", "user")
    ordering = ("-at", "-pk")

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        """A reference, whole or in part, or a reader's username (indexed, in any case)."""
        if not search.normalised_query(search_term):
            return queryset, False
        found = Q(intake__in=search.intakes_with_reference(search_term))
        return queryset.filter(found | Q(username__iexact=search_term.strip())), False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
