"""Patient records, treatments and the links' history in the admin: read only, every page that
shows a patient recorded.

Patients are created and linked in the workspace (`patients:`), treatments recorded there by
doctors; here nothing is added, changed or deleted, the administrator included. A treatment is
never edited or deleted anywhere (a correction supersedes it); a patient goes only with the
retention purge, once no intake is left. Reception (`view_patient`) sees contact details, never
a treatment; doctors also see the treatments.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from intake import audit, search
from intake.admin.lists import ByIntakeReference, LongListAdmin
from intake.models import AccessRecord, Patient, PatientLink, Treatment


def _record_admin_reading(request: HttpRequest, patient: Patient) -> None:
    audit.access_record(
        user=request.user,
        action=AccessRecord.Action.ADMIN,
        patient=patient,
        ip_address=request.META.get("REMOTE_ADDR"),
    )


class ReadOnly:
    """Nothing here is written through the admin."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TreatmentInline(ReadOnly, admin.TabularInline):
    model = Treatment
    fk_name = "patient"
    extra = 0
    can_delete = False
    fields = (
        "treated_on",
        "product",
        "total_units",
        "dilution_ml_per_100u",
        "shown_areas",
        "lot_number",
        "withdrawn",
        "supersedes",
        "doctor",
        "recorded_at",
    )
    readonly_fields = fields

    @admin.display(description=_("areas"))
    def shown_areas(self, treatment: Treatment) -> str:
        return treatment.areas_display or "—"

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("doctor", "supersedes")


@admin.register(Patient)
class PatientAdmin(ReadOnly, LongListAdmin):
    list_display = ("full_name", "full_name_kana", "date_of_birth", "created_at")
    list_filter = ("created_at",)
    search_fields = ("full_name", "full_name_kana", "phone", "email")
    fields = (
        "full_name",
        "full_name_kana",
        "date_of_birth",
        "phone",
        "email",
        "created_by",
        "created_at",
    )
    readonly_fields = fields
    actions = None

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        """The workspace's search of patient records (indexed, intake/search.py); an e-mail
        address, whole, too."""
        found = search.patients_matching(queryset, search_term)
        if "@" in search_term:
            found |= queryset.filter(email__iexact=search_term.strip())
        return found, False

    def get_inlines(self, request: HttpRequest, obj: Patient | None) -> list[Any]:
        # The treatments are medical: doctors only, never reception.
        return [TreatmentInline] if request.user.has_perm("intake.view_treatment") else []

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], **kwargs: Any
    ) -> HttpResponse:
        obj = kwargs.get("obj")  # the admin passes every argument by keyword
        if obj is not None:
            _record_admin_reading(request, obj)
        return super().render_change_form(request, context, **kwargs)


@admin.register(Treatment)
class TreatmentAdmin(ReadOnly, LongListAdmin):
    """Treatments are append-only and recorded in the workspace; the list is like the queue
    (no note) and is not recorded, the page of one treatment is, for its patient."""

    list_display = ("patient", "treated_on", "product", "total_units", "withdrawn", "doctor")
    list_filter = ("product", "withdrawn", "treated_on")
    list_select_related = ("patient", "doctor")
    readonly_fields = (
        "patient",
        "intake",
        "treated_on",
        "product",
        "lot_number",
        "dilution_ml_per_100u",
        "total_units",
        "shown_areas",
        "note",
        "withdrawn",
        "supersedes",
        "doctor",
        "recorded_at",
    )
    fields = readonly_fields
    actions = None

    @admin.display(description=_("areas"))
    def shown_areas(self, treatment: Treatment) -> str:
        return treatment.areas_display or "—"

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], **kwargs: Any
    ) -> HttpResponse:
        obj = kwargs.get("obj")
        if obj is not None:
            _record_admin_reading(request, obj.patient)
        return super().render_change_form(request, context, **kwargs)


@admin.register(PatientLink)
class PatientLinkAdmin(ByIntakeReference, ReadOnly, LongListAdmin):
    """Who linked which intake to which patient record, or undid a wrong link: numbers and
    references only, no name."""

    list_display = ("at", "intake", "patient", "action", "by")
    list_filter = ("action", "at")
    search_fields = ("intake__reference",)
    list_select_related = ("intake", "patient", "by")
    ordering = ("-at", "-pk")
    readonly_fields = ("at", "intake", "patient", "action", "by", "note")
    fields = readonly_fields
    actions = None
