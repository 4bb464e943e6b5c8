"""Issue 10, point 12: ranked, cumulative and scoring ballots were counted as approvals by the default rule
(Equal Shares counts every ranked project as supported, whatever its rank). A budget now pairs such ballots
only with a rule that uses their ranks or points (the greedy count by score); the form, the API and the
service refuse any other pairing, with a plain message on the rule."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from tests.api_client import Api

from coproduce.budgets import selectors, services
from coproduce.budgets.models import Budget, BudgetResult, Phase

from .conftest import add_projects, last_count, make_budget, move_to
from .helpers import text

EXTRA = {
    "ranked": {"max_ranked": 2},
    "cumulative": {"points_total": 5},
    "scoring": {"max_points_per_project": 5},
}


@pytest.mark.parametrize("ballot_type", ["ranked", "cumulative", "scoring"])
@pytest.mark.parametrize("rule", ["mes-add1", "phragmen"])
def test_a_rule_that_ignores_ranks_or_points_is_refused_on_the_rule(space, host, ballot_type, rule):
    with pytest.raises(ValidationError) as caught:
        make_budget(space, host, ballot_type=ballot_type, rule=rule, **EXTRA[ballot_type])
    message = caught.value.message_dict["rule"][0]
    assert "choose a greedy rule" in message and "for nothing" in message
    assert not Budget.objects.exists()


@pytest.mark.parametrize("ballot_type", ["ranked", "cumulative", "scoring"])
@pytest.mark.parametrize("rule", ["greedy", "greedy-no-skip"])
def test_greedy_rules_go_with_ranks_and_points(space, host, ballot_type, rule):
    assert make_budget(space, host, ballot_type=ballot_type, rule=rule, **EXTRA[ballot_type]).rule == rule


@pytest.mark.parametrize("ballot_type", ["approval", "knapsack"])
def test_every_rule_goes_with_approval_and_knapsack(space, host, ballot_type):
    for rule in ("greedy", "greedy-no-skip", "mes-add1", "phragmen"):
        assert make_budget(space, host, ballot_type=ballot_type, rule=rule).rule == rule


def test_the_form_explains_a_bad_pairing_on_the_rule_field_and_saves_nothing(client_for, host, space):
    form = {
        "title": "Youth fund",
        "amount": "5000",
        "currency": "GBP",
        "eligibility": "members",
        "ballot_type": "ranked",
        "max_ranked": "3",
        "min_projects": "1",
        "min_share_percent": "0",
        "rule": "mes-add1",
        "tie_break": "cost_then_submission",
        "threshold": "0",
    }
    client = client_for(host)
    response = client.post(reverse("budgets:create", args=[space.slug]), form)
    assert response.status_code == 400 and not Budget.objects.exists()
    html = response.content.decode()
    rule_field = html[html.index('id="id_rule') - 2000 : html.index('id="id_tie_break')]
    assert "voters would rank for nothing" in rule_field  # on the rule field itself
    assert "go with approval and knapsack ballots" in text(response)  # the pairing, said before submitting
    response = client.post(reverse("budgets:create", args=[space.slug]), {**form, "rule": "greedy"})
    assert response.status_code == 302 and Budget.objects.get().rule == "greedy"


def test_the_api_refuses_a_bad_pairing(host, space):
    api = Api(host)
    response = api.post(
        f"/spaces/{space.slug}/budgets",
        {"title": "X", "amount": "10", "ballot_type": "cumulative", "points_total": 5, "rule": "mes-add1"},
    )
    assert response.status_code == 422 and "rule" in json.loads(response.content)["detail"]
    assert not Budget.objects.exists()
    created = api.post(
        f"/spaces/{space.slug}/budgets",
        {"title": "X", "amount": "10", "ballot_type": "cumulative", "points_total": 5, "rule": "greedy"},
    )
    assert created.status_code == 201 and Budget.objects.get().rule == "greedy"


def _old_budget(space, host, member, facilitator, phase):
    """A ranked budget with Equal Shares, as could be set up before the check (written past the service)."""
    budget = make_budget(
        space, host, ballot_type="ranked", max_ranked=3, rule="greedy", amount=Decimal("500")
    )
    add_projects(budget, member, facilitator, ["300", "300"])
    budget = move_to(budget, host, phase)
    Budget.objects.filter(pk=budget.pk).update(rule="mes-add1")
    budget.refresh_from_db()
    return budget


def test_an_old_budget_with_a_bad_pairing_cannot_open_voting(space, host, member, facilitator):
    budget = _old_budget(space, host, member, facilitator, Phase.REVIEW)
    with pytest.raises(ValidationError) as caught:
        services.budget_advance_phase(actor=host, budget=budget, to=Phase.VOTE)
    assert "voters would rank for nothing" in caught.value.message_dict["phase"][0]
    services.budget_update(actor=host, budget=budget, rule="greedy")
    assert services.budget_advance_phase(actor=host, budget=budget, to=Phase.VOTE).phase == Phase.VOTE


def test_an_old_budget_already_voting_keeps_its_rule_and_its_results_say_what_it_ignored(
    client_for, space, host, member, facilitator, practitioner
):
    budget = _old_budget(space, host, member, facilitator, Phase.VOTE)
    services.budget_update(actor=host, budget=budget, title="Youth fund 2026")  # still editable
    a, b = selectors.on_ballot(budget)
    services.ballot_submit(actor=member, budget=budget, choices=[(a, 1), (b, 2)])
    services.ballot_submit(actor=practitioner, budget=budget, choices=[(b, 1), (a, 2)])
    budget = move_to(budget, host, Phase.RESULTS)
    data = last_count(budget)
    assert set(data) == {"greedy", "greedy-no-skip", "mes-add1"}  # its own rule, and those that use ranks
    page = text(client_for(None).get(reverse("budgets:results", args=[space.slug, budget.pk])))
    assert "it does not use ranks: it counted every project a voter ranked as one vote" in page


def test_a_ranked_budget_is_counted_only_with_rules_that_use_the_ranks(
    client_for, space, host, member, facilitator, practitioner
):
    budget = make_budget(
        space, host, ballot_type="ranked", max_ranked=3, rule="greedy", amount=Decimal("300")
    )
    add_projects(budget, member, facilitator, ["300", "300"])
    budget = move_to(budget, host, Phase.VOTE)
    a, b = selectors.on_ballot(budget)
    services.ballot_submit(actor=member, budget=budget, choices=[(a, 1), (b, 2)])
    services.ballot_submit(actor=practitioner, budget=budget, choices=[(a, 1), (b, 2)])
    budget = move_to(budget, host, Phase.RESULTS)
    assert set(last_count(budget)) == {"greedy", "greedy-no-skip"}
    assert last_count(budget)["greedy"]["selected"] == [a]  # first on both ballots
    assert BudgetResult.objects.filter(budget=budget).count() == 2
    page = text(client_for(None).get(reverse("budgets:results", args=[space.slug, budget.pk])))
    assert "Equal Shares" not in page and "does not use ranks" not in page
