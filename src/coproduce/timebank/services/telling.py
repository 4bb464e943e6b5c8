"""Telling people about exchanges and time credits, through the notifications (the one recipient rule:
people who take part with help are not emailed; the facilitator who added them sees it to pass on).

Timebank notifications are about no space (the timebank is network-wide), but for time credits paid for
taking part in a space."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.urls import reverse

from coproduce.notifications.kinds import OnBehalfAct
from coproduce.notifications.services import acted_on_behalf, notify
from coproduce.people.models import OrganisationMembership, User
from coproduce.spaces.models import Space

from ..models import Account, AccountKind, Exchange, ExchangeParty, MemberStatus, Side


def _operators(accounts: Iterable[Account]) -> dict[int, dict[int, User]]:
    """account id -> the people who answer for it (by id): its person, or its organisation's admins. The
    people of personal accounts come with the accounts; organisations' admins cost one query, if any."""
    accounts = list(accounts)
    found: dict[int, dict[int, User]] = {a.pk: {} for a in accounts}
    by_org = {a.organisation_id: a.pk for a in accounts if a.kind == AccountKind.ORGANISATION}
    for account in accounts:
        if account.kind == AccountKind.PERSON and account.user is not None:
            found[account.pk][account.user.pk] = account.user
    if by_org:
        admins = OrganisationMembership.objects.filter(
            organisation_id__in=list(by_org), is_admin=True, approved=True
        ).select_related("user")
        for row in admins:
            found[by_org[row.organisation_id]][row.user_id] = row.user
    return found


def _everyone(operators: dict[int, dict[int, User]]) -> dict[int, User]:
    return {pk: user for people in operators.values() for pk, user in people.items()}


def _hours(minutes: int) -> str:
    return f"{minutes / 60:g}"


def exchange_recorded(exchange: Exchange, parties: Sequence[ExchangeParty], *, actor: User) -> None:
    """Who must confirm is told; a person it was recorded for is told it was done for them."""
    waiting = [p.account for p in parties if p.must_confirm and p.confirmed_at is None]
    if waiting and exchange.transfer_id is None:
        operators = _operators(waiting)
        notify(
            kind="exchange_to_confirm",
            recipients=_everyone(operators).values(),
            params={"person": actor.display_name},
            url=exchange.get_absolute_url(),
            actor=actor,
            text=exchange.what,
            key=f"exchange_to_confirm:{exchange.pk}",
        )
    acted_on_behalf(
        actor=actor,
        person=exchange.on_behalf_of,
        act=OnBehalfAct.EXCHANGE,
        url=exchange.get_absolute_url(),
        key=f"exchange:{exchange.pk}",
    )


def exchange_confirmed(exchange: Exchange, parties: Sequence[ExchangeParty], *, actor: User) -> None:
    """Everyone on either side (and whoever recorded it) hears that it is in the ledger, each with the
    names of the other side."""
    operators = _operators(p.account for p in parties)
    names = {side: [str(p.account.owner_name) for p in parties if p.side == side] for side in Side.values}
    told: dict[str, dict[int, User]] = {Side.GAVE: {}, Side.RECEIVED: {}}
    for party in parties:
        for pk, user in operators[party.account_id].items():
            if not any(pk in people for people in told.values()):
                told[party.side][pk] = user
    recorder = exchange.recorded_by_id
    audiences = [
        (list(told[Side.GAVE].values()), names[Side.RECEIVED]),
        (list(told[Side.RECEIVED].values()), names[Side.GAVE]),
    ]
    if recorder and exchange.recorded_by and not any(recorder in people for people in told.values()):
        # A coordinator who recorded it for others: "with" everyone in it.
        audiences.append(([exchange.recorded_by], names[Side.GAVE] + names[Side.RECEIVED]))
    for people, other in audiences:
        if not [p for p in people if p.pk != actor.pk]:
            continue
        notify(
            kind="exchange_confirmed",
            recipients=people,
            params={"person": ", ".join(other)},
            url=exchange.get_absolute_url(),
            actor=actor,
            text=exchange.what,
            key=f"exchange_confirmed:{exchange.pk}",
        )


def exchange_disputed(exchange: Exchange, parties: Sequence[ExchangeParty], *, actor: User) -> None:
    """The other side and whoever recorded it hear of it; the coordinators, that it needs settling."""
    involved = _everyone(_operators(p.account for p in parties))
    if exchange.recorded_by is not None:
        involved[exchange.recorded_by.pk] = exchange.recorded_by
    notify(
        kind="exchange_disputed",
        recipients=involved.values(),
        params={"person": actor.display_name},
        url=exchange.get_absolute_url(),
        actor=actor,
        text=exchange.dispute_reason,
        key=f"exchange_disputed:{exchange.pk}",
    )
    coordinators = User.objects.filter(
        timebank_member__is_coordinator=True, timebank_member__status=MemberStatus.APPROVED
    ).exclude(pk__in=list(involved))
    notify(
        kind="exchange_dispute_to_settle",
        recipients=coordinators,
        params={"person": actor.display_name},
        url=exchange.get_absolute_url(),
        actor=actor,
        text=exchange.dispute_reason,
        key=f"exchange_dispute_to_settle:{exchange.pk}",
    )


def credits_received(
    people: Iterable[User], *, minutes: int, transfer_id: int, actor: User | None, space: Space | None = None
) -> None:
    """Time credits paid to people (for taking part in `space`, or from the community pot)."""
    notify(
        kind="credits_received",
        recipients=list(people),
        params={"hours": _hours(minutes)},
        url=reverse("timebank:me"),
        space=space,
        actor=actor,
        key=f"credits_received:{transfer_id}",
    )
