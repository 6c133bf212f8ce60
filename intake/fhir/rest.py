"""The resources of the FHIR API itself: the OperationOutcome of an error, the server's
CapabilityStatement (`GET metadata`) and the searchset Bundle of a page of intakes."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from intake.fhir.common import FHIR_VERSION, instant

# The API's search on Bundle: what it understands, for the CapabilityStatement.
SEARCH_PARAMETERS = (
    ("_lastUpdated", "date", "Changed at or after (ge) or after (gt) this time, e.g. ge2026-12-01"),
    ("_count", "number", "Bundles per page, 1 to 100 (20 when not given)"),
    ("_cursor", "string", "Where the previous page ended: follow the `next` link"),
)


def operation_outcome(code: str, diagnostics: str, *, severity: str = "error") -> dict[str, Any]:
    """An error as FHIR says it: `code` from the issue-type value set (login, not-found,
    invalid, not-supported...), `diagnostics` in the caller's language."""
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": severity, "code": code, "diagnostics": diagnostics}],
    }


def capability_statement(*, base: str, questionnaire_url: str) -> dict[str, Any]:
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": timezone.localdate().isoformat(),
        "kind": "instance",
        "implementation": {
            "description": "Clinic intake: micro-Botox pre-consultation intakes (read only)",
            "url": base,
        },
        "fhirVersion": FHIR_VERSION,
        "format": ["json"],
        "rest": [
            {
                "mode": "server",
                "security": {
                    "description": (
                        "Every call needs an API token (Authorization: Bearer …) an "
                        "administrator created; every call is kept in the access record."
                    )
                },
                "resource": [
                    {
                        "type": "Bundle",
                        "interaction": [{"code": "read"}, {"code": "search-type"}],
                        "searchParam": [
                            {"name": name, "type": kind, "documentation": documentation}
                            for name, kind, documentation in SEARCH_PARAMETERS
                        ],
                    },
                    {
                        "type": "Questionnaire",
                        "interaction": [{"code": "read"}],
                        "documentation": f"The intake's questionnaire: {questionnaire_url}",
                    },
                ],
            }
        ],
    }


def searchset(
    bundles: list[dict[str, Any]], *, base: str, self_url: str, next_url: str | None
) -> dict[str, Any]:
    """A page of intakes' Bundles, with the link to the next page when there is one."""
    links = [{"relation": "self", "url": self_url}]
    if next_url:
        links.append({"relation": "next", "url": next_url})
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "timestamp": instant(timezone.now()),
        "link": links,
        "entry": [
            {
                "fullUrl": f"{base}/Bundle/{bundle['id']}",
                "resource": bundle,
                "search": {"mode": "match"},
            }
            for bundle in bundles
        ],
    }
