"""The staff admin: intakes (read-only), the clinic's own words in both languages, invitations.

Who sees what:
- Doctors (`intake.review_intake`) see every answer, the screening result, the flags, decisions
  and access records of an intake. Everything about an intake is read-only here: what the patient
  said never changes, and decisions are made in the review workspace.
- Reception (`intake.view_queue`) sees the intake list with names, visit dates and status, and
  the contact details on the change page: no answer about health, no verdict, no flag. Reception
  also makes invitations here or on its own page (invitations:reception).
- The export to CSV needs `intake.export_intake`, which no group has: grant it to a person.
- Staff need `is_staff` to sign in here: `demo_data` creates its users so; for real people the
  administrator ticks "Staff status" in Users and puts them in the Doctors or Reception group.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from intake import answers, export, screening, selectors, services
from intake.forms import lazy_label
from intake.invitation_forms import InvitationForm
from intake.invitation_views import invitation_link
from intake.models import (
    AccessRecord,
    ClinicProfile,
    ConsentDocument,
    Decision,
    FlagText,
    Intake,
    IntakeFlag,
    Invitation,
    Rescreening,
)

admin.site.site_header = _("Clinic intake administration")
admin.site.site_title = _("Clinic intake")
admin.site.index_title = _("Administration")
LANGUAGES = ("ja", "en")


def _is_reviewer(request: HttpRequest) -> bool:
    return request.user.has_perm("intake.review_intake")


def _client_address(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


class TabbedTranslationAdmin(TranslationAdmin):
    """modeltranslation's TabbedTranslationAdmin, with jQuery UI served from our static files.

    The stock class loads jQuery UI from a CDN, which the Content Security Policy ('self' only)
    blocks; the vendored copy is the same library.
    """

    class Media:
        js = (
            "admin/js/jquery.init.js",
            "modeltranslation/js/force_jquery.js",
            "vendor/jquery-ui/jquery-ui.min.js",
            "modeltranslation/js/tabbed_translation_fields.js",
        )
        css = {"all": ("modeltranslation/css/tabbed_translation_fields.css",)}


class BothLanguagesForm(forms.ModelForm):
    """Neither language may be left empty on anything a patient sees.

    `required_in_both`: translated fields that need a Japanese and an English text.
    `both_or_neither`: optional translated fields; given in one language, needed in the other.
    """

    required_in_both: Sequence[str] = ()
    both_or_neither: Sequence[str] = ()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for field in (*self.required_in_both, *self.both_or_neither):
            names = [f"{field}_{lang}" for lang in LANGUAGES if f"{field}_{lang}" in self.fields]
            given = [name for name in names if (cleaned.get(name) or "").strip()]
            if field not in self.required_in_both and not given:
                continue
            for name in names:
                if name not in given and not self.has_error(name):
                    self.add_error(
                        name,
                        forms.ValidationError(
                            _("Patients read this: write it in Japanese and in English."),
                            code="both_languages",
                        ),
                    )
        return cleaned


# Intakes ----------------------------------------------------------------------------------------
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
        values = {key: getattr(intake, key) for key in answers.QUESTIONS}
        if not answers.is_shown(question, values):
            return "—"
        return selectors.answer_display(
            question, values[question.key], language=get_language() or "ja"
        )

    display.short_description = lazy_label(question.label)  # type: ignore[attr-defined]
    display.__name__ = f"answer_{question.key}"
    return display


INTAKE_RECORD_FIELDS = ("reference", "status", "submitted_at", "language", "invitation")
# Reception's view: who is coming when, how to reach them, where the intake stands.
RECEPTION_CONTACT_FIELDS = ("full_name", "full_name_kana", "phone", "email", "visit_date")
RECEPTION_LOOKUPS = frozenset({"status", "visit_date", "submitted_at", "reference"})


@admin.register(Intake)
class IntakeAdmin(admin.ModelAdmin):
    date_hierarchy = "submitted_at"
    search_fields = ("reference", "full_name", "full_name_kana", "phone")
    list_per_page = 50
    actions = ["export_csv_ja", "export_csv_en"]

    # Who sees what --------------------------------------------------------------------------
    def get_list_display(self, request: HttpRequest) -> Sequence[str]:
        if _is_reviewer(request):
            return ("reference", "full_name", "visit_date", "verdict", "status", "submitted_at")
        return ("reference", "full_name", "full_name_kana", "visit_date", "status", "submitted_at")

    def get_list_filter(self, request: HttpRequest) -> Sequence[Any]:
        if _is_reviewer(request):
            return ("verdict", "status", "suitability", VisitDateFilter)
        return ("status", VisitDateFilter)

    def get_ordering(self, request: HttpRequest) -> Sequence[str]:
        if _is_reviewer(request):
            return Intake._meta.ordering  # the most serious verdicts first
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
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        reference = services.normalise_reference(search_term)
        if search_term and reference != search_term.strip():
            # A reference read out or typed loosely (lower case, O for 0, no hyphen).
            results |= queryset.filter(reference=reference)
        return results, may_have_duplicates

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
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        ids = [intake.pk for intake in objs]
        # The only protection met here is a decision protecting the one it superseded; it does
        # not hold when both go with their intake (intakes_delete takes the history apart).
        if not Decision.objects.filter(supersedes__intake__in=ids).exclude(intake__in=ids).exists():
            protected = []
        return deleted, counts, perms_needed, protected

    def delete_model(self, request: HttpRequest, obj: Intake) -> None:
        services.intakes_delete(ids=[obj.pk])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        services.intakes_delete(ids=list(queryset.values_list("pk", flat=True)))

    # Every opening is recorded ---------------------------------------------------------------
    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            intake = self.get_object(request, unquote(object_id))
            if intake is not None:
                services.access_record(
                    user=request.user,
                    action=AccessRecord.Action.ADMIN,
                    intake=intake,
                    ip_address=_client_address(request),
                )
        add_never_cache_headers(response)
        return response

    # Export ----------------------------------------------------------------------------------
    @admin.action(permissions=["export"], description=_("Export to CSV (Japanese labels)"))
    def export_csv_ja(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        return self._export(request, queryset, language="ja")

    @admin.action(permissions=["export"], description=_("Export to CSV (English labels)"))
    def export_csv_en(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        return self._export(request, queryset, language="en")

    def _export(self, request: HttpRequest, queryset: QuerySet, *, language: str) -> HttpResponse:
        intakes = list(
            queryset.select_related("consent_document")
            .prefetch_related("flags")
            .order_by("submitted_at", "pk")
        )
        out = io.StringIO()
        export.write_csv(intakes, language=language, out=out)
        services.intakes_export_record(
            intakes=intakes, user=request.user, ip_address=_client_address(request)
        )
        # With a byte order mark: Excel opens UTF-8 Japanese correctly only with one.
        response = HttpResponse(
            out.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
        )
        filename = f"intakes-{timezone.localdate():%Y%m%d}-{language}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        add_never_cache_headers(response)
        return response


for _question in answers.QUESTIONS.values():
    # Answers are shown as the labels a person reads, never as editable fields.
    setattr(IntakeAdmin, f"answer_{_question.key}", _answer_display(_question))


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    """Decisions are append-only and made in the review workspace; here they are only read."""

    list_display = ("intake", "outcome", "doctor", "decided_at")
    list_filter = ("outcome", "decided_at")
    search_fields = ("intake__reference",)
    list_select_related = ("intake", "doctor")
    date_hierarchy = "decided_at"

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Only so that the administrator can delete an intake with its decisions.
        return request.user.is_active and request.user.is_superuser


@admin.register(AccessRecord)
class AccessRecordAdmin(ReadOnlyAdmin):
    list_display = ("at", "user", "action", "intake", "ip_address")
    list_filter = ("action", "at")
    search_fields = ("intake__reference", "user__username")
    list_select_related = ("intake", "user")
    date_hierarchy = "at"

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# The clinic's own words, in both languages -----------------------------------------------------
class FlagTextForm(BothLanguagesForm):
    required_in_both = ("title", "clinician_note")

    class Meta:
        model = FlagText
        fields = ["title", "clinician_note", "patient_note"]

    def clean(self) -> dict[str, Any]:
        rule = screening.RULES_BY_CODE.get(self.instance.code)
        if rule is not None and rule.patient_note is not None:
            self.required_in_both = (*self.required_in_both, "patient_note")
        return super().clean()


@admin.register(FlagText)
class FlagTextAdmin(TabbedTranslationAdmin):
    """Each rule's texts; the set of codes comes from the rules, so nothing is added or deleted."""

    form = FlagTextForm
    list_display = ("code", "title", "severity", "has_patient_note", "updated_at")
    search_fields = ("code", "title_ja", "title_en")
    actions = ["restore_defaults"]

    def get_fields(self, request: HttpRequest, obj: FlagText | None = None) -> list[str]:
        return ["code", "severity", "title", "clinician_note", "patient_note", "defaults"]

    def get_readonly_fields(self, request: HttpRequest, obj: FlagText | None = None) -> list[str]:
        readonly = ["code", "severity", "defaults"]
        rule = screening.RULES_BY_CODE.get(obj.code) if obj is not None else None
        if rule is not None and rule.patient_note is None:
            # Patients are shown no note for this rule: there is nothing to write.
            readonly += ["patient_note_ja", "patient_note_en"]
        return readonly

    @admin.display(description=_("severity"))
    def severity(self, text: FlagText) -> str:
        rule = screening.RULES_BY_CODE.get(text.code)
        if rule is None:
            return "—"
        return answers.SEVERITY_LABELS[rule.severity].in_language(get_language())

    @admin.display(description=_("patient note"), boolean=True)
    def has_patient_note(self, text: FlagText) -> bool:
        rule = screening.RULES_BY_CODE.get(text.code)
        return rule is not None and rule.patient_note is not None

    @admin.display(description=_("texts in the code"))
    def defaults(self, text: FlagText) -> str:
        rule = screening.RULES_BY_CODE.get(text.code)
        if rule is None:
            return _("This code is no longer raised by the rules.")
        language = get_language() or "ja"
        lines = [rule.title.in_language(language), rule.clinician_note.in_language(language)]
        if rule.patient_note is not None:
            lines.append(rule.patient_note.in_language(language))
        if rule.patient_note_variants:
            lines.append(
                _(
                    "While the patient note is left as in the code, each patient gets the "
                    "version for their answer; once edited, every patient gets the edited note."
                )
            )
        return "\n\n".join(str(line) for line in lines)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(permissions=["change"], description=_("Restore the texts in the code"))
    def restore_defaults(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = services.flag_texts_restore_defaults(
            codes=list(queryset.values_list("code", flat=True))
        )
        self.message_user(
            request,
            ngettext(
                "Restored the texts of %(count)d flag.",
                "Restored the texts of %(count)d flags.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


class ConsentDocumentForm(BothLanguagesForm):
    required_in_both = ("title", "body")

    class Meta:
        model = ConsentDocument
        fields = ["version", "title", "body", "effective_date", "published"]
        help_texts = {
            "published": _(
                "Once published, a version can no longer be edited: patients see it from its "
                "effective date, and each intake keeps the version it agreed to."
            ),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        effective = cleaned.get("effective_date")
        if cleaned.get("published") and effective is not None:
            latest = (
                ConsentDocument.objects.filter(published=True)
                .exclude(pk=self.instance.pk)
                .order_by("-effective_date")
                .first()
            )
            if latest is not None and effective < latest.effective_date:
                self.add_error(
                    "effective_date",
                    forms.ValidationError(
                        _(
                            "A new version takes effect on or after the latest published one "
                            "(%(version)s, from %(date)s)."
                        ),
                        code="before_latest",
                        params={"version": latest.version, "date": latest.effective_date},
                    ),
                )
        return cleaned


@admin.register(ConsentDocument)
class ConsentDocumentAdmin(TabbedTranslationAdmin):
    """Consent versions: a draft is edited and published; a published version never changes."""

    form = ConsentDocumentForm
    list_display = ("version", "title", "effective_date", "published", "in_force", "created_at")
    list_filter = ("published",)
    fields = ("version", "title", "body", "effective_date", "published")
    actions = ["new_draft"]

    @admin.display(description=_("in force"), boolean=True)
    def in_force(self, document: ConsentDocument) -> bool:
        return document.pk == services.current_consent_document().pk

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.published:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        # Deleting in bulk could take published versions with it.
        actions.pop("delete_selected", None)
        return actions

    @admin.action(permissions=["add"], description=_("Copy as a new draft version"))
    def new_draft(self, request: HttpRequest, queryset: QuerySet) -> None:
        for document in queryset.order_by("effective_date"):
            draft = services.consent_document_new_draft(document=document)
            self.message_user(
                request,
                _("Draft %(version)s created: edit it, then publish it.")
                % {"version": draft.version},
                messages.SUCCESS,
            )


class ClinicProfileForm(BothLanguagesForm):
    required_in_both = ("name", "address")
    both_or_neither = ("access", "opening_hours")

    class Meta:
        model = ClinicProfile
        fields = ["name", "address", "phone", "access", "line_id", "opening_hours"]


@admin.register(ClinicProfile)
class ClinicProfileAdmin(TabbedTranslationAdmin):
    """The clinic's one profile: shown on the confirmation page and the print view."""

    form = ClinicProfileForm
    list_display = ("name", "phone", "line_id")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not ClinicProfile.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_active and request.user.is_superuser


# Invitations ------------------------------------------------------------------------------------
class InvitationStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Any]]:
        return [
            (selectors.INVITATION_PENDING, _("Waiting for the patient")),
            (selectors.INVITATION_USED, _("Questionnaire sent")),
            (selectors.INVITATION_EXPIRED, _("Expired")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        today = timezone.localdate()
        if self.value() == selectors.INVITATION_PENDING:
            return queryset.filter(used_at__isnull=True, visit_date__gte=today)
        if self.value() == selectors.INVITATION_USED:
            return queryset.filter(used_at__isnull=False)
        if self.value() == selectors.INVITATION_EXPIRED:
            return queryset.filter(used_at__isnull=True, visit_date__lt=today)
        return queryset


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
        labels = {
            selectors.INVITATION_PENDING: _("Waiting for the patient"),
            selectors.INVITATION_USED: _("Questionnaire sent"),
            selectors.INVITATION_EXPIRED: _("Expired"),
        }
        return labels[selectors.invitation_status(invitation, today=timezone.localdate())]

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

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        invitation = self.get_object(request, unquote(object_id))
        extra_context = dict(extra_context or {})
        if invitation is not None:
            extra_context.update(
                invitation_status=selectors.invitation_status(
                    invitation, today=timezone.localdate()
                ),
                invitation_link=invitation_link(request, invitation),
                invitation_qr_url=reverse("invitations:qr", kwargs={"pk": invitation.pk}),
            )
        response = super().change_view(request, object_id, form_url, extra_context)
        add_never_cache_headers(response)
        return response
