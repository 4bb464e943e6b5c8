"""The ledger services: transfers, limits, reversals, the pot, and time credits for taking part."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from tests.conftest import make_person

from coproduce.core.models import AuditEvent
from coproduce.timebank import selectors, services
from coproduce.timebank.models import Account, Posting, Transfer, TransferKind

HOUR = 60


def balances(*accounts) -> list[int]:
    return [Account.objects.get(pk=a.pk).balance for a in accounts]


# --- participation_reward: the service other modules call ------------------------------------------


def test_reward_pays_everyone_from_the_organisation_in_one_transfer(
    space, host, member, practitioner, organisation
):
    transfer = services.participation_reward(
        actor=host,
        organisation=organisation,
        recipients=[member, practitioner],
        hours_minutes=2 * HOUR,
        description="Co-design workshop",
        space=space,
        key="meeting:1:attendance",
    )
    assert transfer.kind == TransferKind.REWARD
    assert transfer.space == space
    org = services.account_for_organisation(organisation)
    assert balances(org) == [-4 * HOUR]
    assert Account.objects.get(user=member).balance == 2 * HOUR
    assert Account.objects.get(user=practitioner).balance == 2 * HOUR
    assert sorted(transfer.postings.values_list("amount", flat=True)) == [-4 * HOUR, 2 * HOUR, 2 * HOUR]
    event = AuditEvent.objects.get(target_type="timebank.transfer", target_id=transfer.pk)
    assert event.space == space and event.actor == host
    assert selectors.verify() == []


def test_reward_is_idempotent_on_its_key(space, host, member, organisation):
    kwargs = {
        "actor": host,
        "organisation": organisation,
        "recipients": [member],
        "hours_minutes": HOUR,
        "description": "Meeting",
        "space": space,
        "key": "meeting:7",
    }
    first = services.participation_reward(**kwargs)
    second = services.participation_reward(**kwargs)
    assert first.pk == second.pk
    assert Transfer.objects.count() == 1
    assert Account.objects.get(user=member).balance == HOUR


def test_a_facilitator_may_reward_but_a_member_may_not(
    space, facilitator, member, practitioner, organisation
):
    services.participation_reward(
        actor=facilitator,
        organisation=organisation,
        recipients=[member],
        hours_minutes=30,
        description="Meeting",
        space=space,
        key="k1",
    )
    with pytest.raises(PermissionDenied):
        services.participation_reward(
            actor=member,
            organisation=organisation,
            recipients=[practitioner],
            hours_minutes=30,
            description="Meeting",
            space=space,
            key="k2",
        )
    assert not Transfer.objects.filter(key="k2").exists()


def test_an_organisation_admin_may_reward_without_a_space(host, member, organisation):
    transfer = services.participation_reward(
        actor=host,
        organisation=organisation,
        recipients=[member],
        hours_minutes=45,
        description="Reading group",
        key="k",
    )
    assert transfer.space is None


def test_reward_beyond_the_organisations_limit_pays_no_one(space, host, organisation):
    people = [make_person(f"Person {i}") for i in range(12)]
    with pytest.raises(ValidationError, match="lowest allowed balance"):
        services.participation_reward(
            actor=host,
            organisation=organisation,
            recipients=people,
            hours_minutes=2 * HOUR,
            description="Workshop",
            space=space,
            key="big",
        )
    assert Transfer.objects.count() == 0
    assert Posting.objects.count() == 0
    assert not Account.objects.exists()  # all or nothing: not even the accounts are made


def test_a_twelve_person_workshop_within_a_raised_limit(space, host, coordinator, organisation):
    org = services.account_for_organisation(organisation)
    services.account_limits_set(actor=coordinator, account=org, min_balance=-100 * HOUR, max_balance=None)
    people = [make_person(f"Person {i}") for i in range(12)]
    services.participation_reward(
        actor=host,
        organisation=organisation,
        recipients=people,
        hours_minutes=2 * HOUR,
        description="Workshop",
        space=space,
        key="big",
    )
    assert balances(org) == [-24 * HOUR]
    assert selectors.verify() == []


@pytest.mark.parametrize("minutes", [0, -15, 10, 61])
def test_reward_needs_whole_quarter_hours(host, member, organisation, minutes):
    with pytest.raises(ValidationError, match="quarter hours"):
        services.participation_reward(
            actor=host,
            organisation=organisation,
            recipients=[member],
            hours_minutes=minutes,
            description="x",
            key="k",
        )


def test_reward_needs_someone_to_pay(host, organisation):
    with pytest.raises(ValidationError, match="at least one person"):
        services.participation_reward(
            actor=host, organisation=organisation, recipients=[], hours_minutes=15, description="x", key="k"
        )


# --- transfers and limits ----------------------------------------------------------------------------


def test_a_transfer_moves_time_and_keeps_the_ledger_balanced(giver, receiver, accounts):
    a, b = accounts
    services.transfer_create(
        actor=giver, postings=[(a, -90), (b, 90)], kind=TransferKind.ADJUSTMENT, description="Test"
    )
    assert balances(a, b) == [-90, 90]
    assert selectors.verify() == []


def test_a_failed_transfer_inside_a_bigger_transaction_leaves_nothing_behind(giver, accounts):
    a, b = accounts
    with transaction.atomic():
        with pytest.raises(ValidationError):
            services.transfer_create(
                actor=giver,
                postings=[(a, -21 * HOUR), (b, 21 * HOUR)],
                kind=TransferKind.ADJUSTMENT,
                description="Too much",
            )
        assert Transfer.objects.count() == 0
    assert balances(a, b) == [0, 0]


def test_the_lowest_balance_is_enforced_and_the_message_says_so(giver, accounts):
    a, b = accounts
    services.transfer_create(
        actor=giver,
        postings=[(a, -20 * HOUR), (b, 20 * HOUR)],
        kind=TransferKind.ADJUSTMENT,
        description="Right to the limit",
    )
    with pytest.raises(ValidationError) as caught:
        services.transfer_create(
            actor=giver,
            postings=[(a, -15), (b, 15)],
            kind=TransferKind.ADJUSTMENT,
            description="One more quarter",
        )
    assert "Gita Giver" in caught.value.messages[0]
    assert "−20 h" in caught.value.messages[0]
    assert balances(a, b) == [-20 * HOUR, 20 * HOUR]


def test_the_highest_balance_is_enforced(coordinator, giver, accounts):
    a, b = accounts
    services.account_limits_set(actor=coordinator, account=b, min_balance=None, max_balance=HOUR)
    with pytest.raises(ValidationError, match="highest allowed balance"):
        services.transfer_create(
            actor=giver, postings=[(a, -75), (b, 75)], kind=TransferKind.ADJUSTMENT, description="x"
        )


def test_an_account_past_a_new_limit_may_still_move_back(coordinator, giver, accounts):
    a, b = accounts
    services.transfer_create(
        actor=giver, postings=[(a, -10 * HOUR), (b, 10 * HOUR)], kind=TransferKind.ADJUSTMENT, description="x"
    )
    services.account_limits_set(actor=coordinator, account=a, min_balance=-5 * HOUR, max_balance=None)
    services.transfer_create(
        actor=giver,
        postings=[(a, HOUR), (b, -HOUR)],
        kind=TransferKind.ADJUSTMENT,
        description="back towards the limit",
    )
    with pytest.raises(ValidationError):
        services.transfer_create(
            actor=giver,
            postings=[(a, -15), (b, 15)],
            kind=TransferKind.ADJUSTMENT,
            description="further past it",
        )


@pytest.mark.parametrize("postings", [[], [(0, 15)], [(0, 15), (1, -30)]])
def test_unbalanced_or_empty_transfers_are_refused(giver, accounts, postings):
    with pytest.raises(ValidationError):
        services.transfer_create(
            actor=giver,
            postings=[(accounts[i], n) for i, n in postings],
            kind=TransferKind.ADJUSTMENT,
            description="x",
        )
    assert Transfer.objects.count() == 0


def test_a_transfer_needs_a_description(giver, accounts):
    a, b = accounts
    with pytest.raises(ValidationError):
        services.transfer_create(
            actor=giver, postings=[(a, -15), (b, 15)], kind=TransferKind.ADJUSTMENT, description="  "
        )


# --- corrections ---------------------------------------------------------------------------------------


def test_a_reversal_mirrors_the_transfer_and_keeps_both(coordinator, giver, accounts):
    a, b = accounts
    original = services.transfer_create(
        actor=giver, postings=[(a, -HOUR), (b, HOUR)], kind=TransferKind.ADJUSTMENT, description="Oops"
    )
    reversal = services.transfer_reverse(actor=coordinator, transfer=original, reason="Recorded twice")
    assert reversal.reverses == original
    assert balances(a, b) == [0, 0]
    assert Posting.objects.count() == 4
    with pytest.raises(ValidationError, match="already been corrected"):
        services.transfer_reverse(actor=coordinator, transfer=original, reason="again")
    with pytest.raises(ValidationError, match="cannot itself be reversed"):
        services.transfer_reverse(actor=coordinator, transfer=reversal, reason="again")


def test_only_coordinators_reverse(giver, accounts):
    a, b = accounts
    original = services.transfer_create(
        actor=giver, postings=[(a, -HOUR), (b, HOUR)], kind=TransferKind.ADJUSTMENT, description="x"
    )
    with pytest.raises(PermissionDenied):
        services.transfer_reverse(actor=giver, transfer=original, reason="I changed my mind")


# --- the community pot ---------------------------------------------------------------------------------


def test_members_give_to_the_pot_and_coordinators_grant_from_it(coordinator, giver, receiver, accounts):
    a, b = accounts
    with pytest.raises(ValidationError, match="lowest allowed balance"):
        services.grant_from_pot(actor=coordinator, to=b, minutes=HOUR, description="Help")
    services.donate_to_pot(actor=giver, minutes=2 * HOUR)
    services.grant_from_pot(actor=coordinator, to=b, minutes=HOUR, description="Help with a move")
    assert balances(a, services.community_pot(), b) == [-2 * HOUR, HOUR, HOUR]
    with pytest.raises(PermissionDenied):
        services.grant_from_pot(actor=giver, to=a, minutes=15, description="to myself")


def test_outsiders_cannot_give_to_the_pot(outsider):
    with pytest.raises(PermissionDenied):
        services.donate_to_pot(actor=outsider, minutes=HOUR)


def test_network_limits_move_accounts_without_their_own(coordinator, accounts):
    a, b = accounts
    services.account_limits_set(actor=coordinator, account=b, min_balance=-HOUR, max_balance=HOUR)
    services.network_limits_set(actor=coordinator, min_balance=-10 * HOUR, max_balance=100 * HOUR)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.min_balance, a.max_balance) == (-10 * HOUR, 100 * HOUR)
    assert (b.min_balance, b.max_balance) == (-HOUR, HOUR)
    services.account_limits_set(actor=coordinator, account=b, min_balance=None, max_balance=None)
    b.refresh_from_db()
    assert (b.min_balance, b.max_balance, b.custom_limits) == (-10 * HOUR, 100 * HOUR, False)


def test_bad_limits_are_refused(coordinator, accounts):
    with pytest.raises(ValidationError):
        services.account_limits_set(
            actor=coordinator, account=accounts[0], min_balance=HOUR, max_balance=None
        )
    with pytest.raises(ValidationError):
        services.network_limits_set(actor=coordinator, min_balance=0, max_balance=-1)
