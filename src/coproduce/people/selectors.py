"""Reads for people and organisations."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from .models import Organisation, User, hash_token


def person_for_claim(token: str) -> User | None:
    """The person who took part with help whose sign-up link this is, while it has not been used."""
    if not token:
        return None
    return User.objects.filter(claim_token_hash=hash_token(token), email__isnull=True).first()


def organisations() -> QuerySet[Organisation]:
    """Every organisation, with how many confirmed people it has (`member_count`)."""
    return Organisation.objects.annotate(
        member_count=Count("memberships", filter=Q(memberships__approved=True))
    )
