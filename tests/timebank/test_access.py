"""Who may see and do what in the timebank: every page and every API endpoint × every persona, and the rules
that the pages and the API share, each driven through both the same way.

Personas (tests/conftest.py and tests/timebank/conftest.py): the coordinator; the giver, who posted the offer,
recorded the exchange and owns the account shown; the receiver, the other side of that exchange; an approved
member with no part in any of it; the host, an approved member who runs the organisation; the newcomer, who
asked to join and is not approved yet; an outsider signed in; and someone not signed in. What outsiders may not
know exists is 404; what a person may see but not do is 403.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.conftest import make_person
from tests.timebank.conftest import approved
from tests.timebank.test_api import Api

from coproduce.timebank import services
from coproduce.timebank.models import (
    Account,
    Category,
    Exchange,
    ExchangeStatus,
    Listing,
    ShareBalance,
    TimebankMember,
)

HOUR = 60
WHO = ["coordinator", "giver", "receiver", "member", "org_admin", "newcomer", "outsider", "anonymous"]


@pytest.fixture
def cast(coordinator, giver, receiver, member, organisation, host, newcomer, outsider):
    approved(member)
    return {
        "coordinator": coordinator,
        "giver": giver,
        "receiver": receiver,
        "member": member,
        "org_admin": host,
        "newcomer": newcomer,
        "outsider": outsider,
        "anonymous": None,
    }


def pending_exchange(giver, receiver) -> Exchange:
    """Recorded by the giver; waiting for the receiver's confirmation."""
    return services.exchange_record(
        actor=giver,
        gave=giver,
        received=receiver,
        minutes=HOUR,
        what="Weeding",
        happened_on=timezone.localdate(),
    )


@pytest.fixture
def world(cast, giver, receiver, organisation, newcomer):
    offer = services.listing_create(
        actor=giver, kind="offer", title="Help in the garden", category=Category.objects.get(slug="gardening")
    )
    donation = services.donate_to_pot(actor=giver, minutes=HOUR)
    return {
        "offer": offer,
        "exchange": pending_exchange(giver, receiver),
        "account": services.account_for_user(giver),
        "org_account": services.account_for_organisation(organisation),
        "transfer": donation,
        "record": TimebankMember.objects.get(user=newcomer),
    }


# --- Pages ---------------------------------------------------------------------------------------------------


def page_urls(w) -> dict[str, str]:
    return {
        "home": reverse("timebank:home"),
        "join": reverse("timebank:join"),
        "listings": reverse("timebank:listings"),
        "listing_new": reverse("timebank:listing_new"),
        "listing": reverse("timebank:listing", args=[w["offer"].pk]),
        "listing_edit": reverse("timebank:listing_edit", args=[w["offer"].pk]),
        "exchanges": reverse("timebank:exchanges"),
        "exchange_new": reverse("timebank:exchange_new"),
        "exchange_group": reverse("timebank:exchange_group"),
        "exchange": reverse("timebank:exchange", args=[w["exchange"].pk]),
        "me": reverse("timebank:me"),
        "account": reverse("timebank:account", args=[w["account"].pk]),
        "account_org": reverse("timebank:account", args=[w["org_account"].pk]),
        "statement": reverse("timebank:statement", args=[w["account"].pk]),
        "transfer_reverse": reverse("timebank:transfer_reverse", args=[w["transfer"].pk]),
        "pot": reverse("timebank:pot"),
        "dashboard": reverse("timebank:dashboard"),
        "members": reverse("timebank:members"),
        "member": reverse("timebank:member", args=[w["record"].pk]),
        "export_exchanges": reverse("timebank:export_exchanges"),
        "export_balances": reverse("timebank:export_balances"),
        "import": reverse("timebank:import"),
        "import_template": reverse("timebank:import_template"),
        "settings": reverse("timebank:settings"),
    }


COORDINATORS_ONLY = (200, 403, 403, 403, 403, 403, 403, 302)
MEMBERS = (200, 200, 200, 200, 200, 403, 403, 302)
PAGES = {
    #                  coordinator giver receiver member org_admin newcomer outsider anonymous
    "home": (200, 200, 200, 200, 200, 200, 200, 200),
    "join": (200, 200, 200, 200, 200, 200, 200, 302),
    "listings": MEMBERS,
    "listing_new": MEMBERS,
    "listing": (200, 200, 200, 200, 200, 404, 404, 302),
    "listing_edit": (200, 200, 403, 403, 403, 404, 404, 302),
    "exchanges": MEMBERS,
    "exchange_new": MEMBERS,
    # Group exchanges pay from (or into) an organisation's account: its admins only.
    "exchange_group": (403, 403, 403, 403, 200, 403, 403, 302),
    "exchange": (200, 200, 200, 404, 404, 404, 404, 302),
    "me": MEMBERS,
    "account": (200, 200, 404, 404, 404, 404, 404, 302),
    "account_org": (200, 200, 200, 200, 200, 404, 404, 302),
    "statement": (200, 200, 404, 404, 404, 404, 404, 302),
    "transfer_reverse": COORDINATORS_ONLY,
    "pot": MEMBERS,
    "dashboard": COORDINATORS_ONLY,
    "members": COORDINATORS_ONLY,
    "member": COORDINATORS_ONLY,
    "export_exchanges": COORDINATORS_ONLY,
    "export_balances": COORDINATORS_ONLY,
    "import": COORDINATORS_ONLY,
    "import_template": COORDINATORS_ONLY,
    "settings": COORDINATORS_ONLY,
}


def test_every_page_is_in_the_matrix():
    from coproduce.timebank.urls import urlpatterns

    posted_only = {
        "exchange_confirm",
        "exchange_dispute",
        "exchange_cancel",
        "exchange_resolve",
        "account_limits",
    }
    assert {p.name for p in urlpatterns} - posted_only == set(PAGES) - {"account_org"}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_pages(page, cast, world, client_for):
    url = page_urls(world)[page]
    for who, expected in zip(WHO, PAGES[page], strict=True):
        response = client_for(cast[who]).get(url)
        assert response.status_code == expected, (page, who, response.status_code)


# --- API endpoints -------------------------------------------------------------------------------------------


def endpoints(w) -> dict[str, str]:
    return {
        "me": "/me",
        "account": f"/accounts/{w['account'].pk}",
        "account_org": f"/accounts/{w['org_account'].pk}",
        "postings": f"/accounts/{w['account'].pk}/postings",
        "statement": f"/accounts/{w['account'].pk}/statement.csv",
        "categories": "/categories",
        "listings": "/listings",
        "listing": f"/listings/{w['offer'].pk}",
        "matches": f"/listings/{w['offer'].pk}/matches",
        "exchanges": "/exchanges",
        "exchange": f"/exchanges/{w['exchange'].pk}",
        "pot": "/pot",
        "transfer": f"/transfers/{w['transfer'].pk}",
        "members": "/members",
        "dashboard": "/dashboard",
        "export_exchanges": "/exports/exchanges.csv",
        "export_balances": "/exports/balances.csv",
        "settings": "/settings",
    }


API_COORDINATORS_ONLY = (200, 403, 403, 403, 403, 403, 403, 401)
API_MEMBERS = (200, 200, 200, 200, 200, 403, 403, 401)
ENDPOINTS = {
    #                  coordinator giver receiver member org_admin newcomer outsider anonymous
    "me": (200, 200, 200, 200, 200, 200, 200, 401),
    "account": (200, 200, 404, 404, 404, 404, 404, 401),
    "account_org": (200, 200, 200, 200, 200, 404, 404, 401),
    "postings": (200, 200, 404, 404, 404, 404, 404, 401),
    "statement": (200, 200, 404, 404, 404, 404, 404, 401),
    "categories": (200, 200, 200, 200, 200, 200, 200, 200),
    "listings": API_MEMBERS,
    "listing": (200, 200, 200, 200, 200, 404, 404, 401),
    "matches": (200, 200, 200, 200, 200, 404, 404, 401),
    "exchanges": API_MEMBERS,
    "exchange": (200, 200, 200, 404, 404, 404, 404, 401),
    "pot": API_MEMBERS,
    "transfer": API_COORDINATORS_ONLY,
    "members": API_COORDINATORS_ONLY,
    "dashboard": API_COORDINATORS_ONLY,
    "export_exchanges": API_COORDINATORS_ONLY,
    "export_balances": API_COORDINATORS_ONLY,
    "settings": API_MEMBERS,
}


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_api_reads(endpoint, cast, world):
    path = endpoints(world)[endpoint]
    for who, expected in zip(WHO, ENDPOINTS[endpoint], strict=True):
        response = Api(cast[who]).get(path)
        assert response.status_code == expected, (endpoint, who, response.status_code, response.content[:200])


# --- Writes, on the pages and through the API alike ----------------------------------------------------------
#
# Each write is tried by each persona on a thing of its own, so that one persona's success does not change
# what the next one finds. "ok" is a redirect on a page and 200/201 from the API; "signin" is the sign-in
# redirect on a page and 401 from the API.

OK, SIGNIN = "ok", "signin"


def outcome(response, *, api: bool) -> str | int:
    if api:
        return {200: OK, 201: OK, 401: SIGNIN}.get(response.status_code, response.status_code)
    if response.status_code == 302:
        return SIGNIN if "/accounts/login/" in response["Location"] else OK
    return response.status_code


# (page url name, API path, page form, API body) for each action on a pending exchange
EXCHANGE_ACTIONS = {
    "confirm": ("timebank:exchange_confirm", "/exchanges/{}/confirm", {}, {}),
    "dispute": (
        "timebank:exchange_dispute",
        "/exchanges/{}/dispute",
        {"reason": "It was less"},
        {"reason": "It was less"},
    ),
    "withdraw": ("timebank:exchange_cancel", "/exchanges/{}/withdraw", {}, {}),
    "resolve": (
        "timebank:exchange_resolve",
        "/exchanges/{}/resolve",
        {"decision": "cancel", "resolution": "Talked to both"},
        {"accept": False, "resolution": "Talked to both"},
    ),
}
EXCHANGE_RULES = {
    #            coordinator giver receiver member org_admin newcomer outsider anonymous
    "confirm": (403, 403, OK, 404, 404, 404, 404, SIGNIN),
    "dispute": (403, 403, OK, 404, 404, 404, 404, SIGNIN),
    "withdraw": (403, OK, 403, 404, 404, 404, 404, SIGNIN),
    "resolve": (OK, 403, 403, 403, 403, 403, 403, SIGNIN),
}
# What the exchange page offers each persona: the same decisions, asked by the template.
BUTTONS = {
    "confirm": "Confirm: this is right",
    "dispute": "Tell a coordinator",
    "withdraw": "Withdraw it",
    "resolve": "Save the decision",
}


@pytest.mark.parametrize("action", sorted(EXCHANGE_RULES))
def test_exchange_rules_are_the_same_on_the_page_and_in_the_api(action, cast, giver, receiver, client_for):
    page_name, api_path, form, body = EXCHANGE_ACTIONS[action]
    for who, expected in zip(WHO, EXCHANGE_RULES[action], strict=True):
        person = cast[who]
        by_page, by_api = pending_exchange(giver, receiver), pending_exchange(giver, receiver)
        page = client_for(person).get(reverse("timebank:exchange", args=[by_page.pk]))
        if page.status_code == 200:
            assert (BUTTONS[action] in page.content.decode()) == (expected == OK), (action, who)
        response = client_for(person).post(reverse(page_name, args=[by_page.pk]), form)
        assert outcome(response, api=False) == expected, (action, who, "page", response.status_code)
        response = Api(person).post(api_path.format(by_api.pk), body)
        assert outcome(response, api=True) == expected, (action, who, "api", response.status_code)
        by_page.refresh_from_db()
        by_api.refresh_from_db()
        assert by_page.status == by_api.status, (action, who)
        assert (by_page.status != ExchangeStatus.PENDING) == (expected == OK), (action, who)


def test_a_settled_exchange_is_refused_the_same_way(cast, giver, receiver, coordinator, client_for):
    by_page, by_api = pending_exchange(giver, receiver), pending_exchange(giver, receiver)
    for item in (by_page, by_api):
        services.exchange_cancel(actor=giver, exchange=item)
    response = client_for(receiver).post(reverse("timebank:exchange_confirm", args=[by_page.pk]))
    assert response.status_code == 400 and "no longer waiting" in response.content.decode()
    response = Api(receiver).post(f"/exchanges/{by_api.pk}/confirm")
    assert response.status_code == 422 and "no longer waiting" in str(response.json())
    response = client_for(coordinator).post(
        reverse("timebank:exchange_resolve", args=[by_page.pk]), {"decision": "accept", "resolution": "x"}
    )
    assert response.status_code == 400 and "already been settled" in response.content.decode()
    response = Api(coordinator).post(f"/exchanges/{by_api.pk}/resolve", {"accept": True, "resolution": "x"})
    assert response.status_code == 422 and "already been settled" in str(response.json())


LISTING_EDITS = {
    #   coordinator giver receiver member org_admin newcomer outsider anonymous
    "edit": (OK, OK, 403, 403, 403, 404, 404, SIGNIN),
}


def test_listing_edits_are_the_same_on_the_page_and_in_the_api(cast, giver, client_for):
    category = Category.objects.get(slug="gardening")
    for who, expected in zip(WHO, LISTING_EDITS["edit"], strict=True):
        person = cast[who]
        by_page, by_api = (
            services.listing_create(actor=giver, kind="offer", title=f"Offer {n}", category=category)
            for n in (1, 2)
        )
        page = client_for(person).get(reverse("timebank:listing", args=[by_page.pk]))
        if page.status_code == 200:
            assert (reverse("timebank:listing_edit", args=[by_page.pk]) in page.content.decode()) == (
                expected == OK
            )
        response = client_for(person).post(
            reverse("timebank:listing_edit", args=[by_page.pk]),
            {"title": "Changed", "category": category.pk, "is_open": "on"},
        )
        assert outcome(response, api=False) == expected, (who, "page", response.status_code)
        response = Api(person).patch(f"/listings/{by_api.pk}", {"title": "Changed"})
        assert outcome(response, api=True) == expected, (who, "api", response.status_code)
        titles = set(Listing.objects.filter(pk__in=[by_page.pk, by_api.pk]).values_list("title", flat=True))
        assert titles == ({"Changed"} if expected == OK else {"Offer 1", "Offer 2"}), who


COORDINATOR_WRITES = (OK, 403, 403, 403, 403, 403, 403, SIGNIN)


def test_coordinators_powers_are_the_same_on_the_page_and_in_the_api(cast, world, client_for):
    """Account limits, corrections and the network's rules: coordinators only, both ways."""
    account = world["account"]
    for who, expected in zip(WHO, COORDINATOR_WRITES, strict=True):
        person = cast[who]
        response = client_for(person).post(
            reverse("timebank:account_limits", args=[account.pk]), {"min_hours": "-5", "max_hours": ""}
        )
        assert outcome(response, api=False) == expected, (who, "limits page", response.status_code)
        response = Api(person).put(f"/accounts/{account.pk}/limits", {"min_balance_minutes": -5 * HOUR})
        assert outcome(response, api=True) == expected, (who, "limits api", response.status_code)
        response = client_for(person).post(
            reverse("timebank:settings"),
            {"confirmation_required": "on", "min_hours": "-20", "max_hours": "200"},
        )
        assert outcome(response, api=False) == expected, (who, "settings page", response.status_code)
        response = Api(person).patch("/settings", {"confirmation_required": True})
        assert outcome(response, api=True) == expected, (who, "settings api", response.status_code)


PAYING = {
    # Paying from an organisation's account (a group exchange in which the people gave their time to it):
    # its admins only, and network staff; a coordinator who does not run it may not.
    #   coordinator giver receiver member org_admin
    "pay": (403, 403, 403, 403, OK),
}


def test_paying_from_an_organisation_is_the_same_on_the_page_and_in_the_api(
    cast, world, organisation, client_for
):
    # Two people at the workshop who are none of the personas: whoever records it takes no part in it.
    first, second = (make_person(f"Workshop {n}") for n in (1, 2))
    approved(first), approved(second)
    org = world["org_account"]
    Account.objects.filter(pk=org.pk).update(min_balance=-100 * HOUR)
    for who, expected in zip(WHO, PAYING["pay"], strict=False):
        person = cast[who]
        before = Exchange.objects.count()
        response = client_for(person).post(
            reverse("timebank:exchange_group"),
            {
                "organisation": organisation.pk,
                "direction": "from_people",
                "people": [first.pk, second.pk],
                "hours": "1",
                "what": "Workshop",
                "happened_on": timezone.localdate().isoformat(),
            },
        )
        assert outcome(response, api=False) == expected, (who, "page", response.status_code)
        response = Api(person).post(
            "/exchanges",
            {
                "gave": [{"person_id": first.pk}, {"person_id": second.pk}],
                "received": [{"organisation": organisation.slug}],
                "minutes": HOUR,
                "what": "Workshop",
                "happened_on": timezone.localdate().isoformat(),
            },
        )
        assert outcome(response, api=True) == expected, (who, "api", response.status_code, response.content)
        made = Exchange.objects.count() - before
        assert made == (2 if expected == OK else 0), who
    assert Account.objects.get(pk=org.pk).balance == -4 * HOUR  # the admin's two workshops, paid at once


def test_network_staff_may_pay_from_any_organisation_both_ways(
    admin_user, world, organisation, giver, receiver, client_for
):
    Account.objects.filter(pk=world["org_account"].pk).update(min_balance=-100 * HOUR)
    response = client_for(admin_user).post(
        reverse("timebank:exchange_group"),
        {
            "organisation": organisation.pk,
            "direction": "from_people",
            "people": [giver.pk],
            "hours": "1",
            "what": "Workshop",
            "happened_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    response = Api(admin_user).post(
        "/exchanges",
        {
            "gave": [{"person_id": giver.pk}],
            "received": [{"organisation": organisation.slug}],
            "minutes": HOUR,
            "what": "Workshop",
            "happened_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 201, response.content
    assert Account.objects.get(pk=world["org_account"].pk).balance == -2 * HOUR


def test_a_shared_balance_is_not_a_statement_both_ways(cast, world, giver, receiver, outsider, client_for):
    services.member_preferences_set(actor=giver, share_balance=ShareBalance.MEMBERS)
    account = world["account"]
    assert client_for(receiver).get(reverse("timebank:account", args=[account.pk])).status_code == 200
    assert Api(receiver).get(f"/accounts/{account.pk}").status_code == 200
    assert client_for(receiver).get(reverse("timebank:statement", args=[account.pk])).status_code == 403
    assert Api(receiver).get(f"/accounts/{account.pk}/statement.csv").status_code == 403
    assert client_for(outsider).get(reverse("timebank:statement", args=[account.pk])).status_code == 404
    assert Api(outsider).get(f"/accounts/{account.pk}/statement.csv").status_code == 404
