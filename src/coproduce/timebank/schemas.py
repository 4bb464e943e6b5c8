"""The timebank API's schemas (names unique across the project), and the plain records the endpoints
answer with."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from coproduce.core.api import PatchSchema
from coproduce.lib import ledger

from . import selectors
from .models import (
    Account,
    AccountKind,
    Exchange,
    ExchangeStatus,
    Listing,
    ListingKind,
    MemberStatus,
    ShareBalance,
    TimebankMember,
    TimebankSettings,
    Transfer,
)


class AccountOut(Schema):
    id: int
    kind: AccountKind
    name: str
    person_id: int | None
    organisation: str | None
    balance_minutes: int
    balance_hours: str
    min_balance_minutes: int
    max_balance_minutes: int
    given_minutes: int
    received_minutes: int


class PostingOut(Schema):
    transfer_id: int
    kind: str
    description: str
    happened_at: dt.datetime
    minutes: int
    balance_after_minutes: int


class MeOut(Schema):
    status: MemberStatus | None
    is_coordinator: bool
    share_balance: ShareBalance | None
    area: str
    account: AccountOut | None


class JoinIn(Schema):
    area: str = Field("", max_length=120)
    about: str = Field("", max_length=1000)


class MePatch(PatchSchema):
    share_balance: ShareBalance | None = None
    area: str | None = Field(None, max_length=120)
    about: str | None = Field(None, max_length=1000)


class TimebankMemberOut(Schema):
    id: int
    person_id: int
    display_name: str
    status: MemberStatus
    is_coordinator: bool
    area: str
    about: str
    safeguarding_note: str
    joined_at: dt.datetime


class MemberDecision(Schema):
    approve: bool
    safeguarding_note: str = Field("", max_length=2000)


class CategoryOut(Schema):
    slug: str
    name: str


class ListingOut(Schema):
    id: int
    kind: ListingKind
    title: str
    description: str
    category: str
    tags: list[str]
    area: str
    availability: str
    ends_on: dt.date | None
    is_open: bool
    owner_id: int
    owner_name: str
    created_at: dt.datetime


class ListingIn(Schema):
    kind: ListingKind
    title: str = Field(..., min_length=1, max_length=120)
    category: str = Field(..., description="Category slug, see /timebank/categories")
    description: str = Field("", max_length=2000)
    tags: list[str] = Field(default_factory=list)
    area: str = Field("", max_length=120)
    availability: str = Field("", max_length=200)
    ends_on: dt.date | None = None


class ListingPatch(PatchSchema):
    title: str | None = Field(None, min_length=1, max_length=120)
    category: str | None = None
    description: str | None = Field(None, max_length=2000)
    tags: list[str] | None = None
    area: str | None = Field(None, max_length=120)
    availability: str | None = Field(None, max_length=200)
    ends_on: dt.date | None = None
    is_open: bool | None = None


class MatchOut(Schema):
    listing: ListingOut
    score: int
    reasons: list[str]


class PartyIn(Schema):
    """One side of an exchange: a person (by id) or an organisation (by slug)."""

    person_id: int | None = None
    organisation: str | None = None


class PartyOut(Schema):
    account_id: int
    name: str
    side: str
    minutes: int
    must_confirm: bool
    confirmed: bool


class ExchangeIn(Schema):
    gave: list[PartyIn] = Field(..., min_length=1, description="Who gave their time (credited)")
    received: list[PartyIn] = Field(..., min_length=1, description="Who was helped (debited)")
    minutes: int = Field(..., description="Minutes for each person on the larger side, in 15-minute steps")
    what: str = Field(..., max_length=300)
    happened_on: dt.date
    listing_id: int | None = None


class ExchangeOut(Schema):
    id: int
    what: str
    minutes: int
    happened_on: dt.date
    status: ExchangeStatus
    listing_id: int | None
    transfer_id: int | None
    recorded_by: str | None
    dispute_reason: str
    resolution: str
    parties: list[PartyOut]


class DisputeIn(Schema):
    reason: str = Field(..., max_length=1000)


class ResolveIn(Schema):
    accept: bool
    resolution: str = Field(..., max_length=1000)
    minutes: int | None = None


class DonationIn(Schema):
    minutes: int
    description: str = Field("", max_length=300)
    key: str | None = Field(None, max_length=100, description="Send the same key again to retry safely")


class GrantIn(Schema):
    person_id: int | None = None
    organisation: str | None = None
    minutes: int
    description: str = Field(..., max_length=300)
    key: str | None = Field(None, max_length=100)


class RewardIn(Schema):
    organisation: str
    person_ids: list[int] = Field(..., min_length=1)
    minutes: int
    description: str = Field(..., max_length=300)
    space: str | None = Field(None, description="Space slug, when the reward is for taking part in a space")
    key: str = Field(..., min_length=1, max_length=100)


class TransferOut(Schema):
    id: int
    key: str
    kind: str
    description: str
    created_at: dt.datetime
    happened_at: dt.datetime
    reverses_id: int | None
    postings: dict[int, int]


class ReverseIn(Schema):
    reason: str = Field(..., max_length=250)


class LimitsIn(Schema):
    min_balance_minutes: int | None = None
    max_balance_minutes: int | None = None


class SettingsOut(Schema):
    confirmation_required: bool
    default_min_balance_minutes: int
    default_max_balance_minutes: int


class SettingsPatch(PatchSchema):
    confirmation_required: bool | None = None
    default_min_balance_minutes: int | None = None
    default_max_balance_minutes: int | None = None


class ImportIn(Schema):
    csv: str = Field(..., description="date,giver,receiver,hours,description — see the import page")
    source: str = Field("", max_length=120)


class ImportOut(Schema):
    transfers: int
    minutes: int
    already_imported: int


class MonthOut(Schema):
    month: dt.date
    minutes: int


class FlowOut(Schema):
    account_id: int
    name: str
    given_minutes: int
    received_minutes: int


class CategoryCountOut(Schema):
    name: str
    exchanges: int
    requests: int
    offers: int


class DashboardOut(Schema):
    months: list[MonthOut]
    member_count: int
    active_members: int
    members_without_offers: list[str]
    only_give: list[FlowOut]
    only_receive: list[FlowOut]
    busiest_categories: list[CategoryCountOut]
    pot_minutes: int
    pending_members: int
    disputes: int


# --- What the endpoints answer with ----------------------------------------------------------------------


def account_out(account: Account, *, flow: bool = True) -> dict[str, Any]:
    given = received = 0
    if flow:
        totals = selectors.give_and_receive(account)
        given, received = totals.given, totals.received
    return {
        "id": account.pk,
        "kind": account.kind,
        "name": account.owner_name,
        "person_id": account.user_id,
        "organisation": account.organisation.slug if account.organisation else None,
        "balance_minutes": account.balance,
        "balance_hours": ledger.format_minutes(account.balance),
        "min_balance_minutes": account.min_balance,
        "max_balance_minutes": account.max_balance,
        "given_minutes": given,
        "received_minutes": received,
    }


def posting_out(posting: Any) -> dict[str, Any]:
    """A posting from `selectors.history`, which adds the balance after it."""
    return {
        "transfer_id": posting.transfer_id,
        "kind": posting.transfer.kind,
        "description": posting.transfer.description,
        "happened_at": posting.transfer.happened_at,
        "minutes": posting.amount,
        "balance_after_minutes": posting.balance_after,
    }


def listing_out(item: Listing) -> dict[str, Any]:
    return {
        "id": item.pk,
        "kind": item.kind,
        "title": item.title,
        "description": item.description,
        "category": item.category.slug,
        "tags": [t.name for t in item.tags.all()],
        "area": item.area,
        "availability": item.availability,
        "ends_on": item.ends_on,
        "is_open": item.is_open,
        "owner_id": item.owner_id,
        "owner_name": item.owner.display_name,
        "created_at": item.created_at,
    }


def exchange_out(item: Exchange) -> dict[str, Any]:
    parties = list(item.parties.all())
    moved = selectors.amounts(item, parties)
    return {
        "id": item.pk,
        "what": item.what,
        "minutes": item.minutes,
        "happened_on": item.happened_on,
        "status": item.status,
        "listing_id": item.listing_id,
        "transfer_id": item.transfer_id,
        "recorded_by": item.recorded_by.display_name if item.recorded_by else None,
        "dispute_reason": item.dispute_reason,
        "resolution": item.resolution,
        "parties": [
            {
                "account_id": p.account_id,
                "name": p.account.owner_name,
                "side": p.side,
                "minutes": moved[p.account_id],
                "must_confirm": p.must_confirm,
                "confirmed": p.confirmed_at is not None,
            }
            for p in parties
        ],
    }


def transfer_out(transfer: Transfer) -> dict[str, Any]:
    return {
        "id": transfer.pk,
        "key": transfer.key,
        "kind": transfer.kind,
        "description": transfer.description,
        "created_at": transfer.created_at,
        "happened_at": transfer.happened_at,
        "reverses_id": transfer.reverses_id,
        "postings": {p.account_id: p.amount for p in transfer.postings.all()},
    }


def member_out(record: TimebankMember) -> dict[str, Any]:
    return {
        "id": record.pk,
        "person_id": record.user_id,
        "display_name": record.user.display_name,
        "status": record.status,
        "is_coordinator": record.is_coordinator,
        "area": record.area,
        "about": record.about,
        "safeguarding_note": record.safeguarding_note,
        "joined_at": record.joined_at,
    }


def dashboard_out(d: selectors.Dashboard) -> dict[str, Any]:
    def flows(rows: list[tuple[Account, int, int]]) -> list[dict[str, Any]]:
        return [
            {"account_id": a.pk, "name": a.owner_name, "given_minutes": g, "received_minutes": r}
            for a, g, r in rows
        ]

    return {
        "months": [{"month": m, "minutes": n} for m, n in d.months],
        "member_count": d.member_count,
        "active_members": d.active_members,
        "members_without_offers": [m.user.display_name for m in d.without_offers],
        "only_give": flows(d.only_give),
        "only_receive": flows(d.only_receive),
        "busiest_categories": [
            {"name": c.name, "exchanges": c.exchanges, "requests": c.requests, "offers": c.offers}
            for c in d.categories
        ],
        "pot_minutes": d.pot.balance if d.pot else 0,
        "pending_members": d.pending_members,
        "disputes": d.disputes,
    }


def settings_out(network: TimebankSettings) -> dict[str, Any]:
    return {
        "confirmation_required": network.confirmation_required,
        "default_min_balance_minutes": network.default_min_balance,
        "default_max_balance_minutes": network.default_max_balance,
    }
