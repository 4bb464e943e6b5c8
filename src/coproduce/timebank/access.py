"""Who may see and do what in the timebank. Views and the API both go through these functions.

- Members see their own balance and history; other members see them only when the member chooses
  to share (`TimebankMember.share_balance`); coordinators see everything.
- Coordinators are a network-level role: `TimebankMember.is_coordinator`, and network staff.
- An organisation's account is operated by that organisation's approved admins.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from coproduce.people.models import OrganisationMembership

from .models import (
    Account,
    AccountKind,
    Exchange,
    Listing,
    MemberStatus,
    ShareBalance,
    TimebankMember,
)


def member_of(user) -> TimebankMember | None:
    """The person's timebank record (any status), cached on the user for the request."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_timebank_member"):
        user._timebank_member = TimebankMember.objects.filter(user=user).first()
    return user._timebank_member


def forget(user) -> None:
    """Call after a service changes the user's own timebank record within the same request."""
    for name in ("_timebank_member", "_timebank_admin_of"):
        if hasattr(user, name):
            delattr(user, name)


def is_member(user) -> bool:
    """An approved member (coordinators who are staff count too, so they can see what members see)."""
    record = member_of(user)
    return (record is not None and record.status == MemberStatus.APPROVED) or bool(
        user.is_authenticated and user.is_staff
    )


def is_coordinator(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    record = member_of(user)
    return record is not None and record.is_coordinator and record.status == MemberStatus.APPROVED


def admin_organisation_ids(user) -> set[int]:
    """Organisations whose timebank account this person operates."""
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_timebank_admin_of"):
        user._timebank_admin_of = set(
            OrganisationMembership.objects.filter(user=user, is_admin=True, approved=True).values_list(
                "organisation_id", flat=True
            )
        )
    return user._timebank_admin_of


def can_operate(user, account: Account) -> bool:
    """Whether the person may spend from or agree to exchanges for this account."""
    if not user.is_authenticated:
        return False
    if account.kind == AccountKind.PERSON:
        return account.user_id == user.pk
    if account.kind == AccountKind.ORGANISATION:
        return account.organisation_id in admin_organisation_ids(user)
    return False  # the community pot: only coordinators grant from it (see services)


def can_view_account(user, account: Account) -> bool:
    if not user.is_authenticated:
        return False
    if can_operate(user, account) or is_coordinator(user):
        return True
    if account.kind == AccountKind.POT:
        return is_member(user)  # everyone in the timebank may see what the pot holds
    if account.kind == AccountKind.ORGANISATION:
        return is_member(user)  # organisations' time credits are accountable to the whole timebank
    owner = TimebankMember.objects.filter(user_id=account.user_id).only("share_balance", "status").first()
    return (
        is_member(user)
        and owner is not None
        and owner.status == MemberStatus.APPROVED
        and owner.share_balance == ShareBalance.MEMBERS
    )


def get_account_for(user, account_id: int, *, write: bool = False) -> Account:
    """The account, or Http404 for those who may not see it, or PermissionDenied for those who may
    see it but not operate it."""
    account = Account.objects.select_related("user", "organisation").filter(pk=account_id).first()
    if account is None or not can_view_account(user, account):
        raise Http404
    if write and not (can_operate(user, account) or is_coordinator(user)):
        raise PermissionDenied
    return account


def require_member(user) -> None:
    """Offers, requests and exchanges are for approved members; others are told how to join."""
    if not is_member(user):
        raise PermissionDenied(_("Join the timebank first: a coordinator will welcome you."))


def require_coordinator(user) -> None:
    if not is_coordinator(user):
        raise PermissionDenied(_("Only a timebank coordinator can do this."))


def get_listing_for(user, listing_id: int, *, write: bool = False) -> Listing:
    """Offers and requests are seen by timebank members only (they say where people live and when
    they are at home); outsiders get 404. Only the owner or a coordinator may change one."""
    listing = Listing.objects.select_related("owner", "category").filter(pk=listing_id).first()
    if listing is None or not is_member(user):
        raise Http404
    if write and not (listing.owner_id == user.pk or is_coordinator(user)):
        raise PermissionDenied
    return listing


def exchange_party_accounts(user, exchange: Exchange) -> list[Account]:
    return [party.account for party in exchange.parties.all() if can_operate(user, party.account)]


def get_exchange_for(user, exchange_id: int) -> Exchange:
    """An exchange is seen by whoever recorded it, the people on either side, and coordinators."""
    exchange = (
        Exchange.objects.select_related("recorded_by", "listing", "transfer")
        .prefetch_related("parties__account__user", "parties__account__organisation")
        .filter(pk=exchange_id)
        .first()
    )
    if exchange is None or not user.is_authenticated:
        raise Http404
    if exchange.recorded_by_id == user.pk or is_coordinator(user) or exchange_party_accounts(user, exchange):
        return exchange
    raise Http404
