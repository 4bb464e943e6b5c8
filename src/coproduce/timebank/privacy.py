"""What the timebank holds about a person: their membership (with a coordinators' safeguarding note, special
category data), account and history, offers and requests, and exchanges.

Erasure keeps the ledger as it is: postings are never changed or deleted (models.Posting), so the person's
account stays, with its balance, held by the account's nameless "Former member"; every transfer still sums
to zero and `coproduce timebank verify` passes. The person leaves the timebank and their listings go."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.privacy import section

from .models import Account, ExchangeParty, Listing, MemberStatus, Posting, TimebankMember


def personal_data(person: Any) -> list:
    # The safeguarding note is the coordinators' (models.TimebankMember): a person asks for it through a
    # network administrator, who may need to withhold parts that name others.
    account = Account.objects.filter(user=person).first()
    return [
        section(
            "timebank",
            "membership",
            _("Your place in the timebank"),
            TimebankMember.objects.filter(user=person),
            ["status", "area", "about", "share_balance", "joined_at", "decided_at"],
        ),
        section(
            "timebank",
            "account",
            _("Your time account"),
            [account] if account else [],
            ["balance", "min_balance", "max_balance", "created_at"],
        ),
        section(
            "timebank",
            "postings",
            _("Time in and out of your account (minutes)"),
            Posting.objects.filter(account=account).select_related("transfer") if account else [],
            ["transfer__created_at", "transfer__kind", "transfer__description", "amount"],
        ),
        section(
            "timebank",
            "listings",
            _("Your offers and requests"),
            Listing.objects.filter(owner=person),
            ["kind", "title", "description", "area", "availability", "is_open", "created_at"],
        ),
        section(
            "timebank",
            "exchanges",
            _("Exchanges you were part of"),
            ExchangeParty.objects.filter(account=account).select_related("exchange") if account else [],
            ["exchange__what", "exchange__minutes", "exchange__happened_on", "exchange__status", "side"],
        ),
    ]


def erase(person: Any) -> dict[str, int]:
    return {
        "listings": Listing.objects.filter(owner=person).delete()[0],
        "membership": TimebankMember.objects.filter(user=person).update(
            status=MemberStatus.LEFT,
            area="",
            about="",
            safeguarding_note="",
            is_coordinator=False,
            decided_at=timezone.now(),
        ),
        "account_kept_anonymous": Account.objects.filter(user=person).count(),
    }


def expire_safeguarding_notes(cutoff: datetime) -> int:
    """Safeguarding notes of people who left the timebank, or were not accepted, before `cutoff`."""
    return (
        TimebankMember.objects.filter(Q(status=MemberStatus.LEFT) | Q(status=MemberStatus.DECLINED))
        .filter(decided_at__lt=cutoff)
        .exclude(safeguarding_note="")
        .update(safeguarding_note="")
    )
