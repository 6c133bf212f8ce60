from modeltranslation.translator import TranslationOptions, register

from intake.bilingual import LANGUAGE_CODES
from intake.models import ClinicProfile, ConsentDocument, FlagText


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
