"""Reads for people and organisations."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from coproduce.lib import codes

from .models import ClaimCode, Organisation, User, hash_code, hash_token


def claim_for_token(token: str) -> ClaimCode | None:
    """The sign-up link with this secret, whatever its state (the page says plainly if it was used or has
    expired)."""
    if not token:
        return None
    return ClaimCode.objects.select_related("person").filter(token_hash=hash_token(token)).first()


def claim_for_code(typed: str) -> ClaimCode | None:
    """The sign-up code a person typed (lower case, spaces and dashes accepted), whatever its state."""
    code = codes.normalise(typed)
    if code is None:
        return None
    return ClaimCode.objects.select_related("person").filter(code_hash=hash_code(code)).first()


def person_for_claim(token: str) -> User | None:
    """The person who took part with help whose sign-up link this is, while it still works."""
    claim = claim_for_token(token)
    return claim.person if claim is not None and claim.is_open() and claim.person.is_assisted else None


def last_claim(person: User) -> ClaimCode | None:
    """The latest sign-up link made for a person, for the facilitator's page (its state, never its secret)."""
    return ClaimCode.objects.filter(person=person).first()


def organisations() -> QuerySet[Organisation]:
    """Every organisation, with how many confirmed people it has (`member_count`)."""
    return Organisation.objects.annotate(
        member_count=Count("memberships", filter=Q(memberships__approved=True))
    )
