"""Odd values the timebank refuses: invisible or multi-line text, dates in year 0001 or far ahead, more
than the 10,000-hour cap, and imports that would credit people who are not members."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from tests.timebank.test_api import Api

from coproduce.lib import ledger
from coproduce.timebank import services
from coproduce.timebank.models import Exchange, ExchangeParty, Listing, Transfer

HEADER = "date,giver,receiver,hours,description\n"
CAP = ledger.MAX_MINUTES  # 10,000 hours, the cap stated in coproduce.lib.ledger


def exchange_body(giver, receiver, **changes) -> dict:
    return {
        "gave": [{"person_id": giver.pk}],
        "received": [{"person_id": receiver.pk}],
        "minutes": 60,
        "what": "Gardening",
        "happened_on": timezone.localdate().isoformat(),
        **changes,
    }


# --- The 10,000-hour cap, the same in the service, the API, the form and the database ---------------


def test_the_cap_is_10000_hours():
    assert CAP == 10_000 * 60 == 600_000


@pytest.mark.parametrize("minutes", [CAP + 15, 600_015, 10**12])
def test_the_api_refuses_an_exchange_over_the_cap(giver, receiver, minutes):
    response = Api(giver).post("/exchanges", exchange_body(giver, receiver, minutes=minutes))
    assert response.status_code == 422
    assert "10,000 hours" in response.json()["detail"]["minutes"][0]
    assert Exchange.objects.count() == 0


def test_an_exchange_at_the_cap_is_accepted(giver, receiver, accounts):
    exchange = services.exchange_record(
        actor=giver,
        gave=accounts[0],
        received=accounts[1],
        minutes=CAP,
        what="A lifetime",
        happened_on=timezone.localdate(),
    )
    assert exchange.minutes == CAP


def test_a_coordinator_cannot_resolve_a_dispute_to_more_than_the_cap(coordinator, giver, accounts):
    exchange = services.exchange_record(
        actor=giver,
        gave=accounts[0],
        received=accounts[1],
        minutes=60,
        what="Lift",
        happened_on=timezone.localdate(),
    )
    with pytest.raises(ValidationError) as caught:
        services.exchange_resolve(
            actor=coordinator, exchange=exchange, accept=True, resolution="More", minutes=CAP + 15
        )
    assert "10,000 hours" in caught.value.message_dict["minutes"][0]
    assert Exchange.objects.get().minutes == 60


def test_the_form_refuses_hours_over_the_cap(client_for, giver, receiver):
    response = client_for(giver).post(
        reverse("timebank:exchange_new"),
        {
            "direction": "gave",
            "other": receiver.pk,
            "hours": "10000.25",
            "what": "Weeding",
            "happened_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 400
    assert "10,000 hours" in response.content.decode()
    assert Exchange.objects.count() == 0


def test_the_database_refuses_an_exchange_over_the_cap(giver):
    exchange = Exchange(what="Slip", minutes=CAP + 15, happened_on=timezone.localdate(), recorded_by=giver)
    with pytest.raises(ValidationError) as caught:
        exchange.full_clean(exclude=["transfer"])
    assert "minutes" in caught.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        exchange.save()


@pytest.mark.parametrize("minutes", [CAP + 15, 600_015])
def test_gifts_and_grants_are_capped_too(coordinator, giver, accounts, minutes):
    with pytest.raises(ValidationError, match="10,000 hours"):
        services.donate_to_pot(actor=giver, minutes=minutes)
    with pytest.raises(ValidationError, match="10,000 hours"):
        services.grant_from_pot(actor=coordinator, to=accounts[0], minutes=minutes, description="Help")
    assert Transfer.objects.count() == 0


# --- Dates ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("day", ["0001-01-01", "1024-06-01", "1999-12-31"])
def test_an_exchange_dated_long_ago_is_refused(giver, receiver, day):
    response = Api(giver).post("/exchanges", exchange_body(giver, receiver, happened_on=day))
    assert response.status_code == 422
    assert "1 January 2000" in response.json()["detail"]["happened_on"][0]
    assert Exchange.objects.count() == 0


@pytest.mark.parametrize("day", ["9999-12-31", "2999-01-01"])
def test_an_exchange_dated_far_ahead_is_refused(giver, receiver, day):
    response = Api(giver).post("/exchanges", exchange_body(giver, receiver, happened_on=day))
    assert response.status_code == 422 and "happened_on" in response.json()["detail"]
    assert Exchange.objects.count() == 0


def test_the_model_refuses_dates_outside_the_window(giver):
    for day in (dt.date(1, 1, 1), timezone.localdate() + dt.timedelta(days=30)):
        exchange = Exchange(what="Slip", minutes=60, happened_on=day, recorded_by=giver)
        with pytest.raises(ValidationError) as caught:
            exchange.full_clean(exclude=["transfer"])
        assert "happened_on" in caught.value.message_dict


# --- Text -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("what", ["\u200b\u200b", "\u00a0", "\u2060\ufeff", "Garden\x00"])
def test_an_exchange_described_with_invisible_or_control_characters_is_refused(giver, receiver, what):
    response = Api(giver).post("/exchanges", exchange_body(giver, receiver, what=what))
    assert response.status_code == 422 and "what" in response.json()["detail"]
    assert Exchange.objects.count() == 0 and ExchangeParty.objects.count() == 0


@pytest.mark.parametrize("title", ["Lifts\x1b[31m", "Lifts \u202eelas rof", "\u200b", "\u3000\u200d"])
def test_a_listing_title_with_control_characters_or_only_invisible_ones_is_refused(giver, title):
    from coproduce.timebank.models import Category

    category = Category.objects.first()
    response = Api(giver).post(
        "/listings", {"kind": "offer", "title": title, "category": category.slug, "description": ""}
    )
    assert response.status_code == 422, response.content
    assert "title" in response.json()["detail"]
    assert Listing.objects.count() == 0


def test_a_transfer_description_with_a_nul_is_refused(giver, accounts):
    with pytest.raises(ValidationError) as caught:
        services.transfer_create(
            actor=giver,
            postings=[(accounts[0], -30), (accounts[1], 30)],
            kind="adjustment",
            description="A\x00",
        )
    assert "description" in caught.value.message_dict
    assert Transfer.objects.count() == 0


# --- Import -----------------------------------------------------------------------------------------


def test_import_refuses_to_credit_people_who_are_not_members(coordinator, giver, newcomer, outsider):
    data = HEADER + (
        "2023-05-01,gita.giver@example.org,rab.receiver@example.org,1,Garden\n"  # receiver not in this test
        "2023-05-02,gita.giver@example.org,nina.newcomer@example.org,1,Garden\n"
        "2023-05-03,otto.outsider@example.org,gita.giver@example.org,1,Lift\n"
    )
    with pytest.raises(ValidationError) as caught:
        services.history_import(actor=coordinator, data=data)
    messages = caught.value.messages
    assert messages[0].startswith("Row 2:") and "nobody here matches" in messages[0]
    assert messages[1].startswith("Row 3:") and "nina.newcomer@example.org" in messages[1]
    assert "not a member of the timebank" in messages[1] and "Nina Newcomer" in messages[1]
    assert messages[2].startswith("Row 4:") and "Otto Outsider" in messages[2]
    assert Transfer.objects.count() == 0


def test_import_refuses_a_cell_over_the_csv_field_limit_naming_the_row(coordinator, giver, receiver):
    huge = "x" * 131_073
    data = HEADER + (
        "2023-05-01,gita.giver@example.org,rab.receiver@example.org,1,Garden\n"
        f'2023-05-02,gita.giver@example.org,rab.receiver@example.org,1,"{huge}"\n'
    )
    with pytest.raises(ValidationError) as caught:
        services.history_import(actor=coordinator, data=data)
    assert caught.value.messages[0].startswith("Row 3 has a cell longer than 131,072 characters")
    assert Transfer.objects.count() == 0


def test_import_over_the_api_with_a_huge_cell_is_a_422(coordinator, giver):
    data = HEADER + f"2023-05-01,{'y' * 200_000},pot,1,Gift\n"
    response = Api(coordinator).post("/imports", {"csv": data})
    assert response.status_code == 422 and "Row 2" in str(response.json())
    assert Transfer.objects.count() == 0


@pytest.mark.parametrize(
    "row, problem",
    [
        ("0001-01-01,gita.giver@example.org,rab.receiver@example.org,1,Garden", "1 January 2000"),
        ("2023-05-01,gita.giver@example.org,rab.receiver@example.org,10000.25,Garden", "quarter hours"),
        ("2023-05-01,gita.giver@\x00example.org,rab.receiver@example.org,1,Garden", "nobody here matches"),
        ("2023-05-01,gita.giver@example.org,rab.receiver@example.org,1,Gar\x00den", "one line"),
        ("2023-05-01,gita.giver@example.org,rab.receiver@example.org,1,\u200b", "letter or number"),
    ],
)
def test_import_refuses_odd_rows_naming_them(coordinator, giver, receiver, row, problem):
    with pytest.raises(ValidationError) as caught:
        services.history_import(actor=coordinator, data=HEADER + row + "\n")
    assert caught.value.messages[0].startswith("Row 2:") and problem in caught.value.messages[0]
    assert Transfer.objects.count() == 0
