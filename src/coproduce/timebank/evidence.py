"""What the timebank tells the quality check: who was paid time credits for taking part in a space.

Rewards (and their corrections) recorded for a space are counted in minutes, for the person paid, in the stage
of the space open on the day the work happened (co-design when no dated stage holds it), with the perspective
of their membership today (the ledger keeps no perspective).
"""

from __future__ import annotations

from django.db.models import F, Q, QuerySet

from coproduce.core.registry import EvidenceRecord, EvidenceReport
from coproduce.lib.quality.evidence import Measure
from coproduce.spaces.evidence import ALL_STAGES, in_figure, perspective_in, stage_of, tally

from .models import Posting, TransferKind


def _paid(space) -> QuerySet:
    rewards = Q(transfer__kind=TransferKind.REWARD) | Q(
        transfer__kind=TransferKind.REVERSAL, transfer__reverses__kind=TransferKind.REWARD
    )
    return Posting.objects.filter(rewards, transfer__space=space, account__user__isnull=False).annotate(
        q_stage=stage_of(space, "transfer__happened_at", among=ALL_STAGES, default="co_design"),
        q_perspective=perspective_in(space, "account__user"),
        q_person=F("account__user_id"),
    )


def evidence(space) -> EvidenceReport:
    """One GROUP BY query (minutes per person; a corrected reward nets to nothing)."""
    return EvidenceReport(counts=tuple(tally(_paid(space), Measure.TIME_CREDITS_PAID, total="amount")))


def evidence_records(space, measure, stages, perspectives, *, limit: int) -> list[EvidenceRecord]:
    if measure != Measure.TIME_CREDITS_PAID:
        return []
    postings = in_figure(_paid(space), stages, perspectives).select_related("transfer", "account__user")
    return [
        EvidenceRecord(
            title=f"{p.transfer.description} ({p.amount} minutes)",
            url="",
            stage=p.q_stage,
            perspective=p.q_perspective,
            person=p.account.user.display_name if p.account.user else "",
            when=p.transfer.happened_at.date(),
        )
        for p in postings.order_by("transfer__happened_at", "id")[:limit]
    ]


def space_hours(space_ids) -> dict[int, dict[str, int]]:
    """The "hours_by_space" hook (for the impact report and the network dashboard): for each space, the minutes
    exchanged between members in exchanges recorded for it and the time credits paid for taking part in it,
    each net of corrections. One GROUP BY query, however many spaces and transfers."""
    from django.db.models import Case, CharField, Sum, Value, When

    rows = (
        Posting.objects.filter(transfer__space_id__in=list(space_ids), amount__gt=0)
        .annotate(
            counted=Case(
                When(transfer__kind=TransferKind.EXCHANGE, then=Value("exchanged")),
                When(transfer__kind=TransferKind.REWARD, then=Value("credits_paid")),
                When(
                    transfer__kind=TransferKind.REVERSAL,
                    transfer__reverses__kind=TransferKind.EXCHANGE,
                    then=Value("exchanged_reversed"),
                ),
                When(
                    transfer__kind=TransferKind.REVERSAL,
                    transfer__reverses__kind=TransferKind.REWARD,
                    then=Value("credits_reversed"),
                ),
                default=Value(""),
                output_field=CharField(),
            )
        )
        .exclude(counted="")
        .values("transfer__space_id", "counted")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    found: dict[int, dict[str, int]] = {}
    for row in rows:
        totals = found.setdefault(row["transfer__space_id"], {"exchanged": 0, "credits_paid": 0})
        name = row["counted"]
        if name.endswith("_reversed"):
            totals["exchanged" if name.startswith("exchanged") else "credits_paid"] -= row["total"]
        else:
            totals[name] += row["total"]
    return found
