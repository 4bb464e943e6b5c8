"""Recording one exchange costs a fixed, small number of queries, through the service and through the web
page and the API (it took 21 through the service, 29 through the page, 37 through the API and 41 for a
first exchange before the network's settings were read once and both sides' accounts in one query).

Exact counts: a change that adds a query here must say why in this file. Savepoints count (the test runs
inside a transaction, so each `atomic` block is a SAVEPOINT and a RELEASE).
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from coproduce.people.models import User
from coproduce.timebank import services
from coproduce.timebank.models import Account, Exchange, ExchangeStatus, TimebankSettings

HOUR = 60

# The recording itself: SAVEPOINT, the network's settings, both sides' accounts with their people's
# timebank records (one query), the exchange, its parties (one INSERT), the audit record, RELEASE.
# Then the other side is told (notifications.services.notify): SAVEPOINT, the people told, their rows
# (one INSERT), the rows read back, their choices of delivery, RELEASE. Waiting for their confirmation, or,
# when it goes straight into the ledger, that it is confirmed: one notification either way.
RECORDING = 7 + 6


@pytest.fixture
def network(db):
    return TimebankSettings.current()


def record(actor, gave, received):
    return services.exchange_record(
        actor=actor,
        gave=gave,
        received=received,
        minutes=HOUR,
        what="Weeding",
        happened_on=timezone.localdate(),
    )


def test_recording_an_exchange_through_the_service(
    network, giver, receiver, accounts, django_assert_num_queries
):
    actor = User.objects.get(pk=giver.pk)  # nothing cached on the person yet
    # + the actor's timebank record (is she a member?)
    with django_assert_num_queries(RECORDING + 1):
        exchange = record(actor, accounts[0], accounts[1])
    assert exchange.status == ExchangeStatus.PENDING


def test_recording_an_exchange_that_goes_straight_into_the_ledger(
    network, giver, receiver, accounts, django_assert_num_queries
):
    TimebankSettings.objects.filter(pk=1).update(confirmation_required=False)
    actor = User.objects.get(pk=giver.pk)
    # + the actor's record; the transfer: SAVEPOINT, INSERT, one conditional UPDATE per account, the
    # postings (one INSERT), its audit record, RELEASE; and the exchange marked confirmed.
    with django_assert_num_queries(RECORDING + 1 + 8):
        exchange = record(actor, accounts[0], accounts[1])
    assert exchange.status == ExchangeStatus.CONFIRMED
    assert Account.objects.get(pk=accounts[0].pk).balance == HOUR


def test_people_and_organisations_are_taken_as_they_are(
    network, giver, receiver, accounts, django_assert_num_queries
):
    """The page and the API name people, not accounts: their accounts are found in the same one query."""
    actor = User.objects.get(pk=giver.pk)
    with django_assert_num_queries(RECORDING + 1):
        exchange = record(actor, actor, receiver)
    assert {p.account_id for p in exchange.parties.all()} == {a.pk for a in accounts}


def post_exchange(client, receiver):
    return client.post(
        reverse("timebank:exchange_new"),
        {
            "direction": "gave",
            "other": receiver.pk,
            "hours": "1",
            "what": "Weeding",
            "happened_on": timezone.localdate().isoformat(),
        },
    )


def test_recording_an_exchange_through_the_page(
    network, client_for, giver, receiver, accounts, django_assert_num_queries
):
    client = client_for(giver)
    # The session with the signed-in person (1, people/sessions.py); her timebank record and the
    # organisations she runs (for the form's "On behalf of"); the other person chosen in the form; then the
    # recording.
    with django_assert_num_queries(1 + 2 + 1 + RECORDING):
        response = post_exchange(client, receiver)
    assert response.status_code == 302
    assert Exchange.objects.get().status == ExchangeStatus.PENDING


def test_a_first_exchange_makes_the_accounts_inside_the_recording(
    client_for, giver, receiver, django_assert_num_queries
):
    client = client_for(giver)
    # As above, and: the settings' row made (SAVEPOINT, INSERT, RELEASE), each account made (SAVEPOINT,
    # INSERT, RELEASE) and the accounts read again.
    with django_assert_num_queries(1 + 2 + 1 + RECORDING + 3 + 2 * 3 + 1):
        response = post_exchange(client, receiver)
    assert response.status_code == 302
    assert Account.objects.filter(user__in=[giver, receiver]).count() == 2


def test_a_refused_first_exchange_leaves_no_account_behind(network, giver, outsider):
    with pytest.raises(ValidationError, match="not a member"):
        record(giver, giver, outsider)
    assert not Account.objects.exists()  # made inside the recording, and gone with it
