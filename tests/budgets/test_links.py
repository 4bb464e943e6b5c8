"""Where budgets meet the other modules, through the registry only: an adopted idea ("ideas.idea") becomes a
project, from a link budgets offers on the idea's page; a project is published as "budgets.project", ready to
be carried on once funded."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from coproduce.budgets import selectors, services
from coproduce.budgets.models import Phase, Project
from coproduce.core import registry
from coproduce.core.models import AuditEvent
from coproduce.ideas import services as idea_services
from coproduce.ideas.models import IdeaStatus

from .conftest import last_count, make_budget, move_to
from .helpers import text

MAKE = "Make it a budget project"
SEE = "See the budget project made from it"


@pytest.fixture
def fridge(budget, member):
    return idea_services.idea_create(
        actor=member,
        space=budget.space,
        title="Community fridge",
        body="A fridge anyone can share food through.",
    )


def adopt(idea, facilitator):
    idea_services.idea_set_status(
        actor=facilitator, idea=idea, status=IdeaStatus.ADOPTED, reason="Many supported it."
    )


def test_an_adopted_idea_becomes_a_project_of_its_author(budget, fridge, member, facilitator, practitioner):
    with pytest.raises(ValidationError, match="adopted"):
        services.project_create_from_idea(
            actor=facilitator, budget=budget, idea_id=fridge.pk, cost=Decimal(800)
        )
    adopt(fridge, facilitator)
    with pytest.raises(PermissionDenied):
        services.project_create_from_idea(
            actor=practitioner, budget=budget, idea_id=fridge.pk, cost=Decimal(800)
        )
    with pytest.raises(Http404):  # read through the registry, with the ideas app's own rule
        services.project_create_from_idea(actor=facilitator, budget=budget, idea_id=99999, cost=Decimal(1))
    project = services.project_create_from_idea(
        actor=facilitator, budget=budget, idea_id=fridge.pk, cost=Decimal("800"), category="food"
    )
    assert (project.title, project.cost, project.category) == ("Community fridge", Decimal("800"), "food")
    assert project.description == fridge.body and project.source_idea_id == fridge.pk
    assert project.submitted_by == member and project.submitter_perspective == "lived_experience"
    event = AuditEvent.objects.get(action="project.submitted", actor=facilitator)
    assert event.changes["idea"] == [None, fridge.pk] and "from an adopted idea" in event.summary
    with pytest.raises(ValidationError, match="already a project"):
        services.project_create_from_idea(
            actor=facilitator, budget=budget, idea_id=fridge.pk, cost=Decimal(1)
        )


def test_only_a_budget_collecting_projects_in_the_ideas_space_takes_it(
    budget, fridge, private_space, host, member, facilitator
):
    adopt(fridge, facilitator)
    elsewhere = make_budget(private_space, host, title="Elsewhere")
    with pytest.raises(ValidationError, match="another space"):
        services.project_create_from_idea(
            actor=facilitator, budget=elsewhere, idea_id=fridge.pk, cost=Decimal(1)
        )
    move_to(budget, host, Phase.REVIEW)
    with pytest.raises(ValidationError, match="no longer being collected"):
        services.project_create_from_idea(
            actor=facilitator, budget=budget, idea_id=fridge.pk, cost=Decimal(1)
        )
    assert not Project.objects.filter(source_idea_id=fridge.pk).exists()


def _links(page: str) -> dict[str, str]:
    return {label: url for url, label in re.findall(r'<a href="([^"]+)">([^<]+)</a>', page)}


def test_a_facilitator_makes_an_adopted_idea_a_project_from_its_page(
    client_for, budget, fridge, facilitator, member
):
    adopt(fridge, facilitator)
    assert MAKE not in _links(client_for(member).get(fridge.get_absolute_url()).content.decode())
    client = client_for(facilitator)
    links = _links(client.get(fridge.get_absolute_url()).content.decode())
    assert links[MAKE] == reverse("budgets:from_idea", args=[budget.space.slug, fridge.pk])

    form = client.get(links[MAKE])
    page = form.content.decode()
    assert form.status_code == 200 and 'value="Community fridge"' in page  # prefilled from the idea
    assert "A fridge anyone can share food through.</textarea>" in page
    assert f'value="{budget.pk}"' in page and "checked" in page  # the one budget collecting projects

    bad = client.post(links[MAKE], {"budget": budget.pk, "title": "Community fridge", "cost": ""})
    assert bad.status_code == 400 and not Project.objects.exists()
    done = client.post(
        links[MAKE],
        {"budget": budget.pk, "title": "Community fridge", "description": "Shared food.", "cost": "800"},
    )
    project = Project.objects.get(source_idea_id=fridge.pk)
    assert done.status_code == 302 and done.url == project.get_absolute_url()
    assert "Made from the adopted idea: Community fridge" in text(client.get(project.get_absolute_url()))

    for person in (facilitator, member, None):  # where it went, for everyone who may see both
        links = _links(client_for(person).get(fridge.get_absolute_url()).content.decode())
        assert links.get(SEE) == project.get_absolute_url() and MAKE not in links  # the only budget has it


def test_the_link_is_offered_only_while_a_budget_collects_projects(
    client_for, budget, fridge, host, facilitator, member
):
    assert MAKE not in _links(client_for(facilitator).get(fridge.get_absolute_url()).content.decode())
    adopt(fridge, facilitator)
    move_to(budget, host, Phase.REVIEW)
    assert MAKE not in _links(client_for(facilitator).get(fridge.get_absolute_url()).content.decode())
    url = reverse("budgets:from_idea", args=[budget.space.slug, fridge.pk])
    assert "No budget of this space is collecting projects now" in text(client_for(facilitator).get(url))
    assert client_for(member).get(url).status_code == 403


def test_a_project_is_a_source_ready_once_funded_in_published_results(voting, host, member, outsider):
    first, _second, third = selectors.on_ballot(voting)
    services.ballot_submit(actor=member, budget=voting, choices=[(first, 1)])
    found = registry.source("budgets.project", outsider, first)
    assert (found.kind, found.title, found.space_id) == ("budgets.project", "Project 1", voting.space_id)
    assert found.authors == (member.pk,) and not found.ready
    budget = move_to(voting, host, Phase.CLOSED)
    assert not registry.source("budgets.project", outsider, first).ready  # counted, not yet published
    budget = move_to(budget, host, Phase.RESULTS)
    assert first in last_count(budget)[budget.rule]["selected"]
    assert registry.source("budgets.project", outsider, first).ready
    assert third not in last_count(budget)[budget.rule]["selected"]
    assert not registry.source("budgets.project", outsider, third).ready  # not funded


def test_a_private_spaces_project_is_not_found_by_outsiders(private_budget, outsider, member):
    project = private_budget.projects.first()
    with pytest.raises(Http404):
        registry.source("budgets.project", outsider, project.pk)
    assert registry.source("budgets.project", member, project.pk).pk == project.pk


def test_a_funded_project_becomes_an_action_through_the_installed_modules(
    client_for, voting, host, member, facilitator
):
    """The whole way with the real modules: budgets publishes the funded project, actions offers "Add an
    action" from it and makes the action (neither imports the other)."""
    from coproduce.actions.models import Action

    first, _second, third = selectors.on_ballot(voting)
    services.ballot_submit(actor=member, budget=voting, choices=[(first, 1)])
    budget = move_to(voting, host, Phase.RESULTS)
    funded = registry.source("budgets.project", facilitator, first)
    page_url = reverse("actions:from_project", args=[budget.space.slug, first])
    assert ("Add an action", page_url) in registry.links_for(funded, facilitator)
    offers = registry.links_for(registry.source("budgets.project", facilitator, third), facilitator)
    assert [label for label, _url in offers if label != "What became of it"] == []
    response = client_for(facilitator).post(page_url, {"title": "Order the fridge", "owner": member.pk})
    assert response.status_code == 302
    action = Action.objects.get()
    assert (action.title, action.budget_project_id, action.space_id) == (
        "Order the fridge",
        first,
        budget.space_id,
    )
    refused = client_for(facilitator).post(
        reverse("actions:from_project", args=[budget.space.slug, third]), {"title": "No", "owner": member.pk}
    )
    assert refused.status_code == 400 and "Only a funded project" in refused.content.decode()
    assert Action.objects.count() == 1
