"""What the timebank tells people: an exchange to confirm, confirmed, disputed (and to the coordinators, to
settle), done on your behalf, and time credits received."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from coproduce.notifications import selectors
from coproduce.notifications.models import Notification
from coproduce.spaces import services as space_services
from coproduce.timebank import services

HOUR = 60


def told(kind: str) -> dict[int, Notification]:
    return {n.recipient_id: n for n in Notification.objects.filter(kind=kind)}


def record(actor, gave, received, **extra):
    return services.exchange_record(
        actor=actor,
        gave=gave,
        received=received,
        minutes=HOUR,
        what="Weeding",
        happened_on=timezone.localdate(),
        **extra,
    )


def test_the_other_side_is_asked_to_confirm_and_then_the_recorder_hears_it_is_confirmed(
    giver, receiver, accounts, coordinator
):
    exchange = record(giver, accounts[0], accounts[1])
    rows = told("exchange_to_confirm")
    assert set(rows) == {receiver.pk}  # not the giver who recorded it, not the coordinator
    assert (rows[receiver.pk].url, rows[receiver.pk].text) == (exchange.get_absolute_url(), "Weeding")
    assert rows[receiver.pk].space is None
    assert selectors.sentence(rows[receiver.pk]) == "Gita Giver recorded an exchange for you to confirm"
    assert not told("exchange_confirmed")
    services.exchange_confirm(actor=receiver, exchange=exchange)
    rows = told("exchange_confirmed")
    assert set(rows) == {giver.pk}  # not the receiver who confirmed it
    assert selectors.sentence(rows[giver.pk]) == "Your exchange with Rab Receiver was confirmed"


def test_without_confirmation_the_other_side_hears_it_is_in_the_ledger(
    giver, receiver, accounts, coordinator
):
    services.confirmation_required_set(actor=coordinator, required=False)
    record(giver, accounts[0], accounts[1])
    assert not told("exchange_to_confirm")
    rows = told("exchange_confirmed")
    assert set(rows) == {receiver.pk}
    assert rows[receiver.pk].params == {"person": "Gita Giver"}


def test_a_dispute_is_told_to_the_recorder_and_the_coordinators_but_not_the_disputer(
    giver, receiver, accounts, coordinator
):
    exchange = record(giver, accounts[0], accounts[1])
    services.exchange_dispute(actor=receiver, exchange=exchange, reason="It was 30 minutes")
    disputed = told("exchange_disputed")
    assert set(disputed) == {giver.pk}
    assert disputed[giver.pk].text == "It was 30 minutes"
    assert selectors.sentence(disputed[giver.pk]) == "Your exchange with Rab Receiver was disputed"
    to_settle = told("exchange_dispute_to_settle")
    assert set(to_settle) == {coordinator.pk}
    assert to_settle[coordinator.pk].url == reverse("timebank:exchange", args=[exchange.pk])


def test_an_organisations_admins_are_asked_to_confirm_for_it(giver, host, organisation):
    services.account_for_user(giver)
    record(giver, giver, organisation)
    assert set(told("exchange_to_confirm")) == {host.pk}


def test_a_coordinator_recording_for_someone_tells_them(giver, receiver, accounts, coordinator):
    space_services.help_consent_set(actor=receiver, space=None, accepts=True)
    exchange = record(coordinator, accounts[0], accounts[1], on_behalf_of=receiver)
    rows = told("acted_on_your_behalf")
    assert set(rows) == {receiver.pk}
    assert (
        rows[receiver.pk].params == {"act": "exchange"}
        and rows[receiver.pk].url == exchange.get_absolute_url()
    )
    assert set(told("exchange_to_confirm")) == {giver.pk}  # the giver still confirms


def test_people_hear_of_time_credits_for_taking_part_once(space, host, member, practitioner, organisation):
    kwargs = {
        "actor": host,
        "organisation": organisation,
        "recipients": [member, practitioner],
        "hours_minutes": 90,
        "description": "Co-design workshop",
        "space": space,
        "key": "meeting:1:attendance",
    }
    services.participation_reward(**kwargs)
    services.participation_reward(**kwargs)  # a retry pays nothing and tells nobody again
    rows = told("credits_received")
    assert set(rows) == {member.pk, practitioner.pk}
    assert Notification.objects.filter(kind="credits_received").count() == 2
    assert (rows[member.pk].space, rows[member.pk].url) == (space, reverse("timebank:me"))
    assert selectors.sentence(rows[member.pk]) == "You received 1.5 hours of time credits"


def test_hours_from_the_pot_are_told_too(giver, receiver, accounts, coordinator):
    services.donate_to_pot(actor=giver, minutes=2 * HOUR)
    assert not told("credits_received")  # a gift to the pot tells nobody
    services.grant_from_pot(actor=coordinator, to=receiver, minutes=2 * HOUR, description="Welcome")
    rows = told("credits_received")
    assert set(rows) == {receiver.pk} and rows[receiver.pk].params == {"hours": "2"}
