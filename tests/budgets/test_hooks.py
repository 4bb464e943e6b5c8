"""Where budgets meet the other modules: an adopted idea becomes a project; a funded project becomes an action."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coproduce.actions import services as action_services
from coproduce.budgets import services
from coproduce.budgets.models import Phase
from coproduce.core.registry import Source
from coproduce.ideas import services as idea_services
from coproduce.ideas.models import IdeaStatus

from .conftest import move_to


def test_an_adopted_idea_becomes_a_project_of_its_author(budget, member, facilitator, practitioner):
    idea = idea_services.idea_create(
        actor=member,
        space=budget.space,
        title="Community fridge",
        body="A fridge anyone can share food through.",
    )
    with pytest.raises(ValidationError):
        idea_services.idea_to_budget_project(actor=facilitator, idea=idea, budget=budget, cost=Decimal("800"))
    idea_services.idea_set_status(
        actor=facilitator, idea=idea, status=IdeaStatus.ADOPTED, reason="Many supported it."
    )
    with pytest.raises(PermissionDenied):
        idea_services.idea_to_budget_project(
            actor=practitioner, idea=idea, budget=budget, cost=Decimal("800")
        )
    project = idea_services.idea_to_budget_project(
        actor=facilitator, idea=idea, budget=budget, cost=Decimal("800"), category="food"
    )
    assert (project.title, project.cost, project.category) == ("Community fridge", Decimal("800"), "food")
    assert project.submitted_by == member and project.submitter_perspective == "lived_experience"


def test_a_funded_project_becomes_an_action(voting, host, member, facilitator):
    first = next(iter(services.on_ballot(voting)))
    services.ballot_submit(actor=member, budget=voting, choices=[(first, 1)])
    budget = move_to(voting, host, Phase.RESULTS)
    funded = budget.projects.get(pk=services.cached_results(budget)[budget.rule]["selected"][0])
    # What the budgets module's "budgets.project" source says of a funded project (ready to be carried on).
    found = Source(kind="budgets.project", pk=funded.pk, space_id=budget.space_id, title=funded.title)
    action = action_services.action_create_from_source(actor=facilitator, source=found, owner=member)
    assert (
        action.budget_project_id == funded.pk
        and action.space == budget.space
        and action.title == funded.title
    )
