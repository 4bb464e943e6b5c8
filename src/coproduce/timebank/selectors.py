"""Reads for the timebank: balances, histories, listings, matches and the coordinator dashboard."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.lib import ledger

from . import access
from .models import (
    Account,
    AccountKind,
    Category,
    Exchange,
    ExchangeStatus,
    Listing,
    ListingKind,
    MemberStatus,
    Posting,
    TimebankMember,
    Transfer,
    TransferKind,
)


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
        Posting.objects.values("transfer_id")
        .annotate(total=Sum("amount"))
        .exclude(total=0)
        .order_by("transfer_id")
    )
    problems += [f"transfer {row['transfer_id']}: postings sum to {row['total']} min" for row in unbalanced]
    whole = Posting.objects.aggregate(total=Sum("amount"))["total"] or 0
    if whole != 0:
        problems.append(f"the whole ledger sums to {whole} min, not zero")
    return problems


# --- Offers, requests and matches ---------------------------------------------------------------------

_COMMON_WORDS = (
    "a an and are as at be but by can for from have help i if in is it me my need of on or our please some "
    "someone something the to with would you your who will this that offer offering request looking"
)
STOPWORDS = frozenset(_COMMON_WORDS.split())


def words(text: str) -> set[str]:
    """The meaningful words of a title or description, for matching: lower case, no short or common words."""
    found = set()
    for raw in re.findall(r"[^\W\d_]+", text.lower()):
        word = raw[:-1] if len(raw) > 4 and raw.endswith("s") else raw  # "lifts" matches "lift"
        if len(word) > 2 and word not in STOPWORDS:
            found.add(word)
    return found


@dataclass(frozen=True)
class Match:
    listing: Listing
    score: int
    reasons: tuple[str, ...]

    @property
    def reason_text(self) -> str:
        return "; ".join(self.reasons)


def match_score(
    mine: Listing,
    mine_tags: set[str],
    mine_words: set[str],
    other: Listing,
    other_tags: set[str],
    other_words: set[str],
) -> tuple[int, tuple[str, ...]]:
    """How well an offer fits a request, and why: same category (3), each shared tag (2), each shared word (1)."""
    score, reasons = 0, []
    if mine.category_id == other.category_id:
        score += 3
        reasons.append(_("same category: %(name)s") % {"name": other.category.name})
    tags = sorted(mine_tags & other_tags)
    if tags:
        score += 2 * len(tags)
        reasons.append(_("shared tags: %(tags)s") % {"tags": ", ".join(tags)})
    shared = sorted(mine_words & other_words)
    if shared:
        score += len(shared)
        reasons.append(_("shared words: %(words)s") % {"words": ", ".join(shared[:5])})
    return score, tuple(reasons)


def open_listings():
    today = timezone.localdate()
    return Listing.objects.filter(is_open=True).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))


def listings(*, kind: str | None = None, q: str = "", category=None, tag: str = "", area: str = ""):
    """Open offers and requests for browsing, newest first, with what the list page shows preloaded."""
    found = open_listings().select_related("owner", "category").prefetch_related("tags")
    if kind:
        found = found.filter(kind=kind)
    if category:
        found = found.filter(category=category)
    if tag:
        found = found.filter(tags__name=tag.strip().lower())
    if area:
        found = found.filter(area__icontains=area.strip())
    for term in q.split()[:8]:
        found = found.filter(
            Q(title__icontains=term) | Q(description__icontains=term) | Q(tags__name__iexact=term)
        )
    return found.distinct()


def matches_for(listing: Listing, *, limit: int = 10) -> list[Match]:
    """Offers that might meet a request (or requests an offer might meet), best first, each with its reasons."""
    other_kind = ListingKind.OFFER if listing.kind == ListingKind.REQUEST else ListingKind.REQUEST
    my_tags = {t.name for t in listing.tags.all()}
    my_words = words(f"{listing.title} {listing.description}")
    candidates = (
        open_listings()
        .filter(kind=other_kind)
        .exclude(owner_id=listing.owner_id)
        .filter(
            Q(category_id=listing.category_id) | Q(tags__name__in=my_tags) | Q(pk__in=_word_hits(my_words))
        )
        .select_related("owner", "category")
        .prefetch_related("tags")
        .distinct()[:200]
    )
    found = []
    for other in candidates:
        score, reasons = match_score(
            listing,
            my_tags,
            my_words,
            other,
            {t.name for t in other.tags.all()},
            words(f"{other.title} {other.description}"),
        )
        if score:
            found.append(Match(other, score, reasons))
    found.sort(key=lambda m: (-m.score, -m.listing.pk))
    return found[:limit]


def _word_hits(my_words: set[str]):
    query = Q(pk__in=[])
    for word in sorted(my_words)[:10]:
        query |= Q(title__icontains=word) | Q(description__icontains=word)
    return Listing.objects.filter(query).values("pk")


# --- Accounts and history ---------------------------------------------------------------------------------


def history(account: Account):
    """The account's postings, newest first, each with the balance after it (a running sum)."""
    return (
        Posting.objects.filter(account=account)
        .select_related("transfer", "transfer__recorded_by")
        .annotate(balance_after=Window(Sum("amount"), order_by=F("id").asc()))
        .order_by("-id")
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


def exchanges_for(user):
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


def waiting_for(user):
    """Exchanges waiting for this person's confirmation."""
    return [
        e
        for e in exchanges_for(user).filter(status=ExchangeStatus.PENDING)
        if any(
            p.must_confirm and p.confirmed_at is None and access.can_operate(user, p.account)
            for p in e.parties.all()
        )
    ]


def disputes():
    return (
        Exchange.objects.filter(status=ExchangeStatus.DISPUTED)
        .select_related("recorded_by", "disputed_by")
        .prefetch_related("parties__account__user", "parties__account__organisation")
    )


def pending_members():
    return TimebankMember.objects.filter(status=MemberStatus.PENDING).select_related("user")


def members():
    return TimebankMember.objects.filter(status=MemberStatus.APPROVED).select_related(
        "user", "user__timebank_account"
    )


# --- The coordinators' dashboard ----------------------------------------------------------------------------


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
