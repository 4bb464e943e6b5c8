"""The timebank on the personal home: exchanges to confirm; for coordinators, disputes and newcomers."""

from __future__ import annotations

from django.utils import timezone

from coproduce.core.registry import Urgency
from coproduce.timebank import selectors, services


def test_an_exchange_waits_for_the_other_sides_confirmation(giver, receiver, outsider):
    exchange = services.exchange_record(
        actor=giver,
        gave=giver,
        received=receiver,
        minutes=90,
        what="Gardening",
        happened_on=timezone.localdate(),
    )
    [item] = selectors.waiting_items(receiver)
    assert item.kind == "exchange_to_confirm" and item.title == "Confirm the exchange: Gardening"
    assert item.url == exchange.get_absolute_url() and item.urgency == Urgency.WAITING_ON_YOU
    assert item.space_title == ""
    assert selectors.waiting_items(giver) == [] and selectors.waiting_items(outsider) == []
    services.exchange_confirm(actor=receiver, exchange=exchange)
    assert selectors.waiting_items(receiver) == []


def test_coordinators_see_disputes_and_newcomers(giver, receiver, coordinator, newcomer):
    exchange = services.exchange_record(
        actor=giver,
        gave=giver,
        received=receiver,
        minutes=30,
        what="Shopping",
        happened_on=timezone.localdate(),
    )
    services.exchange_dispute(actor=receiver, exchange=exchange, reason="It was only ten minutes.")
    kinds = {item.kind: item for item in selectors.waiting_items(coordinator)}
    assert set(kinds) == {"dispute", "member_to_welcome"}
    assert kinds["dispute"].detail == "It was only ten minutes."
    assert kinds["member_to_welcome"].title == "Welcome Nina Newcomer to the timebank"
    assert selectors.waiting_items(giver) == [] and selectors.waiting_items(newcomer) == []
