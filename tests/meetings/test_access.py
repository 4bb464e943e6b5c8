"""Who may see and do what with meetings: every page and endpoint × every persona, public and private."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.api_client import Api
from tests.conftest import PERSONAS

from coproduce.meetings import services

from ..ideas.helpers import html

MEMBERS = {"host", "facilitator", "member", "practitioner"}
RUNNERS = {"host", "facilitator"}


def expected(persona: str, allowed: set[str], login: bool) -> int:
    if persona in allowed:
        return 200
    if persona == "anonymous" and login:
        return 302
    return 403


def pages(space, meeting, item):
    a = [space.slug, meeting.pk]
    return [
        ("list", reverse("meetings:list", args=[space.slug]), set(PERSONAS), False),
        ("detail", reverse("meetings:detail", args=a), set(PERSONAS), False),
        ("create", reverse("meetings:create", args=[space.slug]), RUNNERS, True),
        ("edit", reverse("meetings:edit", args=a), RUNNERS, True),
        ("cancel", reverse("meetings:cancel", args=a), RUNNERS, True),
        ("credits", reverse("meetings:credits", args=a), {"host"}, True),
        ("registrations", reverse("meetings:registrations", args=a), RUNNERS, True),
        ("attendance", reverse("meetings:attendance", args=a), RUNNERS, True),
        ("decision", reverse("meetings:decision_create", args=a), RUNNERS, True),
        ("leave_off", reverse("meetings:leave_off", args=[*a, item.pk]), RUNNERS, True),
        ("minutes", reverse("meetings:minutes", args=[*a, item.pk]), RUNNERS, True),
    ]


@pytest.fixture
def item(meeting, member):
    return services.agenda_item_propose(actor=member, meeting=meeting, title="Opening hours")


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_every_meeting_page_in_a_public_space(persona_name, persona, client_for, space, meeting, item):
    client = client_for(persona(persona_name))
    for name, url, allowed, login in pages(space, meeting, item):
        assert client.get(url).status_code == expected(persona_name, allowed, login), (name, persona_name)
    assert client.get(reverse("meetings:calendar", args=[space.slug])).status_code == 200


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_every_meeting_page_in_a_private_space_is_hidden_from_outsiders(
    persona_name, persona, client_for, private_space, private_meeting, member
):
    item = services.agenda_item_propose(actor=member, meeting=private_meeting, title="Quiet room")
    client = client_for(persona(persona_name))
    for name, url, allowed, login in pages(private_space, private_meeting, item):
        status = client.get(url).status_code
        if persona_name == "outsider":
            assert status == 404, name
        elif persona_name == "anonymous":
            assert status == (302 if login else 404), name
        else:
            assert status == expected(persona_name, allowed, login), (name, persona_name)
    feed = client.get(reverse("meetings:calendar", args=[private_space.slug])).status_code
    assert feed == (200 if persona_name in MEMBERS else 404)


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_changes_need_the_right_role(persona_name, persona, client_for, space, meeting, item):
    client = client_for(persona(persona_name))
    a = [space.slug, meeting.pk]
    posts = [
        (reverse("meetings:register", args=a), {"access_needs": ""}, MEMBERS),
        (reverse("meetings:propose", args=a), {"title": "Transport"}, MEMBERS),
        (reverse("meetings:dot", args=[*a, item.pk]), {}, MEMBERS),
        (reverse("meetings:publish", args=a), {}, RUNNERS),
    ]
    for url, data, allowed in posts:
        status = client.post(url, data).status_code
        if persona_name in allowed:
            assert status == 302, (url, persona_name, status)
        elif persona_name == "anonymous":
            assert status == 302 and "login" in client.post(url, data)["Location"], url
        else:
            assert status == 403, (url, persona_name, status)


def test_access_needs_are_seen_by_facilitators_and_hosts_only(
    client_for, space, meeting, member, practitioner, facilitator, host
):
    services.registration_create(actor=member, meeting=meeting, access_needs="I need the hearing loop")
    url = reverse("meetings:registrations", args=[space.slug, meeting.pk])
    for runner in (facilitator, host):
        assert "I need the hearing loop" in html(client_for(runner).get(url))
    assert client_for(practitioner).get(url).status_code == 403
    for viewer in (practitioner, None):
        assert "hearing loop please" not in html(client_for(viewer).get(meeting.get_absolute_url()))
        assert "I need the hearing loop" not in html(client_for(viewer).get(meeting.get_absolute_url()))
    assert "I need the hearing loop" in html(client_for(member).get(meeting.get_absolute_url()))  # their own
    assert Api(practitioner).get(f"/meetings/{meeting.pk}/registrations").status_code == 403
    rows = Api(facilitator).get(f"/meetings/{meeting.pk}/registrations").json()
    assert rows[0]["access_needs"] == "I need the hearing loop"


def test_the_online_link_is_for_people_registered(
    client_for, private_space, private_meeting, member, practitioner, facilitator
):
    services.registration_create(actor=member, meeting=private_meeting)
    link = "https://meet.example.org/peer"
    assert link in html(client_for(member).get(private_meeting.get_absolute_url()))
    assert link in html(client_for(facilitator).get(private_meeting.get_absolute_url()))
    assert link not in html(client_for(practitioner).get(private_meeting.get_absolute_url()))
    assert Api(practitioner).get(f"/meetings/{private_meeting.pk}").json()["online_url"] is None
    assert Api(member).get(f"/meetings/{private_meeting.pk}").json()["online_url"] == link


def test_proposals_are_for_members_until_the_agenda_is_published(
    client_for, space, meeting, item, facilitator
):
    assert "Opening hours" not in html(client_for(None).get(meeting.get_absolute_url()))
    assert Api().get(f"/meetings/{meeting.pk}/agenda").status_code == 403
    services.agenda_publish(actor=facilitator, meeting=meeting)
    page = html(client_for(None).get(meeting.get_absolute_url()))
    assert "Opening hours" in page and "lived experience" in page and "Lena Lived" not in page
    assert Api().get(f"/meetings/{meeting.pk}/agenda").json()[0]["proposer"] is None


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_the_api_follows_the_same_rules(
    persona_name, persona, space, private_space, meeting, private_meeting, item
):
    api = Api(persona(persona_name))
    is_member = persona_name in MEMBERS
    denied = 401 if persona_name == "anonymous" else 403
    assert api.get(f"/spaces/{space.slug}/meetings").status_code == 200
    assert api.get(f"/meetings/{meeting.pk}").status_code == 200
    assert api.get(f"/spaces/{private_space.slug}/meetings").status_code == (200 if is_member else 404)
    assert api.get(f"/meetings/{private_meeting.pk}").status_code == (200 if is_member else 404)
    assert api.post(f"/meetings/{meeting.pk}/registration", {}).status_code == (201 if is_member else denied)
    assert api.post(f"/meetings/{meeting.pk}/agenda", {"title": "Transport"}).status_code == (
        201 if is_member else denied
    )
    # Proposals are not shown to non-members before publication, so for them the item does not exist.
    assert api.post(f"/agenda/{item.pk}/dots").status_code == (
        201 if is_member else 401 if persona_name == "anonymous" else 404
    )
    assert api.get(f"/meetings/{meeting.pk}/registrations").status_code == (
        200 if persona_name in RUNNERS else denied
    )
    assert api.post(f"/meetings/{meeting.pk}/agenda/publish").status_code == (
        200 if persona_name in RUNNERS else denied
    )
