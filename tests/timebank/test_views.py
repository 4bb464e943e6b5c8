"""Timebank pages: the main journeys, bad input, and query counts (who may see what: test_access.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.conftest import make_person
from tests.timebank.conftest import approved

from coproduce.core.models import AuditEvent
from coproduce.timebank import services
from coproduce.timebank.models import (
    Account,
    Category,
    Exchange,
    ExchangeStatus,
    Listing,
    MemberStatus,
    ShareBalance,
    TimebankMember,
    Transfer,
)

HOUR = 60


@pytest.fixture
def offer(giver):
    return services.listing_create(
        actor=giver,
        kind="offer",
        title="Help in the garden",
        category=Category.objects.get(slug="gardening"),
        tags="weeding, lifts",
    )


@pytest.fixture
def exchange(giver, receiver, accounts):
    a, b = accounts
    return services.exchange_record(
        actor=giver, gave=a, received=b, minutes=90, what="Weeding", happened_on=timezone.localdate()
    )


# The access matrix for every page is in test_access.py.


def test_a_shared_balance_is_visible_to_members_but_not_outsiders(
    giver, receiver, outsider, client_for, accounts
):
    url = reverse("timebank:account", args=[accounts[0].pk])
    assert client_for(receiver).get(url).status_code == 404
    services.member_preferences_set(actor=giver, share_balance=ShareBalance.MEMBERS)
    assert client_for(receiver).get(url).status_code == 200
    assert client_for(outsider).get(url).status_code == 404
    # Seeing a shared balance is not the same as downloading someone's statement.
    assert client_for(receiver).get(reverse("timebank:statement", args=[accounts[0].pk])).status_code == 403


def test_network_staff_are_coordinators(admin_user, client_for):
    assert client_for(admin_user).get(reverse("timebank:dashboard")).status_code == 200


# --- journeys -------------------------------------------------------------------------------------------


def test_join_and_be_approved_with_a_private_note(client_for, outsider, coordinator):
    response = client_for(outsider).post(
        reverse("timebank:join"), {"area": "Paisley", "about": "I like baking"}
    )
    assert response.status_code == 302
    record = TimebankMember.objects.get(user=outsider)
    assert record.status == MemberStatus.PENDING
    page = client_for(coordinator).get(reverse("timebank:members"))
    assert "Otto Outsider" in page.content.decode()
    response = client_for(coordinator).post(
        reverse("timebank:member", args=[record.pk]),
        {"action": "approve", "safeguarding_note": "Met at the library"},
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == MemberStatus.APPROVED
    assert record.safeguarding_note == "Met at the library"
    assert not AuditEvent.objects.filter(summary__contains="library").exists()
    # The member never sees the note.
    assert "library" not in client_for(outsider).get(reverse("timebank:me")).content.decode()


def test_declining_needs_a_reason(client_for, coordinator, newcomer):
    record = TimebankMember.objects.get(user=newcomer)
    response = client_for(coordinator).post(
        reverse("timebank:member", args=[record.pk]), {"action": "decline"}
    )
    assert response.status_code == 400
    assert "Say why" in response.content.decode()
    record.refresh_from_db()
    assert record.status == MemberStatus.PENDING


def test_post_an_offer_then_another_member_records_and_the_giver_confirms(client_for, giver, receiver):
    response = client_for(giver).post(
        reverse("timebank:listing_new"),
        {
            "kind": "offer",
            "title": "Lifts to the hospital",
            "category": Category.objects.get(slug="lifts").pk,
            "tags": "lifts, hospital",
            "area": "Paisley",
        },
    )
    assert response.status_code == 302
    listing = Listing.objects.get()
    assert sorted(t.name for t in listing.tags.all()) == ["hospital", "lifts"]
    form = client_for(receiver).get(reverse("timebank:exchange_new") + f"?listing={listing.pk}")
    assert form.status_code == 200
    response = client_for(receiver).post(
        reverse("timebank:exchange_new"),
        {
            "direction": "received",
            "other": giver.pk,
            "hours": "1.5",
            "what": "Lift to the RAH",
            "happened_on": timezone.localdate().isoformat(),
            "listing": listing.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()
    exchange = Exchange.objects.get()
    assert exchange.status == ExchangeStatus.PENDING
    assert exchange.listing == listing
    assert "Lift to the RAH" in client_for(giver).get(reverse("timebank:home")).content.decode()
    response = client_for(giver).post(reverse("timebank:exchange_confirm", args=[exchange.pk]))
    assert response.status_code == 302
    assert Account.objects.get(user=giver).balance == 90
    assert Account.objects.get(user=receiver).balance == -90
    page = client_for(giver).get(reverse("timebank:me")).content.decode()
    assert "1.5 h" in page
    assert "asking for help is part of timebanking" in page


def test_bad_exchange_input_keeps_the_form_and_writes_nothing(client_for, giver, receiver):
    response = client_for(giver).post(
        reverse("timebank:exchange_new"),
        {
            "direction": "gave",
            "other": receiver.pk,
            "hours": "1.1",
            "what": "Weeding",
            "happened_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "quarter hours" in body
    assert 'value="Weeding"' in body
    assert Exchange.objects.count() == 0


def test_future_exchanges_are_refused(client_for, giver, receiver):
    response = client_for(giver).post(
        reverse("timebank:exchange_new"),
        {
            "direction": "gave",
            "other": receiver.pk,
            "hours": "1",
            "what": "Weeding",
            "happened_on": (timezone.localdate() + dt.timedelta(days=2)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "cannot be in the future" in response.content.decode()


def test_limit_failure_on_confirmation_is_explained_and_nothing_moves(
    client_for, giver, receiver, accounts, coordinator
):
    a, b = accounts
    services.account_limits_set(actor=coordinator, account=b, min_balance=-HOUR, max_balance=None)
    exchange = services.exchange_record(
        actor=giver, gave=a, received=b, minutes=2 * HOUR, what="Painting", happened_on=timezone.localdate()
    )
    response = client_for(receiver).post(reverse("timebank:exchange_confirm", args=[exchange.pk]))
    assert response.status_code == 400
    assert "lowest allowed balance" in response.content.decode()
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.PENDING
    assert Transfer.objects.count() == 0


def test_dispute_and_resolve(client_for, giver, receiver, coordinator, exchange):
    response = client_for(receiver).post(
        reverse("timebank:exchange_dispute", args=[exchange.pk]), {"reason": ""}
    )
    assert response.status_code == 400
    response = client_for(receiver).post(
        reverse("timebank:exchange_dispute", args=[exchange.pk]), {"reason": "It was one hour"}
    )
    assert response.status_code == 302
    response = client_for(coordinator).post(
        reverse("timebank:exchange_resolve", args=[exchange.pk]),
        {"decision": "accept", "hours": "1", "resolution": "Talked to both: one hour."},
    )
    assert response.status_code == 302
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.CONFIRMED
    assert Account.objects.get(user=giver).balance == HOUR


def test_members_cannot_resolve(client_for, giver, exchange):
    response = client_for(giver).post(
        reverse("timebank:exchange_resolve", args=[exchange.pk]), {"decision": "accept", "resolution": "mine"}
    )
    assert response.status_code == 403


def test_group_exchange_by_an_organisation_admin(
    client_for, host, organisation, giver, receiver, coordinator
):
    org = services.account_for_organisation(organisation)
    services.account_limits_set(actor=coordinator, account=org, min_balance=-100 * HOUR, max_balance=None)
    response = client_for(host).post(
        reverse("timebank:exchange_group"),
        {
            "organisation": organisation.pk,
            "direction": "from_people",
            "people": [giver.pk, receiver.pk],
            "hours": "2",
            "what": "Co-design workshop",
            "happened_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert Account.objects.get(pk=org.pk).balance == -4 * HOUR
    assert Account.objects.get(user=giver).balance == 2 * HOUR


def test_group_exchange_page_is_for_organisation_admins(client_for, giver):
    assert client_for(giver).get(reverse("timebank:exchange_group")).status_code == 403


def test_pot_give_and_grant(client_for, giver, receiver, coordinator):
    response = client_for(giver).post(reverse("timebank:pot"), {"action": "give", "hours": "2"})
    assert response.status_code == 302
    response = client_for(giver).post(
        reverse("timebank:pot"), {"action": "grant", "to": receiver.pk, "hours": "1", "description": "x"}
    )
    assert response.status_code == 403
    response = client_for(coordinator).post(
        reverse("timebank:pot"),
        {"action": "grant", "to": receiver.pk, "hours": "1", "description": "Help after an operation"},
    )
    assert response.status_code == 302
    assert services.community_pot().balance == HOUR


def test_coordinator_corrects_a_transfer(client_for, coordinator, giver, accounts):
    a, b = accounts
    transfer = services.transfer_create(
        actor=giver, postings=[(a, -HOUR), (b, HOUR)], kind="adjustment", description="Wrong"
    )
    assert client_for(giver).get(reverse("timebank:transfer_reverse", args=[transfer.pk])).status_code == 403
    response = client_for(coordinator).post(
        reverse("timebank:transfer_reverse", args=[transfer.pk]), {"reason": ""}
    )
    assert response.status_code == 400
    response = client_for(coordinator).post(
        reverse("timebank:transfer_reverse", args=[transfer.pk]), {"reason": "Entered by mistake"}
    )
    assert response.status_code == 302
    assert Account.objects.get(pk=a.pk).balance == 0


def test_coordinator_changes_limits_and_settings(client_for, coordinator, accounts):
    a, _b = accounts
    response = client_for(coordinator).post(
        reverse("timebank:account_limits", args=[a.pk]), {"min_hours": "-5", "max_hours": "50"}
    )
    assert response.status_code == 302
    assert Account.objects.get(pk=a.pk).min_balance == -5 * HOUR
    response = client_for(coordinator).post(
        reverse("timebank:account_limits", args=[a.pk]), {"min_hours": "5", "max_hours": "50"}
    )
    assert response.status_code == 400
    response = client_for(coordinator).post(
        reverse("timebank:settings"), {"min_hours": "-10", "max_hours": "100"}
    )
    assert response.status_code == 302
    from coproduce.timebank.models import TimebankSettings

    assert TimebankSettings.current().confirmation_required is False
    assert TimebankSettings.current().default_min_balance == -10 * HOUR


def test_csv_exports(client_for, coordinator, exchange, receiver):
    services.exchange_confirm(actor=receiver, exchange=exchange)
    body = client_for(coordinator).get(reverse("timebank:export_exchanges")).content.decode()
    assert "Weeding" in body and "1.5" in body
    body = client_for(coordinator).get(reverse("timebank:export_balances")).content.decode()
    assert "Gita Giver" in body
    body = client_for(receiver).get(
        reverse("timebank:statement", args=[Account.objects.get(user=receiver).pk])
    )
    assert "-1.5" in body.content.decode()


def test_import_names_the_bad_row_and_imports_nothing(client_for, coordinator, giver, receiver):
    from django.core.files.uploadedfile import SimpleUploadedFile

    rows = (
        "date,giver,receiver,hours,description\n2024-01-05,gita.giver@example.org,rab.receiver@example.org,2,Garden\n"
        "2024-01-06,nobody@example.org,rab.receiver@example.org,1,Lift\n"
    )
    response = client_for(coordinator).post(
        reverse("timebank:import"),
        {"file": SimpleUploadedFile("old.csv", rows.encode(), content_type="text/csv")},
    )
    assert response.status_code == 400
    assert "Row 3" in response.content.decode()
    assert Transfer.objects.count() == 0
    good = rows.splitlines()[0] + "\n" + rows.splitlines()[1] + "\n"
    response = client_for(coordinator).post(
        reverse("timebank:import"),
        {"file": SimpleUploadedFile("old.csv", good.encode(), content_type="text/csv")},
    )
    assert response.status_code == 302
    assert Account.objects.get(user=giver).balance == 2 * HOUR


def test_dashboard_shows_reciprocity_and_categories(
    client_for, coordinator, giver, receiver, offer, accounts
):
    a, b = accounts
    services.exchange_record(
        actor=receiver,
        gave=a,
        received=b,
        minutes=2 * HOUR,
        what="Garden",
        happened_on=timezone.localdate(),
        listing=offer,
    )
    exchange = Exchange.objects.get()
    services.exchange_confirm(actor=giver, exchange=exchange)
    body = client_for(coordinator).get(reverse("timebank:dashboard")).content.decode()
    assert "Gardening" in body
    assert "Only give" in body and "Gita Giver" in body
    assert "Rab Receiver" in body


# --- query counts ----------------------------------------------------------------------------------------


def test_list_pages_do_not_grow_queries_with_rows(
    client_for, coordinator, giver, receiver, django_assert_max_num_queries
):
    category = Category.objects.get(slug="gardening")
    people = [make_person(f"Member {i}") for i in range(15)]
    for person in people:
        approved(person, area="Renfrew")
        services.listing_create(
            actor=person, kind="offer", title=f"Offer by {person}", category=category, tags="a, b"
        )
        services.listing_create(
            actor=person, kind="request", title=f"Need by {person}", category=category, tags="b"
        )
        account = services.account_for_user(person)
        services.exchange_record(
            actor=giver,
            gave=services.account_for_user(giver),
            received=account,
            minutes=15,
            what="x",
            happened_on=timezone.localdate(),
        )
    services.network_limits_set(actor=coordinator, min_balance=-100 * HOUR, max_balance=100 * HOUR)
    services.confirmation_required_set(actor=coordinator, required=False)
    for person in people:
        services.exchange_record(
            actor=person,
            gave=services.account_for_user(person),
            received=services.account_for_user(giver),
            minutes=15,
            what="y",
            happened_on=timezone.localdate(),
        )
    for who, name, limit in [
        (giver, "timebank:listings", 12),
        (giver, "timebank:exchanges", 14),
        (giver, "timebank:me", 14),
        (giver, "timebank:home", 16),
        (coordinator, "timebank:dashboard", 16),
        (coordinator, "timebank:members", 10),
        (giver, "timebank:listing", 14),
    ]:
        client = client_for(who)
        args = [Listing.objects.filter(kind="request").first().pk] if name == "timebank:listing" else []
        with django_assert_max_num_queries(limit):
            assert client.get(reverse(name, args=args)).status_code == 200


def test_the_kept_offers_ask_the_database_once_on_the_page_and_in_the_api(
    giver, client_for, api_for, keeping
):
    """The session (or API token) with the person and their timebank record, in one statement (read ahead:
    core/ahead.py); the list itself is kept."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, api = client_for(giver), api_for(giver)
    page = reverse("timebank:listings") + "?kind=offer"
    for ask in (lambda: client.get(page), lambda: api.get("/timebank/listings?kind=offer")):
        assert ask().status_code == 200  # kept from here on
        with CaptureQueriesContext(connection) as queries:
            assert ask().status_code == 200
        assert len(queries.captured_queries) == 1, [q["sql"][:120] for q in queries.captured_queries]


def test_my_hours_is_offered_only_to_people_in_the_timebank(outsider, member):
    """The timebank's menu is on pages some people see without being in the timebank (an organisation's
    account, for the person who runs it): "My hours" would refuse them, so they get no link to it."""
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    def menu(user) -> str:
        request = RequestFactory().get("/timebank/")
        request.user = user
        return render_to_string("timebank/_nav.html", request=request)

    assert "My hours" not in menu(outsider) and "Offers and requests" not in menu(outsider)
    approved(member)
    assert "My hours" in menu(member) and "Offers and requests" in menu(member)


def test_credits_given_before_joining_are_shown_under_my_hours(client_for, outsider, coordinator):
    """Time credits paid for taking part reach people who have not joined the timebank; the notice about them
    leads to "My hours", which shows them (and how to join), where it used to refuse them."""
    from coproduce.timebank import services as timebank

    url = reverse("timebank:me")
    assert client_for(outsider).get(url).status_code == 403  # nothing given yet: told how to join
    timebank.account_for_user(outsider)  # an account with nothing in it is still nothing to show
    assert client_for(outsider).get(url).status_code == 403
    timebank.account_limits_set(
        actor=coordinator, account=timebank.community_pot(), min_balance=-600, max_balance=None
    )
    timebank.grant_from_pot(actor=coordinator, to=outsider, minutes=90, description="Thanks for the drop-in")
    page = client_for(outsider).get(url)
    body = page.content.decode()
    assert page.status_code == 200 and "My hours" in body and "1.5 h" in body
    assert "join the timebank" in body and "Your choices" not in body


def test_the_kept_list_of_offers_shows_each_member_their_own_menu(
    client_for, offer, giver, receiver, coordinator, keeping
):
    """The page of offers is kept whole for those shown the same list and menu (core/kept_pages.py): a
    coordinator's page has "Coordinate" and a member's never, whoever asked first."""
    url = reverse("timebank:listings") + "?kind=offer"
    for _ in range(2):  # the second round from what the first kept
        for person, coordinates in ((receiver, False), (coordinator, True), (giver, False)):
            page = client_for(person).get(url).content.decode()
            assert "Help in the garden" in page
            assert (">Coordinate</a>" in page) is coordinates, person
