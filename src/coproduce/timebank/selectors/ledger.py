"""Reads of the ledger: whether it is sound, an account's history, and what an exchange moves."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet, Sum, Window

from coproduce.lib import ledger

from ..models import Account, Exchange, ExchangeParty, Posting, Side, Transfer, TransferKind


def verify() -> list[str]:
    """Every problem with the ledger, in words; an empty list means it is sound.

    Checks that each account's cached balance equals the sum of its postings, that every transfer has
    postings and they sum to zero, and that the whole ledger sums to zero.
    """
    problems: list[str] = []
    posted: dict[object, int] = dict(
        Posting.objects.values_list("account_id").annotate(total=Sum("amount")).order_by()
    )
    cached: dict[object, int] = dict(Account.objects.values_list("id", "balance"))
    problems += [str(found) for found in ledger.discrepancies(cached, posted)]
    unbalanced = (
        Posting.objects.values("transfer_id")
        .annotate(total=Sum("amount"))
        .exclude(total=0)
        .order_by("transfer_id")
    )
    problems += [f"transfer {row['transfer_id']}: postings sum to {row['total']} min" for row in unbalanced]
    # A transfer row without its postings would be a half-written transfer.
    empty = Transfer.objects.filter(postings__isnull=True).order_by("pk").values_list("pk", flat=True)
    problems += [f"transfer {pk}: has no postings" for pk in empty]
    whole = Posting.objects.aggregate(total=Sum("amount"))["total"] or 0
    if whole != 0:
        problems.append(f"the whole ledger sums to {whole} min, not zero")
    return problems


def history(account: Account) -> QuerySet[Posting]:
    """The account's postings, newest first, each with the balance after it (a running sum)."""
    return (
        Posting.objects.filter(account=account)
        .select_related("transfer", "transfer__recorded_by")
        .annotate(balance_after=Window(Sum("amount"), order_by=F("id").asc()))
        .order_by("-id")
    )


def corrected_among(transfer_ids: Iterable[int]) -> set[int]:
    """Which of these transfers have been corrected by a reversal (the history marks them)."""
    return set(
        Transfer.objects.filter(reverses_id__in=list(transfer_ids)).values_list("reverses_id", flat=True)
    )


@dataclass(frozen=True)
class GiveAndReceive:
    given: int
    received: int

    @property
    def pattern(self) -> str:
        return ledger.reciprocity(self.given, self.received)


def give_and_receive(account: Account) -> GiveAndReceive:
    """Time given (credited) and received (debited) in exchanges and rewards, not gifts or corrections."""
    kinds = [TransferKind.EXCHANGE, TransferKind.REWARD, TransferKind.IMPORT, TransferKind.GRANT]
    totals = Posting.objects.filter(account=account, transfer__kind__in=kinds).aggregate(
        given=Sum("amount", filter=Q(amount__gt=0)), received=Sum("amount", filter=Q(amount__lt=0))
    )
    reversed_ids = Transfer.objects.filter(kind=TransferKind.REVERSAL, postings__account=account).values(
        "reverses_id"
    )
    undone = Posting.objects.filter(account=account, transfer_id__in=reversed_ids).aggregate(
        given=Sum("amount", filter=Q(amount__gt=0)), received=Sum("amount", filter=Q(amount__lt=0))
    )
    return GiveAndReceive(
        given=(totals["given"] or 0) - (undone["given"] or 0),
        received=-(totals["received"] or 0) + (undone["received"] or 0),
    )


def amounts(exchange: Exchange, parties: Sequence[ExchangeParty]) -> dict[int, int]:
    """Account id -> minutes into (+) or out of (−) it. The larger side moves `minutes` each; a
    single account on the other side moves the total."""
    gave = [p for p in parties if p.side == Side.GAVE]
    received = [p for p in parties if p.side == Side.RECEIVED]
    result = {}
    for side, others, sign in ((gave, received, 1), (received, gave, -1)):
        each = exchange.minutes * (len(others) if len(side) == 1 else 1)
        for party in side:
            result[party.account_id] = sign * each
    return result


def space_hours(
    space_id: int, *, since: datetime.date | None = None, until: datetime.date | None = None
) -> float:
    """Hours of time given in a space's name (time credits for taking part in it, exchanges recorded for
    it), between two dates when given: what the people of the space put in, for its social value.
    Corrections count once: a transfer that was reversed, and the reversal, are both left out. Offered to
    other modules as the "space_hours" hook (see apps.py)."""
    transfers = Transfer.objects.filter(space_id=space_id, reversed_by__isnull=True).exclude(
        kind=TransferKind.REVERSAL
    )
    if since is not None:
        transfers = transfers.filter(happened_at__date__gte=since)
    if until is not None:
        transfers = transfers.filter(happened_at__date__lte=until)
    minutes = Posting.objects.filter(transfer__in=transfers, amount__gt=0).aggregate(total=Sum("amount"))[
        "total"
    ]
    return (minutes or 0) / ledger.HOUR
