"""The timebank API at /api/v1/timebank/: the same access rules and services as the pages.

Amounts are whole minutes (`minutes`), with hours alongside for reading (`hours`). Members see their own
balance and history, other members' only when shared; coordinators see everything.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from coproduce.core.api import PUBLIC, PatchSchema
from coproduce.lib import ledger
from coproduce.people.models import Organisation, User

from . import access, selectors, services
from .models import (
    Account,
    AccountKind,
    Category,
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
from .services.exchanges import amounts

router = Router(tags=["timebank"])
PAGE = 100


# --- Schemas ------------------------------------------------------------------------------------------------


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


# --- Helpers ------------------------------------------------------------------------------------------------


def _account(account: Account, *, flow: bool = True) -> dict:
    given = received = 0
    if flow:
        totals = selectors.give_and_receive(account)
        given, received = totals.given, totals.received
    return {
        "id": account.pk,
        "kind": account.kind,
        "name": account.owner_name,
        "person_id": account.user_id,
        "organisation": account.organisation.slug if account.organisation_id else None,
        "balance_minutes": account.balance,
        "balance_hours": ledger.format_minutes(account.balance),
        "min_balance_minutes": account.min_balance,
        "max_balance_minutes": account.max_balance,
        "given_minutes": given,
        "received_minutes": received,
    }


def _listing(item: Listing) -> dict:
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


def _exchange(item: Exchange) -> dict:
    parties = list(item.parties.all())
    moved = amounts(item, parties)
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


def _transfer(transfer: Transfer) -> dict:
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


def _member(record: TimebankMember) -> dict:
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


def _category(slug: str) -> Category:
    found = Category.objects.filter(slug=slug).first()
    if found is None:
        raise ValidationError({"category": [_("Unknown category: %(slug)s") % {"slug": slug}]})
    return found


def _party_account(party: PartyIn) -> Account:
    if (party.person_id is None) == (party.organisation is None):
        raise ValidationError(_("Name each side with person_id or organisation, not both."))
    if party.person_id is not None:
        person = User.objects.filter(pk=party.person_id, is_active=True).first()
        if person is None:
            raise ValidationError(_("Unknown person: %(id)s") % {"id": party.person_id})
        return services.account_for_user(person)
    organisation = Organisation.objects.filter(slug=party.organisation).first()
    if organisation is None:
        raise ValidationError(_("Unknown organisation: %(slug)s") % {"slug": party.organisation})
    return services.account_for_organisation(organisation)


def _csv(content: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _exchange_detail(request, exchange_id: int) -> dict:
    return _exchange(access.get_exchange_for(request.user, exchange_id))


# --- You and your account --------------------------------------------------------------------------------------


@router.get("/me", response=MeOut, summary="Your timebank membership and balance")
def me(request):
    record = access.member_of(request.user)
    account = Account.objects.filter(user=request.user).first()
    return {
        "status": record.status if record else None,
        "is_coordinator": access.is_coordinator(request.user),
        "share_balance": record.share_balance if record else None,
        "area": record.area if record else "",
        "account": _account(account) if account else None,
    }


@router.post("/join", response={201: MeOut}, summary="Ask to join the timebank")
def join(request, payload: JoinIn):
    services.member_join(actor=request.user, **payload.dict())
    return Status(201, me(request))


@router.patch("/me", response=MeOut, summary="Your choices: who can see your balance, your area")
def me_update(request, payload: MePatch):
    services.member_preferences_set(actor=request.user, **payload.dict(exclude_unset=True))
    return me(request)


@router.get("/accounts/{account_id}", response=AccountOut, summary="An account you may see")
def account_detail(request, account_id: int):
    return _account(access.get_account_for(request.user, account_id))


@router.get(
    "/accounts/{account_id}/postings", response=list[PostingOut], summary="An account's history, newest first"
)
def account_postings(request, account_id: int, limit: int = PAGE, offset: int = 0):
    account = access.get_account_for(request.user, account_id)
    limit, offset = max(1, min(limit, 500)), max(0, offset)
    rows = selectors.history(account)[offset : offset + limit]
    return [
        {
            "transfer_id": p.transfer_id,
            "kind": p.transfer.kind,
            "description": p.transfer.description,
            "happened_at": p.transfer.happened_at,
            "minutes": p.amount,
            "balance_after_minutes": p.balance_after,
        }
        for p in rows
    ]


@router.get(
    "/accounts/{account_id}/statement.csv", summary="An account's statement as CSV (its holder, coordinators)"
)
def account_statement(request, account_id: int):
    account = access.get_account_for(request.user, account_id)
    if not (access.can_operate(request.user, account) or access.is_coordinator(request.user)):
        raise PermissionDenied
    return _csv(services.statement_csv(account), f"timebank-statement-{account.pk}.csv")


@router.put(
    "/accounts/{account_id}/limits", response=AccountOut, summary="Set an account's limits (coordinators)"
)
def account_limits(request, account_id: int, payload: LimitsIn):
    access.require_coordinator(request.user)
    account = access.get_account_for(request.user, account_id)
    services.account_limits_set(
        actor=request.user,
        account=account,
        min_balance=payload.min_balance_minutes,
        max_balance=payload.max_balance_minutes,
    )
    return _account(Account.objects.select_related("user", "organisation").get(pk=account.pk))


# --- Offers and requests -----------------------------------------------------------------------------------------


@router.get(
    "/categories", response=list[CategoryOut], auth=PUBLIC, summary="Categories for offers and requests"
)
def categories(request):
    return [{"slug": c.slug, "name": c.name} for c in Category.objects.all()]


@router.get("/listings", response=list[ListingOut], summary="Open offers and requests (members)")
def listing_list(
    request,
    kind: ListingKind | None = None,
    q: str = "",
    category: str = "",
    tag: str = "",
    area: str = "",
    limit: int = PAGE,
    offset: int = 0,
):
    access.require_member(request.user)
    found = selectors.listings(
        kind=kind,
        q=q[:100],
        category=_category(category) if category else None,
        tag=tag[:40],
        area=area[:120],
    )
    limit, offset = max(1, min(limit, 500)), max(0, offset)
    return [_listing(item) for item in found[offset : offset + limit]]


@router.post("/listings", response={201: ListingOut}, summary="Post an offer or a request")
def listing_create(request, payload: ListingIn):
    data = payload.dict()
    data["category"] = _category(data["category"])
    return Status(201, _listing(services.listing_create(actor=request.user, **data)))


@router.get("/listings/{listing_id}", response=ListingOut, summary="One offer or request")
def listing_detail(request, listing_id: int):
    return _listing(access.get_listing_for(request.user, listing_id))


@router.patch("/listings/{listing_id}", response=ListingOut, summary="Change your offer or request")
def listing_update(request, listing_id: int, payload: ListingPatch):
    item = access.get_listing_for(request.user, listing_id, write=True)
    data = payload.dict(exclude_unset=True)
    if "category" in data:
        data["category"] = _category(data["category"])
    item = services.listing_update(
        actor=request.user,
        listing=item,
        tags=data.pop("tags", None),
        is_open=data.pop("is_open", None),
        **data,
    )
    return _listing(Listing.objects.select_related("owner", "category").get(pk=item.pk))


@router.get(
    "/listings/{listing_id}/matches", response=list[MatchOut], summary="Suggested matches, with reasons"
)
def listing_matches(request, listing_id: int):
    item = access.get_listing_for(request.user, listing_id)
    return [
        {"listing": _listing(m.listing), "score": m.score, "reasons": list(m.reasons)}
        for m in selectors.matches_for(item)
    ]


# --- Exchanges --------------------------------------------------------------------------------------------------


@router.get(
    "/exchanges", response=list[ExchangeOut], summary="Exchanges you or your organisations took part in"
)
def exchange_list(request, status: ExchangeStatus | None = None, limit: int = PAGE, offset: int = 0):
    access.require_member(request.user)
    found = selectors.exchanges_for(request.user)
    if status:
        found = found.filter(status=status)
    limit, offset = max(1, min(limit, 500)), max(0, offset)
    return [_exchange(item) for item in found[offset : offset + limit]]


@router.post("/exchanges", response={201: ExchangeOut}, summary="Record an exchange (one-to-one or a group)")
def exchange_create(request, payload: ExchangeIn):
    access.require_member(request.user)
    with transaction.atomic():
        gave = [_party_account(p) for p in payload.gave]
        received = [_party_account(p) for p in payload.received]
        listing = access.get_listing_for(request.user, payload.listing_id) if payload.listing_id else None
        item = services.exchange_record(
            actor=request.user,
            gave=gave,
            received=received,
            minutes=payload.minutes,
            what=payload.what,
            happened_on=payload.happened_on,
            listing=listing,
        )
    return Status(201, _exchange_detail(request, item.pk))


@router.get("/exchanges/{exchange_id}", response=ExchangeOut, summary="One exchange")
def exchange_detail(request, exchange_id: int):
    return _exchange_detail(request, exchange_id)


@router.post("/exchanges/{exchange_id}/confirm", response=ExchangeOut, summary="Confirm an exchange")
def exchange_confirm(request, exchange_id: int):
    services.exchange_confirm(actor=request.user, exchange=access.get_exchange_for(request.user, exchange_id))
    return _exchange_detail(request, exchange_id)


@router.post("/exchanges/{exchange_id}/dispute", response=ExchangeOut, summary="Say an exchange is not right")
def exchange_dispute(request, exchange_id: int, payload: DisputeIn):
    services.exchange_dispute(
        actor=request.user, exchange=access.get_exchange_for(request.user, exchange_id), reason=payload.reason
    )
    return _exchange_detail(request, exchange_id)


@router.post(
    "/exchanges/{exchange_id}/withdraw", response=ExchangeOut, summary="Withdraw an exchange you recorded"
)
def exchange_withdraw(request, exchange_id: int):
    services.exchange_cancel(actor=request.user, exchange=access.get_exchange_for(request.user, exchange_id))
    return _exchange_detail(request, exchange_id)


@router.post(
    "/exchanges/{exchange_id}/resolve", response=ExchangeOut, summary="Resolve a dispute (coordinators)"
)
def exchange_resolve(request, exchange_id: int, payload: ResolveIn):
    access.require_coordinator(request.user)
    services.exchange_resolve(
        actor=request.user, exchange=access.get_exchange_for(request.user, exchange_id), **payload.dict()
    )
    return _exchange_detail(request, exchange_id)


# --- The pot, rewards and corrections ---------------------------------------------------------------------------


@router.get("/pot", response=AccountOut, summary="The community pot (members)")
def pot(request):
    access.require_member(request.user)
    return _account(services.community_pot(), flow=False)


@router.post("/pot/donations", response={201: TransferOut}, summary="Give hours to the community pot")
def pot_donate(request, payload: DonationIn):
    transfer = services.donate_to_pot(
        actor=request.user,
        minutes=payload.minutes,
        description=payload.description,
        key=f"donation:{request.user.pk}:{payload.key}" if payload.key else None,
    )
    return Status(201, _transfer(transfer))


@router.post("/pot/grants", response={201: TransferOut}, summary="Grant hours from the pot (coordinators)")
def pot_grant(request, payload: GrantIn):
    access.require_coordinator(request.user)
    with transaction.atomic():
        to = _party_account(PartyIn(person_id=payload.person_id, organisation=payload.organisation))
        transfer = services.grant_from_pot(
            actor=request.user,
            to=to,
            minutes=payload.minutes,
            description=payload.description,
            key=f"grant:{payload.key}" if payload.key else None,
        )
    return Status(201, _transfer(transfer))


@router.post(
    "/rewards",
    response={201: TransferOut},
    summary="Time credits for taking part, from an organisation's account (its admins, space facilitators)",
)
def reward(request, payload: RewardIn):
    from coproduce.spaces.access import get_space_for

    organisation = get_object_or_404(Organisation, slug=payload.organisation)
    space = get_space_for(request.user, payload.space) if payload.space else None
    people = list(User.objects.filter(pk__in=payload.person_ids, is_active=True))
    if len(people) != len(set(payload.person_ids)):
        raise ValidationError({"person_ids": [_("Some of these people do not exist.")]})
    transfer = services.participation_reward(
        actor=request.user,
        organisation=organisation,
        recipients=people,
        hours_minutes=payload.minutes,
        description=payload.description,
        space=space,
        key=f"api:{organisation.pk}:{payload.key}",
    )
    return Status(201, _transfer(transfer))


@router.get("/transfers/{transfer_id}", response=TransferOut, summary="One transfer (coordinators)")
def transfer_detail(request, transfer_id: int):
    access.require_coordinator(request.user)
    return _transfer(get_object_or_404(Transfer, pk=transfer_id))


@router.post(
    "/transfers/{transfer_id}/reverse",
    response={201: TransferOut},
    summary="Correct a transfer with a reversing one (coordinators)",
)
def transfer_reverse(request, transfer_id: int, payload: ReverseIn):
    access.require_coordinator(request.user)
    original = get_object_or_404(Transfer, pk=transfer_id)
    return Status(
        201,
        _transfer(services.transfer_reverse(actor=request.user, transfer=original, reason=payload.reason)),
    )


# --- Coordinators -------------------------------------------------------------------------------------------------


@router.get(
    "/members",
    response=list[TimebankMemberOut],
    summary="Timebank members and requests to join (coordinators)",
)
def member_list(request, status: MemberStatus | None = None, limit: int = PAGE, offset: int = 0):
    access.require_coordinator(request.user)
    found = TimebankMember.objects.select_related("user").order_by("joined_at", "id")
    if status:
        found = found.filter(status=status)
    limit, offset = max(1, min(limit, 500)), max(0, offset)
    return [_member(r) for r in found[offset : offset + limit]]


@router.post(
    "/members/{member_id}/decision", response=TimebankMemberOut, summary="Approve or decline (coordinators)"
)
def member_decide(request, member_id: int, payload: MemberDecision):
    access.require_coordinator(request.user)
    record = get_object_or_404(TimebankMember.objects.select_related("user"), pk=member_id)
    record = services.member_decide(
        actor=request.user, member=record, approve=payload.approve, note=payload.safeguarding_note
    )
    return _member(record)


@router.get("/dashboard", response=DashboardOut, summary="The coordinators' dashboard")
def dashboard(request):
    access.require_coordinator(request.user)
    d = selectors.dashboard()

    def flows(rows):
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


@router.get("/exports/exchanges.csv", summary="Every exchange as CSV (coordinators)")
def export_exchanges(request):
    access.require_coordinator(request.user)
    return _csv(services.exchanges_csv(), "timebank-exchanges.csv")


@router.get("/exports/balances.csv", summary="Every balance as CSV (coordinators)")
def export_balances(request):
    access.require_coordinator(request.user)
    return _csv(services.balances_csv(), "timebank-balances.csv")


@router.post(
    "/imports", response={201: ImportOut}, summary="Import another timebank's history (coordinators)"
)
def history_import(request, payload: ImportIn):
    result = services.history_import(actor=request.user, data=payload.csv, source=payload.source)
    return Status(
        201,
        {
            "transfers": result.transfers,
            "minutes": result.minutes,
            "already_imported": result.already_imported,
        },
    )


@router.get("/settings", response=SettingsOut, summary="The network's timebank rules")
def settings_detail(request):
    access.require_member(request.user)
    current = TimebankSettings.current()
    return {
        "confirmation_required": current.confirmation_required,
        "default_min_balance_minutes": current.default_min_balance,
        "default_max_balance_minutes": current.default_max_balance,
    }


@router.patch("/settings", response=SettingsOut, summary="Change the network's timebank rules (coordinators)")
def settings_update(request, payload: SettingsPatch):
    access.require_coordinator(request.user)
    data = payload.dict(exclude_unset=True)
    current = TimebankSettings.current()
    with transaction.atomic():
        if data.get("confirmation_required") is not None:
            services.confirmation_required_set(actor=request.user, required=data["confirmation_required"])
        if "default_min_balance_minutes" in data or "default_max_balance_minutes" in data:
            services.network_limits_set(
                actor=request.user,
                min_balance=data.get("default_min_balance_minutes", current.default_min_balance),
                max_balance=data.get("default_max_balance_minutes", current.default_max_balance),
            )
    return settings_detail(request)
