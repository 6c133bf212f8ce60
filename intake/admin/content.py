"""The clinic's own words in the admin, in both languages: flag texts, consent versions, profile."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from intake import answers, screening, selectors, services
from intake.admin.texts import TabbedTranslationAdmin
from intake.bilingual import LANGUAGE_CODES
from intake.models import ClinicProfile, ConsentDocument, FlagText
from intake.models.content import RETENTION_PERIOD_PLACEHOLDER, retention_period


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
            names = [
                f"{field}_{lang}" for lang in LANGUAGE_CODES if f"{field}_{lang}" in self.fields
            ]
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


# Help beside each language of each flag text: blank is what the code says, not an empty text.
BLANK_USES_THE_CODE = _(
    "Leave blank to use the text in the code (shown below). Written in one language, it is "
    "needed in the other too."
)


class FlagTextForm(BothLanguagesForm):
    """Staff's own wording, field by field; a field left blank in both languages is the code's."""

    both_or_neither = FlagText.TEXT_FIELDS

    class Meta:
        model = FlagText
        fields = list(FlagText.TEXT_FIELDS)
        help_texts = {
            f"{field}_{language}": BLANK_USES_THE_CODE
            for field in FlagText.TEXT_FIELDS
            for language in LANGUAGE_CODES
        }


@admin.register(FlagText)
class FlagTextAdmin(TabbedTranslationAdmin):
    """Each rule's texts; the set of codes comes from the rules, so nothing is added or deleted."""

    form = FlagTextForm
    list_display = ("code", "title_in_force", "severity", "has_patient_note", "updated_at")
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

    @admin.display(description=_("title"))
    def title_in_force(self, text: FlagText) -> str:
        """Staff's title where they wrote one, else the code's: what doctors and patients read."""
        rule = screening.RULES_BY_CODE.get(text.code)
        code_title = rule.title.in_language(get_language()) if rule is not None else "—"
        return text.staff_text("title") or code_title

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
                    "While the patient note is left blank, each patient gets the version for "
                    "their answer; once written, every patient gets the written note."
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
    """A consent version: a draft may be incomplete; a version is published only with every
    part spec §6 requires (APPI), in both languages."""

    required_in_both = ("title", "body")
    both_or_neither = ConsentDocument.REQUIRED_PARTS

    class Meta:
        model = ConsentDocument
        fields = [
            "version",
            "title",
            "body",
            "purposes",
            "retention",
            "contact_office",
            "contact_phone",
            "contact_person",
            "off_label",
            "effective_date",
            "published",
        ]
        help_texts = {
            "published": _(
                "Once published, a version can no longer be edited: patients see it from its "
                "effective date, and each intake keeps the version it agreed to. It can be "
                "published only with its purposes, retention, contact and off-label disclosure "
                "written in both languages."
            ),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("published"):
            self._check_required_parts(cleaned)
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

    def _check_required_parts(self, cleaned: dict[str, Any]) -> None:
        """Refuse to publish without a part patients must be told (spec §6), naming the field."""
        for part in ConsentDocument.REQUIRED_PARTS:
            for language in LANGUAGE_CODES:
                name = f"{part}_{language}"
                missing = name in self.fields and not (cleaned.get(name) or "").strip()
                if missing and not self.has_error(name):
                    self.add_error(name, _required_part_error())
        for language in LANGUAGE_CODES:
            name = f"retention_{language}"
            text = cleaned.get(name) or ""
            if text.strip() and RETENTION_PERIOD_PLACEHOLDER not in text:
                self.add_error(
                    name,
                    forms.ValidationError(
                        _(
                            "Write %(placeholder)s where the retention period goes: it is filled "
                            "in from the clinic's setting (now %(period)s), so the text always "
                            "says what is done."
                        ),
                        code="retention_period",
                        params={
                            "placeholder": RETENTION_PERIOD_PLACEHOLDER,
                            "period": retention_period(settings.INTAKE_RETENTION_DAYS).in_language(
                                get_language()
                            ),
                        },
                    ),
                )
        clinic = selectors.clinic_profile()
        if not (cleaned.get("contact_phone") or "").strip() and not (clinic and clinic.phone):
            # Blank shows the clinic's phone: there must be one.
            self.add_error(
                "contact_phone",
                forms.ValidationError(
                    _(
                        "Required before publishing: give the phone number for privacy "
                        "enquiries, or leave it blank and enter the clinic's phone in the clinic "
                        "profile."
                    ),
                    code="required_part",
                ),
            )


def _required_part_error() -> forms.ValidationError:
    return forms.ValidationError(
        _(
            "Required before publishing: patients must be told this before they agree (purposes, "
            "retention, contact and off-label use). Write it in Japanese and in English."
        ),
        code="required_part",
    )


@admin.register(ConsentDocument)
class ConsentDocumentAdmin(TabbedTranslationAdmin):
    """Consent versions: a draft is edited and published; a published version never changes."""

    form = ConsentDocumentForm
    list_display = ("version", "title", "effective_date", "published", "in_force", "created_at")
    list_filter = ("published",)
    fields = tuple(ConsentDocumentForm.Meta.fields)
    actions = ["new_draft"]

    @admin.display(description=_("in force"), boolean=True)
    def in_force(self, document: ConsentDocument) -> bool:
        return document.pk == selectors.current_consent_document().pk

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
