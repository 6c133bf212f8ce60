"""Intakes in the admin, read-only and every opening recorded; decisions and access records too.

Doctors see every answer, the screening and the history; reception sees names, contact details,
visit dates and status, never an answer about health, a verdict or a flag (see `admin/__init__`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.contrib import admin
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from intake import answers, audit, export, retention, search
from intake.admin.invitations import invitation_log_repr
from intake.admin.lists import LongListAdmin
from intake.fields import lazy_label
from intake.models import AccessRecord, Decision, Intake, IntakeFlag, Invitation, Rescreening
from intake.selectors import answer_display


def _is_reviewer(request: HttpRequest) -> bool:
    return request.user.has_perm("intake.review_intake")


def _client_address(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def record_admin_reading(request: HttpRequest, intakes: Iterable[Intake]) -> None:
    audit.access_records_create(
        intakes=intakes,
        user=request.user,
        action=AccessRecord.Action.ADMIN,
        ip_address=_client_address(request),
    )


class VisitDateFilter(admin.SimpleListFilter):
    title = _("visit date")
    parameter_name = "visit"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Any]]:
        return [
            ("today", _("Today")),
            ("tomorrow", _("Tomorrow")),
            ("next_7_days", _("Next 7 days")),
            ("past", _("Past")),
            ("none", _("No visit date")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        today = timezone.localdate()
        week = today + datetime.timedelta(days=7)
        filters = {
            "today": {"visit_date": today},
            "tomorrow": {"visit_date": today + datetime.timedelta(days=1)},
            "next_7_days": {"visit_date__gte": today, "visit_date__lt": week},
            "past": {"visit_date__lt": today},
            "none": {"visit_date__isnull": True},
        }
        chosen = filters.get(self.value() or "")
        return queryset.filter(**chosen) if chosen is not None else queryset


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class IntakeFlagInline(ReadOnlyInline):
    """The flags as raised at submit, with the texts the patient and doctor were shown then."""

    model = IntakeFlag
    fields = ("code", "severity", "shown_title", "shown_clinician_note", "shown_patient_note")
    readonly_fields = fields

    @admin.display(description=_("title"))
    def shown_title(self, flag: IntakeFlag) -> str:
        return flag.title

    @admin.display(description=_("clinician note"))
    def shown_clinician_note(self, flag: IntakeFlag) -> str:
        return flag.clinician_note

    @admin.display(description=_("patient note"))
    def shown_patient_note(self, flag: IntakeFlag) -> str:
        return flag.patient_note or "—"


class RescreeningInline(ReadOnlyInline):
    model = Rescreening
    fields = ("created_at", "ruleset_version", "reference_date", "verdict", "suitability")
    readonly_fields = fields


class DecisionInline(ReadOnlyInline):
    model = Decision
    fields = ("decided_at", "doctor", "outcome", "note", "acknowledged_flags", "supersedes")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("doctor", "supersedes")


class AccessRecordInline(ReadOnlyInline):
    model = AccessRecord
    fields = ("at", "user", "action", "ip_address")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("user")


def _answer_display(question: answers.Question) -> Callable[[Any, Intake], str]:
    """A read-only admin column for one answer: its label in the active language."""

    def display(model_admin: Any, intake: Intake) -> str:
        values = intake.answers()
        if not answers.is_shown(question, values):
            return "—"
        return answer_display(question, values[question.key], language=get_language(), staff=True)

    display.short_description = lazy_label(question.label)  # type: ignore[attr-defined]
    display.__name__ = f"answer_{question.key}"
    return display


INTAKE_RECORD_FIELDS = ("reference", "status", "submitted_at", "language", "invitation")
# Doctors' list: the current result (after any re-screening), as the queue shows it.
CURRENT_RESULT = ("current_verdict", "current_suitability")
REVIEWER_LIST = ("reference", "full_name", "visit_date", *CURRENT_RESULT, "status", "submitted_at")
# Reception's view: who is coming when, how to reach them, where the intake stands.
RECEPTION_CONTACT_FIELDS = ("full_name", "full_name_kana", "phone", "email", "visit_date")
RECEPTION_LOOKUPS = frozenset({"status", "visit_date", "submitted_at", "reference"})


@admin.register(Intake)
class IntakeAdmin(LongListAdmin):
    search_fields = ("reference", "full_name", "full_name_kana", "phone")
    list_per_page = 50
    actions = ["delete_selected", "export_csv_ja", "export_csv_en"]

    # Who sees what --------------------------------------------------------------------------
    def get_list_display(self, request: HttpRequest) -> Sequence[str]:
        if _is_reviewer(request):
            return REVIEWER_LIST
        return ("reference", "full_name", "full_name_kana", "visit_date", "status", "submitted_at")

    def get_list_filter(self, request: HttpRequest) -> Sequence[Any]:
        if _is_reviewer(request):
            return (*CURRENT_RESULT, "status", VisitDateFilter, "submitted_at")
        return ("status", VisitDateFilter, "submitted_at")

    def get_ordering(self, request: HttpRequest) -> Sequence[str]:
        if _is_reviewer(request):  # the most serious verdicts first; both orders are indexed
            return (*Intake._meta.ordering, "pk")
        # Not the model's order: sorted by verdict, the list would tell reception the verdicts.
        return ("visit_date", "submitted_at", "pk")

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        # Filtering on an answer in the address would tell reception about it: not allowed.
        if (
            request is not None
            and not _is_reviewer(request)
            and lookup.split("__")[0] not in {*RECEPTION_LOOKUPS, VisitDateFilter.parameter_name}
        ):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_fieldsets(self, request: HttpRequest, obj: Intake | None = None) -> list[Any]:
        if not _is_reviewer(request):
            return [
                (_("Intake"), {"fields": INTAKE_RECORD_FIELDS}),
                (_("Contact"), {"fields": RECEPTION_CONTACT_FIELDS}),
            ]
        language = get_language() or "ja"
        fieldsets: list[Any] = [
            (_("Intake"), {"fields": (*INTAKE_RECORD_FIELDS, "consent_document", "consent_at")}),
            (
                _("Screening at submit"),
                {"fields": ("verdict", "suitability", "ruleset_version", "reference_date")},
            ),
            (_("Current result"), {"fields": CURRENT_RESULT}),
        ]
        for step in answers.STEPS:
            fields = tuple(f"answer_{question.key}" for question in step.questions)
            fieldsets.append((step.label.in_language(language), {"fields": fields}))
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Intake | None = None) -> list[str]:
        return [
            field
            for _name, options in self.get_fieldsets(request, obj)
            for field in options["fields"]
        ]

    def get_inlines(self, request: HttpRequest, obj: Intake | None) -> list[Any]:
        if not _is_reviewer(request):
            return []
        return [IntakeFlagInline, RescreeningInline, DecisionInline, AccessRecordInline]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        # The queue's search, which the trigram indexes answer on PostgreSQL (intake/search.py).
        return search.intakes_matching(queryset, search_term), False

    # Permissions: the record of what the patient said never changes -------------------------
    def has_view_permission(self, request: HttpRequest, obj: Intake | None = None) -> bool:
        return request.user.has_perm("intake.view_intake") or request.user.has_perm(
            "intake.view_queue"
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Intake | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Intake | None = None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_export_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("intake.export_intake")

    def get_deleted_objects(
        self, objs: Sequence[Intake] | QuerySet, request: HttpRequest
    ) -> tuple[list[Any], dict[str, int], set[str], list[Any]]:
        """What the confirmation lists: Django's cascade, plus the invitations that
        intakes_delete removes too (named by number and visit date, not by the patient)."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        ids = [intake.pk for intake in objs]
        # The only protection met here is a decision protecting the one it superseded; it does
        # not hold when both go with their intake (intakes_delete takes the history apart).
        if not Decision.objects.filter(supersedes__intake__in=ids).exclude(intake__in=ids).exists():
            protected = []
        # No one may delete a decision on its own; with its whole intake, it goes.
        decision = str(Decision._meta.verbose_name)
        perms_needed = {name for name in perms_needed if str(name) != decision}
        invitations = Invitation.objects.filter(intake__in=ids).order_by("pk")
        label = capfirst(Invitation._meta.verbose_name)
        deleted += [f"{label}: {invitation_log_repr(invitation)}" for invitation in invitations]
        if invitations:
            counts = {**counts, Invitation._meta.verbose_name_plural: len(invitations)}
        return deleted, counts, perms_needed, protected

    def delete_model(self, request: HttpRequest, obj: Intake) -> None:
        retention.intakes_delete(ids=[obj.pk])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        retention.intakes_delete(ids=list(queryset.values_list("pk", flat=True)))

    # Every page showing an intake's answers, flags or decisions is recorded ------------------
    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], **kwargs: Any
    ) -> HttpResponse:
        obj = kwargs.get("obj")  # the admin passes every argument by keyword
        if obj is not None:
            record_admin_reading(request, [obj])
        return super().render_change_form(request, context, **kwargs)

    def render_delete_form(self, request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
        # The confirmation lists the intake's flags (codes) and decisions (outcomes).
        record_admin_reading(request, [context["object"]])
        return super().render_delete_form(request, context)

    @admin.action(permissions=["delete"], description=django_delete_selected.short_description)
    def delete_selected(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        """Django's own action; its confirmation page lists each intake's flags and decisions,
        so showing it is recorded for each (the deletion itself answers with a redirect)."""
        response = django_delete_selected(self, request, queryset)
        if response is not None:
            record_admin_reading(request, queryset)
        return response

    # Export ----------------------------------------------------------------------------------
    @admin.action(permissions=["export"], description=_("Export to CSV (Japanese labels)"))
    def export_csv_ja(self, request: HttpRequest, queryset: QuerySet) -> StreamingHttpResponse:
        return self._export(request, queryset, language="ja")

    @admin.action(permissions=["export"], description=_("Export to CSV (English labels)"))
    def export_csv_en(self, request: HttpRequest, queryset: QuerySet) -> StreamingHttpResponse:
        return self._export(request, queryset, language="en")

    def _export(
        self, request: HttpRequest, queryset: QuerySet, *, language: str
    ) -> StreamingHttpResponse:
        """Streamed, so that any number of intakes takes the same memory and the browser shows
        its own download progress; each batch recorded before it is sent."""

        def record(batch: list[Intake]) -> None:
            audit.intakes_export_record(
                intakes=batch, user=request.user, ip_address=_client_address(request)
            )

        response = StreamingHttpResponse(
            export.csv_stream(queryset, language=language, before_sending=record),
            content_type="text/csv; charset=utf-8",
        )
        filename = f"intakes-{timezone.localdate():%Y%m%d}-{language}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


for _question in answers.QUESTIONS.values():
    # Answers are shown as the labels a person reads, never as editable fields.
    setattr(IntakeAdmin, f"answer_{_question.key}", _answer_display(_question))
