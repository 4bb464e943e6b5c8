"""One rule, asked in one place (budgets/access.py), driven the same way through the web pages and the API:
who may vote, who sees a ballot, who records paper ballots (and for whom), and who sees the results."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.api_client import Api
from tests.conftest import PERSONAS

from coproduce.budgets import selectors, services
from coproduce.budgets.models import Ballot, Phase, Voter
from coproduce.spaces import services as space_services

from .conftest import make_budget, move_to
from .helpers import MEMBERS, RUNNERS, text


def url(name, budget):
    return reverse(f"budgets:{name}", args=[budget.space.slug, budget.pk])


def web_vote(client, budget, project) -> int:
    return client.post(url("vote", budget), {"projects": [str(project)], "step": "cast"}).status_code


def api_vote(api, budget, project) -> int:
    return api.put(f"/budgets/{budget.pk}/ballot", {"choices": [{"project": project}]}).status_code


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_who_may_vote_in_a_members_budget(persona_name, persona, client_for, voting):
    """Members vote; outsiders are refused; anonymous people are asked to sign in. Web and API alike."""
    first = next(iter(selectors.on_ballot(voting)))
    user = persona(persona_name)
    web, api = web_vote(client_for(user), voting, first), api_vote(Api(user), voting, first)
    if persona_name in MEMBERS:
        assert (web, api) == (302, 200)
        assert Voter.objects.get(user=user).method == "online"
    elif persona_name == "anonymous":
        assert (web, api) == (302, 401)
    else:
        assert (web, api) == (403, 403)
        assert not Voter.objects.filter(user=user).exists()


def test_anyone_registered_who_confirms_may_vote_in_a_residents_budget(
    client_for, space, host, member, facilitator, outsider, practitioner
):
    budget = make_budget(space, host, eligibility="residents", area="Paisley")
    project = services.project_submit(actor=member, budget=budget, title="Benches", cost=100)
    services.project_review(actor=facilitator, project=project, feasible=True)
    budget = move_to(budget, host, Phase.VOTE)
    web = client_for(outsider).post(url("vote", budget), {"projects": [str(project.pk)], "step": "cast"})
    api = Api(practitioner).put(f"/budgets/{budget.pk}/ballot", {"choices": [{"project": project.pk}]})
    assert (web.status_code, api.status_code) == (400, 422)  # both asked to confirm where they live
    assert "live or work in Paisley" in text(web) and "live or work in Paisley" in api.content.decode()
    web = client_for(outsider).post(
        url("vote", budget), {"projects": [str(project.pk)], "step": "cast", "confirm": "on"}
    )
    api = Api(practitioner).put(
        f"/budgets/{budget.pk}/ballot", {"choices": [{"project": project.pk}], "confirm_eligibility": True}
    )
    assert (web.status_code, api.status_code) == (302, 200)
    assert set(Voter.objects.values_list("user", flat=True)) == {outsider.pk, practitioner.pk}


@pytest.mark.parametrize("closed_phase", [Phase.REVIEW, Phase.CLOSED])
def test_nobody_votes_when_voting_is_not_open(closed_phase, client_for, budget, projects, host, member):
    budget = move_to(budget, host, closed_phase)
    assert "Voting is not open" in text(client_for(member).post(url("vote", budget), {"step": "cast"}))
    response = Api(member).put(f"/budgets/{budget.pk}/ballot", {"choices": [{"project": projects[0].pk}]})
    assert response.status_code == 422 and "Voting is not open" in response.content.decode()
    assert not Ballot.objects.exists()


def test_a_ballot_is_seen_by_its_voter_only(client_for, voting, member, practitioner, outsider):
    first, second, _third = selectors.on_ballot(voting)
    services.ballot_submit(actor=member, budget=voting, choices=[(first, 1), (second, 1)])
    page = text(client_for(member).get(url("voted", voting)))
    assert "Project 1" in page and "Project 2" in page
    answer = Api(member).get(f"/budgets/{voting.pk}/ballot").json()
    assert answer["has_voted"] and [c["project"] for c in answer["choices"]] == [first, second]
    for person in (
        practitioner,
        outsider,
    ):  # anyone else: no ballot of theirs, and no way to ask for another's
        assert client_for(person).get(url("voted", voting)).url == url("vote", voting)
        assert Api(person).get(f"/budgets/{voting.pk}/ballot").json() == {
            "has_voted": False,
            "voted_at": None,
            "choices": [],
        }
    assert client_for(None).get(url("voted", voting)).status_code == 302  # to sign in
    assert Api().get(f"/budgets/{voting.pk}/ballot").status_code == 401


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_who_records_paper_ballots(persona_name, persona, client_for, voting, margaret):
    """Facilitators and hosts, for someone who takes part with help; nobody else. Web and API alike."""
    first = next(iter(selectors.on_ballot(voting)))
    user = persona(persona_name)
    web = client_for(user).post(url("paper", voting), {"member": str(margaret.pk), "projects": [str(first)]})
    recorded = Voter.objects.filter(user=margaret).exists()
    Ballot.objects.all().delete()  # start again, for the API
    Voter.objects.all().delete()
    api = Api(user).post(
        f"/budgets/{voting.pk}/paper-ballots", {"choices": [{"project": first}], "member": margaret.pk}
    )
    if persona_name in RUNNERS:
        assert (web.status_code, api.status_code) == (302, 201) and recorded
        assert Voter.objects.get(user=margaret).method == "paper"
    elif persona_name == "anonymous":
        assert (web.status_code, api.status_code) == (302, 401) and not recorded
    else:
        assert (web.status_code, api.status_code) == (403, 403) and not recorded
        assert not Voter.objects.exists()


def test_a_paper_ballot_is_recorded_for_someone_only_when_they_take_part_with_help(
    client_for, voting, facilitator, practitioner
):
    """The one rule for acting on someone's behalf (spaces.access.can_act_for), on both sides."""
    first = next(iter(selectors.on_ballot(voting)))
    paper = {"member": str(practitioner.pk), "projects": [str(first)]}
    body = {"choices": [{"project": first}], "member": practitioner.pk}
    web = client_for(facilitator).post(url("paper", voting), paper)
    api = Api(facilitator).post(f"/budgets/{voting.pk}/paper-ballots", body)
    assert (web.status_code, api.status_code) == (400, 403)
    assert "Choose someone from the list" in text(web)  # the list offers only whom the rule allows
    assert "has their own account and has not asked to be helped" in api.content.decode()
    assert not Voter.objects.exists()
    space_services.help_consent_set(actor=practitioner, space=voting.space, accepts=True)
    assert client_for(facilitator).post(url("paper", voting), paper).status_code == 302
    assert Api(facilitator).post(f"/budgets/{voting.pk}/paper-ballots", body).status_code == 201
    assert Voter.objects.get(user=practitioner).recorded_by == facilitator


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_who_sees_the_results_before_and_after_they_are_published(
    persona_name, persona, client_for, voting, host, member
):
    services.ballot_submit(
        actor=member, budget=voting, choices=[(next(iter(selectors.on_ballot(voting))), 1)]
    )
    budget = move_to(voting, host, Phase.CLOSED)
    user = persona(persona_name)
    web = text(client_for(user).get(url("results", budget)))
    api = Api(user).get(f"/budgets/{budget.pk}/results").json()
    if persona_name == "host":  # hosts check the results before they publish them
        assert "Funded projects" in web and api["projects"] and api["published"] is False
    else:
        assert "Funded projects" not in web and "once the hosts have checked them" in web
        assert api == {
            "published": False,
            "rule": "mes-add1",
            "counting": False,
            "counted_at": None,
            "voters": None,
            "cost": None,
            "projects": [],
            "comparison": [],
        }
    budget = move_to(budget, host, Phase.RESULTS)
    web = text(client_for(user).get(url("results", budget)))
    api = Api(user).get(f"/budgets/{budget.pk}/results").json()
    assert "Funded projects" in web and api["published"] is True and api["projects"]
