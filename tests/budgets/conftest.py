"""Fixtures for budgets: a budget in each phase, with projects from the members of the shared cast."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import TestCase
from huey.contrib.djhuey import HUEY
from huey.storage import MemoryStorage

from coproduce.budgets import selectors, services, tasks
from coproduce.budgets.models import Phase


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def tasks_now():
    """Run huey tasks (the count of a closed vote) as they are queued, in memory: never a developer's real
    queue in var/. A task is queued when its transaction commits: see `move_to` and `counted`."""
    was_immediate, was_storage = HUEY.immediate, HUEY.storage
    HUEY.storage = MemoryStorage("budgets-test")
    HUEY.immediate = True
    yield HUEY
    HUEY.immediate, HUEY.storage = was_immediate, was_storage


def counted(budget) -> dict:
    """Count now, as the task queued when voting closed (or a file was imported) does, and read the count
    back as the results page does. For tests whose transaction never commits."""
    tasks.count_budget.call_local(budget.pk)
    return last_count(budget)


def last_count(budget) -> dict:
    """The last count of the budget's ballots (every rule's outcome); fails when there is none."""
    found = selectors.last_count(budget)
    assert found is not None, "the ballots have not been counted"
    return found.data


def make_budget(space, host, **fields):
    values = {"title": "Community health fund", "amount": Decimal("10000"), "currency": "GBP"}
    values.update(fields)
    return services.budget_create(actor=host, space=space, **values)


def add_projects(budget, member, facilitator, costs, *, feasible=True):
    projects = []
    for n, cost in enumerate(costs, start=1):
        project = services.project_submit(
            actor=member,
            budget=budget,
            title=f"Project {n}",
            cost=Decimal(cost),
            description=f"What project {n} does.",
            category="health",
        )
        if feasible:
            services.project_review(actor=facilitator, project=project, feasible=True)
        projects.append(project)
    return projects


def move_to(budget, host, phase: str):
    """Move the budget on, phase by phase, as if each step committed: closing the vote queues its count."""
    order = [p.value for p in Phase]
    budget.refresh_from_db()
    while order.index(budget.phase) < order.index(phase):
        with TestCase.captureOnCommitCallbacks(execute=True):
            budget = services.budget_advance_phase(
                actor=host, budget=budget, to=order[order.index(budget.phase) + 1], confirm=True
            )
    return budget


@pytest.fixture
def budget(space, host):
    """An approval budget collecting projects: choose 1 to 2 projects, £10,000."""
    return make_budget(space, host, ballot_type="approval", min_projects=1, max_projects=2)


@pytest.fixture
def projects(budget, member, facilitator):
    return add_projects(budget, member, facilitator, ["4000", "3000", "5000"])


@pytest.fixture
def voting(budget, projects, host):
    """The approval budget with three feasible projects, voting open."""
    return move_to(budget, host, Phase.VOTE)


@pytest.fixture
def knapsack(space, host, member, facilitator):
    """A knapsack budget (at least 50% of £10,000) with four feasible projects, voting open."""
    budget = make_budget(space, host, title="Park improvements", ballot_type="knapsack", min_share_percent=50)
    add_projects(budget, member, facilitator, ["6000", "3000", "2500", "1000"])
    return move_to(budget, host, Phase.VOTE)


@pytest.fixture
def private_budget(private_space, host, member, facilitator):
    budget = make_budget(private_space, host, title="Quiet fund", ballot_type="approval", max_projects=2)
    add_projects(budget, member, facilitator, ["1000", "2000"])
    return budget
