"""Reads for the timebank: balances, histories, listings, matches and the coordinator dashboard."""

from __future__ import annotations

from django.db.models import Sum

from coproduce.lib import ledger

from .models import Account, Posting


def verify() -> list[str]:
    """Every problem with the ledger, in words; an empty list means it is sound.

    Checks that each account's cached balance equals the sum of its postings, that every transfer's
    postings sum to zero, and that the whole ledger sums to zero.
    """
    problems: list[str] = []
    posted = dict(Posting.objects.values_list("account_id").annotate(total=Sum("amount")).order_by())
    cached = dict(Account.objects.values_list("id", "balance"))
    problems += [str(found) for found in ledger.discrepancies(cached, posted)]
    unbalanced = (
        Posting.objects.values("transfer_id").annotate(total=Sum("amount")).exclude(total=0).order_by("transfer_id")
    )
    problems += [f"transfer {row['transfer_id']}: postings sum to {row['total']} min" for row in unbalanced]
    whole = Posting.objects.aggregate(total=Sum("amount"))["total"] or 0
    if whole != 0:
        problems.append(f"the whole ledger sums to {whole} min, not zero")
    return problems
