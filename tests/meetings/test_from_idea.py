"""Putting an idea on a meeting's agenda (issue 14, the trail): the link on the idea page for the people who may
propose, the page that proposes the item with the idea's id, the idea's trail then showing it, refusals (another
space's idea, a closed idea, an agenda that closed), the API; and the links offered on each agenda item and on a
budget project's page, with the meeting page's queries not growing with its items."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.api_client import Api
from tests.budgets.conftest import add_projects, make_budget
from tests.conftest import PERSONAS

from coproduce.core.models import AuditEvent
from coproduce.ideas import services as ideas
from coproduce.meetings import services
from coproduce.meetings.models import AgendaItem

from ..ideas.helpers import html, text
from .conftest import when

pytestmark = pytest.mark.django_db

LINK = "Put it on a meeting&#x27;s agenda"


@pytest.fixture
def said(space, member):
    return ideas.idea_create(actor=member, space=space, title="Saturday opening", body="Open at weekends.")


def page_url(space, idea) -> str:
    return reverse("meetings:from_idea", args=[space.slug, idea.pk])


def another_meeting(space, facilitator, title="Second workshop", days=14):
    return services.meeting_create(
        actor=facilitator,
        space=space,
        title=title,
        format="online",
        online_url="https://x.example",
        **when(days),
    )


@pytest.mark.parametrize("who", PERSONAS)
def test_the_link_is_offered_to_the_people_who_may_propose(who, persona, client_for, said, meeting, space):
    page = html(client_for(persona(who)).get(said.get_absolute_url()))
    shown = LINK in page and page_url(space, said) in page
    assert shown == (who in ("host", "facilitator", "member", "practitioner")), who


def test_no_link_for_a_closed_idea_or_when_no_agenda_is_open(client_for, said, meeting, member, facilitator):
    client = client_for(member)
    assert LINK in html(client.get(said.get_absolute_url()))
    services.agenda_item_propose(actor=member, meeting=meeting, title="Something else")
    services.agenda_publish(actor=facilitator, meeting=meeting)
    assert LINK not in html(client.get(said.get_absolute_url()))  # no meeting takes proposals now

    another_meeting(meeting.space, facilitator)
    assert LINK in html(client.get(said.get_absolute_url()))
    ideas.idea_set_status(actor=facilitator, idea=said, status="not_taken_forward", reason="Out of scope.")
    assert LINK not in html(client.get(said.get_absolute_url()))
    closed = client.get(page_url(meeting.space, said))
    assert closed.status_code == 302 and closed["Location"] == said.get_absolute_url()


def test_the_page_proposes_the_idea_and_its_trail_shows_the_meeting(
    client_for, said, meeting, member, facilitator, space
):
    second = another_meeting(space, facilitator)
    client = client_for(member)
    page = client.get(page_url(space, said))
    assert page.status_code == 200
    body = html(page)
    # Both meetings to choose from, with radios; the title and text from the idea.
    assert 'type="radio"' in body and "Design workshop" in body and "Second workshop" in body
    assert 'value="Saturday opening"' in body and "Open at weekends." in body

    response = client.post(
        page_url(space, said),
        {"meeting": str(second.pk), "title": "Saturday opening hours", "description": "From the idea."},
    )
    item = AgendaItem.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"{second.get_absolute_url()}#item-{item.pk}"
    )
    assert (item.meeting, item.source_idea_id, item.proposed_by) == (second, said.pk, member)
    assert item.title == "Saturday opening hours"
    assert AuditEvent.objects.filter(action="meeting.agenda_item_proposed", target_id=str(item.pk)).exists()

    trail = text(client_for(None).get(reverse("impact:trail", args=[space.slug, "ideas.idea", said.pk])))
    assert "Saturday opening hours" not in trail  # a proposal is for members until the agenda is published
    trail = text(client.get(reverse("impact:trail", args=[space.slug, "ideas.idea", said.pk])))
    assert "Saturday opening hours" in trail and "Proposed for “Second workshop”" in trail


def test_bad_input_is_shown_beside_the_fields_and_nothing_is_written(
    client_for, said, meeting, member, space
):
    response = client_for(member).post(page_url(space, said), {"title": "", "description": "x"})
    assert response.status_code == 400
    page = text(response)
    assert "Choose a meeting." in page and "This field is required." in page
    assert 'aria-invalid="true"' in html(response)
    assert not AgendaItem.objects.exists()


def test_a_closed_agenda_is_refused_with_a_clear_message(
    client_for, said, meeting, member, facilitator, space
):
    second = another_meeting(space, facilitator)
    client = client_for(member)
    assert client.get(page_url(space, said)).status_code == 200  # both meetings offered
    services.agenda_item_propose(actor=member, meeting=meeting, title="Something else")
    services.agenda_publish(actor=facilitator, meeting=meeting)  # closes while the page is open
    response = client.post(page_url(space, said), {"meeting": str(meeting.pk), "title": "Saturday opening"})
    assert response.status_code == 400
    assert "“Design workshop” takes no more proposals: The agenda is already published." in text(response)
    assert not AgendaItem.objects.filter(source_idea_id=said.pk).exists()
    assert "Second workshop" in text(response)  # still offered

    services.meeting_cancel(actor=facilitator, meeting=second, reason="Room flooded.")
    response = client.post(page_url(space, said), {"meeting": str(second.pk), "title": "Saturday opening"})
    assert response.status_code == 400
    assert "“Second workshop” takes no more proposals: This meeting was cancelled." in text(response)
    assert "No meeting of this space is taking proposals" in text(response)
    assert not AgendaItem.objects.filter(source_idea_id=said.pk).exists()


def test_another_spaces_idea_and_people_who_may_not(
    client_for, said, meeting, member, outsider, space, private_space
):
    elsewhere = ideas.idea_create(actor=member, space=private_space, title="Quiet hour", body="No music.")
    assert client_for(member).get(page_url(space, elsewhere)).status_code == 404
    assert client_for(member).post(page_url(space, elsewhere), {"meeting": meeting.pk}).status_code == 404
    assert client_for(outsider).get(page_url(space, said)).status_code == 403  # may see, may not propose
    assert client_for(outsider).get(page_url(private_space, elsewhere)).status_code == 404
    assert client_for(None).get(page_url(space, said)).status_code == 302  # sign in first
    assert not AgendaItem.objects.exists()


def test_the_api_takes_the_idea_and_refuses_another_spaces(
    api_for, said, meeting, member, facilitator, private_space
):
    api = Api(member)
    response = api.post(
        f"/meetings/{meeting.pk}/agenda", {"title": "Saturday opening", "source_idea_id": said.pk}
    )
    assert response.status_code == 201, response.content
    assert response.json()["source_idea_id"] == said.pk
    assert AgendaItem.objects.get().source_idea_id == said.pk

    elsewhere = ideas.idea_create(actor=member, space=private_space, title="Quiet hour", body="No music.")
    response = api.post(
        f"/meetings/{meeting.pk}/agenda", {"title": "Quiet hour", "source_idea_id": elsewhere.pk}
    )
    assert response.status_code == 422 and list(response.json()["detail"]) == ["source_idea_id"], (
        response.content
    )
    response = api.post(f"/meetings/{meeting.pk}/agenda", {"title": "Nothing", "source_idea_id": 2**63})
    assert response.status_code in (400, 422), response.content
    ideas.idea_set_status(actor=facilitator, idea=said, status="not_taken_forward", reason="Out of scope.")
    response = api.post(f"/meetings/{meeting.pk}/agenda", {"title": "Again", "source_idea_id": said.pk})
    assert response.status_code == 422 and list(response.json()["detail"]) == ["source_idea_id"], (
        response.content
    )
    assert AgendaItem.objects.count() == 1


def test_each_agenda_item_offers_its_trail(client_for, said, meeting, member, facilitator, space):
    item = services.agenda_item_propose(
        actor=member, meeting=meeting, title="From the idea", source_idea_id=said.pk
    )
    other = services.agenda_item_propose(actor=member, meeting=meeting, title="Another")
    services.agenda_item_leave_off(actor=facilitator, item=other, reason="A duplicate.")
    page = html(client_for(member).get(meeting.get_absolute_url()))
    for each in (item, other):
        assert reverse("impact:trail", args=[space.slug, "meetings.agenda_item", each.pk]) in page
    services.agenda_item_propose(actor=member, meeting=meeting, title="Third")
    services.agenda_publish(actor=facilitator, meeting=meeting)
    page = html(client_for(None).get(meeting.get_absolute_url()))
    assert reverse("impact:trail", args=[space.slug, "meetings.agenda_item", item.pk]) in page
    assert 'What became of it<span class="visually-hidden">: From the idea</span>' in page


def page_queries(client, meeting) -> int:
    client.get(meeting.get_absolute_url())  # the session and caches warmed
    with CaptureQueriesContext(connection) as queries:
        response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200 and "What became of it" in html(response)
    return len(queries)


@pytest.mark.parametrize("published", [False, True])
def test_the_meeting_page_costs_the_same_however_many_items(
    published, client_for, meeting, member, facilitator
):
    bigger = another_meeting(meeting.space, facilitator)
    for each, n in ((meeting, 2), (bigger, 12)):
        for i in range(n):
            services.agenda_item_propose(actor=member, meeting=each, title=f"Item {i}")
        if published:
            services.agenda_publish(actor=facilitator, meeting=each)
    client = client_for(member)
    assert page_queries(client, bigger) == page_queries(client, meeting)


def test_the_budget_project_page_offers_its_links(client_for, space, host, member, facilitator, outsider):
    budget = make_budget(space, host)
    (project,) = add_projects(budget, member, facilitator, [500])
    page = html(client_for(outsider).get(project.get_absolute_url()))
    assert "What became of it" in page
    assert reverse("impact:trail", args=[space.slug, "budgets.project", project.pk]) in page


def test_a_long_idea_is_offered_whole_and_the_page_says_to_shorten_it(client_for, meeting, member, space):
    """An idea may be longer than an agenda item holds: its words are never cut without telling. The form
    starts with all of them and says what to shorten; sent as it is, the field says what is too long."""
    long = ideas.idea_create(
        actor=member, space=space, title="Weekend opening", body="Open at weekends. " * 200
    )
    page = client_for(member).get(page_url(space, long))
    assert page.status_code == 200
    assert "Shorten them below before you propose it." in text(page)
    assert long.body.strip() in text(page)  # whole, not cut at 2,000 characters
    sent = client_for(member).post(
        page_url(space, long), {"meeting": meeting.pk, "title": long.title, "description": long.body}
    )
    assert sent.status_code == 400
    assert "at most 2000 characters" in text(sent)
    assert not AgendaItem.objects.exists()
    short = client_for(member).get(
        page_url(space, ideas.idea_create(actor=member, space=space, title="T", body="B"))
    )
    assert "Shorten them" not in text(short)
