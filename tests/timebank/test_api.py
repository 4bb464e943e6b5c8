"""The timebank API: the same access rules as the pages, the main journeys, and clear errors."""

from __future__ import annotations

from functools import partial

import pytest
from django.utils import timezone
from tests import api_client

from coproduce.timebank import services
from coproduce.timebank.models import Account, Category, Exchange, ExchangeStatus, TimebankMember, Transfer

API = "/api/v1/timebank"
HOUR = 60


Api = partial(api_client.Api, prefix=API)  # the shared client, rooted at the timebank's API


@pytest.fixture
def world(giver, receiver, accounts, newcomer):
    offer = services.listing_create(
        actor=giver, kind="offer", title="Help in the garden", category=Category.objects.get(slug="gardening")
    )
    exchange = services.exchange_record(
        actor=giver,
        gave=accounts[0],
        received=accounts[1],
        minutes=90,
        what="Weeding",
        happened_on=timezone.localdate(),
    )
    return {
        "offer": offer,
        "exchange": exchange,
        "account": accounts[0],
        "member_record": TimebankMember.objects.get(user=newcomer),
    }


# The access matrix for every endpoint is in test_access.py.


def test_safeguarding_notes_only_reach_coordinators(coordinator, giver, newcomer):
    record = TimebankMember.objects.get(user=newcomer)
    response = Api(coordinator).post(
        f"/members/{record.pk}/decision", {"approve": True, "safeguarding_note": "References checked"}
    )
    assert response.status_code == 200
    assert response.json()["safeguarding_note"] == "References checked"
    assert "References" not in Api(newcomer).get("/me").content.decode()
    assert Api(giver).get("/members").status_code == 403


def test_join_and_preferences(outsider):
    api = Api(outsider)
    response = api.post("/join", {"area": "Paisley"})
    assert response.status_code == 201 and response.json()["status"] == "pending"
    assert api.post("/join", {}).status_code == 422
    response = api.patch("/me", {"share_balance": "nobody"})
    assert response.status_code == 422


def test_record_confirm_and_see_balances(giver, receiver):
    offer = Api(giver).post(
        "/listings", {"kind": "offer", "title": "Lifts", "category": "lifts", "tags": ["lifts"]}
    )
    assert offer.status_code == 201, offer.content
    response = Api(receiver).post(
        "/exchanges",
        {
            "gave": [{"person_id": giver.pk}],
            "received": [{"person_id": receiver.pk}],
            "minutes": 60,
            "what": "Lift to the clinic",
            "happened_on": timezone.localdate().isoformat(),
            "listing_id": offer.json()["id"],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending"
    assert Api(receiver).post(f"/exchanges/{body['id']}/confirm").status_code == 403
    response = Api(giver).post(f"/exchanges/{body['id']}/confirm")
    assert response.status_code == 200 and response.json()["status"] == "confirmed"
    me = Api(giver).get("/me").json()
    assert me["account"]["balance_minutes"] == HOUR and me["account"]["given_minutes"] == HOUR
    theirs = Api(receiver).get(f"/accounts/{me['account']['id']}/postings")
    assert theirs.status_code == 404  # the giver's history is private unless they share it
    mine = Api(receiver).get("/me").json()["account"]
    assert Api(receiver).get(f"/accounts/{mine['id']}/postings").json()[0]["balance_after_minutes"] == -HOUR


def test_bad_exchange_input_is_a_422_naming_the_field(giver, receiver):
    response = Api(giver).post(
        "/exchanges",
        {
            "gave": [{"person_id": giver.pk}],
            "received": [{"person_id": receiver.pk}],
            "minutes": 20,
            "what": "x",
            "happened_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 422
    assert "minutes" in response.json()["detail"]
    response = Api(giver).post(
        "/exchanges",
        {
            "gave": [{"person_id": giver.pk, "organisation": "x"}],
            "received": [{"person_id": receiver.pk}],
            "minutes": 30,
            "what": "x",
            "happened_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 422
    assert Exchange.objects.count() == 0


def test_dispute_and_resolve(coordinator, giver, receiver, world):
    exchange = world["exchange"]
    assert (
        Api(receiver).post(f"/exchanges/{exchange.pk}/dispute", {"reason": "It was an hour"}).status_code
        == 200
    )
    assert (
        Api(giver).post(f"/exchanges/{exchange.pk}/resolve", {"accept": True, "resolution": "x"}).status_code
        == 403
    )
    response = Api(coordinator).post(
        f"/exchanges/{exchange.pk}/resolve", {"accept": True, "resolution": "Agreed one hour", "minutes": 60}
    )
    assert response.status_code == 200 and response.json()["status"] == ExchangeStatus.CONFIRMED


def test_pot_and_grants(coordinator, giver, receiver):
    response = Api(giver).post("/pot/donations", {"minutes": 120, "key": "once"})
    assert response.status_code == 201
    assert Api(giver).post("/pot/donations", {"minutes": 120, "key": "once"}).status_code == 201
    assert Api(giver).get("/pot").json()["balance_minutes"] == 120  # the retry paid nothing
    assert (
        Api(giver)
        .post("/pot/grants", {"person_id": receiver.pk, "minutes": 60, "description": "x"})
        .status_code
        == 403
    )
    response = Api(coordinator).post(
        "/pot/grants", {"person_id": receiver.pk, "minutes": 60, "description": "Help"}
    )
    assert response.status_code == 201


def test_rewards_through_the_api(space, host, member, organisation, outsider):
    body = {
        "organisation": organisation.slug,
        "person_ids": [member.pk],
        "minutes": 60,
        "description": "Design workshop",
        "space": space.slug,
        "key": "workshop-1",
    }
    assert Api(outsider).post("/rewards", body).status_code == 403
    response = Api(host).post("/rewards", body)
    assert response.status_code == 201, response.content
    assert Api(host).post("/rewards", body).json()["id"] == response.json()["id"]
    assert Account.objects.get(user=member).balance == HOUR
    too_much = {**body, "key": "workshop-2", "minutes": 21 * HOUR}
    response = Api(host).post("/rewards", too_much)
    assert response.status_code == 422
    assert "lowest allowed balance" in str(response.json())


def test_reverse_limits_settings_import(coordinator, giver, receiver, accounts):
    transfer = services.transfer_create(
        actor=giver, postings=[(accounts[0], -30), (accounts[1], 30)], kind="adjustment", description="Oops"
    )
    assert Api(giver).post(f"/transfers/{transfer.pk}/reverse", {"reason": "x"}).status_code == 403
    response = Api(coordinator).post(f"/transfers/{transfer.pk}/reverse", {"reason": "Entered twice"})
    assert response.status_code == 201 and response.json()["reverses_id"] == transfer.pk
    assert Api(coordinator).post(f"/transfers/{transfer.pk}/reverse", {"reason": "again"}).status_code == 422
    response = Api(coordinator).put(f"/accounts/{accounts[0].pk}/limits", {"min_balance_minutes": -300})
    assert response.status_code == 200 and response.json()["min_balance_minutes"] == -300
    response = Api(coordinator).patch(
        "/settings", {"confirmation_required": False, "default_max_balance_minutes": 6000}
    )
    assert response.json() == {
        "confirmation_required": False,
        "default_min_balance_minutes": -1200,
        "default_max_balance_minutes": 6000,
    }
    csv_text = "date,giver,receiver,hours,description\n2024-01-01,gita.giver@example.org,pot,1,Gift\n"
    assert Api(giver).post("/imports", {"csv": csv_text}).status_code == 403
    response = Api(coordinator).post("/imports", {"csv": csv_text, "source": "Old"})
    assert response.status_code == 201 and response.json()["transfers"] == 1
    bad = Api(coordinator).post("/imports", {"csv": csv_text.replace("2024-01-01", "yesterday")})
    assert bad.status_code == 422 and "Row 2" in str(bad.json())
    assert Transfer.objects.filter(kind="import").count() == 1


@pytest.mark.parametrize("keep_for", [0, 5])
def test_the_kept_list_of_offers_answers_as_each_offer_does(giver, receiver, settings, keep_for):
    """The list is checked and written once per audience (shared.kept_json) and answered alike to all of it:
    each row is what the API answers for that one offer, with the same content type, kept or not."""
    from coproduce.core import shared

    settings.SHARED_SECONDS = keep_for
    shared.forget_all()
    for title in ("Lifts", "Shopping", "Gardening"):
        assert (
            Api(giver).post("/listings", {"kind": "offer", "title": title, "category": "lifts"}).status_code
            == 201
        )
    api = Api(receiver)
    for _ in range(2):  # the second from what was kept
        listed = api.get("/listings?kind=offer")
        assert listed.status_code == 200 and len(listed.json()) == 3
        for row in listed.json():
            one = api.get(f"/listings/{row['id']}")
            assert row == one.json() and listed["Content-Type"] == one["Content-Type"]
    shared.forget_all()
