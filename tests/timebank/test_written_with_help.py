"""An exchange a coordinator recorded for someone says so on its page, for the person to check."""

from __future__ import annotations

from django.urls import reverse

from coproduce.spaces import services as space_services
from coproduce.timebank import services

from .test_services import TODAY


def test_an_exchange_recorded_for_someone_is_marked(client_for, giver, receiver, accounts, coordinator):
    space_services.help_consent_set(actor=receiver, space=None, accepts=True)
    helped = services.exchange_record(
        actor=coordinator,
        gave=accounts[0],
        received=accounts[1],
        minutes=30,
        what="Phone call",
        happened_on=TODAY(),
        on_behalf_of=receiver,
    )
    own = services.exchange_record(
        actor=giver, gave=accounts[0], received=accounts[1], minutes=30, what="Shopping", happened_on=TODAY()
    )
    client = client_for(receiver)
    page = client.get(reverse("timebank:exchange", args=[helped.pk])).content.decode()
    assert "written with help from a facilitator, for" in page
    assert "written with help" not in client.get(reverse("timebank:exchange", args=[own.pk])).content.decode()
