"""Accounts: made on first use with the network's limits, and the limits coordinators set."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
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


def _key(owner: Owner) -> tuple[str, int]:
    if isinstance(owner, Account):
        return ("account", owner.pk)
    if isinstance(owner, Organisation):
        return ("organisation", owner.pk)
    return ("user", owner.pk)


def _made(owner: Owner, network: TimebankSettings | None) -> Account | None:
    """A new account for a person or an organisation (None for an account that no longer exists). Two
    requests making the same account at once: the one-to-one constraint lets one insert win, and the
    other then reads the winner's row."""
    if isinstance(owner, Account):
        return None
    kind = AccountKind.ORGANISATION if isinstance(owner, Organisation) else AccountKind.PERSON
    owned = {"organisation": owner} if kind == AccountKind.ORGANISATION else {"user": owner}
    low, high = _default_limits(kind, network)
    try:
        with transaction.atomic():
            return Account.objects.create(kind=kind, min_balance=low, max_balance=high, **owned)
    except IntegrityError:
        return Account.objects.get(**owned)


def _accounts_by_key(keys: list[tuple[str, int]]) -> dict[tuple[str, int], Account]:
    """One query: the accounts, their owners, and each person's timebank record (or None)."""
    ids = {kind: [pk for k, pk in keys if k == kind] for kind in ("account", "organisation", "user")}
    found = Account.objects.select_related("user__timebank_member", "organisation").filter(
        Q(pk__in=ids["account"]) | Q(organisation_id__in=ids["organisation"]) | Q(user_id__in=ids["user"])
    )
    index: dict[tuple[str, int], Account] = {}
    for account in found:
        index[("account", account.pk)] = account
        if account.organisation_id:
            index[("organisation", account.organisation_id)] = account
        if account.user_id:
            index[("user", account.user_id)] = account
    return index


def resolve_accounts(owners: Iterable[Owner], *, network: TimebankSettings | None = None) -> list[Account]:
    """The account of each of these people, organisations (made on first use) or accounts, one for each
    and in order, with its owner (and a person's timebank record) loaded: one query when all exist."""
    wanted = list(owners)
    keys = [_key(owner) for owner in wanted]
    if not keys:
        return []
    index = _accounts_by_key(keys)
    missing = [owner for key, owner in zip(keys, wanted, strict=True) if key not in index]
    made = [_made(owner, network) for owner in missing]  # every one, not only the first
    if any(made):
        index = _accounts_by_key(keys)
    if any(key not in index for key in keys):
        raise ValidationError(_("One of these accounts no longer exists."))
    return [index[key] for key in keys]


def accounts_for(owners: Iterable[Owner], *, network: TimebankSettings | None = None) -> list[Account]:
    """As `resolve_accounts`, without repeats."""
    return list(dict.fromkeys(resolve_accounts(owners, network=network)))


def account_for_user(user: User) -> Account:
    """The person's account, made on first use."""
    (account,) = accounts_for([user])
    return account


def account_for_organisation(organisation: Organisation) -> Account:
    (account,) = accounts_for([organisation])
    return account


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
