"""The personal home: `/` and `/api/v1/me/home` list what waits for a signed-in person, most urgent first."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.conftest import make_person
from tests.home_data import fill

from coproduce.core import registry
from coproduce.notifications.models import Notification
from coproduce.spaces import services
from coproduce.spaces.models import PartnershipRequest, Perspective


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def of(user, module: str) -> list[registry.WaitingItem]:
    return [item for item in registry.waiting_for(user) if item.module == module]


# --- What spaces contributes ---------------------------------------------------------------------------


def test_a_join_request_waits_for_the_hosts_only(space, host, facilitator, member, outsider):
    services.join_request_create(actor=outsider, space=space, perspective=Perspective.CARER)
    [item] = of(host, "spaces")
    assert item.kind == "join_request" and item.urgency == registry.Urgency.WAITING_ON_YOU
    assert item.title == "Answer Otto Outsider’s request to join"
    assert item.url == reverse("spaces:requests", args=[space.slug]) and item.space_title == space.title
    assert item.detail == "Takes part as: Carer or family member"
    for person in (facilitator, member, outsider):
        assert of(person, "spaces") == []


def test_an_answered_join_request_no_longer_waits(space, host, outsider):
    request = services.join_request_create(actor=outsider, space=space, perspective=Perspective.CARER)
    services.join_request_decide(actor=host, join_request=request, approve=True)
    assert of(host, "spaces") == []


def test_a_partnership_request_waits_for_the_organisations_admins(space, host, member):
    from coproduce.people import services as people_services

    organisation = people_services.organisation_create(actor=member, name="Riverside Trust", kind="charity")
    PartnershipRequest.objects.create(space=space, organisation=organisation, requested_by=host)
    [item] = of(member, "spaces")
    assert item.kind == "partnership_request" and "Riverside Trust" in item.title
    assert item.url == reverse("people:organisation", args=[organisation.slug])
    assert of(host, "spaces") == []


def test_nobody_anonymous_has_anything_waiting(space):
    from django.contrib.auth.models import AnonymousUser

    assert registry.waiting_for(AnonymousUser()) == []


# --- Ordering ---------------------------------------------------------------------------------------------


def test_items_are_ordered_by_urgency_then_date_then_title(db):
    import datetime as dt

    from django.utils import timezone

    soon, later = timezone.now() + dt.timedelta(days=1), timezone.now() + dt.timedelta(days=5)
    given = [
        registry.WaitingItem("m", "k", "Open b", "/", registry.Urgency.OPEN, due=soon),
        registry.WaitingItem("m", "k", "due undated", "/", registry.Urgency.DUE),
        registry.WaitingItem("m", "k", "Due later", "/", registry.Urgency.DUE, due=later),
        registry.WaitingItem("m", "k", "Due soon", "/", registry.Urgency.DUE, due=soon),
        registry.WaitingItem("m", "k", "b waiting", "/", registry.Urgency.WAITING_ON_YOU),
        registry.WaitingItem("m", "k", "A waiting", "/", registry.Urgency.WAITING_ON_YOU),
    ]
    registry.register(
        registry.ModuleManifest(
            name="test_waiting", label="T", description="", stages=(), waiting_for=lambda u: given
        )
    )
    try:
        titles = [item.title for item in registry.waiting_for(make_person("Someone"))]
    finally:
        registry.unregister("test_waiting")
    assert titles == ["A waiting", "b waiting", "Due soon", "Due later", "due undated", "Open b"]


def test_a_module_added_later_is_one_function_in_its_manifest(db):
    """Surveys, conversations, mentoring: a manifest's `waiting_for` is all it takes to reach the home page
    and the API."""
    person = make_person("Someone")
    item = registry.WaitingItem("surveys", "survey", "Answer the survey", "/s/", registry.Urgency.OPEN)
    registry.register(
        registry.ModuleManifest(
            name="test_surveys", label="S", description="", stages=(), waiting_for=lambda user: [item]
        )
    )
    try:
        assert item in registry.waiting_for(person)
    finally:
        registry.unregister("test_surveys")


# --- The page -------------------------------------------------------------------------------------------


def test_signed_out_the_home_page_is_as_before(client_for, space):
    page = text(client_for(None).get(reverse("home")))
    assert "Waiting for you" not in page
    assert "Plan, decide, deliver and check services together" in page and "Register to take part" in page


def test_signed_in_the_home_page_lists_what_waits_then_the_spaces(client_for, space, host, outsider):
    services.join_request_create(actor=outsider, space=space, perspective=Perspective.CARER)
    response = client_for(host).get(reverse("home"))
    page = text(response)
    assert response.status_code == 200
    assert "<h1>Waiting for you</h1>" in response.content.decode()
    assert "Answer Otto Outsider’s request to join" in page and "Someone is waiting for you" in page
    assert page.index("Answer Otto Outsider") < page.index("Spaces under way")
    assert f'href="{reverse("spaces:requests", args=[space.slug])}"' in response.content.decode()
    assert "Notifications for people you help" in page  # a host helps people


def test_nothing_waiting_says_what_to_do(client_for, outsider, space):
    page = text(client_for(outsider).get(reverse("home")))
    assert "Nothing is waiting for you just now." in page and "Find a space to take part in" in page
    assert "Notifications for people you help" not in page  # runs no space
    assert "Your notifications: none unread" in page


def test_the_unread_count_links_to_the_inbox(client_for, member, space):
    Notification.objects.create(recipient=member, kind="idea_commented", params={}, url="/", key="k1")
    html = client_for(member).get(reverse("home")).content.decode()
    assert f'<a href="{reverse("notifications:inbox")}">1 unread notification</a>' in html


# --- The API --------------------------------------------------------------------------------------------


def test_the_api_needs_signing_in(api_for):
    assert api_for(None).get("/me/home").status_code == 401


def test_the_api_gives_the_same_items_as_the_page(api_for, client_for, space, host, outsider):
    services.join_request_create(actor=outsider, space=space, perspective=Perspective.CARER)
    fill(host, 1)
    response = api_for(host).get("/me/home")
    assert response.status_code == 200
    body = response.json()
    expected = registry.waiting_for(host)
    assert [(i["module"], i["kind"], i["title"], i["url"]) for i in body["waiting"]] == [
        (i.module, i.kind, i.title, i.url) for i in expected
    ]
    assert {i["urgency"] for i in body["waiting"]} == {"WAITING_ON_YOU", "DUE", "OPEN"}
    assert body["helps_people"] is True and body["unread_notifications"] >= 0
    page = text(client_for(host).get(reverse("home")))
    positions = [page.index(i["title"]) for i in body["waiting"]]
    assert positions == sorted(positions)  # the page lists them in the same order


def test_the_api_counts_unread_notifications(api_for, member, space):
    Notification.objects.create(recipient=member, kind="idea_commented", params={}, url="/", key="k1")
    assert api_for(member).get("/me/home").json()["unread_notifications"] == 1


# --- Bounded queries -------------------------------------------------------------------------------------


@pytest.fixture
def busy(db):
    """A person with something waiting in every module, in several spaces."""
    person = make_person("Busy Person")
    fill(person, 3)
    return person


def _queries(run) -> int:
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured.captured_queries)


def test_the_home_page_and_the_api_ask_a_fixed_number_of_queries(
    busy, client_for, api_for, django_assert_max_num_queries
):
    client, api = client_for(busy), api_for(busy)
    modules = {item.module for item in registry.waiting_for(busy)}
    assert modules >= {"spaces", "timebank", "budgets", "meetings", "actions", "ideas"}
    # About two queries a module with something waiting (eleven now, with conversations, the directory and
    # the hub), plus the page's own; what matters is below: twice the data, the same number.
    with django_assert_max_num_queries(34):
        assert client.get(reverse("home")).status_code == 200
    with django_assert_max_num_queries(34):
        assert api.get("/me/home").status_code == 200
    page, endpoint = _queries(lambda: client.get(reverse("home"))), _queries(lambda: api.get("/me/home"))
    before = len(registry.waiting_for(busy))
    fill(busy, 3)  # twice as much of everything
    assert len(registry.waiting_for(busy)) == 2 * before
    assert _queries(lambda: client.get(reverse("home"))) == page
    assert _queries(lambda: api.get("/me/home")) == endpoint
