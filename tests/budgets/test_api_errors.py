"""Budget API errors name the field as it was sent (issue 10, point 18)."""

from __future__ import annotations

import json

from tests.api_client import Api

from coproduce.budgets.models import Ballot, Phase

from .conftest import add_projects, make_budget, move_to


def test_a_missing_confirmation_is_reported_on_confirm_eligibility(space, host, member, facilitator):
    budget = make_budget(space, host, eligibility="residents", area="Paisley", ballot_type="approval")
    projects = add_projects(budget, member, facilitator, ["4000", "3000"])
    move_to(budget, host, Phase.VOTE)
    response = Api(member).put(
        f"/budgets/{budget.pk}/ballot", {"choices": [{"project": projects[0].pk, "value": 1}]}
    )
    detail = json.loads(response.content)["detail"]
    assert response.status_code == 422 and "confirm_eligibility" in detail and "confirm" not in detail
    assert not Ballot.objects.filter(budget=budget).exists()
