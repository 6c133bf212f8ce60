from modeltranslation.translator import TranslationOptions, register

from intake.bilingual import LANGUAGE_CODES
from intake.models import ClinicProfile, ConsentDocument, FlagText


@register(FlagText)
class FlagTextTranslation(TranslationOptions):
    fields = ("title", "clinician_note", "patient_note")


@register(ConsentDocument)
class ConsentDocumentTranslation(TranslationOptions):
    fields = ("title", "body")
    required_languages = LANGUAGE_CODES


@register(ClinicProfile)
class ClinicProfileTranslation(TranslationOptions):
    fields = ("name", "address", "access", "opening_hours")
    required_languages = {"ja": ("name", "address"), "en": ("name", "address")}
