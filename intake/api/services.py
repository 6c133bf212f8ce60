"""Writes of the FHIR API: making and revoking tokens (the admin), and recording each call."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from intake import audit
from intake.api.selectors import token_hash
from intake.models import ApiToken, Intake

# Tokens start with this, so that a token found in a file or a log is recognisable as ours.
TOKEN_PREFIX = "cit_"
PREFIX_SHOWN = 8


def api_token_issue(*, token: ApiToken, created_by: AbstractBaseUser | None) -> str:
    """Give a new token (its name and scope chosen) a secret and a service account of its own,
    and save it. Returns the secret, which is not kept: the administrator copies it once."""
    user_model = get_user_model()
    for _attempt in range(3):
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        shown = secret[: len(TOKEN_PREFIX) + PREFIX_SHOWN]
        try:
            with transaction.atomic():
                account = user_model(
                    username=f"api-{shown.removeprefix(TOKEN_PREFIX)}",
                    first_name=token.name[:150],
                    is_staff=False,
                    is_active=True,
                )
                account.set_unusable_password()
                account.save()
                token.account = account
                token.prefix = shown
                token.token_hash = token_hash(secret)
                token.created_by = created_by
                token.save()
        except IntegrityError:
            continue  # the 8 characters shown, or the hash, drawn twice: draw again
        return secret
    raise RuntimeError("Could not draw a unique API token.")


def api_tokens_revoke(*, tokens: QuerySet[ApiToken]) -> int:
    """Revoke `tokens` (those not revoked yet): their next call gets a 401."""
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


def api_call_record(
    *, token: ApiToken, intakes: Iterable[Intake] = (), ip_address: str | None = None
) -> None:
    """An answered call: the token's last use, and the access record of what it was given."""
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        audit.api_reads_record(user=token.account, intakes=intakes, ip_address=ip_address)
