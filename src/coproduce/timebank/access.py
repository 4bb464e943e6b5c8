"""Who may see and do what in the timebank: decided here, once. Pages (through the decisions they put in
their templates' context), services and the API all ask these functions.

- Members see their own balance and history; other members see them only when the member chooses
  to share (`TimebankMember.share_balance`); coordinators see everything.
- Coordinators are a network-level role: `TimebankMember.is_coordinator`, and network staff.
- An organisation's account is operated by that organisation's approved admins; only they (and network
  staff) may pay from it, on the pages and through the API alike.
- On an exchange: the people who must confirm it confirm it; the other side may dispute it while it waits;
  whoever recorded it may withdraw it; a coordinator resolves it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from coproduce.core.prepared import Prepared
from coproduce.people.models import Organisation, OrganisationMembership
from coproduce.spaces.access import FACILITATOR, has_role

from .models import (
    Account,
    AccountKind,
    Exchange,
    ExchangeParty,
    ExchangeStatus,
    Listing,
    MemberStatus,
    ShareBalance,
    TimebankMember,
)


@dataclass(frozen=True)
class Decision:
    """Whether the person may do something, and if not, why, in words for them.

    `forbidden` False means the thing itself stands in the way (the exchange is already settled), not the
    person: `enforce` then raises ValidationError (400/422) rather than PermissionDenied (403)."""

    allowed: bool
    reason: str = ""
    forbidden: bool = True

    def __bool__(self) -> bool:
        return self.allowed

    def enforce(self) -> None:
        if self.allowed:
            return
        if self.forbidden:
            raise PermissionDenied(self.reason)
        raise ValidationError(self.reason)


ALLOWED = Decision(True)


# --- Who someone is in the timebank --------------------------------------------------------------------


# Asked on every timebank page, with its SQL built once (core/prepared.py).
_MEMBER = Prepared(
    lambda user_id: TimebankMember.objects.filter(user_id=user_id).order_by("pk")[:1],
    values=(int,),
)


def member_of(user: Any) -> TimebankMember | None:
    """The person's timebank record (any status), cached on the user for the request."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_timebank_member"):
        user._timebank_member = _MEMBER.first(user.pk)
    found: TimebankMember | None = user._timebank_member
    return found


def member_read(person: Any) -> tuple[Prepared, tuple]:
    """`member_of`'s read, for a page to declare that it reads it first (core/ahead.py)."""
    return _MEMBER, (person.pk,)


def forget(user: Any) -> None:
    """Call after a service changes the user's own timebank record within the same request."""
    for name in ("_timebank_member", "_timebank_admin_of"):
        if hasattr(user, name):
            delattr(user, name)


def is_member(user: Any) -> bool:
    """An approved member (coordinators who are staff count too, so they can see what members see)."""
    record = member_of(user)
    return (record is not None and record.status == MemberStatus.APPROVED) or bool(
        user.is_authenticated and user.is_staff
    )


def is_coordinator(user: Any) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    record = member_of(user)
    return record is not None and record.is_coordinator and record.status == MemberStatus.APPROVED


def has_hours(user: Any) -> bool:
    """Members see their hours; so does anyone who has been given time credits (for taking part in a space, say)
    before joining: the credits are theirs, and "My hours" is where the notice about them leads."""
    if is_member(user):
        return True
    return bool(user.is_authenticated and Account.objects.filter(user=user, postings__isnull=False).exists())


def require_member(user: Any) -> None:
    """Offers, requests and exchanges are for approved members; others are told how to join."""
    if not is_member(user):
        raise PermissionDenied(_("Join the timebank first: a coordinator will welcome you."))


def listings_audience(user: Any) -> str:
    """Who is shown the same offers and requests (core/shared.py): every member alike, coordinators too.
    Raises for those who may not browse them."""
    require_member(user)
    return "members"


def nav_flags(user: Any) -> dict[str, bool]:
    """What the timebank's menu (`timebank/_nav.html`) shows the person: the members' pages, "My hours", and
    the coordinators' page."""
    member = is_member(user)
    return {
        "in_timebank": member,
        "has_hours": member or has_hours(user),
        "coordinates": is_coordinator(user),
    }


def listings_page_audience(user: Any) -> tuple:
    """Who is shown the same page of offers and requests (core/kept_pages.py): the same list, and the same
    menu above it (coordinators have a page more). Raises for those who may not browse them."""
    return (listings_audience(user), tuple(sorted(nav_flags(user).items())))


def require_coordinator(user: Any) -> None:
    if not is_coordinator(user):
        raise PermissionDenied(_("Only a timebank coordinator can do this."))


# --- Accounts and organisations -------------------------------------------------------------------------


def admin_organisation_ids(user: Any) -> set[int]:
    """Organisations whose timebank account this person operates."""
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_timebank_admin_of"):
        user._timebank_admin_of = set(
            OrganisationMembership.objects.filter(user=user, is_admin=True, approved=True).values_list(
                "organisation_id", flat=True
            )
        )
    found: set[int] = user._timebank_admin_of
    return found


def can_operate(user: Any, account: Account) -> bool:
    """Whether the person may spend from or agree to exchanges for this account."""
    if not user.is_authenticated:
        return False
    if account.kind == AccountKind.PERSON:
        return account.user_id == user.pk
    if account.kind == AccountKind.ORGANISATION:
        return account.organisation_id in admin_organisation_ids(user)
    return False  # the community pot: only coordinators grant from it (see services)


def can_pay_from(user: Any, organisation: Organisation | Account) -> Decision:
    """May the person pay from this organisation's account (record, as its side, time it received)?
    Its admins may, and network staff; a coordinator who does not run the organisation may not."""
    organisation_id = organisation.organisation_id if isinstance(organisation, Account) else organisation.pk
    if user.is_authenticated and (user.is_staff or organisation_id in admin_organisation_ids(user)):
        return ALLOWED
    return Decision(False, _("Only the organisation's admins can pay from its account."))


def operated_organisations(user: Any) -> QuerySet[Organisation]:
    """The organisations whose side the person may take in an exchange they record: those they run."""
    return Organisation.objects.filter(pk__in=admin_organisation_ids(user))


def payable_organisations(user: Any) -> QuerySet[Organisation]:
    """The organisations the person may pay from, for the pages' choices."""
    if user.is_authenticated and user.is_staff:
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=admin_organisation_ids(user))


def can_view_account(user: Any, account: Account) -> bool:
    if not user.is_authenticated:
        return False
    if can_operate(user, account) or is_coordinator(user):
        return True
    if account.kind == AccountKind.POT:
        return is_member(user)  # everyone in the timebank may see what the pot holds
    if account.kind == AccountKind.ORGANISATION:
        return is_member(user)  # organisations' time credits are accountable to the whole timebank
    if account.user_id is None:
        return False
    owner = TimebankMember.objects.filter(user_id=account.user_id).only("share_balance", "status").first()
    return (
        is_member(user)
        and owner is not None
        and owner.status == MemberStatus.APPROVED
        and owner.share_balance == ShareBalance.MEMBERS
    )


def can_download_statement(user: Any, account: Account) -> Decision:
    """Seeing a shared balance is not the same as downloading someone's statement: its holder and the
    coordinators only."""
    if can_operate(user, account) or is_coordinator(user):
        return ALLOWED
    return Decision(False, _("Only the account's holder or a coordinator can download its statement."))


def get_account_for(user: Any, account_id: int) -> Account:
    """The account, or Http404 for those who may not see it. What they may do with it is asked of
    `can_operate`, `can_download_statement` and (for limits) `is_coordinator`."""
    account = Account.objects.select_related("user", "organisation").filter(pk=account_id).first()
    if account is None or not can_view_account(user, account):
        raise Http404
    return account


def can_reward(user: Any, organisation: Organisation, space: Any = None) -> Decision:
    """Time credits for taking part are paid by an admin of the organisation, or by a host or
    facilitator of the space the people took part in."""
    if can_pay_from(user, organisation) or (space is not None and has_role(user, space, FACILITATOR)):
        return ALLOWED
    return Decision(
        False,
        _("Only a host or facilitator of the space, or an admin of %(org)s, can give time credits.")
        % {"org": organisation.name},
    )


# --- Offers and requests ---------------------------------------------------------------------------------


def can_edit_listing(user: Any, listing: Listing) -> Decision:
    if user.is_authenticated and (listing.owner_id == user.pk or is_coordinator(user)):
        return ALLOWED
    return Decision(False, _("Only the person who posted this, or a coordinator, can change it."))


def get_listing_for(user: Any, listing_id: int, *, write: bool = False) -> Listing:
    """Offers and requests are seen by timebank members only (they say where people live and when
    they are at home); outsiders get 404. Only the owner or a coordinator may change one."""
    listing = Listing.objects.select_related("owner", "category").filter(pk=listing_id).first()
    if listing is None or not is_member(user):
        raise Http404
    if write:
        can_edit_listing(user, listing).enforce()
    return listing


# --- Exchanges -------------------------------------------------------------------------------------------


def _parties(exchange: Exchange, parties: Iterable[ExchangeParty] | None) -> list[ExchangeParty]:
    return list(exchange.parties.all() if parties is None else parties)


def get_exchange_for(user: Any, exchange_id: int) -> Exchange:
    """An exchange is seen by whoever recorded it, the people on either side, and coordinators."""
    exchange = (
        Exchange.objects.select_related("recorded_by", "on_behalf_of", "listing", "transfer")
        .prefetch_related("parties__account__user", "parties__account__organisation")
        .filter(pk=exchange_id)
        .first()
    )
    if exchange is None or not user.is_authenticated:
        raise Http404
    if exchange.recorded_by_id == user.pk or is_coordinator(user):
        return exchange
    if any(can_operate(user, party.account) for party in exchange.parties.all()):
        return exchange
    raise Http404


def waits_for(
    user: Any, exchange: Exchange, parties: Iterable[ExchangeParty] | None = None
) -> list[ExchangeParty]:
    """The sides of the exchange that wait for this person's confirmation."""
    return [
        p
        for p in _parties(exchange, parties)
        if p.must_confirm and p.confirmed_at is None and can_operate(user, p.account)
    ]


def can_confirm(user: Any, exchange: Exchange, parties: Iterable[ExchangeParty] | None = None) -> Decision:
    """Everyone who must confirm an exchange (see services.exchanges) confirms it while it waits."""
    if exchange.status != ExchangeStatus.PENDING:
        return Decision(False, _("This exchange is no longer waiting for confirmation."), forbidden=False)
    if not waits_for(user, exchange, parties):
        return Decision(False, _("This exchange is not waiting for your confirmation."))
    return ALLOWED


def can_dispute(user: Any, exchange: Exchange, parties: Iterable[ExchangeParty] | None = None) -> Decision:
    """The other side (not whoever recorded it) may say it is not right, while it waits."""
    if exchange.status != ExchangeStatus.PENDING:
        return Decision(
            False,
            _("Only an exchange waiting for confirmation can be disputed. Ask a coordinator to correct it."),
            forbidden=False,
        )
    mine = any(can_operate(user, p.account) for p in _parties(exchange, parties))
    if not mine or exchange.recorded_by_id == user.pk:
        return Decision(False, _("Only the other side of the exchange can dispute it."))
    return ALLOWED


def can_cancel(user: Any, exchange: Exchange) -> Decision:
    """Whoever recorded an exchange may withdraw it while it waits for confirmation."""
    if not user.is_authenticated or exchange.recorded_by_id != user.pk:
        return Decision(False, _("Only the person who recorded it can withdraw it."))
    if exchange.status != ExchangeStatus.PENDING:
        return Decision(
            False, _("Only an exchange waiting for confirmation can be withdrawn."), forbidden=False
        )
    return ALLOWED


def can_resolve(user: Any, exchange: Exchange) -> Decision:
    """A coordinator settles a disputed exchange, or one still waiting."""
    if not is_coordinator(user):
        return Decision(False, _("Only a timebank coordinator can do this."))
    if exchange.status not in (ExchangeStatus.DISPUTED, ExchangeStatus.PENDING):
        return Decision(False, _("This exchange has already been settled."), forbidden=False)
    return ALLOWED
