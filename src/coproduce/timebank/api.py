"""The timebank API at /api/v1/timebank/: the same access rules and services as the pages.

Amounts are whole minutes (`minutes`), with hours alongside for reading (`hours`). Members see their own
balance and history, other members' only when shared; coordinators see everything. The schemas and the
records the endpoints answer with are in `schemas.py`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Status

from coproduce.core import ahead, shared
from coproduce.core.api import PUBLIC
from coproduce.people.models import Organisation, User
from coproduce.spaces.access import get_space_for

from . import access, schemas, selectors, services
from .models import Category, ExchangeStatus, ListingKind, MemberStatus, TimebankMember, Transfer
from .schemas import account_out, exchange_out, listing_out, transfer_out
from .views.common import csv_response

router = Router(tags=["timebank"])
PAGE = 100


def _window(limit: int, offset: int) -> slice:
    limit, offset = max(1, min(limit, 500)), max(0, offset)
    return slice(offset, offset + limit)


def _category(slug: str) -> Category:
    found = selectors.category_by_slug(slug)
    if found is None:
        raise ValidationError({"category": [_("Unknown category: %(slug)s") % {"slug": slug}]})
    return found


def _party(party: schemas.PartyIn) -> User | Organisation:
    """One side of an exchange as sent: a person by id or an organisation by slug (its account is made,
    if need be, by the service, in the same transaction)."""
    if (party.person_id is None) == (party.organisation is None):
        raise ValidationError(_("Name each side with person_id or organisation, not both."))
    if party.person_id is not None:
        person = User.objects.filter(pk=party.person_id, is_active=True).first()
        if person is None:
            raise ValidationError(_("Unknown person: %(id)s") % {"id": party.person_id})
        return person
    organisation = Organisation.objects.filter(slug=party.organisation).first()
    if organisation is None:
        raise ValidationError(_("Unknown organisation: %(slug)s") % {"slug": party.organisation})
    return organisation


def _exchange_detail(request, exchange_id: int) -> dict[str, Any]:
    return exchange_out(access.get_exchange_for(request.user, exchange_id))


# --- You and your account --------------------------------------------------------------------------------------


@router.get("/me", response=schemas.MeOut, summary="Your timebank membership and balance")
def me(request):
    record = access.member_of(request.user)
    account = selectors.account_of(request.user)
    return {
        "status": record.status if record else None,
        "is_coordinator": access.is_coordinator(request.user),
        "share_balance": record.share_balance if record else None,
        "area": record.area if record else "",
        "account": account_out(account) if account else None,
    }


@router.post("/join", response={201: schemas.MeOut}, summary="Ask to join the timebank")
def join(request, payload: schemas.JoinIn):
    services.member_join(actor=request.user, **payload.dict())
    return Status(201, me(request))


@router.patch("/me", response=schemas.MeOut, summary="Your choices: who can see your balance, your area")
def me_update(request, payload: schemas.MePatch):
    services.member_preferences_set(actor=request.user, **payload.dict(exclude_unset=True))
    return me(request)


@router.get("/accounts/{account_id}", response=schemas.AccountOut, summary="An account you may see")
def account_detail(request, account_id: int):
    return account_out(access.get_account_for(request.user, account_id))


@router.get(
    "/accounts/{account_id}/postings",
    response=list[schemas.PostingOut],
    summary="An account's history, newest first",
)
def account_postings(request, account_id: int, limit: int = PAGE, offset: int = 0):
    account = access.get_account_for(request.user, account_id)
    return [schemas.posting_out(p) for p in selectors.history(account)[_window(limit, offset)]]


@router.get(
    "/accounts/{account_id}/statement.csv", summary="An account's statement as CSV (its holder, coordinators)"
)
def account_statement(request, account_id: int):
    account = access.get_account_for(request.user, account_id)
    access.can_download_statement(request.user, account).enforce()
    return csv_response(selectors.statement_csv(account), f"timebank-statement-{account.pk}.csv")


@router.put(
    "/accounts/{account_id}/limits",
    response=schemas.AccountOut,
    summary="Set an account's limits (coordinators)",
)
def account_limits(request, account_id: int, payload: schemas.LimitsIn):
    access.require_coordinator(request.user)
    account = access.get_account_for(request.user, account_id)
    services.account_limits_set(
        actor=request.user,
        account=account,
        min_balance=payload.min_balance_minutes,
        max_balance=payload.max_balance_minutes,
    )
    return account_out(access.get_account_for(request.user, account_id))


# --- Offers and requests -----------------------------------------------------------------------------------------


@router.get(
    "/categories",
    response=list[schemas.CategoryOut],
    auth=PUBLIC,
    summary="Categories for offers and requests",
)
def categories(request):
    return [{"slug": c.slug, "name": c.name} for c in Category.objects.all()]


ahead.reads("api:listing_list")(access.member_read)


@router.get("/listings", response=list[schemas.ListingOut], summary="Open offers and requests (members)")
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
    audience = access.listings_audience(request.user)
    chosen = _category(category) if category else None
    window = _window(limit, offset)

    def build() -> list[dict]:
        found = selectors.listings(kind=kind, q=q[:100], category=chosen, tag=tag[:40], area=area[:120])
        return [listing_out(item) for item in found[window]]

    parts = (kind, q, category, tag, area, window.start, window.stop)
    return shared.kept_json(
        request,
        "timebank.api.listings",
        audience=audience,
        parts=parts,
        schema=schemas.ListingOut,
        build=build,
    )


@router.post("/listings", response={201: schemas.ListingOut}, summary="Post an offer or a request")
def listing_create(request, payload: schemas.ListingIn):
    data = payload.dict()
    data["category"] = _category(data["category"])
    return Status(201, listing_out(services.listing_create(actor=request.user, **data)))


@router.get("/listings/{listing_id}", response=schemas.ListingOut, summary="One offer or request")
def listing_detail(request, listing_id: int):
    return listing_out(access.get_listing_for(request.user, listing_id))


@router.patch("/listings/{listing_id}", response=schemas.ListingOut, summary="Change your offer or request")
def listing_update(request, listing_id: int, payload: schemas.ListingPatch):
    item = access.get_listing_for(request.user, listing_id, write=True)
    data = payload.dict(exclude_unset=True)
    if "category" in data:
        data["category"] = _category(data["category"])
    services.listing_update(
        actor=request.user,
        listing=item,
        tags=data.pop("tags", None),
        is_open=data.pop("is_open", None),
        **data,
    )
    return listing_out(access.get_listing_for(request.user, listing_id))


@router.get(
    "/listings/{listing_id}/matches",
    response=list[schemas.MatchOut],
    summary="Suggested matches, with reasons",
)
def listing_matches(request, listing_id: int):
    item = access.get_listing_for(request.user, listing_id)
    return [
        {"listing": listing_out(m.listing), "score": m.score, "reasons": list(m.reasons)}
        for m in selectors.matches_for(item)
    ]


# --- Exchanges --------------------------------------------------------------------------------------------------


@router.get(
    "/exchanges",
    response=list[schemas.ExchangeOut],
    summary="Exchanges you or your organisations took part in",
)
def exchange_list(request, status: ExchangeStatus | None = None, limit: int = PAGE, offset: int = 0):
    access.require_member(request.user)
    found = selectors.exchanges_for(request.user)
    if status:
        found = found.filter(status=status)
    return [exchange_out(item) for item in found[_window(limit, offset)]]


@router.post(
    "/exchanges", response={201: schemas.ExchangeOut}, summary="Record an exchange (one-to-one or a group)"
)
def exchange_create(request, payload: schemas.ExchangeIn):
    access.require_member(request.user)
    item = services.exchange_record(
        actor=request.user,
        gave=[_party(p) for p in payload.gave],
        received=[_party(p) for p in payload.received],
        minutes=payload.minutes,
        what=payload.what,
        happened_on=payload.happened_on,
        listing=access.get_listing_for(request.user, payload.listing_id) if payload.listing_id else None,
    )
    return Status(201, _exchange_detail(request, item.pk))


@router.get("/exchanges/{exchange_id}", response=schemas.ExchangeOut, summary="One exchange")
def exchange_detail(request, exchange_id: int):
    return _exchange_detail(request, exchange_id)


@router.post("/exchanges/{exchange_id}/confirm", response=schemas.ExchangeOut, summary="Confirm an exchange")
def exchange_confirm(request, exchange_id: int):
    services.exchange_confirm(actor=request.user, exchange=access.get_exchange_for(request.user, exchange_id))
    return _exchange_detail(request, exchange_id)


@router.post(
    "/exchanges/{exchange_id}/dispute", response=schemas.ExchangeOut, summary="Say an exchange is not right"
)
def exchange_dispute(request, exchange_id: int, payload: schemas.DisputeIn):
    services.exchange_dispute(
        actor=request.user, exchange=access.get_exchange_for(request.user, exchange_id), reason=payload.reason
    )
    return _exchange_detail(request, exchange_id)


@router.post(
    "/exchanges/{exchange_id}/withdraw",
    response=schemas.ExchangeOut,
    summary="Withdraw an exchange you recorded",
)
def exchange_withdraw(request, exchange_id: int):
    services.exchange_cancel(actor=request.user, exchange=access.get_exchange_for(request.user, exchange_id))
    return _exchange_detail(request, exchange_id)


@router.post(
    "/exchanges/{exchange_id}/resolve",
    response=schemas.ExchangeOut,
    summary="Resolve a dispute (coordinators)",
)
def exchange_resolve(request, exchange_id: int, payload: schemas.ResolveIn):
    access.require_coordinator(request.user)
    services.exchange_resolve(
        actor=request.user, exchange=access.get_exchange_for(request.user, exchange_id), **payload.dict()
    )
    return _exchange_detail(request, exchange_id)


# --- The pot, rewards and corrections ---------------------------------------------------------------------------


@router.get("/pot", response=schemas.AccountOut, summary="The community pot (members)")
def pot(request):
    access.require_member(request.user)
    return account_out(services.community_pot(), flow=False)


@router.post("/pot/donations", response={201: schemas.TransferOut}, summary="Give hours to the community pot")
def pot_donate(request, payload: schemas.DonationIn):
    transfer = services.donate_to_pot(
        actor=request.user,
        minutes=payload.minutes,
        description=payload.description,
        key=f"donation:{request.user.pk}:{payload.key}" if payload.key else None,
    )
    return Status(201, transfer_out(transfer))


@router.post(
    "/pot/grants", response={201: schemas.TransferOut}, summary="Grant hours from the pot (coordinators)"
)
def pot_grant(request, payload: schemas.GrantIn):
    access.require_coordinator(request.user)
    transfer = services.grant_from_pot(
        actor=request.user,
        to=_party(schemas.PartyIn(person_id=payload.person_id, organisation=payload.organisation)),
        minutes=payload.minutes,
        description=payload.description,
        key=f"grant:{payload.key}" if payload.key else None,
    )
    return Status(201, transfer_out(transfer))


@router.post(
    "/rewards",
    response={201: schemas.TransferOut},
    summary="Time credits for taking part, from an organisation's account (its admins, space facilitators)",
)
def reward(request, payload: schemas.RewardIn):
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
    return Status(201, transfer_out(transfer))


@router.get("/transfers/{transfer_id}", response=schemas.TransferOut, summary="One transfer (coordinators)")
def transfer_detail(request, transfer_id: int):
    access.require_coordinator(request.user)
    return transfer_out(get_object_or_404(Transfer, pk=transfer_id))


@router.post(
    "/transfers/{transfer_id}/reverse",
    response={201: schemas.TransferOut},
    summary="Correct a transfer with a reversing one (coordinators)",
)
def transfer_reverse(request, transfer_id: int, payload: schemas.ReverseIn):
    access.require_coordinator(request.user)
    original = get_object_or_404(Transfer, pk=transfer_id)
    return Status(
        201,
        transfer_out(services.transfer_reverse(actor=request.user, transfer=original, reason=payload.reason)),
    )


# --- Coordinators -------------------------------------------------------------------------------------------------


@router.get(
    "/members",
    response=list[schemas.TimebankMemberOut],
    summary="Timebank members and requests to join (coordinators)",
)
def member_list(request, status: MemberStatus | None = None, limit: int = PAGE, offset: int = 0):
    access.require_coordinator(request.user)
    return [schemas.member_out(r) for r in selectors.member_records(status)[_window(limit, offset)]]


@router.post(
    "/members/{member_id}/decision",
    response=schemas.TimebankMemberOut,
    summary="Approve or decline (coordinators)",
)
def member_decide(request, member_id: int, payload: schemas.MemberDecision):
    access.require_coordinator(request.user)
    record = get_object_or_404(TimebankMember.objects.select_related("user"), pk=member_id)
    record = services.member_decide(
        actor=request.user, member=record, approve=payload.approve, note=payload.safeguarding_note
    )
    return schemas.member_out(record)


@router.get("/dashboard", response=schemas.DashboardOut, summary="The coordinators' dashboard")
def dashboard(request):
    access.require_coordinator(request.user)
    return schemas.dashboard_out(selectors.dashboard())


@router.get("/exports/exchanges.csv", summary="Every exchange as CSV (coordinators)")
def export_exchanges(request):
    access.require_coordinator(request.user)
    return csv_response(selectors.exchanges_csv(), "timebank-exchanges.csv")


@router.get("/exports/balances.csv", summary="Every balance as CSV (coordinators)")
def export_balances(request):
    access.require_coordinator(request.user)
    return csv_response(selectors.balances_csv(), "timebank-balances.csv")


@router.post(
    "/imports", response={201: schemas.ImportOut}, summary="Import another timebank's history (coordinators)"
)
def history_import(request, payload: schemas.ImportIn):
    result = services.history_import(actor=request.user, data=payload.csv, source=payload.source)
    return Status(
        201,
        {
            "transfers": result.transfers,
            "minutes": result.minutes,
            "already_imported": result.already_imported,
        },
    )


@router.get("/settings", response=schemas.SettingsOut, summary="The network's timebank rules")
def settings_detail(request):
    access.require_member(request.user)
    return schemas.settings_out(selectors.network_settings())


@router.patch(
    "/settings", response=schemas.SettingsOut, summary="Change the network's timebank rules (coordinators)"
)
def settings_update(request, payload: schemas.SettingsPatch):
    data = payload.dict(exclude_unset=True)
    network = services.network_settings_set(
        actor=request.user,
        confirmation_required=data.get("confirmation_required"),
        min_balance=data.get("default_min_balance_minutes"),
        max_balance=data.get("default_max_balance_minutes"),
    )
    return schemas.settings_out(network)
