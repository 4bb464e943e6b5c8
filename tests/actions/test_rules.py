"""One rule in one place: editing, reporting and making actions from other modules' objects are decided in
actions/access.py, and the page and the API answer each the same way. Other modules are reached only through
the registry: the ideas and budgets sources here are stand-ins with their contract (tests/actions/conftest.py),
the meetings decision is the real one."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from tests.api_client import Api

from coproduce.actions.models import Action, ActionUpdate
from coproduce.core import registry
from coproduce.ideas import services as idea_services
from coproduce.meetings import services as meeting_services
from coproduce.spaces import services as space_services

from ..ideas.helpers import html, text
from ..meetings.conftest import when

REPORT = {"text": "Phoned them", "status": "in_progress", "progress": 30}


# --- Editing and reporting ------------------------------------------------------------------------


@pytest.mark.parametrize("persona_name", ["member", "practitioner", "facilitator"])
def test_only_facilitators_and_hosts_change_what_who_and_when(
    persona_name, persona, client_for, space, action
):
    """The owner ("member") reports on it but does not change it."""
    who = persona(persona_name)
    edit = reverse("actions:edit", args=[space.slug, action.pk])
    page = client_for(who).post(edit, {"title": "Renamed on the page", "owner": action.owner_id})
    api = Api(who).patch(f"/actions/{action.pk}", {"title": "Renamed through the API"})
    shown = "Change what, who or when" in text(client_for(who).get(action.get_absolute_url()))
    if persona_name == "facilitator":
        assert (page.status_code, api.status_code, shown) == (302, 200, True)
        assert Action.objects.get().title == "Renamed through the API"
    else:
        assert (page.status_code, api.status_code, shown) == (403, 403, False)
        assert Action.objects.get().title == action.title


@pytest.mark.parametrize("persona_name", ["member", "practitioner", "facilitator"])
def test_the_owner_and_facilitators_report_progress(persona_name, persona, client_for, space, action):
    who = persona(persona_name)
    page = client_for(who).post(reverse("actions:report", args=[space.slug, action.pk]), REPORT)
    api = Api(who).post(f"/actions/{action.pk}/updates", REPORT)
    shown = "Post an update" in text(client_for(who).get(action.get_absolute_url()))
    if persona_name == "practitioner":
        assert (page.status_code, api.status_code, shown) == (403, 403, False)
        assert not ActionUpdate.objects.exists()
    else:
        assert (page.status_code, api.status_code, shown) == (302, 201, True)
        assert ActionUpdate.objects.count() == 2


def test_an_owner_who_left_the_space_no_longer_reports(client_for, space, action, member, host):
    space_services.membership_end(actor=host, membership=space.memberships.get(user=member), reason="Moved")
    assert (
        client_for(member).post(reverse("actions:report", args=[space.slug, action.pk]), REPORT).status_code
        == 403
    )
    assert Api(member).post(f"/actions/{action.pk}/updates", REPORT).status_code == 403
    assert not ActionUpdate.objects.exists()


# --- From other modules, through the registry ----------------------------------------------------


def offers(links):
    """What other modules offer to make, without the quality app's "What became of it" (the trail), which
    every object shows to everyone who may see it."""
    return [link for link in links if link[0] != "What became of it"]


def test_an_adopted_idea_offers_the_link_and_the_page_and_api_make_the_same_action(
    client_for, space, adopted_idea, facilitator, member, practitioner
):
    found = registry.source("ideas.idea", facilitator, adopted_idea.pk)
    page_url = reverse("actions:from_idea", args=[space.slug, adopted_idea.pk])
    assert offers(registry.links_for(found, facilitator)) == [("Make it an action", page_url)]
    assert (
        offers(registry.links_for(registry.source("ideas.idea", practitioner, adopted_idea.pk), practitioner))
        == []
    )
    form = html(client_for(facilitator).get(page_url))
    assert 'value="Evening opening"' in form and adopted_idea.get_absolute_url() in form  # prefilled, linked
    client_for(facilitator).post(page_url, {"title": "Evening opening", "owner": member.pk})
    Api(facilitator).post(f"/ideas/{adopted_idea.pk}/actions", {"owner_id": member.pk})
    assert [(a.idea_id, a.title) for a in Action.objects.all()] == [(adopted_idea.pk, "Evening opening")] * 2


def test_an_idea_not_adopted_offers_no_link_and_is_refused_the_same_way(
    client_for, space, member, facilitator
):
    idea = idea_services.idea_create(actor=member, space=space, title="Not yet", body="x")
    assert offers(registry.links_for(registry.source("ideas.idea", facilitator, idea.pk), facilitator)) == []
    page = client_for(facilitator).post(
        reverse("actions:from_idea", args=[space.slug, idea.pk]), {"title": "Not yet", "owner": member.pk}
    )
    api = Api(facilitator).post(f"/ideas/{idea.pk}/actions", {"owner_id": member.pk})
    assert page.status_code == 400 and "Only an adopted idea can become an action." in html(page)
    assert api.status_code == 422 and "Only an adopted idea can become an action." in api.content.decode()
    assert not Action.objects.exists()


def test_a_source_from_another_space_or_not_visible_is_not_found(
    client_for, space, private_space, member, facilitator, outsider
):
    elsewhere = idea_services.idea_create(actor=member, space=private_space, title="Elsewhere", body="x")
    wrong_space = client_for(facilitator).get(reverse("actions:from_idea", args=[space.slug, elsewhere.pk]))
    in_body = Api(facilitator).post(
        f"/spaces/{space.slug}/actions", {"title": "Mixed", "owner_id": member.pk, "idea_id": elsewhere.pk}
    )
    hidden = Api(outsider).post(f"/ideas/{elsewhere.pk}/actions", {"owner_id": member.pk})
    assert (wrong_space.status_code, in_body.status_code, hidden.status_code) == (404, 404, 404)
    assert not Action.objects.exists()


def test_a_funded_project_gets_actions_through_the_page_and_the_api(
    client_for, space, facilitator, member, projects
):
    projects[41] = (space, "Community fridge", True)
    projects[42] = (space, "Not chosen", False)
    found = registry.source("budgets.project", facilitator, 41)
    page_url = reverse("actions:from_project", args=[space.slug, 41])
    assert offers(registry.links_for(found, facilitator)) == [("Add an action", page_url)]
    assert offers(registry.links_for(registry.source("budgets.project", facilitator, 42), facilitator)) == []
    assert (
        client_for(facilitator).post(page_url, {"title": "Buy the fridge", "owner": member.pk}).status_code
        == 302
    )
    made = Api(facilitator).post("/budget-projects/41/actions", {"owner_id": member.pk})
    assert made.status_code == 201 and made.json()["budget_project"] == 41
    refused = Api(facilitator).post("/budget-projects/42/actions", {"owner_id": member.pk})
    assert refused.status_code == 422 and "Only a funded project" in refused.content.decode()
    assert [(a.title, a.budget_project_id) for a in Action.objects.order_by("pk")] == [
        ("Buy the fridge", 41),
        ("Community fridge", 41),
    ]
    assert Api(facilitator).post("/budget-projects/99/actions", {"owner_id": member.pk}).status_code == 404


def test_without_the_budgets_module_there_is_no_project_to_carry_on(client_for, space, facilitator, member):
    assert (
        client_for(facilitator).get(reverse("actions:from_project", args=[space.slug, 41])).status_code == 404
    )
    assert Api(facilitator).post("/budget-projects/41/actions", {"owner_id": member.pk}).status_code == 404


def test_a_decision_becomes_an_action_through_its_real_source(
    client_for, space, facilitator, member, practitioner
):
    meeting = meeting_services.meeting_create(
        actor=facilitator, space=space, title="Workshop", format="online", **when(days=-1)
    )
    with time_machine.travel(meeting.starts_at + dt.timedelta(hours=1)):
        decision = meeting_services.decision_record(actor=facilitator, meeting=meeting, text="Write to them")
    page_url = reverse("actions:from_decision", args=[space.slug, decision.pk])
    assert client_for(practitioner).get(page_url).status_code == 403
    assert (
        Api(practitioner).post(f"/decisions/{decision.pk}/actions", {"owner_id": member.pk}).status_code
        == 403
    )
    form = html(client_for(facilitator).get(page_url))
    assert 'value="Write to them"' in form and f"#decision-{decision.pk}" in form
    assert (
        client_for(facilitator).post(page_url, {"title": "Write to them", "owner": member.pk}).status_code
        == 302
    )
    assert (
        Api(facilitator).post(f"/decisions/{decision.pk}/actions", {"owner_id": member.pk}).status_code == 201
    )
    assert [a.decision_id for a in Action.objects.all()] == [decision.pk, decision.pk]
    assert "Write to them" in text(client_for(None).get(meeting.get_absolute_url()))
