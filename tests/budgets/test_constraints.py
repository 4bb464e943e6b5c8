"""The database keeps the invariants even when the services are bypassed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from coproduce.budgets import keys
from coproduce.budgets.models import Ballot, Budget, Project, ProjectCostChange, Voter


def raises_integrity(make) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_one_ballot_per_voter_per_budget(voting, member):
    key = keys.voter_key(voting.pk, f"user:{member.pk}")
    Ballot.objects.create(budget=voting, voter_key=key, choices=[])
    raises_integrity(lambda: Ballot.objects.create(budget=voting, voter_key=key, choices=[]))
    raises_integrity(lambda: Ballot.objects.create(budget=voting, voter_key="", choices=[]))


def test_one_voter_row_per_person_and_per_reference(voting, member):
    Voter.objects.create(budget=voting, user=member)
    raises_integrity(lambda: Voter.objects.create(budget=voting, user=member))
    Voter.objects.create(budget=voting, reference="P-1")
    raises_integrity(lambda: Voter.objects.create(budget=voting, reference="P-1"))
    raises_integrity(lambda: Voter.objects.create(budget=voting, user=member, reference="P-2"))
    raises_integrity(lambda: Voter.objects.create(budget=voting, reference="P-3", method="telepathy"))


@pytest.mark.parametrize("cost", [Decimal("0"), Decimal("-1")])
def test_a_project_costs_more_than_nothing(budget, cost):
    raises_integrity(lambda: Project.objects.create(budget=budget, title="Free", cost=cost))


def test_project_rules(budget):
    raises_integrity(lambda: Project.objects.create(budget=budget, title="", cost=1))
    raises_integrity(lambda: Project.objects.create(budget=budget, title="No", cost=1, status="not_feasible"))
    raises_integrity(lambda: Project.objects.create(budget=budget, title="Pic", cost=1, image="a.png"))
    Project.objects.create(budget=budget, title="A", cost=1, external_id="x1")
    raises_integrity(lambda: Project.objects.create(budget=budget, title="B", cost=1, external_id="x1"))


def test_a_cost_change_changes_the_cost_and_says_why(projects):
    project = projects[0]
    raises_integrity(
        lambda: ProjectCostChange.objects.create(project=project, old_cost=5, new_cost=5, reason="x")
    )
    raises_integrity(
        lambda: ProjectCostChange.objects.create(project=project, old_cost=5, new_cost=0, reason="x")
    )
    raises_integrity(
        lambda: ProjectCostChange.objects.create(project=project, old_cost=5, new_cost=6, reason="")
    )


def test_budget_rules(budget):
    def update(**fields):
        return lambda: Budget.objects.filter(pk=budget.pk).update(**fields)

    raises_integrity(update(amount=0))
    raises_integrity(update(phase="counting"))
    raises_integrity(update(ballot_type="cumulative", points_total=None))
    raises_integrity(update(ballot_type="ranked", max_ranked=None))
    raises_integrity(update(ballot_type="scoring", max_points_per_project=None))
    raises_integrity(update(min_projects=3, max_projects=2))
    raises_integrity(update(min_projects=0))
    raises_integrity(update(min_share_percent=120))
    raises_integrity(update(rule="dictator"))
