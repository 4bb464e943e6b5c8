"""Who is who: the keyed hash between a voter and their ballot.

A ballot never names its voter. The `Voter` row records that someone voted; the `Ballot` row what was voted,
found again only through `voter_key` — an HMAC of the server's secret key, the budget and the voter's identity.
Whoever holds a copy of the database but not the secret key cannot join the two.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


def user_identity(user) -> str:
    return f"user:{user.pk}"


def reference_identity(reference: str) -> str:
    return f"ref:{reference}"


def voter_key(budget_id: int, identity: str, secret: str | None = None) -> str:
    secret = settings.SECRET_KEY if secret is None else secret
    message = f"coproduce.budgets.ballot:{budget_id}:{identity}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def voter_keys(budget_id: int, identity: str) -> list[str]:
    """The key under the current secret, then under each old one (SECRET_KEY_FALLBACKS), so that rotating
    the secret key while a vote is open does not give a voter a second ballot."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [voter_key(budget_id, identity, secret) for secret in secrets]
