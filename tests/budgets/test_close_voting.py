"""Issue 10, point 13: voting closed with one click, with no confirmation and no way back. Closing now asks first
(on its own page, without JavaScript, saying how many have voted and when voting was meant to end); the
results stay with the hosts until they publish them, and until then a host may reopen voting, with a reason
that is audited. Web and API go through the same service and the same access functions."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from tests.api_client import Api

from coproduce.budgets import selectors, services
from coproduce.budgets.models import Budget, BudgetResult, Phase
from coproduce.core.models import AuditEvent

from .conftest import counted
from .helpers import text


def url(name, budget):
    return reverse(f"budgets:{name}", args=[budget.space.slug, budget.pk])


@pytest.fixture
def voted(voting, member, practitioner):
    a, b, _c = selectors.on_ballot(voting)
    services.ballot_submit(actor=member, budget=voting, choices=[(a, 1)])
    services.ballot_submit(actor=practitioner, budget=voting, choices=[(b, 1)])
    Budget.objects.filter(pk=voting.pk).update(results_from=dt.date(2026, 5, 31))
    voting.refresh_from_db()
    return voting


def test_closing_needs_a_confirmation(voted, host):
    with pytest.raises(ValidationError) as caught:
        services.budget_advance_phase(actor=host, budget=voted, to=Phase.CLOSED)
    assert "Confirm that voting should close" in caught.value.message_dict["confirm"][0]
    voted.refresh_from_db()
    assert voted.phase == Phase.VOTE
    assert (
        services.budget_advance_phase(actor=host, budget=voted, to=Phase.CLOSED, confirm=True).phase
        == "closed"
    )


def test_the_close_button_leads_to_a_confirmation_page_with_the_facts(client_for, voted, host):
    client = client_for(host)
    detail = client.get(voted.get_absolute_url()).content.decode()
    assert f'href="{url("close_voting", voted)}"' in detail  # a link to the confirmation page, not a POST
    # A POST without the confirmation (an old page, a script) closes nothing and goes to the confirmation page.
    response = client.post(url("phase", voted), {"to": "closed"})
    assert response.status_code == 302 and response.url == url("close_voting", voted)
    assert Budget.objects.get(pk=voted.pk).phase == Phase.VOTE
    page = text(client.get(url("close_voting", voted)))
    assert "Close voting?" in page and "2 people have voted so far." in page
    assert "Voting was planned to go on until the results on 31 May 2026." in page
    assert "No, keep voting open" in page
    response = client.post(url("phase", voted), {"to": "closed", "confirm": "True"})
    assert response.status_code == 302 and Budget.objects.get(pk=voted.pk).phase == Phase.CLOSED


def test_between_closing_and_publishing_only_hosts_see_the_results(
    client_for, voted, host, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # closing commits, and the count is queued
        budget = services.budget_advance_phase(actor=host, budget=voted, to=Phase.CLOSED, confirm=True)
    assert "Only hosts can see these results" in text(client_for(host).get(url("results", budget)))
    for person in (member, None):
        page = text(client_for(person).get(url("results", budget)))
        assert "results will be published once the hosts have checked them" in page
        assert "Funded projects" not in page
    assert client_for(member).get(url("export", budget)).status_code == 403
    services.budget_advance_phase(actor=host, budget=budget, to=Phase.RESULTS)
    assert "Funded projects" in text(client_for(None).get(url("results", budget)))


def test_a_host_reopens_voting_with_a_reason_before_publication_and_it_is_audited(
    client_for, voted, host, member
):
    budget = services.budget_advance_phase(actor=host, budget=voted, to=Phase.CLOSED, confirm=True)
    counted(budget)
    assert BudgetResult.objects.filter(budget=budget).exists()
    client = client_for(host)
    response = client.post(url("reopen_voting", budget), {"reason": "  "})
    assert response.status_code == 400 and Budget.objects.get(pk=budget.pk).phase == Phase.CLOSED
    response = client.post(url("reopen_voting", budget), {"reason": "The library's paper ballots were late."})
    assert response.status_code == 302
    budget.refresh_from_db()
    assert budget.phase == Phase.VOTE and not BudgetResult.objects.filter(budget=budget).exists()
    event = AuditEvent.objects.get(action="budget.voting_reopened")
    assert event.actor == host and event.public
    assert event.changes["reason"] == ["", "The library's paper ballots were late."]
    assert "The library's paper ballots were late." in event.summary
    # People can vote again, and the count of the closed vote no longer shows.
    a, _b, _c = selectors.on_ballot(budget)
    services.ballot_submit(actor=member, budget=budget, choices=[(a, 1)])


def test_reopening_is_refused_once_the_results_are_published(client_for, voted, host):
    budget = services.budget_advance_phase(actor=host, budget=voted, to=Phase.CLOSED, confirm=True)
    budget = services.budget_advance_phase(actor=host, budget=budget, to=Phase.RESULTS)
    with pytest.raises(ValidationError) as caught:
        services.budget_reopen_voting(actor=host, budget=budget, reason="Too late")
    assert "results are published" in caught.value.message_dict["phase"][0]
    response = client_for(host).post(url("reopen_voting", budget), {"reason": "Too late"})
    assert response.status_code == 400 and "results are published" in text(response)
    assert Budget.objects.get(pk=budget.pk).phase == Phase.RESULTS
    assert not AuditEvent.objects.filter(action="budget.voting_reopened").exists()


def test_reopening_while_voting_is_still_open_is_refused(voted, host):
    with pytest.raises(ValidationError, match="only be reopened after it has closed"):
        services.budget_reopen_voting(actor=host, budget=voted, reason="Why not")


def test_outsiders_get_not_found_and_members_are_refused(
    client_for, voted, host, member, outsider, private_budget
):
    budget = services.budget_advance_phase(actor=host, budget=voted, to=Phase.CLOSED, confirm=True)
    for name in ("close_voting", "reopen_voting"):
        assert client_for(member).get(url(name, budget)).status_code == 403
    assert client_for(member).post(url("reopen_voting", budget), {"reason": "x"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.budget_reopen_voting(actor=member, budget=budget, reason="x")
    # A private space's budget does not exist for an outsider.
    for name in ("close_voting", "reopen_voting"):
        assert client_for(outsider).get(url(name, private_budget)).status_code == 404
    assert (
        Api(outsider).post(f"/budgets/{private_budget.pk}/reopen-voting", {"reason": "x"}).status_code == 404
    )
    assert Api(member).post(f"/budgets/{budget.pk}/reopen-voting", {"reason": "x"}).status_code == 403
    assert Budget.objects.get(pk=budget.pk).phase == Phase.CLOSED


def test_the_api_closes_with_confirm_and_reopens_with_a_reason(voted, host):
    api = Api(host)
    response = api.post(f"/budgets/{voted.pk}/phase", {"to": "closed"})
    assert response.status_code == 422 and "confirm" in json.loads(response.content)["detail"]
    assert Budget.objects.get(pk=voted.pk).phase == Phase.VOTE
    response = api.post(f"/budgets/{voted.pk}/phase", {"to": "closed", "confirm": True})
    assert response.status_code == 200 and json.loads(response.content)["phase"] == "closed"
    response = api.post(f"/budgets/{voted.pk}/reopen-voting", {"reason": ""})
    assert response.status_code == 422
    response = api.post(f"/budgets/{voted.pk}/reopen-voting", {"reason": "Ballots from the library"})
    assert response.status_code == 200 and json.loads(response.content)["phase"] == "vote"
    api.post(f"/budgets/{voted.pk}/phase", {"to": "closed", "confirm": True})
    assert api.post(f"/budgets/{voted.pk}/phase", {"to": "results"}).status_code == 200
    response = api.post(f"/budgets/{voted.pk}/reopen-voting", {"reason": "Too late"})
    assert response.status_code == 422 and "published" in response.content.decode()
    assert AuditEvent.objects.filter(action="budget.voting_reopened").count() == 1
