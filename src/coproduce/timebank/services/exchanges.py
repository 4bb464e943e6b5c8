"""Exchanges: time given and received, recorded by either side and confirmed by the other.

Who must confirm: everyone whose account pays (receives the help) and did not record the exchange
themself; in a one-to-one exchange, the other person either way. Being credited with time in a
group exchange needs no confirmation: the organisation that pays has agreed by recording it, and
asking twelve workshop participants to click "confirm" would leave most of them unpaid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.core.validators import sensible_date_error
from coproduce.lib import ledger
from coproduce.people.models import Organisation, User
from coproduce.spaces import access as space_access

from .. import access
from ..models import (
    Account,
    AccountKind,
    Exchange,
    ExchangeParty,
    ExchangeStatus,
    Listing,
    MemberStatus,
    Side,
    TimebankSettings,
    TransferKind,
)
from ..selectors.ledger import amounts
from .accounts import Owner, resolve_accounts
from .ledger import ledger_message, transfer_create
from .telling import exchange_confirmed, exchange_disputed, exchange_recorded


def _operates(user: User, account: Account, on_behalf_of: User | None) -> bool:
    if access.can_operate(user, account):
        return True
    return (
        on_behalf_of is not None and account.kind == AccountKind.PERSON and account.user_id == on_behalf_of.pk
    )


def _as_list(owners: Owner | Sequence[Owner]) -> list[Owner]:
    return [owners] if isinstance(owners, Account | User | Organisation) else list(owners)


def _approved(account: Account) -> bool:
    """Whether the account's person is an approved member (their record came with the account)."""
    record = getattr(account.user, "timebank_member", None)
    return record is not None and record.status == MemberStatus.APPROVED


@transaction.atomic
def exchange_record(
    *,
    actor: User,
    gave: Owner | Sequence[Owner],
    received: Owner | Sequence[Owner],
    minutes: int,
    what: str,
    happened_on: dt.date,
    listing: Listing | None = None,
    on_behalf_of: User | None = None,
) -> Exchange:
    """Record an exchange. `gave`: who gave their time (credited); `received`: who was helped (debited):
    people, organisations or their accounts (an account is made on first use, in this transaction).
    One on one side at least; several on the other make a group exchange (all or nothing)."""
    access.require_member(actor)
    if on_behalf_of is not None:
        if not access.is_coordinator(actor):
            raise PermissionDenied(_("Only a coordinator can record an exchange for someone else."))
        # The rule of every "on behalf" path: people without an account, or who asked for help.
        space_access.can_act_for(actor, on_behalf_of, None, may_help=True).enforce("on_behalf_of")
    # Read once: the accounts made here take the network's limits, and it says whether to confirm.
    network = TimebankSettings.current()
    gave, received = _as_list(gave), _as_list(received)
    both = resolve_accounts([*gave, *received], network=network)  # one query, both sides
    givers, receivers = list(dict.fromkeys(both[: len(gave)])), list(dict.fromkeys(both[len(gave) :]))
    errors: dict[str, list[str]] = {}
    if not givers or not receivers:
        errors.setdefault("__all__", []).append(_("Say who gave the time and who received it."))
    elif len(givers) > 1 and len(receivers) > 1:
        errors.setdefault("__all__", []).append(
            _("A group exchange has one person or organisation on one side. Record it as several exchanges.")
        )
    if {a.pk for a in givers} & {a.pk for a in receivers}:
        errors.setdefault("__all__", []).append(_("Nobody can give time to themself."))
    try:
        ledger.check_step(minutes)
    except ledger.LedgerError as error:
        errors.setdefault("minutes", []).append(ledger_message(error))
    what = " ".join((what or "").split())
    if not what:
        errors.setdefault("what", []).append(_("Say what was done, for example: help with the garden."))
    if happened_on > timezone.localdate():
        errors.setdefault("happened_on", []).append(_("The exchange cannot be in the future."))
    elif problem := sensible_date_error(happened_on):
        errors.setdefault("happened_on", []).append(problem)
    if errors:
        raise ValidationError(errors)
    everyone = givers + receivers
    person_ids = [a.user_id for a in everyone if a.kind == AccountKind.PERSON]
    outsiders = [a for a in everyone if a.kind == AccountKind.PERSON and not _approved(a)]
    if outsiders:
        raise ValidationError(
            _("%(name)s is not a member of the timebank yet.") % {"name": outsiders[0].owner_name}
        )
    if on_behalf_of is not None and on_behalf_of.pk not in person_ids:
        raise ValidationError(
            {"on_behalf_of": [_("%(name)s is not part of this exchange.") % {"name": on_behalf_of}]}
        )
    if any(a.kind == AccountKind.POT for a in everyone):
        raise ValidationError(_("Give to the community pot with “Give hours to the pot” instead."))
    coordinator = access.is_coordinator(actor)
    recorder_sides = [a for a in everyone if _operates(actor, a, on_behalf_of)]
    if not recorder_sides and not coordinator:
        raise PermissionDenied(
            _("You can only record an exchange that you or your organisation took part in.")
        )
    for_others = coordinator and not recorder_sides  # a coordinator records it for everyone in it
    if for_others:
        # Paying from an organisation's account is for its admins, a coordinator included.
        for account in receivers:
            if account.kind == AccountKind.ORGANISATION:
                access.can_pay_from(actor, account).enforce()
    if listing is not None and listing.owner_id not in person_ids:
        raise ValidationError(
            {"listing": _("The offer or request must be one posted by someone in this exchange.")}
        )

    exchange = Exchange(
        what=what[:300],
        minutes=minutes,
        happened_on=happened_on,
        listing=listing,
        recorded_by=actor,
        on_behalf_of=on_behalf_of,
    )
    # The people and the offer are the rows just checked; the constraints are what was checked above
    # (and the database holds them anyway): only the fields people wrote are validated again.
    exchange.full_clean(
        exclude=["transfer", "listing", "recorded_by", "on_behalf_of"], validate_constraints=False
    )
    exchange.save()
    now = timezone.now()
    one_to_one = len(everyone) == 2
    parties = []
    for side, accounts in ((Side.GAVE, givers), (Side.RECEIVED, receivers)):
        for account in accounts:
            agreed = _operates(actor, account, on_behalf_of) or for_others
            needs = not agreed and (side == Side.RECEIVED or one_to_one)
            parties.append(
                ExchangeParty(
                    exchange=exchange,
                    account=account,
                    side=side,
                    must_confirm=needs,
                    confirmed_by=actor if agreed else None,
                    confirmed_at=now if agreed else None,
                )
            )
    ExchangeParty.objects.bulk_create(parties)
    audit.record(
        actor=actor,
        on_behalf_of=on_behalf_of,
        action="timebank.exchange.recorded",
        target=exchange,
        summary=_("Exchange recorded: %(what)s, %(hours)s (%(gave)s gave, %(received)s received)")
        % {
            "what": exchange.what,
            "hours": ledger.format_minutes(minutes),
            "gave": ", ".join(a.owner_name for a in givers),
            "received": ", ".join(a.owner_name for a in receivers),
        },
    )
    if not network.confirmation_required or not any(p.must_confirm for p in parties):
        _post(exchange, parties, actor=actor)
    exchange_recorded(exchange, parties, actor=actor)
    return exchange


def _post(exchange: Exchange, parties: Sequence[ExchangeParty], *, actor: User) -> None:
    """Put the exchange into the ledger. Raises ValidationError (and the caller's transaction rolls
    back) if a balance limit stands in the way."""
    accounts = {p.account_id: p.account for p in parties}
    happened_at = timezone.make_aware(dt.datetime.combine(exchange.happened_on, dt.time(12)))
    transfer = transfer_create(
        actor=actor,
        postings=[(accounts[pk], amount) for pk, amount in amounts(exchange, parties).items()],
        kind=TransferKind.EXCHANGE,
        description=exchange.what,
        key=f"exchange:{exchange.pk}",
        on_behalf_of=exchange.on_behalf_of,
        happened_at=happened_at,
    )
    exchange.transfer = transfer
    exchange.status = ExchangeStatus.CONFIRMED
    exchange.decided_at = timezone.now()
    exchange.save(update_fields=["transfer", "status", "decided_at"])
    exchange_confirmed(exchange, parties, actor=actor)


def _locked(exchange: Exchange) -> tuple[Exchange, list[ExchangeParty]]:
    # The race: two people confirming (or one confirming while another disputes, withdraws or a
    # coordinator resolves) at once. The row lock makes them take turns, so the second sees the
    # status and confirmations the first wrote, and the exchange is posted to the ledger only once.
    exchange = Exchange.objects.select_for_update().get(pk=exchange.pk)
    parties = list(exchange.parties.select_related("account__user", "account__organisation"))
    return exchange, parties


@transaction.atomic
def exchange_confirm(*, actor: User, exchange: Exchange) -> Exchange:
    exchange, parties = _locked(exchange)
    access.can_confirm(actor, exchange, parties).enforce()
    mine = access.waits_for(actor, exchange, parties)
    now = timezone.now()
    for party in mine:
        party.confirmed_by, party.confirmed_at = actor, now
        party.save(update_fields=["confirmed_by", "confirmed_at"])
    audit.record(
        actor=actor,
        action="timebank.exchange.confirmed",
        target=exchange,
        summary=_("Exchange confirmed: %(what)s") % {"what": exchange.what},
    )
    if all(p.confirmed_at is not None for p in parties if p.must_confirm):
        _post(exchange, parties, actor=actor)
    return exchange


@transaction.atomic
def exchange_dispute(*, actor: User, exchange: Exchange, reason: str) -> Exchange:
    """Someone on either side says it is not right; a coordinator will look at it."""
    exchange, parties = _locked(exchange)
    access.can_dispute(actor, exchange, parties).enforce()
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say what is not right, so that a coordinator can help.")})
    exchange.status, exchange.dispute_reason, exchange.disputed_by = ExchangeStatus.DISPUTED, reason, actor
    exchange.full_clean(exclude=["transfer"])
    exchange.save(update_fields=["status", "dispute_reason", "disputed_by"])
    audit.record(
        actor=actor,
        action="timebank.exchange.disputed",
        target=exchange,
        summary=_("Exchange disputed: %(what)s") % {"what": exchange.what},
    )
    exchange_disputed(exchange, parties, actor=actor)
    return exchange


@transaction.atomic
def exchange_resolve(
    *, actor: User, exchange: Exchange, accept: bool, resolution: str, minutes: int | None = None
) -> Exchange:
    """A coordinator settles a dispute: the exchange goes ahead (perhaps with corrected time) or not."""
    exchange, parties = _locked(exchange)
    access.can_resolve(actor, exchange).enforce()
    resolution = resolution.strip()
    if not resolution:
        raise ValidationError({"resolution": _("Say how it was resolved; both sides will see this.")})
    if minutes is not None and minutes != exchange.minutes:
        try:
            ledger.check_step(minutes)
        except ledger.LedgerError as error:
            raise ValidationError({"minutes": ledger_message(error)}) from error
        exchange.minutes = minutes
    exchange.resolution, exchange.resolved_by = resolution, actor
    if accept:
        exchange.save(update_fields=["minutes", "resolution", "resolved_by"])
        _post(exchange, parties, actor=actor)
    else:
        exchange.status, exchange.decided_at = ExchangeStatus.CANCELLED, timezone.now()
        exchange.save(update_fields=["minutes", "resolution", "resolved_by", "status", "decided_at"])
    audit.record(
        actor=actor,
        action="timebank.exchange.resolved",
        target=exchange,
        summary=(
            _("Dispute resolved, exchange confirmed: %(what)s")
            if accept
            else _("Dispute resolved, exchange cancelled: %(what)s")
        )
        % {"what": exchange.what},
    )
    return exchange


@transaction.atomic
def exchange_cancel(*, actor: User, exchange: Exchange) -> Exchange:
    """Whoever recorded an exchange may withdraw it while it waits for confirmation."""
    exchange, _parties = _locked(exchange)
    access.can_cancel(actor, exchange).enforce()
    exchange.status, exchange.decided_at = ExchangeStatus.CANCELLED, timezone.now()
    exchange.save(update_fields=["status", "decided_at"])
    audit.record(
        actor=actor,
        action="timebank.exchange.cancelled",
        target=exchange,
        summary=_("Exchange withdrawn: %(what)s") % {"what": exchange.what},
    )
    return exchange
