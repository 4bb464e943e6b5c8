"""Services for members, offers and requests, exchanges and CSV import."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from tests.conftest import make_person
from tests.timebank.conftest import approved

from coproduce.core.models import AuditEvent
from coproduce.spaces import services as space_services
from coproduce.spaces.access import Refused
from coproduce.timebank import selectors, services
from coproduce.timebank.models import (
    Account,
    Category,
    Exchange,
    ExchangeStatus,
    MemberStatus,
    TimebankMember,
    Transfer,
)

HOUR = 60
TODAY = timezone.localdate


def balance(user) -> int:
    return Account.objects.get(user=user).balance


# --- membership ------------------------------------------------------------------------------------------


def test_join_then_approval_opens_an_account(outsider, coordinator):
    record = services.member_join(actor=outsider, area="Paisley")
    with pytest.raises(ValidationError):
        services.member_join(actor=outsider)
    with pytest.raises(PermissionDenied):
        services.member_decide(actor=outsider, member=record, approve=True)
    services.member_decide(actor=coordinator, member=record, approve=True, note="Met in person")
    record.refresh_from_db()
    assert record.status == MemberStatus.APPROVED and record.decided_by == coordinator
    assert Account.objects.filter(user=outsider).exists()
    with pytest.raises(ValidationError, match="already been decided"):
        services.member_decide(actor=coordinator, member=record, approve=False, note="x")


def test_the_safeguarding_note_never_reaches_the_audit_log(newcomer, coordinator):
    record = TimebankMember.objects.get(user=newcomer)
    services.member_decide(
        actor=coordinator, member=record, approve=False, note="Concerns raised by a referrer"
    )
    services.member_note_set(actor=coordinator, member=record, note="Spoke again: still concerned")
    assert not AuditEvent.objects.filter(summary__icontains="concern").exists()
    assert not AuditEvent.objects.filter(changes__icontains="concern").exists()


def test_coordinators_appoint_coordinators(coordinator, giver):
    record = TimebankMember.objects.get(user=giver)
    with pytest.raises(PermissionDenied):
        services.coordinator_set(actor=giver, member=record, is_coordinator=True)
    services.coordinator_set(actor=coordinator, member=record, is_coordinator=True)
    assert TimebankMember.objects.get(user=giver).is_coordinator


def test_preferences(giver):
    services.member_preferences_set(actor=giver, share_balance="members", area="Renfrew")
    with pytest.raises(ValidationError):
        services.member_preferences_set(actor=giver, share_balance="everyone")


# --- offers, requests and matches ----------------------------------------------------------------------------


def test_listings_are_for_members(outsider, newcomer):
    for person in (outsider, newcomer):
        with pytest.raises(PermissionDenied):
            services.listing_create(actor=person, kind="offer", title="x", category=Category.objects.first())


def test_listing_validation(giver):
    with pytest.raises(ValidationError):
        services.listing_create(actor=giver, kind="offer", title="", category=Category.objects.first())
    with pytest.raises(ValidationError):
        services.listing_create(actor=giver, kind="swap", title="x", category=Category.objects.first())
    with pytest.raises(ValidationError):
        services.listing_create(
            actor=giver,
            kind="offer",
            title="x",
            category=Category.objects.first(),
            ends_on=TODAY() - dt.timedelta(days=1),
        )


def test_matches_say_why(giver, receiver):
    gardening, lifts = Category.objects.get(slug="gardening"), Category.objects.get(slug="lifts")
    request = services.listing_create(
        actor=receiver,
        kind="request",
        title="Lift to the hospital on Tuesdays",
        category=lifts,
        tags="lifts, hospital",
    )
    same_category = services.listing_create(
        actor=giver, kind="offer", title="Driving", category=lifts, tags="lifts"
    )
    words_only = services.listing_create(
        actor=giver,
        kind="offer",
        title="Hospital visits and company",
        category=Category.objects.get(slug="befriending"),
    )
    unrelated = services.listing_create(actor=giver, kind="offer", title="Weeding", category=gardening)
    services.listing_create(actor=receiver, kind="offer", title="My own lift offer", category=lifts)
    matches = selectors.matches_for(request)
    assert [m.listing for m in matches] == [same_category, words_only]
    assert matches[0].reason_text == "same category: Lifts and transport; shared tags: lifts"
    assert matches[1].reason_text == "shared words: hospital"
    assert unrelated not in [m.listing for m in matches]


def test_closed_and_ended_listings_are_not_shown(giver):
    category = Category.objects.first()
    old = services.listing_create(
        actor=giver, kind="offer", title="Old", category=category, ends_on=TODAY() + dt.timedelta(days=1)
    )
    closed = services.listing_create(actor=giver, kind="offer", title="Closed", category=category)
    services.listing_update(actor=giver, listing=closed, is_open=False)
    with __import__("time_machine").travel(timezone.now() + dt.timedelta(days=3)):
        assert list(selectors.listings()) == []
    assert list(selectors.listings()) == [old]


def test_search(giver):
    category = Category.objects.get(slug="digital")
    laptop = services.listing_create(
        actor=giver,
        kind="offer",
        title="Help with a laptop",
        category=category,
        tags="computers",
        area="Paisley",
    )
    services.listing_create(
        actor=giver, kind="request", title="Painting a fence", category=Category.objects.first()
    )
    assert list(selectors.listings(q="laptop")) == [laptop]
    assert list(selectors.listings(tag="computers")) == [laptop]
    assert list(selectors.listings(area="paisley")) == [laptop]
    assert list(selectors.listings(kind="offer", category=category)) == [laptop]


def test_only_the_owner_or_a_coordinator_changes_a_listing(giver, receiver, coordinator):
    listing = services.listing_create(actor=giver, kind="offer", title="x", category=Category.objects.first())
    with pytest.raises(PermissionDenied):
        services.listing_update(actor=receiver, listing=listing, title="mine now")
    services.listing_update(actor=coordinator, listing=listing, title="Tidied title")
    assert AuditEvent.objects.filter(action="timebank.offer.updated", on_behalf_of=giver).exists()


# --- exchanges -------------------------------------------------------------------------------------------------


def test_either_side_records_and_the_other_confirms(giver, receiver, accounts):
    a, b = accounts
    exchange = services.exchange_record(
        actor=receiver, gave=a, received=b, minutes=45, what="Shopping", happened_on=TODAY()
    )
    assert exchange.status == ExchangeStatus.PENDING
    with pytest.raises(PermissionDenied):
        services.exchange_confirm(actor=receiver, exchange=exchange)
    services.exchange_confirm(actor=giver, exchange=exchange)
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.CONFIRMED
    assert (balance(giver), balance(receiver)) == (45, -45)
    assert exchange.transfer.happened_at.date() == TODAY()


def test_without_confirmation_the_exchange_posts_at_once(giver, receiver, accounts, coordinator):
    services.confirmation_required_set(actor=coordinator, required=False)
    exchange = services.exchange_record(
        actor=giver, gave=accounts[0], received=accounts[1], minutes=60, what="Shopping", happened_on=TODAY()
    )
    assert exchange.status == ExchangeStatus.CONFIRMED
    assert balance(receiver) == -HOUR


def test_you_cannot_record_for_strangers(giver, receiver, coordinator):
    third = make_person("Third Member")
    approved(third)
    with pytest.raises(PermissionDenied):
        services.exchange_record(
            actor=third,
            gave=services.account_for_user(giver),
            received=services.account_for_user(receiver),
            minutes=15,
            what="x",
            happened_on=TODAY(),
        )


def test_coordinators_record_for_someone_who_asked_and_it_is_audited(giver, receiver, accounts, coordinator):
    space_services.help_consent_set(actor=receiver, space=None, accepts=True)  # None: the timebank
    exchange = services.exchange_record(
        actor=coordinator,
        gave=accounts[0],
        received=accounts[1],
        minutes=30,
        what="Phone call",
        happened_on=TODAY(),
        on_behalf_of=receiver,
    )
    assert exchange.status == ExchangeStatus.PENDING  # the giver still confirms
    event = AuditEvent.objects.get(action="timebank.exchange.recorded")
    assert event.actor == coordinator and event.on_behalf_of == receiver
    with pytest.raises(PermissionDenied):
        services.exchange_record(
            actor=giver,
            gave=accounts[0],
            received=accounts[1],
            minutes=30,
            what="x",
            happened_on=TODAY(),
            on_behalf_of=receiver,
        )


def test_nobody_records_for_a_member_with_an_account_who_did_not_ask(giver, receiver, accounts, coordinator):
    """Recording "for" someone agrees to the exchange in their name: only for people without an account or
    who asked for help (spaces.access.can_act_for), and only for someone in the exchange."""
    record = {
        "gave": accounts[0],
        "received": accounts[1],
        "minutes": 30,
        "what": "Phone call",
        "happened_on": TODAY(),
    }
    with pytest.raises(Refused) as caught:
        services.exchange_record(actor=coordinator, on_behalf_of=receiver, **record)
    assert "has not asked to be helped" in caught.value.message_dict["on_behalf_of"][0]
    assert not Exchange.objects.exists() and not AuditEvent.objects.filter(on_behalf_of=receiver).exists()
    space_services.help_consent_set(actor=receiver, space=None, accepts=True)
    space_services.help_consent_set(actor=receiver, space=None, accepts=False)  # and changed their mind
    with pytest.raises(Refused):
        services.exchange_record(actor=coordinator, on_behalf_of=receiver, **record)
    bystander = make_person("Bea Bystander")
    approved(bystander)
    space_services.help_consent_set(actor=bystander, space=None, accepts=True)
    with pytest.raises(ValidationError) as caught:
        services.exchange_record(actor=coordinator, on_behalf_of=bystander, **record)
    assert "not part of this exchange" in caught.value.message_dict["on_behalf_of"][0]
    assert not Exchange.objects.exists()


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"minutes": 20}, "minutes"),
        ({"minutes": 0}, "minutes"),
        ({"what": " "}, "what"),
        ({"happened_on": dt.date(2999, 1, 1)}, "happened_on"),
    ],
)
def test_bad_exchanges_name_the_field_and_write_nothing(giver, accounts, kwargs, field):
    base = {"gave": accounts[0], "received": accounts[1], "minutes": 30, "what": "x", "happened_on": TODAY()}
    with pytest.raises(ValidationError) as caught:
        services.exchange_record(actor=giver, **{**base, **kwargs})
    assert field in caught.value.message_dict
    assert Exchange.objects.count() == 0


def test_nobody_gives_to_themself_and_non_members_cannot_take_part(giver, outsider, accounts):
    with pytest.raises(ValidationError):
        services.exchange_record(
            actor=giver, gave=accounts[0], received=accounts[0], minutes=15, what="x", happened_on=TODAY()
        )
    with pytest.raises(ValidationError, match="not a member"):
        services.exchange_record(
            actor=giver,
            gave=accounts[0],
            received=services.account_for_user(outsider),
            minutes=15,
            what="x",
            happened_on=TODAY(),
        )


def test_a_workshop_credits_twelve_people_from_the_host_organisation_all_or_nothing(
    host, organisation, coordinator
):
    people = [make_person(f"Participant {i}") for i in range(12)]
    for person in people:
        approved(person)
    org = services.account_for_organisation(organisation)
    accounts = [services.account_for_user(p) for p in people]
    # Over the organisation's limit: nobody is credited.
    with pytest.raises(ValidationError, match="Riverside Trust"):
        services.exchange_record(
            actor=host, gave=accounts, received=org, minutes=2 * HOUR, what="Workshop", happened_on=TODAY()
        )
    assert Exchange.objects.count() == 0 and Transfer.objects.count() == 0
    services.account_limits_set(actor=coordinator, account=org, min_balance=-50 * HOUR, max_balance=None)
    exchange = services.exchange_record(
        actor=host, gave=accounts, received=org, minutes=2 * HOUR, what="Workshop", happened_on=TODAY()
    )
    assert exchange.status == ExchangeStatus.CONFIRMED  # the paying side recorded it
    assert Account.objects.get(pk=org.pk).balance == -24 * HOUR
    assert {a.balance for a in Account.objects.filter(user__in=people)} == {2 * HOUR}
    assert selectors.verify() == []


def test_many_to_one_needs_each_payer_to_confirm(giver, receiver, coordinator):
    third = make_person("Third Member")
    approved(third)
    teacher = services.account_for_user(giver)
    learners = [services.account_for_user(receiver), services.account_for_user(third)]
    exchange = services.exchange_record(
        actor=giver,
        gave=teacher,
        received=learners,
        minutes=HOUR,
        what="Phone skills class",
        happened_on=TODAY(),
    )
    services.exchange_confirm(actor=receiver, exchange=exchange)
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.PENDING
    services.exchange_confirm(actor=third, exchange=exchange)
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.CONFIRMED
    assert balance(giver) == 2 * HOUR


def test_group_exchanges_have_one_account_on_one_side(giver, receiver, coordinator, host, organisation):
    third = make_person("Third Member")
    approved(third)
    with pytest.raises(ValidationError, match="one person or organisation"):
        services.exchange_record(
            actor=giver,
            gave=[services.account_for_user(giver), services.account_for_user(third)],
            received=[services.account_for_user(receiver), services.account_for_organisation(organisation)],
            minutes=15,
            what="x",
            happened_on=TODAY(),
        )


def test_dispute_then_cancel(giver, receiver, accounts, coordinator):
    exchange = services.exchange_record(
        actor=giver,
        gave=accounts[0],
        received=accounts[1],
        minutes=HOUR,
        what="Decorating",
        happened_on=TODAY(),
    )
    with pytest.raises(PermissionDenied):
        services.exchange_dispute(actor=giver, exchange=exchange, reason="I recorded it")
    with pytest.raises(ValidationError):
        services.exchange_dispute(actor=receiver, exchange=exchange, reason=" ")
    services.exchange_dispute(actor=receiver, exchange=exchange, reason="It never happened")
    with pytest.raises(ValidationError):
        services.exchange_confirm(actor=receiver, exchange=exchange)
    with pytest.raises(ValidationError):
        services.exchange_resolve(actor=coordinator, exchange=exchange, accept=False, resolution="")
    services.exchange_resolve(
        actor=coordinator, exchange=exchange, accept=False, resolution="Mixed up the dates"
    )
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.CANCELLED
    assert Transfer.objects.count() == 0


def test_the_recorder_may_withdraw_while_pending(giver, receiver, accounts):
    exchange = services.exchange_record(
        actor=giver,
        gave=accounts[0],
        received=accounts[1],
        minutes=HOUR,
        what="Decorating",
        happened_on=TODAY(),
    )
    with pytest.raises(PermissionDenied):
        services.exchange_cancel(actor=receiver, exchange=exchange)
    services.exchange_cancel(actor=giver, exchange=exchange)
    with pytest.raises(ValidationError):
        services.exchange_confirm(actor=receiver, exchange=exchange)


def test_give_and_receive_counts_exchanges_not_corrections(giver, receiver, accounts, coordinator):
    exchange = services.exchange_record(
        actor=receiver,
        gave=accounts[0],
        received=accounts[1],
        minutes=2 * HOUR,
        what="x",
        happened_on=TODAY(),
    )
    services.exchange_confirm(actor=giver, exchange=exchange)
    flow = selectors.give_and_receive(accounts[0])
    assert (flow.given, flow.received, flow.pattern) == (2 * HOUR, 0, "gives")
    exchange.refresh_from_db()
    services.transfer_reverse(actor=coordinator, transfer=exchange.transfer, reason="duplicate")
    flow = selectors.give_and_receive(accounts[0])
    assert (flow.given, flow.received, flow.pattern) == (0, 0, "none")


# --- CSV import ----------------------------------------------------------------------------------------------

HEADER = "date,giver,receiver,hours,description\n"


def test_import_is_all_or_nothing_and_names_every_bad_row(coordinator, giver, receiver, organisation):
    data = HEADER + (
        "2023-05-01,gita.giver@example.org,rab.receiver@example.org,1.5,Garden\n"
        "2023-05-02,GITA.GIVER@example.org,org:riverside-trust,2,Workshop\n"
        "not a date,gita.giver@example.org,rab.receiver@example.org,1,Lift\n"
        "2023-05-04,someone@else.org,rab.receiver@example.org,1.1,\n"
        "2023-05-05,pot,pot,1,Gift\n"
    )
    with pytest.raises(ValidationError) as caught:
        services.history_import(actor=coordinator, data=data)
    messages = caught.value.messages
    assert messages[0].startswith("Row 4:") and "date" in messages[0]
    assert (
        messages[1].startswith("Row 5:")
        and "someone@else.org" in messages[1]
        and "quarter hours" in messages[1]
    )
    assert "description is empty" in messages[1]
    assert messages[2].startswith("Row 6:") and "same" in messages[2]
    assert Transfer.objects.count() == 0


def test_import_ignores_limits_and_twice_is_once(coordinator, giver, receiver, organisation):
    data = (
        HEADER + "2023-05-01,gita.giver@example.org,rab.receiver@example.org,300,Years of gardening\n"
        "2023-05-02,org:riverside-trust,pot,1,Gift\n"
    )
    result = services.history_import(actor=coordinator, data=data.encode(), source="Old timebank")
    assert (result.transfers, result.minutes) == (2, 301 * HOUR)
    assert balance(giver) == 300 * HOUR  # beyond the usual +200 h: imported history already happened
    again = services.history_import(actor=coordinator, data=data.encode())
    assert (again.transfers, again.already_imported) == (0, 2)
    assert selectors.verify() == []
    assert Transfer.objects.filter(kind="import").count() == 2


@pytest.mark.parametrize(
    "data, message",
    [
        ("who,what\n1,2\n", "missing"),
        (HEADER, "no rows"),
        (b"\xff\xfe\x00", "UTF-8"),
    ],
)
def test_import_refuses_unreadable_files(coordinator, data, message):
    with pytest.raises(ValidationError, match=message):
        services.history_import(actor=coordinator, data=data)


def test_only_coordinators_import(giver):
    with pytest.raises(PermissionDenied):
        services.history_import(actor=giver, data=HEADER)


def test_csv_cells_cannot_become_formulas(coordinator, giver, receiver, accounts):
    exchange = services.exchange_record(
        actor=receiver,
        gave=accounts[0],
        received=accounts[1],
        minutes=HOUR,
        what='=HYPERLINK("http://x")',
        happened_on=TODAY(),
    )
    services.exchange_confirm(actor=giver, exchange=exchange)
    assert "'=HYPERLINK" in selectors.exchanges_csv()
    assert ",-1," in selectors.statement_csv(accounts[1])
