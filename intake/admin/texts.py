"""The admin's base for the clinic's texts: each translated field in language tabs, and the texts'
history (who changed what, when; each earlier version whole, in both languages)."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper


class TextHistoryContext(HistoricalRecordContextHelper):
    """What changed in a version, each change with the language of its text (for its `lang`)."""

    def context_for_delta_changes(self, delta: Any) -> list[dict[str, Any]]:
        context = super().context_for_delta_changes(delta)
        for entry, change in zip(context, delta.changes, strict=True):
            entry["language"] = getattr(self.model._meta.get_field(change.field), "language", "")
        return context


class TabbedTranslationAdmin(SimpleHistoryAdmin, TranslationAdmin):
    """The clinic's texts: each field in a tab per language, and a history of every change.

    The tabs are our own script (static/admin/intake/translation_tabs.js), not modeltranslation's:
    theirs nests a link in each jQuery UI tab and adds an unlabelled language menu, which screen
    readers cannot use, and loads jQuery UI from a CDN the Content Security Policy blocks.

    The history (django-simple-history, registered in intake/translation.py) lists who changed
    what and when; each earlier version opens with its whole text in both languages, and can be
    restored by whoever may edit the text now (never a published consent text).
    """

    object_history_template = "admin/intake/history/object_history.html"
    object_history_list_template = "admin/intake/history/object_history_list.html"
    object_history_form_template = "admin/intake/history/object_history_form.html"

    class Media:
        js = ("admin/intake/translation_tabs.js",)
        css = {"all": ("admin/intake/translation_tabs.css",)}

    def get_historical_record_context_helper(
        self, request: HttpRequest, historical_record: Any
    ) -> TextHistoryContext:
        return TextHistoryContext(self.model, historical_record)

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        language = getattr(db_field, "language", None)  # modeltranslation's *_ja / *_en fields
        if formfield is not None and language:
            # The text is in that language, whatever the page's: read aloud as such.
            formfield.widget.attrs["lang"] = language
        return formfield

    def _404_unless_numbers(self, object_id: str, version_id: str = "0") -> None:
        """simple-history's addresses take any text for the text's and the version's numbers,
        and look them up as numbers, failing with a 500: a page that isn't there instead."""
        try:
            self.model._meta.pk.to_python(unquote(object_id))
            self.model.history.model._meta.pk.to_python(version_id)
        except ValidationError as error:
            raise Http404 from error

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        self._404_unless_numbers(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        self._404_unless_numbers(object_id, version_id)
        # simple-history saves a posted version without asking whether the user may change the
        # text now: a published consent text, or a user who may only view, must not.
        if request.method == "POST":
            current = self.get_object(request, unquote(object_id))
            if current is None or not self.has_change_permission(request, current):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
