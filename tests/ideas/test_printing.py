"""The open ideas printed for a drop-in session, with their support and room to write comments."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.conftest import PERSONAS

from coproduce.ideas import services

from .helpers import html, text


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_only_facilitators_and_hosts_print_the_ideas(persona_name, persona, client_for, space, private_space):
    client = client_for(persona(persona_name))
    want = {
        "host": 200,
        "facilitator": 200,
        "member": 403,
        "practitioner": 403,
        "outsider": 403,
        "anonymous": 302,
    }
    assert client.get(reverse("ideas:print", args=[space.slug])).status_code == want[persona_name]
    private = client.get(reverse("ideas:print", args=[private_space.slug])).status_code
    assert private == (404 if persona_name == "outsider" else want[persona_name])


def test_the_printed_list_has_open_ideas_most_supported_first_with_room_for_comments(
    client_for, space, host, facilitator, member, practitioner, margaret, django_assert_max_num_queries
):
    quiet = services.idea_create(
        actor=member, space=space, title="Quiet room", body="A room to sit quietly. " * 30
    )
    bus = services.idea_create(
        actor=facilitator, space=space, title="Bus pass help", body="Help with forms.", on_behalf_of=margaret
    )
    closed = services.idea_create(actor=practitioner, space=space, title="Closed one", body="Old.")
    services.idea_set_status(
        actor=facilitator, idea=closed, status="not_taken_forward", reason="Done elsewhere."
    )
    for person in (member, practitioner):
        services.idea_support(actor=person, idea=bus)
    client = client_for(facilitator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("ideas:print", args=[space.slug]))
    page, markup = text(response), html(response)
    assert page.index("Bus pass help") < page.index("Quiet room")
    assert "2 supporters" in page and "0 supporters" in page
    assert "Closed one" not in page
    assert "written with help from a facilitator" in page
    assert "A room to sit quietly." in page and "A room to sit quietly. " * 30 not in page  # short text
    assert markup.count('class="lines"') == 2
    assert quiet.title in page and "<nav" not in markup


def test_the_ideas_page_links_to_the_printed_list_for_facilitators(client_for, space, facilitator, member):
    link = reverse("ideas:print", args=[space.slug])
    assert link in html(client_for(facilitator).get(reverse("ideas:list", args=[space.slug])))
    assert link not in html(client_for(member).get(reverse("ideas:list", args=[space.slug])))
