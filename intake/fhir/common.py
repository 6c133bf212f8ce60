"""What every FHIR resource of the app shares: its base URL, its code systems and extensions,
codings and texts in both languages, the references between the entries of a Bundle, dates.

Resources are plain JSON (dicts): Japanese first, as the clinic writes, with English beside it
in the standard translation extension; `fhir.resources` (R4B models) validates them in the tests.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation

from intake.bilingual import Text

# FHIR R4: the resources are R4, and also valid R4B (what the tests validate them with).
FHIR_VERSION = "4.0.1"
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
UCUM = "http://unitsofmeasure.org"
# Names of the app's own code systems (…/CodeSystem/<name>) besides one per question.
RULESET = "ruleset"
RULE = "screening-rule"
SEVERITY = "severity"
VERDICT = "verdict"
SUITABILITY = "suitability"
ASSESSMENT = "assessment"
OBSERVATION = "observation"
OUTCOME = "decision-outcome"
TREATMENT_AREA = "treatment-area"
PATIENT_SOURCE = "patient-source"
# Fixed, so that one intake exported twice has the same entry ids.
NAMESPACE = uuid.UUID("0c5e8f3a-7d0b-4b8e-9f43-1e2d6a9c5b70")


def base_url(request: HttpRequest) -> str:
    """The FHIR base: the FHIR_BASE_URL setting, else this site's /api/fhir. The canonical URLs
    of the questionnaire and the code systems start with it: set it once in production, so that
    they never change with the host name a request used."""
    configured: str = getattr(settings, "FHIR_BASE_URL", "")
    if configured:
        return configured.rstrip("/")
    metadata = reverse("api:metadata")
    return request.build_absolute_uri(metadata).removesuffix("/metadata")


def system(base: str, name: str) -> str:
    """The URL of one of the app's code systems (`name` a question's key or one above)."""
    return f"{base}/CodeSystem/{name.replace('_', '-')}"


def extension_url(base: str, name: str) -> str:
    return f"{base}/StructureDefinition/{name}"


def translation_extension(english: str) -> dict[str, Any]:
    """The element extension carrying the English of a Japanese text."""
    return {
        "extension": [
            {
                "url": TRANSLATION,
                "extension": [
                    {"url": "lang", "valueCode": "en"},
                    {"url": "content", "valueString": english},
                ],
            }
        ]
    }


def text(field: str, value: Text) -> dict[str, Any]:
    """`field` in Japanese and `_field` with its English, to merge into an element."""
    if not value.en or value.en == value.ja:
        return {field: value.ja}
    return {field: value.ja, f"_{field}": translation_extension(value.en)}


def coding(base: str, name: str, code: str, display: Text | None = None) -> dict[str, Any]:
    return {
        "system": system(base, name),
        "code": code,
        **(text("display", display) if display is not None else {}),
    }


def concept(base: str, name: str, code: str, display: Text | None = None) -> dict[str, Any]:
    """A CodeableConcept of one coding, its text the display's Japanese."""
    found = {"coding": [coding(base, name, code, display)]}
    return found | (text("text", display) if display is not None else {})


def both(lazy: Any) -> Text:
    """A translatable string (gettext_lazy) in both languages."""
    with translation.override("ja"):
        ja = str(lazy)
    with translation.override("en"):
        en = str(lazy)
    return Text(ja, en)


def entry_id(*parts: object) -> str:
    """A Bundle entry's fullUrl: the same for the same parts, on every export."""
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, '/'.join(str(part) for part in parts))}"


def reference(full_url: str) -> dict[str, str]:
    return {"reference": full_url}


def instant(moment: datetime.datetime) -> str:
    """A FHIR instant in the clinic's time zone, to the second (microseconds when there are)."""
    local = timezone.localtime(moment)
    return local.isoformat(timespec="microseconds" if local.microsecond else "seconds")
