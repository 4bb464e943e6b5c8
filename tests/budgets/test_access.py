"""Who may see and do what with budgets: every page and endpoint × every persona, public and private spaces."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.api_client import Api
from tests.conftest import PERSONAS

from coproduce.budgets import selectors, services
from coproduce.budgets.models import Phase

from .conftest import add_projects, make_budget, move_to
from .helpers import HOSTS, MEMBERS, RUNNERS


def expected(persona: str, allowed: set[str], login_required: bool, *, refused: int = 403) -> int:
    if persona in allowed:
        return 200
    if persona == "anonymous" and login_required:
        return 302
    return refused


def pages(space, collecting, project, voting, closed):
    """(name, url, who gets 200, needs login) for every GET page of the budgets module."""
    s = space.slug
    c, v, r = collecting.pk, voting.pk, closed.pk
    everyone = set(PERSONAS)
    return [
        ("list", reverse("budgets:list", args=[s]), everyone, False),
        ("create", reverse("budgets:create", args=[s]), HOSTS, True),
        ("import", reverse("budgets:import", args=[s]), HOSTS, True),
        ("detail", reverse("budgets:detail", args=[s, c]), everyone, False),
        ("edit", reverse("budgets:edit", args=[s, c]), HOSTS, True),
        ("projects", reverse("budgets:projects", args=[s, c]), everyone, False),
        ("project_create", reverse("budgets:project_create", args=[s, c]), MEMBERS, True),
        ("project", reverse("budgets:project", args=[s, c, project.pk]), everyone, False),
        (
            "project_edit",
            reverse("budgets:project_edit", args=[s, c, project.pk]),
            {"host", "facilitator", "member"},
            True,
        ),
        ("project_review", reverse("budgets:project_review", args=[s, c, project.pk]), RUNNERS, True),
        ("vote", reverse("budgets:vote", args=[s, v]), MEMBERS, True),
        ("vote_closed", reverse("budgets:vote", args=[s, c]), MEMBERS | {"outsider"}, True),
        ("paper", reverse("budgets:paper", args=[s, v]), RUNNERS, True),
        ("print_ballot", reverse("budgets:print_ballot", args=[s, v]), RUNNERS, True),
        ("results", reverse("budgets:results", args=[s, r]), everyone, False),
        ("results_not_yet", reverse("budgets:results", args=[s, v]), everyone, False),
        ("export_closed", reverse("budgets:export", args=[s, r]), everyone, False),
        ("export_open", reverse("budgets:export", args=[s, v]), HOSTS, False),
    ]


@pytest.fixture
def cast(space, host, member, facilitator, practitioner):
    """A budget collecting projects, one voting and one with its results published."""
    collecting = make_budget(space, host, title="Collecting")
    project = add_projects(collecting, member, facilitator, ["100"])[0]
    voting = make_budget(space, host, title="Voting", ballot_type="knapsack")
    add_projects(voting, member, facilitator, ["100", "200"])
    voting = move_to(voting, host, Phase.VOTE)
    closed = make_budget(space, host, title="Closed")
    add_projects(closed, member, facilitator, ["100"])
    closed = move_to(closed, host, Phase.VOTE)
    services.ballot_submit(
        actor=practitioner, budget=closed, choices=[(next(iter(selectors.on_ballot(closed))), 1)]
    )
    closed = move_to(closed, host, Phase.RESULTS)
    return collecting, project, voting, closed


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_every_page_in_a_public_space(persona_name, persona, client_for, space, cast):
    client = client_for(persona(persona_name))
    failures = []
    for name, url, allowed, login in pages(space, *cast):
        status = client.get(url).status_code
        if status != expected(persona_name, allowed, login):
            failures.append((name, status))
    assert not failures, failures


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_every_page_in_a_private_space_is_hidden_from_outsiders(
    persona_name, persona, client_for, private_space, host, member, facilitator, practitioner
):
    collecting = make_budget(private_space, host, title="Collecting")
    project = add_projects(collecting, member, facilitator, ["100"])[0]
    voting = make_budget(private_space, host, title="Voting")
    add_projects(voting, member, facilitator, ["100"])
    voting = move_to(voting, host, Phase.VOTE)
    closed = make_budget(private_space, host, title="Closed")
    add_projects(closed, member, facilitator, ["100"])
    closed = move_to(closed, host, Phase.RESULTS)
    client = client_for(persona(persona_name))
    failures = []
    for name, url, allowed, login in pages(private_space, collecting, project, voting, closed):
        status = client.get(url).status_code
        if persona_name == "outsider":
            want = 404  # never reveal that it exists
        elif persona_name == "anonymous":
            want = 302 if login else 404
        else:
            want = expected(persona_name, allowed, login)
        if status != want:
            failures.append((name, status, want))
    assert not failures, failures


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_changes_need_the_right_role(persona_name, persona, client_for, space, cast):
    collecting, project, voting, closed = cast
    client = client_for(persona(persona_name))
    s = space.slug
    choice = str(next(iter(selectors.on_ballot(voting))))
    posts = [
        (
            "project_create",
            reverse("budgets:project_create", args=[s, collecting.pk]),
            {"title": "T", "cost": "10"},
            MEMBERS,
            302,
        ),
        (
            "review",
            reverse("budgets:project_review", args=[s, collecting.pk, project.pk]),
            {"feasible": "yes", "cost": "100"},
            RUNNERS,
            302,
        ),
        (
            "vote_total",
            reverse("budgets:vote_total", args=[s, voting.pk]),
            {"projects": [choice]},
            MEMBERS,
            200,
        ),
        ("recount", reverse("budgets:recount", args=[s, closed.pk]), {}, HOSTS, 302),
        ("phase", reverse("budgets:phase", args=[s, collecting.pk]), {"to": "review"}, HOSTS, 302),
    ]
    failures = []
    for name, url, data, allowed, success in posts:
        status = client.post(url, data).status_code
        want = success if persona_name in allowed else (302 if persona_name == "anonymous" else 403)
        if status != want:
            failures.append((name, status, want))
    assert not failures, failures


def api_calls(space, collecting, project, voting, closed):
    """(name, method, path, body, who succeeds, success status, login needed)."""
    everyone = set(PERSONAS)
    choice = next(iter(selectors.on_ballot(voting)))
    return [
        ("list", "get", f"/spaces/{space.slug}/budgets", None, everyone, 200, False),
        ("get", "get", f"/budgets/{collecting.pk}", None, everyone, 200, False),
        ("projects", "get", f"/budgets/{collecting.pk}/projects", None, everyone, 200, False),
        ("project", "get", f"/budgets/{collecting.pk}/projects/{project.pk}", None, everyone, 200, False),
        ("results", "get", f"/budgets/{closed.pk}/results", None, everyone, 200, False),
        ("my_ballot", "get", f"/budgets/{voting.pk}/ballot", None, MEMBERS | {"outsider"}, 200, True),
        (
            "create",
            "post",
            f"/spaces/{space.slug}/budgets",
            {"title": "New", "amount": "100"},
            HOSTS,
            201,
            True,
        ),
        ("patch", "patch", f"/budgets/{collecting.pk}", {"title": "Renamed"}, HOSTS, 200, True),
        (
            "submit",
            "post",
            f"/budgets/{collecting.pk}/projects",
            {"title": "P", "cost": "5"},
            MEMBERS,
            201,
            True,
        ),
        (
            "review",
            "post",
            f"/budgets/{collecting.pk}/projects/{project.pk}/review",
            {"feasible": True},
            RUNNERS,
            200,
            True,
        ),
        (
            "vote",
            "put",
            f"/budgets/{voting.pk}/ballot",
            {"choices": [{"project": choice}]},
            MEMBERS,
            200,
            True,
        ),
        (
            "paper",
            "post",
            f"/budgets/{voting.pk}/paper-ballots",
            {"choices": [{"project": choice}], "member": None, "reference": ""},
            RUNNERS,
            422,
            True,
        ),
    ]


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_the_api_follows_the_same_rules(persona_name, persona, space, cast):
    client = Api(persona(persona_name))
    failures = []
    for name, method, path, body, allowed, success, login in api_calls(space, *cast):
        response = getattr(client, method)(path, body) if body is not None else getattr(client, method)(path)
        if persona_name in allowed:
            want = success
        elif persona_name == "anonymous" and login:
            want = 401
        else:
            want = 403
        if response.status_code != want:
            failures.append((name, response.status_code, want, response.content[:200]))
    assert not failures, failures


@pytest.mark.parametrize("persona_name", ["outsider", "anonymous"])
def test_the_api_hides_private_budgets(persona_name, persona, private_budget):
    client = Api(persona(persona_name))
    space = private_budget.space.slug
    for path in (
        f"/spaces/{space}/budgets",
        f"/budgets/{private_budget.pk}",
        f"/budgets/{private_budget.pk}/projects",
        f"/budgets/{private_budget.pk}/results",
    ):
        assert client.get(path).status_code == 404, path
