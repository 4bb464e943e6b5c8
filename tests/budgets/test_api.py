"""The budgets API: the same services as the pages, your own ballot only, results that name nobody, and clear
errors for bad input with nothing half-written."""

from __future__ import annotations

import json
from decimal import Decimal

from tests.api_client import Api
from tests.conftest import make_members

from coproduce.budgets import selectors, services
from coproduce.budgets.models import Ballot, Budget, Phase, Project, Voter
from coproduce.core.models import AuditEvent
from coproduce.people.models import User
from coproduce.spaces import services as space_services

from .conftest import move_to


def body(response):
    return json.loads(response.content)


def test_a_host_creates_a_budget_and_moves_it_forward(host, space):
    api = Api(host)
    response = api.post(
        f"/spaces/{space.slug}/budgets",
        {
            "title": "Health fund",
            "amount": "25000.50",
            "ballot_type": "knapsack",
            "min_share_percent": 70,
            "rule": "phragmen",
            "vote_from": "2026-03-01",
        },
    )
    assert response.status_code == 201, response.content
    data = body(response)
    assert data["amount"] == "25000.50" and data["phase"] == "collect" and data["ballot_type"] == "knapsack"
    assert data["voters"] == 0 and "one vote" in data["scoring"]
    response = api.post(f"/budgets/{data['id']}/phase", {"to": "vote"})
    assert response.status_code == 422 and "one phase forward" in json.dumps(body(response))
    assert api.post(f"/budgets/{data['id']}/phase", {"to": "review"}).status_code == 200
    patched = api.patch(f"/budgets/{data['id']}", {"title": "Health fund 2026"})
    assert body(patched)["title"] == "Health fund 2026" and body(patched)["rule"] == "phragmen"


def test_bad_budget_input_is_refused_and_nothing_is_written(host, space):
    api = Api(host)
    response = api.post(f"/spaces/{space.slug}/budgets", {"title": "X", "amount": "-1"})
    assert response.status_code == 422
    response = api.post(
        f"/spaces/{space.slug}/budgets", {"title": "X", "amount": "10", "ballot_type": "cumulative"}
    )
    assert response.status_code == 422 and "points_total" in body(response)["detail"]
    response = api.post(f"/spaces/{space.slug}/budgets", {"title": "X", "amount": "10", "rule": "dictator"})
    assert response.status_code == 422
    assert not Budget.objects.exists()


def test_members_submit_projects_and_facilitators_review_them(budget, member, facilitator):
    response = Api(member).post(f"/budgets/{budget.pk}/projects", {"title": "Benches", "cost": "1200"})
    assert response.status_code == 201
    project = body(response)
    assert project["status"] == "submitted" and project["submitter_perspective"] == "lived_experience"
    response = Api(facilitator).post(
        f"/budgets/{budget.pk}/projects/{project['id']}/review",
        {"feasible": True, "cost": "1000", "reason": "Reused wood."},
    )
    reviewed = body(response)
    assert reviewed["status"] == "feasible" and reviewed["cost"] == "1000.00"
    assert (
        reviewed["cost_changes"][0]["old_cost"] == "1200.00"
        and reviewed["cost_changes"][0]["reason"] == "Reused wood."
    )
    response = Api(facilitator).post(
        f"/budgets/{budget.pk}/projects/{project['id']}/review", {"feasible": False}
    )
    assert response.status_code == 422 and "reason" in body(response)["detail"]
    bad = Api(member).post(f"/budgets/{budget.pk}/projects", {"title": "Free", "cost": "0"})
    assert bad.status_code == 422 and Project.objects.count() == 1


def test_your_own_ballot_and_nobody_elses(voting, member, practitioner):
    first, second, _third = selectors.on_ballot(voting)
    api = Api(member)
    assert body(api.get(f"/budgets/{voting.pk}/ballot")) == {
        "has_voted": False,
        "voted_at": None,
        "choices": [],
    }
    response = api.put(f"/budgets/{voting.pk}/ballot", {"choices": [{"project": first}, {"project": second}]})
    assert response.status_code == 200 and body(response)["choices"] == [
        {"project": first, "value": 1},
        {"project": second, "value": 1},
    ]
    # Someone else asking sees only their own (empty) ballot.
    assert body(Api(practitioner).get(f"/budgets/{voting.pk}/ballot"))["has_voted"] is False
    # Over the limit (at most 2 of 3): refused, and the saved ballot is unchanged.
    response = api.put(
        f"/budgets/{voting.pk}/ballot", {"choices": [{"project": pid} for pid in selectors.on_ballot(voting)]}
    )
    assert response.status_code == 422 and "at most 2" in json.dumps(body(response))
    assert Ballot.objects.get().choices == [[first, 1], [second, 1]]
    assert Voter.objects.count() == 1


def test_paper_ballots_through_the_api(voting, facilitator, margaret):
    first = next(iter(selectors.on_ballot(voting)))
    api = Api(facilitator)
    response = api.post(
        f"/budgets/{voting.pk}/paper-ballots", {"choices": [{"project": first}], "member": margaret.pk}
    )
    assert response.status_code == 201 and body(response) == {"voters": 1}
    response = api.post(
        f"/budgets/{voting.pk}/paper-ballots", {"choices": [{"project": first}], "member": 999999}
    )
    assert response.status_code == 422


def test_no_paper_ballot_for_a_member_with_an_account_who_did_not_ask_for_help(
    voting, facilitator, practitioner
):
    first = next(iter(selectors.on_ballot(voting)))
    response = Api(facilitator).post(
        f"/budgets/{voting.pk}/paper-ballots", {"choices": [{"project": first}], "member": practitioner.pk}
    )
    assert response.status_code == 403
    (message,) = body(response)["detail"]["member"]
    assert "Pat Practitioner has their own account and has not asked to be helped" in message
    assert not Voter.objects.exists() and not Ballot.objects.exists()
    assert not AuditEvent.objects.filter(action="ballot.paper_recorded").exists()


def test_a_member_who_asked_for_help_is_helped_until_they_vote_online_themself(
    voting, facilitator, practitioner
):
    first, second, third = selectors.on_ballot(voting)
    space_services.help_consent_set(actor=practitioner, space=voting.space, accepts=True)
    helper, own = Api(facilitator), Api(practitioner)
    paper = f"/budgets/{voting.pk}/paper-ballots"
    assert helper.post(paper, {"choices": [{"project": first}], "member": practitioner.pk}).status_code == 201
    assert body(own.get(f"/budgets/{voting.pk}/ballot"))["choices"] == [{"project": first, "value": 1}]
    event = AuditEvent.objects.get(action="ballot.paper_recorded")
    assert (event.actor, event.on_behalf_of) == (facilitator, practitioner)
    # The member votes online themself: from now on the ballot is theirs alone.
    assert own.put(f"/budgets/{voting.pk}/ballot", {"choices": [{"project": second}]}).status_code == 200
    response = helper.post(paper, {"choices": [{"project": third}], "member": practitioner.pk})
    assert response.status_code == 409
    assert body(response) == {
        "detail": "Pat Practitioner has already voted online. Only they can change their ballot, until voting closes."
    }
    assert body(own.get(f"/budgets/{voting.pk}/ballot"))["choices"] == [{"project": second, "value": 1}]
    assert Ballot.objects.get().choices == [[second, 1]]
    voter = Voter.objects.get()
    assert voter.method == "online" and voter.recorded_by is None
    assert AuditEvent.objects.filter(action="ballot.paper_recorded").count() == 1


def test_results_name_projects_and_rules_never_voters(voting, member, practitioner, host):
    first, second, third = selectors.on_ballot(voting)
    services.ballot_submit(actor=member, budget=voting, choices=[(first, 1), (second, 1)])
    services.ballot_submit(actor=practitioner, budget=voting, choices=[(third, 1)])
    anonymous = Api()
    assert body(anonymous.get(f"/budgets/{voting.pk}/results")) == {
        "published": False,
        "rule": "mes-add1",
        "counting": False,
        "counted_at": None,
        "voters": None,
        "cost": None,
        "projects": [],
        "comparison": [],
    }
    move_to(voting, host, Phase.RESULTS)
    response = anonymous.get(f"/budgets/{voting.pk}/results")
    data = body(response)
    assert data["published"] and data["voters"] == 2
    assert {row["project"] for row in data["projects"]} == {first, second, third}
    assert {c["rule"] for c in data["comparison"]} == {"greedy", "greedy-no-skip", "mes-add1", "phragmen"}
    assert all(Decimal(c["cost"]) <= voting.amount for c in data["comparison"])
    text = response.content.decode()
    for person in User.objects.all():
        assert person.display_name not in text and (person.email or "@@") not in text


def test_lists_are_bounded_in_queries(space, host, member, facilitator, django_assert_max_num_queries):
    from .conftest import add_projects, make_budget

    for n in range(20):
        add_projects(make_budget(space, host, title=f"Budget {n}"), member, facilitator, ["10"])
    budget = Budget.objects.first()
    for n, proposer in enumerate(make_members(space, host, 20)):  # one proposer each: a query per row shows
        services.project_submit(
            actor=proposer, budget=budget, title=f"Idea {n}", cost=Decimal(5), category="x"
        )
    api = Api(member)
    with django_assert_max_num_queries(8):
        assert len(body(api.get(f"/spaces/{space.slug}/budgets"))) == 20
    with django_assert_max_num_queries(8):
        assert len(body(api.get(f"/budgets/{budget.pk}/projects"))) == 21


def test_openapi_lists_the_budget_endpoints(client_for):
    schema = json.loads(client_for(None).get("/api/v1/openapi.json").content)
    for path in (
        "/api/v1/spaces/{slug}/budgets",
        "/api/v1/budgets/{budget_id}",
        "/api/v1/budgets/{budget_id}/ballot",
        "/api/v1/budgets/{budget_id}/results",
        "/api/v1/budgets/{budget_id}/projects/{project_id}/review",
    ):
        assert path in schema["paths"], path


def test_the_results_written_once_per_count_follow_publishing_and_a_recount(
    voting, member, practitioner, host, keeping
):
    """The answer is written once and kept in the process (shared.versioned) under what it is built from: the
    count's time, the budget's last change, whether it is published, the rule, the language."""
    from coproduce.budgets.services import results as counting
    from coproduce.core import shared

    first, second, third = selectors.on_ballot(voting)
    services.ballot_submit(actor=member, budget=voting, choices=[(first, 1), (second, 1)])
    services.ballot_submit(actor=practitioner, budget=voting, choices=[(third, 1)])
    budget = move_to(voting, host, Phase.CLOSED)
    api = Api(host)
    closed = body(api.get(f"/budgets/{budget.pk}/results"))
    assert closed["published"] is False and closed["voters"] == 2
    budget = move_to(budget, host, Phase.RESULTS)
    published = body(api.get(f"/budgets/{budget.pk}/results"))
    assert published == {**closed, "published": True}
    counted_at = published["counted_at"]
    counting.results_recount(actor=host, budget=budget)
    counting.results_store(budget)
    again = body(api.get(f"/budgets/{budget.pk}/results"))
    assert again["counted_at"] != counted_at and again["voters"] == 2
    shared.forget_all()
    assert body(api.get(f"/budgets/{budget.pk}/results")) == again, "kept or not, the same answer"
