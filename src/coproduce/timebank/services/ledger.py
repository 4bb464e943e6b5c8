"""The ledger: accounts, transfers and their postings. Every movement of time goes through `transfer_create`.

Rules kept here (and checked by `coproduce timebank verify`):
- each transfer's postings sum to zero (double entry);
- postings are never changed or deleted: a correction is a reversing transfer;
- an account's cached `balance` always equals the sum of its postings;
- a transfer never takes an account below its lowest or above its highest balance.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coproduce.core import audit
from coproduce.lib import ledger
from coproduce.people.models import Organisation, User
from coproduce.spaces.models import Space

from .. import access
from ..models import Account, AccountKind, Posting, Transfer, TransferKind
from .accounts import Owner, account_for_user, accounts_for, community_pot
from .telling import credits_received

# The ledger library's messages, for translation (it has no Django, so it cannot mark them itself).
LEDGER_MESSAGES = {
    "not_hours": gettext_lazy("Enter a number of hours, for example 1.5 or 1:30."),
    "step": gettext_lazy("Use quarter hours: 15, 30 or 45 minutes past the hour."),
    "not_positive": gettext_lazy("The time must be more than zero."),
    "too_much": gettext_lazy("No single entry can be more than 10,000 hours."),
    "not_minutes": gettext_lazy("Amounts must be whole minutes."),
    "empty": gettext_lazy("A transfer must move some time between two accounts."),
    "one_account": gettext_lazy("A transfer needs at least two different accounts."),
    "unbalanced": gettext_lazy("The amounts given and received must be equal."),
}


def ledger_message(error: ledger.LedgerError) -> str:
    return str(LEDGER_MESSAGES.get(error.code, error))


def _limit_message(account_id: int, amount: int) -> str:
    account = Account.objects.select_related("user", "organisation").get(pk=account_id)
    after = account.balance + amount
    if amount < 0:
        return _(
            "This would take %(name)s's balance to %(after)s, below its lowest allowed balance of %(limit)s "
            "(it is %(now)s now). Nothing has been recorded."
        ) % {
            "name": account.owner_name,
            "after": ledger.format_minutes(after),
            "limit": ledger.format_minutes(account.min_balance),
            "now": ledger.format_minutes(account.balance),
        }
    return _(
        "This would take %(name)s's balance to %(after)s, above its highest allowed balance of %(limit)s "
        "(it is %(now)s now). Nothing has been recorded."
    ) % {
        "name": account.owner_name,
        "after": ledger.format_minutes(after),
        "limit": ledger.format_minutes(account.max_balance),
        "now": ledger.format_minutes(account.balance),
    }


def _apply_to_balances(postings: dict[int, int], *, enforce_limits: bool) -> None:
    """Move each cached balance by its posting, refusing any that would break a limit.

    Each balance changes with one conditional `UPDATE ... SET balance = balance + d WHERE ... AND
    balance + d >= min_balance` (or `<= max_balance`), never read-modify-write in Python. Two
    transfers spending from the same account at once therefore cannot both pass the limit check on
    the same stale balance (double spend) or overwrite each other's result (lost update):
    PostgreSQL re-checks the WHERE on the newest row version after waiting for the other writer's
    row lock; SQLite runs one writing transaction at a time (BEGIN IMMEDIATE, see settings).
    Rows are updated in primary-key order so two transfers over the same accounts lock them in the
    same order and cannot deadlock.
    """
    table = Account._meta.db_table
    with connection.cursor() as cursor:
        for account_id in sorted(postings):
            amount = postings[account_id]
            if not enforce_limits:
                limit = ""
            elif amount < 0:
                limit = " AND balance + %s >= min_balance"
            else:
                limit = " AND balance + %s <= max_balance"
            params = [amount, account_id] + ([amount] if limit else [])
            # Plain SQL (the same on PostgreSQL and SQLite): this runs on every transfer, and the ORM's
            # query building cost more than the statement itself.
            cursor.execute(f"UPDATE {table} SET balance = balance + %s WHERE id = %s{limit}", params)  # noqa: S608
            if cursor.rowcount != 1:
                if not Account.objects.filter(pk=account_id).exists():
                    raise ValidationError(_("One of these accounts no longer exists."))
                raise ValidationError(_limit_message(account_id, amount), code="limit")


def _insert_postings(rows: list[tuple[int, int, int]]) -> None:
    """One multi-row INSERT, in plain SQL: like the balance updates, this runs on every transfer."""
    values = ", ".join(["(%s, %s, %s)"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Posting._meta.db_table} (transfer_id, account_id, amount) VALUES {values}",  # noqa: S608
            [value for row in rows for value in row],
        )


def transfer_create(
    *,
    actor: User | None,
    postings: Iterable[tuple[Account, int]],
    kind: str,
    description: str,
    key: str | None = None,
    on_behalf_of: User | None = None,
    space: Space | None = None,
    reverses: Transfer | None = None,
    happened_at: datetime.datetime | None = None,
    enforce_limits: bool = True,
    audit_summary: str | None = None,
) -> Transfer:
    """Record one transfer, all or nothing. Callers check permission; this checks the ledger rules.

    Idempotent on `key`: a second call with a key already in the ledger returns that transfer and
    moves nothing, so a retried request or a double-clicked button never pays twice.
    """
    # No look-up of `key` first: the unique index answers that question on insert (see below), one
    # round trip fewer on every transfer.
    try:
        combined = ledger.merge((account.pk, amount) for account, amount in postings)
        ledger.check_balanced(combined)
        merged = cast(dict[int, int], combined)  # keyed by account id (the library takes any key)
    except ledger.LedgerError as error:
        raise ValidationError(ledger_message(error)) from error
    description = " ".join((description or "").split())[:300]
    if not description:
        raise ValidationError({"description": _("Say what the time was for.")})
    now = timezone.now()
    transfer = Transfer(
        kind=kind,
        description=description,
        recorded_by=actor if actor and actor.is_authenticated else None,
        on_behalf_of=on_behalf_of,
        space=space,
        reverses=reverses,
        happened_at=happened_at or now,
        created_at=now,
    )
    if key:
        transfer.key = key
    # Only the text a person wrote: the other fields are set here, and a full_clean would cost a
    # query per foreign key on every transfer.
    transfer.clean_fields(exclude=[f.name for f in Transfer._meta.fields if f.name != "description"])
    try:
        with transaction.atomic():
            # The transfer row goes in first: its unique key makes a concurrent duplicate wait here
            # and then fail, before either has touched a balance.
            transfer.save(force_insert=True)
            _apply_to_balances(merged, enforce_limits=enforce_limits)
            rows = [(transfer.pk, account_id, amount) for account_id, amount in merged.items()]
            # Checked again on exactly the rows being written, before the transaction commits.
            if sum(amount for _t, _a, amount in rows) != 0:
                raise ValidationError(_("The amounts given and received must be equal."))
            _insert_postings(rows)
            audit.record(
                actor=actor,
                on_behalf_of=on_behalf_of,
                space=space,
                action=f"timebank.transfer.{kind}",
                target=transfer,
                summary=audit_summary
                or _("%(kind)s recorded: %(what)s (%(hours)s)")
                % {
                    "kind": transfer.get_kind_display(),
                    "what": description,
                    "hours": ledger.format_minutes(sum(a for a in merged.values() if a > 0)),
                },
            )
    except IntegrityError:
        if key:
            existing = Transfer.objects.filter(key=key).first()
            if existing is not None:
                return existing  # the same request, made twice at once: the other one won
        raise
    return transfer


@transaction.atomic
def participation_reward(
    *,
    actor: User,
    organisation: Organisation,
    recipients: Iterable[User],
    hours_minutes: int,
    description: str,
    space: Space | None = None,
    key: str,
) -> Transfer:
    """Time credits for taking part (attending a meeting, working on a design), for other modules.

    Pays `hours_minutes` minutes to each recipient's own account from the organisation's account, as
    one transfer: everyone is paid or no one is. Idempotent on `key` (for example
    f"meeting:{meeting.pk}:attendance"): calling again returns the first transfer and pays nothing.
    The actor must be a host or facilitator of `space`, or an admin of the organisation
    (`access.can_reward`). Offered to other modules as the "reward_participation" hook (see apps.py).
    """
    if not key:
        raise ValueError("participation_reward needs a key, so that a retry never pays twice")
    access.can_reward(actor, organisation, space).enforce()
    existing = Transfer.objects.filter(key=key).first()
    if existing is not None:
        return existing
    if not isinstance(hours_minutes, int) or hours_minutes <= 0 or hours_minutes % ledger.STEP:
        raise ValidationError(
            _("Time credits are given in quarter hours: 15, 30, 45 or 60 minutes and so on.")
        )
    people = list({person.pk: person for person in recipients}.values())
    if not people:
        raise ValidationError(_("Choose at least one person to give time credits to."))
    source, *credited = accounts_for([organisation, *people])
    postings = [(source, -hours_minutes * len(people))]
    postings += [(account, hours_minutes) for account in credited]
    transfer = transfer_create(
        actor=actor,
        postings=postings,
        kind=TransferKind.REWARD,
        description=description,
        key=key,
        space=space,
        audit_summary=_("%(org)s gave %(n)s people %(hours)s each for taking part: %(what)s")
        % {
            "org": organisation.name,
            "n": len(people),
            "hours": ledger.format_minutes(hours_minutes),
            "what": description,
        },
    )
    credits_received(people, minutes=hours_minutes, transfer_id=transfer.pk, actor=actor, space=space)
    return transfer


@transaction.atomic
def transfer_reverse(*, actor: User, transfer: Transfer, reason: str) -> Transfer:
    """Correct a transfer by recording its mirror image. The original stays in the ledger, so the
    history shows both what happened and that it was corrected."""
    access.require_coordinator(actor)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Say why this transfer is being corrected.")})
    if transfer.kind == TransferKind.REVERSAL:
        raise ValidationError(_("A correction cannot itself be reversed; record a new transfer instead."))
    if Transfer.objects.filter(reverses=transfer).exists():
        raise ValidationError(_("This transfer has already been corrected."))
    postings = [(posting.account, -posting.amount) for posting in transfer.postings.select_related("account")]
    return transfer_create(
        actor=actor,
        postings=postings,
        kind=TransferKind.REVERSAL,
        reverses=transfer,
        key=f"reversal:{transfer.pk}",
        description=_("Correction of #%(id)s: %(reason)s") % {"id": transfer.pk, "reason": reason},
    )


@transaction.atomic
def donate_to_pot(*, actor: User, minutes: int, description: str = "", key: str | None = None) -> Transfer:
    """A member gives some of their hours to the community pot, for others who need them."""
    access.require_member(actor)
    _check_minutes(minutes)
    return transfer_create(
        actor=actor,
        postings=[(account_for_user(actor), -minutes), (community_pot(), minutes)],
        kind=TransferKind.DONATION,
        description=description or _("Gift to the community pot"),
        key=key,
    )


@transaction.atomic
def grant_from_pot(
    *, actor: User, to: Owner, minutes: int, description: str, key: str | None = None
) -> Transfer:
    """A coordinator gives hours from the community pot to a member or an organisation (or their account,
    made here on first use)."""
    access.require_coordinator(actor)
    _check_minutes(minutes)
    (account,) = accounts_for([to])
    if account.kind == AccountKind.POT:
        raise ValidationError(_("Choose who receives the hours."))
    transfer = transfer_create(
        actor=actor,
        postings=[(community_pot(), -minutes), (account, minutes)],
        kind=TransferKind.GRANT,
        description=description,
        key=key,
        on_behalf_of=account.user if account.kind == AccountKind.PERSON else None,
    )
    if account.kind == AccountKind.PERSON and account.user is not None:
        credits_received([account.user], minutes=minutes, transfer_id=transfer.pk, actor=actor)
    return transfer


def _check_minutes(minutes: int) -> None:
    try:
        ledger.check_step(minutes)
    except ledger.LedgerError as error:
        raise ValidationError({"minutes": ledger_message(error)}) from error
