"""Exchanges as people and coordinators look for them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from .. import access
from ..models import Account, Exchange, ExchangeStatus


def exchanges_for(user: Any) -> QuerySet[Exchange]:
    """Exchanges the person (or an organisation they run) took part in, or recorded, newest first."""
    accounts = Account.objects.filter(
        Q(user=user)
        | Q(
            organisation__memberships__user=user,
            organisation__memberships__is_admin=True,
            organisation__memberships__approved=True,
        )
    )
    return (
        Exchange.objects.filter(Q(parties__account__in=accounts) | Q(recorded_by=user))
        .distinct()
        .select_related("recorded_by")
        .prefetch_related("parties__account__user", "parties__account__organisation")
    )


def waiting_for(user: Any) -> list[Exchange]:
    """Exchanges waiting for this person's confirmation."""
    return [
        e for e in exchanges_for(user).filter(status=ExchangeStatus.PENDING) if access.can_confirm(user, e)
    ]


def disputes() -> QuerySet[Exchange]:
    return (
        Exchange.objects.filter(status=ExchangeStatus.DISPUTED)
        .select_related("recorded_by", "disputed_by")
        .prefetch_related("parties__account__user", "parties__account__organisation")
    )
