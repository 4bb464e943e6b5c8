"""The coordinators' dashboard: is time moving, who is active, who only gives or only receives."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from coproduce.lib import ledger

from ..models import (
    Account,
    AccountKind,
    Category,
    Exchange,
    ExchangeStatus,
    ListingKind,
    MemberStatus,
    Posting,
    TimebankMember,
    TransferKind,
)


@dataclass
class Dashboard:
    months: list[tuple[dt.date, int]] = field(default_factory=list)
    member_count: int = 0
    active_members: int = 0
    without_offers: list = field(default_factory=list)
    only_give: list = field(default_factory=list)
    only_receive: list = field(default_factory=list)
    categories: list = field(default_factory=list)
    pot: Account | None = None
    pending_members: int = 0
    disputes: int = 0

    @property
    def max_month(self) -> int:
        return max([m for _, m in self.months] or [0]) or 1


def dashboard(*, months: int = 12, active_days: int = 90) -> Dashboard:
    """What coordinators look at: is time moving, who is active, who only gives or only receives."""
    today = timezone.localdate()
    first = (today.replace(day=1) - dt.timedelta(days=31 * (months - 1))).replace(day=1)
    start = timezone.make_aware(dt.datetime.combine(first, dt.time()))
    per_month = dict(
        Posting.objects.filter(
            amount__gt=0,
            transfer__kind__in=[TransferKind.EXCHANGE, TransferKind.REWARD],
            transfer__happened_at__gte=start,
        )
        .annotate(month=TruncMonth("transfer__happened_at"))
        .values("month")
        .annotate(total=Sum("amount"))
        .values_list("month", "total")
        .order_by()
    )
    per_month = {(k.date() if isinstance(k, dt.datetime) else k): v for k, v in per_month.items()}
    month_list, cursor = [], first
    while cursor <= today:
        month_list.append((cursor, per_month.get(cursor, 0)))
        cursor = (cursor + dt.timedelta(days=32)).replace(day=1)

    approved = TimebankMember.objects.filter(status=MemberStatus.APPROVED)
    since = timezone.now() - dt.timedelta(days=active_days)
    active = (
        approved.filter(user__timebank_account__postings__transfer__created_at__gte=since)
        .values("pk")
        .distinct()
        .count()
    )
    without_offers = list(
        approved.exclude(user__timebank_listings__kind=ListingKind.OFFER)
        .select_related("user")
        .order_by("user__display_name")
    )
    exchange_kinds = [TransferKind.EXCHANGE, TransferKind.REWARD, TransferKind.IMPORT]
    flows = (
        Account.objects.filter(kind=AccountKind.PERSON, user__timebank_member__status=MemberStatus.APPROVED)
        .select_related("user")
        .annotate(
            given=Sum(
                "postings__amount",
                filter=Q(postings__amount__gt=0, postings__transfer__kind__in=exchange_kinds),
            ),
            received=Sum(
                "postings__amount",
                filter=Q(postings__amount__lt=0, postings__transfer__kind__in=exchange_kinds),
            ),
        )
    )
    only_give, only_receive = [], []
    for account in flows:
        pattern = ledger.reciprocity(account.given or 0, -(account.received or 0))
        if pattern == "gives":
            only_give.append((account, account.given or 0, -(account.received or 0)))
        elif pattern == "receives":
            only_receive.append((account, account.given or 0, -(account.received or 0)))
    categories = list(
        Category.objects.annotate(
            offers=Count("listings", filter=Q(listings__kind=ListingKind.OFFER), distinct=True),
            requests=Count("listings", filter=Q(listings__kind=ListingKind.REQUEST), distinct=True),
            exchanges=Count(
                "listings__exchanges",
                filter=Q(listings__exchanges__status=ExchangeStatus.CONFIRMED),
                distinct=True,
            ),
        )
        .filter(Q(offers__gt=0) | Q(requests__gt=0))
        .order_by("-exchanges", "-requests", "-offers", "name")[:10]
    )
    return Dashboard(
        months=month_list,
        member_count=approved.count(),
        active_members=active,
        without_offers=without_offers,
        only_give=only_give,
        only_receive=only_receive,
        categories=categories,
        pot=Account.objects.filter(kind=AccountKind.POT).first(),
        pending_members=TimebankMember.objects.filter(status=MemberStatus.PENDING).count(),
        disputes=Exchange.objects.filter(status=ExchangeStatus.DISPUTED).count(),
    )
