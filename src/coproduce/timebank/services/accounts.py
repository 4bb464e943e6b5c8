"""Accounts: made on first use with the network's limits, and the limits coordinators set."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.lib import ledger
from coproduce.people.models import Organisation, User

from .. import access
from ..models import Account, AccountKind, TimebankSettings


def _default_limits(kind: str, network: TimebankSettings | None = None) -> tuple[int, int]:
    network = network or TimebankSettings.current()
    if kind == AccountKind.POT:
        # The pot holds what members give; it cannot grant time it has not been given.
        return 0, max(network.default_max_balance * 100, 0)
    return network.default_min_balance, network.default_max_balance


Owner = Account | User | Organisation


def _owner_query(owner: Owner) -> Q:
    if isinstance(owner, Account):
        return Q(pk=owner.pk)
    if isinstance(owner, Organisation):
        return Q(organisation_id=owner.pk)
    return Q(user_id=owner.pk)


def _made(owner: Owner, network: TimebankSettings | None) -> Account:
    """The account of a person or an organisation, made now if they have none. Two requests making the
    same account at once: the one-to-one constraint lets one insert win, and `get_or_create` then
    returns the winner's row to the other."""
    if isinstance(owner, Account):
        return owner
    if isinstance(owner, Organisation):
        low, high = _default_limits(AccountKind.ORGANISATION, network)
        return Account.objects.get_or_create(
            organisation=owner,
            defaults={"kind": AccountKind.ORGANISATION, "min_balance": low, "max_balance": high},
        )[0]
    low, high = _default_limits(AccountKind.PERSON, network)
    return Account.objects.get_or_create(
        user=owner, defaults={"kind": AccountKind.PERSON, "min_balance": low, "max_balance": high}
    )[0]


def accounts_for(owners: Iterable[Owner], *, network: TimebankSettings | None = None) -> list[Account]:
    """The accounts of these people, organisations (made on first use) or accounts, in order, without
    repeats, with their owners loaded: one query when they all exist."""
    wanted = list(owners)
    if not wanted:
        return []
    query = Q()
    for owner in wanted:
        query |= _owner_query(owner)

    def fetch() -> list[Account]:
        return list(Account.objects.select_related("user", "organisation").filter(query))

    found = fetch()

    def lookup(owner: Owner) -> Account | None:
        for account in found:
            if (
                (isinstance(owner, Account) and account.pk == owner.pk)
                or (isinstance(owner, Organisation) and account.organisation_id == owner.pk)
                or (isinstance(owner, User) and account.user_id == owner.pk)
            ):
                return account
        return None

    missing = [owner for owner in wanted if lookup(owner) is None]
    if missing:
        for owner in missing:
            _made(owner, network)
        found = fetch()
    unique: dict[int, Account] = {}
    for owner in wanted:
        account = lookup(owner)
        if account is None:  # an Account that no longer exists
            raise ValidationError(_("One of these accounts no longer exists."))
        unique.setdefault(account.pk, account)
    return list(unique.values())


def account_for_user(user: User) -> Account:
    """The person's account, made on first use."""
    return Account.objects.filter(user=user).first() or _made(user, None)


def account_for_organisation(organisation: Organisation) -> Account:
    return Account.objects.filter(organisation=organisation).first() or _made(organisation, None)


def community_pot() -> Account:
    account = Account.objects.filter(kind=AccountKind.POT).first()
    if account is None:
        low, high = _default_limits(AccountKind.POT)
        account, _created = Account.objects.get_or_create(
            kind=AccountKind.POT, defaults={"min_balance": low, "max_balance": high, "custom_limits": True}
        )
    return account


@transaction.atomic
def account_limits_set(
    *, actor: User, account: Account, min_balance: int | None, max_balance: int | None
) -> Account:
    """Change an account's lowest and highest balance; None for both returns it to the network's defaults.

    A new limit applies to transfers from now on: a balance already past it stays as it is, and the
    account may only move back towards it.
    """
    access.require_coordinator(actor)
    # The race: two coordinators setting the same account's limits at once. The lock makes the second
    # start from what the first saved (the audit record's "before" is true); a transfer meanwhile checks
    # the limits in its own conditional UPDATE, so it sees either the old limits or the new ones.
    account = Account.objects.select_for_update().get(pk=account.pk)
    before = audit.snapshot(account, ["min_balance", "max_balance", "custom_limits"])
    if min_balance is None and max_balance is None:
        account.min_balance, account.max_balance = _default_limits(account.kind)
        account.custom_limits = account.kind == AccountKind.POT
    else:
        if min_balance is not None:
            account.min_balance = min_balance
        if max_balance is not None:
            account.max_balance = max_balance
        account.custom_limits = True
    if account.min_balance > 0 or account.max_balance < 0:
        raise ValidationError(_("The lowest balance must be zero or less, and the highest zero or more."))
    if account.min_balance > account.max_balance:
        raise ValidationError(_("The lowest balance must be below the highest."))
    changes = audit.diff(account, before, ["min_balance", "max_balance", "custom_limits"])
    if changes:
        # Only the limit columns: the balance is never written from a value read in Python.
        account.save(update_fields=list(changes))
        audit.record(
            actor=actor,
            action="timebank.account.limits_changed",
            target=account,
            changes=changes,
            summary=_("Limits for %(name)s set to %(low)s … %(high)s")
            % {
                "name": account.owner_name,
                "low": ledger.format_minutes(account.min_balance),
                "high": ledger.format_minutes(account.max_balance),
            },
        )
    return account
