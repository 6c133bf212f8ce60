"""The clinic's own texts in both languages (modeltranslation), and their history.

The history (django-simple-history) is registered here, after modeltranslation has added the
`*_ja`/`*_en` fields, so that each version keeps the text in both languages; a `history` field on
the model itself would be built before those fields exist and keep neither.
"""

import simple_history
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modeltranslation.translator import TranslationOptions, register

from intake.bilingual import LANGUAGE_CODES
from intake.models import ClinicProfile, ConsentDocument, FlagText

# The language of a text, as a field's label and the admin's tabs name it: 英語 in Japanese. (The
# language switch names each language in itself, "English", from settings.LANGUAGES.)
TEXT_LANGUAGES = {
    "ja": pgettext_lazy("language of a text", "Japanese"),
    "en": pgettext_lazy("language of a text", "English"),
}


@register(FlagText)
class FlagTextTranslation(TranslationOptions):
    fields = ("title", "clinician_note", "patient_note")


@register(ConsentDocument)
class ConsentDocumentTranslation(TranslationOptions):
    fields = (
        "title",
        "body",
        "purposes",
        "retention",
        "contact_office",
        "contact_person",
        "off_label",
    )
    # A draft may leave the required parts of spec §6 empty; the admin refuses to publish it so.
    required_languages = {language: ("title", "body") for language in LANGUAGE_CODES}


@register(ClinicProfile)
class ClinicProfileTranslation(TranslationOptions):
    fields = ("name", "address", "access", "opening_hours")
    required_languages = {"ja": ("name", "address"), "en": ("name", "address")}


# Who changed which text, when, and each earlier version, in the admin (intake/admin/content.py).
# Each version keeps the texts per language; modeltranslation's own column ("title", a copy of one
# language) is left out, or every change would be listed twice. None of these models holds
# anything about a patient: retention and erasure leave them alone.
HISTORY = {
    FlagText: (
        FlagTextTranslation,
        _("earlier version of a flag text"),
        _("earlier versions of flag texts"),
    ),
    ConsentDocument: (
        ConsentDocumentTranslation,
        _("earlier version of a consent text"),
        _("earlier versions of consent texts"),
    ),
    ClinicProfile: (
        ClinicProfileTranslation,
        _("earlier version of the clinic profile"),
        _("earlier versions of the clinic profile"),
    ),
}
for _model, (_options, _name, _plural) in HISTORY.items():
    simple_history.register(
        _model,
        app="intake",
        excluded_fields=list(_options.fields),
        verbose_name=_name,
        verbose_name_plural=_plural,
    )
