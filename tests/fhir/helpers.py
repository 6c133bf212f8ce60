"""Checking what the app produces against FHIR: the R4B models of `fhir.resources` (structure,
cardinality, types, no unknown element), and what they leave to a validator (references that
resolve, codes the element's value set allows)."""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B import get_fhir_model_class

TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
# Required bindings the models do not check, for the elements the app fills.
STATUSES = {
    "Questionnaire": {"draft", "active", "retired", "unknown"},
    "QuestionnaireResponse": {"in-progress", "completed", "amended", "entered-in-error", "stopped"},
    "RiskAssessment": {"registered", "preliminary", "final", "amended", "corrected", "cancelled"},
    "Observation": {"registered", "preliminary", "final", "amended", "corrected", "cancelled"},
    "MedicationAdministration": {"in-progress", "not-done", "on-hold", "completed", "stopped"},
}


def validate(resource: dict[str, Any]) -> Any:
    """The resource read by its R4B model (which raises on anything invalid); its status, and
    those of a Bundle's entries, from the value set FHIR binds."""
    model = get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    for found in [resource, *(e["resource"] for e in resource.get("entry", []))]:
        allowed = STATUSES.get(found["resourceType"])
        if allowed is not None:
            assert found["status"] in allowed, (found["resourceType"], found["status"])
    return model


def references(value: Any) -> list[str]:
    """Every `reference` inside `value`."""
    if isinstance(value, dict):
        found = [value["reference"]] if isinstance(value.get("reference"), str) else []
        return found + [ref for item in value.values() for ref in references(item)]
    if isinstance(value, list):
        return [ref for item in value for ref in references(item)]
    return []


def english(element: dict[str, Any], field: str) -> str | None:
    """The English of `field` from its translation extension."""
    for extension in element.get(f"_{field}", {}).get("extension", []):
        if extension["url"] == TRANSLATION:
            parts = {part["url"]: part for part in extension["extension"]}
            assert parts["lang"]["valueCode"] == "en"
            return parts["content"]["valueString"]
    return None


def entries(bundle: dict[str, Any], resource_type: str) -> list[dict[str, Any]]:
    found = [entry["resource"] for entry in bundle["entry"]]
    return [resource for resource in found if resource["resourceType"] == resource_type]
