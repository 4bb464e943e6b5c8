"""Budgets on the personal home: open for the person's vote, and whether they have voted."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser

from coproduce.budgets import selectors, services
from coproduce.budgets.models import Phase
from coproduce.core.registry import Urgency

from .conftest import move_to


def test_a_budget_open_for_voting_waits_for_each_member(voting, member, host, outsider):
    voting.results_from = dt.date.today() + dt.timedelta(days=10)
    voting.save(update_fields=["results_from"])
    [item] = selectors.waiting_items(member)
    assert item.kind == "ballot" and item.title == f"Vote in {voting.title}"
    assert item.detail == "You have not voted yet" and item.urgency == Urgency.DUE
    assert item.due is not None and item.due.date() == voting.results_from
    assert item.space_title == voting.space.title
    assert len(selectors.waiting_items(host)) == 1
    assert selectors.waiting_items(outsider) == [] and selectors.waiting_items(AnonymousUser()) == []


def test_having_voted_is_said_and_less_urgent(voting, member):
    project = voting.projects.first()
    services.ballot_submit(actor=member, budget=voting, choices=[(project.pk, 1)])
    [item] = selectors.waiting_items(member)
    assert item.detail == "You have voted" and item.urgency == Urgency.OPEN


def test_budgets_not_voting_wait_for_nobody(budget, projects, member, host):
    assert selectors.waiting_items(member) == []
    move_to(budget, host, Phase.VOTE)
    move_to(budget, host, Phase.CLOSED)
    assert selectors.waiting_items(member) == []


def test_a_private_space_budget_waits_only_for_its_members(private_budget, member, outsider, host):
    move_to(private_budget, host, Phase.VOTE)
    assert [i.title for i in selectors.waiting_items(member)] == ["Vote in Quiet fund"]
    assert selectors.waiting_items(outsider) == []
