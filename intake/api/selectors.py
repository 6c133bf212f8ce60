"""Reads of the FHIR API: the token a call presents."""

from __future__ import annotations

import hashlib

from intake.models import ApiToken


def token_hash(secret: str) -> str:
    """What is stored of a token: its SHA-256 (a token is random enough that no slower hash is
    needed, and a lookup by hash reveals nothing of it)."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def api_token_usable(*, secret: str) -> ApiToken | None:
    """The token `secret` is, if it is neither revoked nor its service account deactivated."""
    if not secret:
        return None
    return (
        ApiToken.objects.select_related("account")
        .filter(token_hash=token_hash(secret), revoked_at__isnull=True, account__is_active=True)
        .first()
    )
