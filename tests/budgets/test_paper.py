"""Paper ballots: the printable ballot sheets and the sheet number typed in when a sheet is recorded."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from coproduce.budgets import selectors, services
from coproduce.budgets.models import Phase, Voter
from coproduce.core.models import AuditEvent
from coproduce.spaces import services as space_services
from coproduce.spaces.models import Perspective

from .conftest import add_projects, make_budget, move_to


def url(name, budget, **query):
    address = reverse(f"budgets:{name}", args=[budget.space.slug, budget.pk])
    if query:
        address += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return address


def _first(budget) -> int:
    return next(iter(selectors.on_ballot(budget)))


def test_the_ballot_sheets_show_the_rules_every_project_with_its_cost_and_numbered_sheets(
    client_for, facilitator, knapsack
):
    page = client_for(facilitator).get(url("print_ballot", knapsack, first=7, count=3)).content.decode()
    assert "Ballot paper: Park improvements" in page
    assert "Choose projects whose total cost fits the budget of £10,000" in page
    assert "Spend at least £5,000" in page
    for n in range(1, 5):
        assert f"Project {n}" in page
    for cost in ("£6,000", "£3,000", "£2,500", "£1,000"):
        assert cost in page
    for sheet in (f"{knapsack.pk}-007", f"{knapsack.pk}-008", f"{knapsack.pk}-009"):
        assert page.count(sheet) >= 2  # the number at the top, and the facilitator's line at the foot
    assert f"{knapsack.pk}-010" not in page
    assert page.count('class="box"') == 4 * 3
    # A page to print: none of the site's navigation, and the print stylesheet.
    assert "site-header" not in page and "<nav" not in page
    assert "core/print" in page


def test_the_sheets_say_the_rules_of_each_ballot_type(client_for, host, facilitator, member, space):
    ranked = make_budget(space, host, title="Ranked", ballot_type="ranked", max_ranked=2, rule="greedy")
    add_projects(ranked, member, facilitator, ["100", "200", "300"])
    ranked = move_to(ranked, host, Phase.REVIEW)
    page = client_for(host).get(url("print_ballot", ranked)).content.decode()
    assert "Rank up to 2 projects, your favourite first." in page
    assert "Write 1 in the box beside your favourite project" in page


def test_bad_print_options_are_said_beside_the_field(client_for, facilitator, knapsack):
    response = client_for(facilitator).get(url("print_ballot", knapsack, first=0, count=500))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'aria-invalid="true"' in page
    assert "Ensure this value is less than or equal to 200." in page


def test_sheets_cannot_be_printed_while_projects_are_collected(client_for, host, space):
    budget = make_budget(space, host, title="Early")
    response = client_for(host).get(url("print_ballot", budget))
    assert response.status_code == 409
    assert "from the review of projects until voting closes" in response.content.decode()


def test_the_sheet_number_is_typed_in_stored_and_audited(client_for, facilitator, margaret, voting):
    client = client_for(facilitator)
    page = client.get(url("paper", voting)).content.decode()
    assert "Number printed on the ballot sheet" in page and url("print_ballot", voting) in page
    sheet = f"{voting.pk}-001"
    response = client.post(
        url("paper", voting), {"member": margaret.pk, "sheet": sheet, "projects": [_first(voting)]}
    )
    assert response.status_code == 302
    voter = Voter.objects.get(budget=voting, user=margaret)
    assert voter.sheet == sheet and voter.method == "paper"
    event = AuditEvent.objects.get(action="ballot.paper_recorded")
    assert sheet in event.summary and event.changes == {"sheet": ["", sheet]}


def test_a_sheet_number_already_typed_in_is_refused_plainly_and_the_form_kept(
    client_for, facilitator, margaret, voting, space
):
    client = client_for(facilitator)
    sheet = f"{voting.pk}-002"
    other = space_services.assisted_person_add(
        actor=facilitator, space=space, display_name="Olive Other", perspective=Perspective.CARER
    ).user
    client.post(url("paper", voting), {"member": other.pk, "sheet": sheet, "projects": [_first(voting)]})
    before = Voter.objects.count()
    response = client.post(
        url("paper", voting), {"member": margaret.pk, "sheet": sheet, "projects": [_first(voting)]}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f"Ballot sheet {sheet} was already typed in" in page
    assert f'value="{sheet}"' in page  # the form keeps what was typed
    assert Voter.objects.count() == before


def test_the_same_sheet_number_may_be_used_in_another_budget(
    host, facilitator, member, margaret, voting, space
):
    other = make_budget(space, host, title="Other")
    add_projects(other, member, facilitator, ["100"])
    other = move_to(other, host, Phase.VOTE)
    services.paper_ballot_record(
        actor=facilitator, budget=voting, member=margaret, sheet="S-1", choices=[(_first(voting), 1)]
    )
    services.paper_ballot_record(
        actor=facilitator, budget=other, member=margaret, sheet="S-1", choices=[(_first(other), 1)]
    )
    assert Voter.objects.filter(sheet="S-1").count() == 2


def test_recording_a_member_again_from_a_new_sheet_keeps_one_number(facilitator, margaret, voting):
    choice = [(_first(voting), 1)]
    services.paper_ballot_record(
        actor=facilitator, budget=voting, member=margaret, sheet="S-1", choices=choice
    )
    services.paper_ballot_record(
        actor=facilitator, budget=voting, member=margaret, sheet="S-1", choices=choice
    )
    services.paper_ballot_record(
        actor=facilitator, budget=voting, member=margaret, sheet="S-2", choices=choice
    )
    assert Voter.objects.get(user=margaret).sheet == "S-2"
    last = AuditEvent.objects.filter(action="ballot.paper_recorded").first()
    assert last is not None and last.changes == {"sheet": ["S-1", "S-2"]}


def test_a_sheet_number_must_look_like_one(facilitator, margaret, voting):
    with pytest.raises(ValidationError) as error:
        services.paper_ballot_record(
            actor=facilitator, budget=voting, member=margaret, sheet="12 007!", choices=[(_first(voting), 1)]
        )
    assert "sheet" in error.value.message_dict


def test_the_database_refuses_a_sheet_typed_in_twice(facilitator, margaret, member, voting):
    services.paper_ballot_record(
        actor=facilitator, budget=voting, member=margaret, sheet="S-9", choices=[(_first(voting), 1)]
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Voter.objects.create(budget=voting, user=member, sheet="S-9")


def test_voting_online_afterwards_forgets_the_sheet(facilitator, margaret, voting):
    services.paper_ballot_record(
        actor=facilitator, budget=voting, member=margaret, sheet="S-3", choices=[(_first(voting), 1)]
    )
    margaret.email = "margaret@example.org"
    margaret.save()
    services.ballot_submit(actor=margaret, budget=voting, choices=[(_first(voting), 1)])
    voter = Voter.objects.get(user=margaret)
    assert voter.method == "online" and voter.sheet == ""


def test_the_api_takes_the_sheet_number(api_for, host, facilitator, member, margaret, space):
    residents = make_budget(space, host, title="Residents", eligibility="residents", area="Paisley")
    add_projects(residents, member, facilitator, ["100"])
    residents = move_to(residents, host, Phase.VOTE)
    api = api_for(facilitator)
    choices = [{"project": _first(residents), "value": 1}]
    # A resident's sheet number is their reference too, when no other is given.
    body = {"sheet": "A-1", "choices": choices, "confirm_eligibility": True}
    assert api.post(f"/budgets/{residents.pk}/paper-ballots", body).status_code == 201
    assert Voter.objects.get(budget=residents, sheet="A-1").reference == "A-1"
    again = api.post(f"/budgets/{residents.pk}/paper-ballots", {**body, "reference": "R-7"})
    assert again.status_code == 422
    assert "already typed in" in str(again.json())


def test_a_ballot_typed_in_from_paper_is_marked_on_the_voters_own_page(
    client_for, facilitator, practitioner, space, voting
):
    space_services.help_consent_set(actor=practitioner, space=space, accepts=True)
    services.paper_ballot_record(
        actor=facilitator, budget=voting, member=practitioner, sheet="S-5", choices=[(_first(voting), 1)]
    )
    page = client_for(practitioner).get(url("voted", voting)).content.decode()
    assert "Written with help from a facilitator" in page
    assert "Fergus Facilitator typed in your ballot from paper" in page and "(ballot sheet S-5)" in page
    assert reverse("people:on_my_behalf") in page
