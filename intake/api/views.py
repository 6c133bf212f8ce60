"""The FHIR API (read only): `metadata`, `Questionnaire/intake`, `Bundle?_lastUpdated=…` (the
intakes changed since a time, a page at a time) and `Bundle/<reference>` (one intake).

Every call needs an API token (`Authorization: Bearer <token>`); without a usable one the answer
is a 401 OperationOutcome, and nothing is read. Every call with a token is kept in the access
record, under the token's service account, with each intake it was given. Errors are FHIR
OperationOutcomes in the caller's language (Accept-Language): 400 for a parameter the API can't
read, 404 for an unknown reference or path, 405 for anything but GET; never a page of HTML.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from intake.api import search, selectors, services
from intake.fhir import rest
from intake.fhir import selectors as fhir_selectors
from intake.fhir.bundle import intake_bundle
from intake.fhir.common import base_url
from intake.fhir.questionnaire import QUESTIONNAIRE_ID, canonical, questionnaire
from intake.models import ApiToken, Intake

FHIR_JSON = "application/fhir+json; charset=utf-8"


@dataclass
class Reply:
    """What a view answers: a resource, its status, and the intakes it holds (for the record)."""

    resource: dict[str, Any]
    status: int = 200
    intakes: Sequence[Intake] = field(default_factory=list)


def fhir_json(resource: dict[str, Any], *, status: int = 200) -> HttpResponse:
    body = json.dumps(resource, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(body, content_type=FHIR_JSON, status=status)


def _outcome(status: int, code: str, diagnostics: str) -> Reply:
    return Reply(rest.operation_outcome(code, diagnostics), status=status)


def _bearer(request: HttpRequest) -> str:
    scheme, _space, secret = request.headers.get("Authorization", "").strip().partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else ""


def fhir_api(view: Callable[..., Reply]) -> Callable[..., HttpResponse]:
    """A read of the API: GET only, with a usable token; the call is recorded, then answered."""

    @csrf_exempt  # nothing is written on any method; a POST gets the 405 below, not a CSRF page
    @never_cache
    @wraps(view)
    def answer(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "GET":
            reply = _outcome(405, "not-supported", _("The API is read only: use GET."))
            response = fhir_json(reply.resource, status=reply.status)
            response["Allow"] = "GET"
            return response
        token = selectors.api_token_usable(secret=_bearer(request))
        if token is None:
            reply = _outcome(
                401,
                "login",
                _(
                    "A valid API token is needed: send it as Authorization: Bearer <token>. "
                    "An administrator makes tokens in the admin."
                ),
            )
            response = fhir_json(reply.resource, status=reply.status)
            response["WWW-Authenticate"] = 'Bearer realm="fhir"'
            return response
        if token.scope != ApiToken.Scope.READ:
            reply = _outcome(403, "forbidden", _("This token may not read intakes."))
        else:
            reply = view(request, *args, **kwargs)
        services.api_call_record(
            token=token, intakes=reply.intakes, ip_address=request.META.get("REMOTE_ADDR")
        )
        return fhir_json(reply.resource, status=reply.status)

    return answer


@fhir_api
def metadata(request: HttpRequest) -> Reply:
    base = base_url(request)
    return Reply(rest.capability_statement(base=base, questionnaire_url=canonical(base)))


@fhir_api
def questionnaire_read(request: HttpRequest, resource_id: str) -> Reply:
    if resource_id != QUESTIONNAIRE_ID:
        return _outcome(
            404,
            "not-found",
            _("There is no such questionnaire: the intake's is Questionnaire/%(id)s.")
            % {"id": QUESTIONNAIRE_ID},
        )
    return Reply(questionnaire(base_url(request)))


@fhir_api
def bundle_read(request: HttpRequest, reference: str) -> Reply:
    intake = fhir_selectors.intake_for_fhir(reference=reference)
    if intake is None:
        return _outcome(404, "not-found", _("There is no intake with this reference."))
    return Reply(intake_bundle(intake, base=base_url(request)), intakes=[intake])


@fhir_api
def bundle_search(request: HttpRequest) -> Reply:
    try:
        wanted = search.bundle_search(request.GET)
    except search.SearchError as error:
        return _outcome(400, "invalid", str(error))
    found = fhir_selectors.intakes_changed(
        since=wanted.since, after=wanted.after, count=wanted.count + 1
    )
    page = found[: wanted.count]
    base = base_url(request)
    kept = {"_lastUpdated": wanted.last_updated} if wanted.last_updated else {}
    kept["_count"] = str(wanted.count)
    next_url = None
    if len(found) > wanted.count:
        next_url = f"{base}/Bundle?" + urlencode({**kept, "_cursor": search.cursor(page[-1])})
    if wanted.after is not None:
        kept["_cursor"] = request.GET["_cursor"]
    return Reply(
        rest.searchset(
            [intake_bundle(intake, base=base) for intake in page],
            base=base,
            self_url=f"{base}/Bundle?" + urlencode(kept),
            next_url=next_url,
        ),
        intakes=page,
    )


@fhir_api
def unknown(request: HttpRequest, path: str = "") -> Reply:
    return _outcome(
        404,
        "not-found",
        _("The API has no such path: it offers metadata, Bundle and Questionnaire/intake."),
    )
