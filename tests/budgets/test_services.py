"""Services for budgets, projects, ballots and results: what they allow, what they refuse, and what they audit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from huey.storage import MemoryStorage
from tests.api_client import Api

from coproduce.budgets import keys, selectors, services
from coproduce.budgets.choices import validate_choices
from coproduce.budgets.models import (
    Ballot,
    Budget,
    BudgetResult,
    Phase,
    Project,
    ProjectCostChange,
    ProjectStatus,
    Voter,
    VotingMethod,
)
from coproduce.core.models import AuditEvent
from coproduce.spaces import services as space_services
from coproduce.spaces.access import Conflict, Refused
from coproduce.spaces.models import StageKind

from .conftest import add_projects, counted, last_count, make_budget, move_to


def ids(budget):
    return list(selectors.on_ballot(budget))


# --- Budgets ------------------------------------------------------------------------------------------


def test_a_host_creates_a_budget_on_the_co_commissioning_stage(space, host):
    budget = make_budget(
        space, host, currency="eur", collect_from=dt.date(2026, 1, 1), vote_from=dt.date(2026, 3, 1)
    )
    assert budget.stage.kind == StageKind.CO_COMMISSIONING and budget.stage.space == space
    assert budget.phase == Phase.COLLECT and budget.currency == "EUR"
    event = AuditEvent.objects.get(action="budget.created")
    assert event.actor == host and event.public and event.changes["amount"] == [None, "10000"]


@pytest.mark.parametrize("who", ["facilitator", "member", "outsider"])
def test_only_a_host_creates_a_budget(who, persona, space):
    with pytest.raises(PermissionDenied):
        make_budget(space, persona(who))
    assert not Budget.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"ballot_type": "cumulative"}, "points_total"),
        ({"ballot_type": "scoring"}, "max_points_per_project"),
        ({"ballot_type": "ranked"}, "max_ranked"),
        ({"min_projects": 3, "max_projects": 2}, "max_projects"),
        ({"min_projects": 0}, "min_projects"),
        ({"eligibility": "residents", "area": " "}, "area"),
        ({"vote_from": dt.date(2026, 3, 1), "results_from": dt.date(2026, 2, 1)}, "results_from"),
        ({"amount": Decimal("0")}, "amount"),
        ({"currency": "pounds"}, "currency"),
        ({"min_share_percent": 101}, "min_share_percent"),
    ],
)
def test_bad_budget_settings_are_explained_and_nothing_is_saved(space, host, fields, field):
    with pytest.raises(ValidationError) as caught:
        make_budget(space, host, **fields)
    assert field in caught.value.message_dict
    assert not Budget.objects.exists() and not AuditEvent.objects.filter(action="budget.created").exists()


def test_the_ballot_and_the_rule_cannot_change_once_voting_has_opened(voting, host):
    with pytest.raises(ValidationError) as caught:
        services.budget_update(actor=host, budget=voting, rule="greedy", amount=Decimal("20000"))
    assert set(caught.value.message_dict) == {"rule", "amount"}
    services.budget_update(actor=host, budget=voting, title="Health fund 2026")  # words can still change
    voting.refresh_from_db()
    assert voting.rule == "mes-add1" and voting.title == "Health fund 2026"


def test_phases_move_forward_one_at_a_time_and_are_audited(budget, projects, host, member):
    with pytest.raises(ValidationError):
        services.budget_advance_phase(actor=host, budget=budget, to=Phase.VOTE)  # skips the review
    with pytest.raises(PermissionDenied):
        services.budget_advance_phase(actor=member, budget=budget, to=Phase.REVIEW)
    budget = services.budget_advance_phase(actor=host, budget=budget, to=Phase.REVIEW)
    with pytest.raises(ValidationError):
        services.budget_advance_phase(actor=host, budget=budget, to=Phase.COLLECT)  # never back
    assert AuditEvent.objects.get(action="budget.phase_changed").changes == {"phase": ["collect", "review"]}


def test_voting_needs_a_feasible_project(budget, host, member, facilitator):
    add_projects(budget, member, facilitator, ["100"], feasible=False)
    move_to(budget, host, Phase.REVIEW)
    with pytest.raises(ValidationError):
        services.budget_advance_phase(actor=host, budget=budget, to=Phase.VOTE)


# --- Projects -----------------------------------------------------------------------------------------


def test_a_member_proposes_a_project_with_their_perspective(budget, member):
    project = services.project_submit(actor=member, budget=budget, title=" Benches ", cost=Decimal("1200.50"))
    assert project.title == "Benches" and project.submitter_perspective == "lived_experience"
    assert project.status == ProjectStatus.SUBMITTED
    assert AuditEvent.objects.filter(action="project.submitted", actor=member, public=True).exists()


def test_projects_are_proposed_only_by_members_while_they_are_collected(
    budget, projects, outsider, member, host
):
    with pytest.raises(PermissionDenied):
        services.project_submit(actor=outsider, budget=budget, title="Mine", cost=Decimal("10"))
    move_to(budget, host, Phase.REVIEW)
    with pytest.raises(ValidationError):
        services.project_submit(actor=member, budget=budget, title="Late", cost=Decimal("10"))


@pytest.mark.parametrize("cost", [Decimal("0"), Decimal("-5"), Decimal("1.234")])
def test_a_project_costs_more_than_nothing(budget, member, cost):
    with pytest.raises(ValidationError) as caught:
        services.project_submit(actor=member, budget=budget, title="Free", cost=cost)
    assert "cost" in caught.value.message_dict
    assert not Project.objects.exists()


def test_a_review_says_why_and_a_changed_cost_is_kept_in_public(budget, member, facilitator):
    project = services.project_submit(actor=member, budget=budget, title="Garden", cost=Decimal("4000"))
    with pytest.raises(ValidationError) as caught:
        services.project_review(actor=facilitator, project=project, feasible=False)
    assert "reason" in caught.value.message_dict
    services.project_review(
        actor=facilitator,
        project=project,
        feasible=True,
        cost=Decimal("3500"),
        reason="The council lends the tools.",
    )
    project.refresh_from_db()
    assert project.status == ProjectStatus.FEASIBLE and project.cost == Decimal("3500")
    change = ProjectCostChange.objects.get(project=project)
    assert (change.old_cost, change.new_cost, change.changed_by) == (
        Decimal("4000"),
        Decimal("3500"),
        facilitator,
    )
    event = AuditEvent.objects.get(action="project.reviewed")
    assert [Decimal(v) for v in event.changes["cost"]] == [4000, 3500] and event.public


def test_only_facilitators_review(budget, projects, member):
    with pytest.raises(PermissionDenied):
        services.project_review(actor=member, project=projects[0], feasible=True)


def test_the_author_changes_their_project_and_a_cost_change_needs_a_reason(budget, member, practitioner):
    project = services.project_submit(actor=member, budget=budget, title="Garden", cost=Decimal("4000"))
    with pytest.raises(ValidationError) as caught:
        services.project_update(actor=member, project=project, cost=Decimal("4500"))
    assert "cost_reason" in caught.value.message_dict
    project.refresh_from_db()
    services.project_update(
        actor=member, project=project, cost=Decimal("4500"), cost_reason="Soil is dearer."
    )
    assert ProjectCostChange.objects.get().reason == "Soil is dearer."
    with pytest.raises(PermissionDenied):
        services.project_update(actor=practitioner, project=project, title="Not mine")


# --- Ballots ------------------------------------------------------------------------------------------


def test_a_member_votes_and_changes_their_ballot_which_stays_one_ballot(voting, member):
    first, second, third = ids(voting)
    voter = services.ballot_submit(actor=member, budget=voting, choices=[(first, 1)])
    services.ballot_submit(actor=member, budget=voting, choices=[(second, 1), (third, 1)])
    assert (
        Voter.objects.filter(budget=voting).count() == 1 and Ballot.objects.filter(budget=voting).count() == 1
    )
    assert Ballot.objects.get().choices == [[second, 1], [third, 1]]
    voter.refresh_from_db()
    assert voter.changed_at is not None and voter.method == VotingMethod.ONLINE
    actions = list(
        AuditEvent.objects.filter(action__startswith="ballot.").values_list("action", "target_type")
    )
    assert actions == [("ballot.changed", "budgets.voter"), ("ballot.cast", "budgets.voter")]


def test_a_ballot_names_no_one(voting, member):
    services.ballot_submit(actor=member, budget=voting, choices=[(ids(voting)[0], 1)])
    ballot = Ballot.objects.get()
    relations = [f.name for f in Ballot._meta.get_fields() if f.is_relation]
    assert relations == ["budget"]  # no foreign key to a person or to a Voter row
    assert len(ballot.voter_key) == 64 and f"user:{member.pk}" not in ballot.voter_key
    assert ballot.voter_key == keys.voter_key(voting.pk, f"user:{member.pk}")
    # Without the server's secret the key cannot be recomputed from a list of members.
    assert ballot.voter_key != keys.voter_key(voting.pk, f"user:{member.pk}", secret="")
    # No audit event points at the ballot, only at the Voter row ("has voted").
    assert not AuditEvent.objects.filter(target_type="budgets.ballot").exists()


def test_rotating_the_secret_key_does_not_give_a_voter_a_second_ballot(voting, member, settings):
    first, second, _third = ids(voting)
    services.ballot_submit(actor=member, budget=voting, choices=[(first, 1)])
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-for-this-test-only-0123456789"
    assert selectors.ballot_of(voting, f"user:{member.pk}") is not None
    services.ballot_submit(actor=member, budget=voting, choices=[(second, 1)])
    ballot = Ballot.objects.get()
    assert ballot.choices == [[second, 1]]
    assert ballot.voter_key == keys.voter_key(voting.pk, f"user:{member.pk}")  # moved to the new key


def test_outsiders_and_closed_votes_are_refused(voting, outsider, member, host, budget):
    with pytest.raises(PermissionDenied):
        services.ballot_submit(actor=outsider, budget=voting, choices=[(ids(voting)[0], 1)])
    move_to(voting, host, Phase.RESULTS)
    with pytest.raises(ValidationError):
        services.ballot_submit(actor=member, budget=voting, choices=[(ids(voting)[0], 1)])
    assert not Voter.objects.exists()


def test_residents_confirm_they_live_or_work_in_the_area_once(space, host, member, facilitator, outsider):
    budget = make_budget(space, host, eligibility="residents", area="Ferguslie Park", minimum_age=16)
    add_projects(budget, member, facilitator, ["100", "200"])
    budget = move_to(budget, host, Phase.VOTE)
    first = ids(budget)[0]
    assert selectors.needs_confirmation(outsider, budget)
    with pytest.raises(ValidationError) as caught:
        services.ballot_submit(actor=outsider, budget=budget, choices=[(first, 1)])
    assert (
        "Ferguslie Park" in caught.value.message_dict["confirm"][0]
        and "16" in caught.value.message_dict["confirm"][0]
    )
    voter = services.ballot_submit(
        actor=outsider, budget=budget, choices=[(first, 1)], confirmed_eligibility=True
    )
    assert voter.confirmed_eligibility
    assert not selectors.needs_confirmation(outsider, budget)
    assert selectors.needs_confirmation(member, budget), "each person confirms for themself"
    services.ballot_submit(actor=outsider, budget=budget, choices=[(ids(budget)[1], 1)])  # asked only once


def test_a_ballot_error_and_a_missing_confirmation_are_reported_together(
    space, host, member, facilitator, outsider
):
    budget = make_budget(
        space, host, eligibility="residents", area="Paisley", ballot_type="approval", max_projects=1
    )
    add_projects(budget, member, facilitator, ["100", "200"])
    budget = move_to(budget, host, Phase.VOTE)
    with pytest.raises(ValidationError) as caught:
        services.ballot_submit(actor=outsider, budget=budget, choices=[(pid, 1) for pid in ids(budget)])
    assert set(caught.value.message_dict) == {"choices", "confirm"}


def _budget_with(space, host, member, facilitator, costs=("6000", "3000", "2500", "1000"), **fields):
    budget = make_budget(space, host, **fields)
    add_projects(budget, member, facilitator, costs)
    return move_to(budget, host, Phase.VOTE)


@pytest.mark.parametrize(
    ("fields", "choices", "problem"),
    [
        ({"ballot_type": "approval", "min_projects": 2, "max_projects": 3}, [0], "at least 2"),
        ({"ballot_type": "approval", "max_projects": 2}, [0, 1, 2], "at most 2"),
        ({"ballot_type": "knapsack"}, [0, 1, 2], "more than the budget"),
        ({"ballot_type": "knapsack", "min_share_percent": 70}, [1, 3], "at least £7,000 (70%"),
    ],
)
def test_approval_and_knapsack_limits(space, host, member, facilitator, fields, choices, problem):
    budget = _budget_with(space, host, member, facilitator, **fields)
    projects = ids(budget)
    with pytest.raises(ValidationError) as caught:
        validate_choices(budget, selectors.on_ballot(budget), [(projects[i], 1) for i in choices])
    assert problem in " ".join(caught.value.messages)


def test_a_knapsack_ballot_that_fits_is_accepted(knapsack):
    projects = ids(knapsack)
    stored = validate_choices(knapsack, selectors.on_ballot(knapsack), [(projects[0], 1), (projects[1], 1)])
    assert stored == [[projects[0], 1], [projects[1], 1]]


def test_cumulative_points(space, host, member, facilitator):
    budget = _budget_with(
        space,
        host,
        member,
        facilitator,
        ballot_type="cumulative",
        points_total=10,
        max_points_per_project=6,
        rule="greedy",
    )
    a, b, c, _d = ids(budget)
    on = selectors.on_ballot(budget)
    assert validate_choices(budget, on, [(a, 6), (b, 4), (c, 0)]) == [[a, 6], [b, 4]]
    with pytest.raises(ValidationError, match="you have 10 to share"):
        validate_choices(budget, on, [(a, 6), (b, 5)])
    with pytest.raises(ValidationError, match="at most 6 points"):
        validate_choices(budget, on, [(a, 7)])
    with pytest.raises(ValidationError, match="below zero"):
        validate_choices(budget, on, [(a, -1)])


def test_ranked_ballots_keep_the_order_and_close_gaps(space, host, member, facilitator):
    budget = _budget_with(space, host, member, facilitator, ballot_type="ranked", max_ranked=3, rule="greedy")
    a, b, c, d = ids(budget)
    on = selectors.on_ballot(budget)
    assert validate_choices(budget, on, [(a, 4), (b, 1), (c, 0)]) == [[b, 1], [a, 2]]
    with pytest.raises(ValidationError, match="different rank"):
        validate_choices(budget, on, [(a, 1), (b, 1)])
    with pytest.raises(ValidationError, match="at most 3"):
        validate_choices(budget, on, [(a, 1), (b, 2), (c, 3), (d, 4)])


def test_unknown_duplicate_and_empty_choices(voting, budget, member, facilitator):
    on = selectors.on_ballot(voting)
    first = ids(voting)[0]
    with pytest.raises(ValidationError, match="not on the ballot"):
        validate_choices(voting, on, [(999999, 1)])
    with pytest.raises(ValidationError, match="twice"):
        validate_choices(voting, on, [(first, 1), (first, 1)])
    with pytest.raises(ValidationError, match="at least one"):
        validate_choices(voting, on, [])
    with pytest.raises(ValidationError, match="could not be read"):
        validate_choices(voting, on, [("x", "y")])


def test_the_running_total_says_what_is_still_allowed(knapsack):
    projects = ids(knapsack)
    on = selectors.on_ballot(knapsack)
    total = selectors.running_total(knapsack, on, [(projects[1], 1)])
    assert total.cost == Decimal("3000") and total.share_percent == 30
    assert (
        "Your projects cost £3,000 of £10,000." in total.lines and "£7,000 is left to spend." in total.lines
    )
    assert not total.ok  # under the 50% minimum
    assert selectors.running_total(knapsack, on, [(projects[0], 1), (projects[1], 1)]).ok
    assert selectors.running_total(knapsack, on, [("junk", None)]).count == 0  # never raises


# --- Paper ballots ------------------------------------------------------------------------------------


def test_a_facilitator_records_a_paper_ballot_for_a_member(voting, facilitator, margaret):
    voter = services.paper_ballot_record(
        actor=facilitator, budget=voting, member=margaret, choices=[(ids(voting)[0], 1)]
    )
    assert voter.user == margaret and voter.method == VotingMethod.PAPER and voter.recorded_by == facilitator
    event = AuditEvent.objects.get(action="ballot.paper_recorded")
    assert event.actor == facilitator and event.on_behalf_of == margaret
    assert selectors.ballot_of(voting, f"user:{margaret.pk}").choices == [[ids(voting)[0], 1]]


def test_no_paper_ballot_for_someone_with_an_account_who_did_not_ask(voting, facilitator, practitioner):
    with pytest.raises(Refused) as caught:
        services.paper_ballot_record(
            actor=facilitator, budget=voting, member=practitioner, choices=[(ids(voting)[0], 1)]
        )
    assert "has not asked to be helped" in caught.value.message_dict["member"][0]
    assert not Voter.objects.exists() and not Ballot.objects.exists()


def test_a_paper_ballot_does_not_overwrite_an_online_one(voting, facilitator, member):
    space_services.help_consent_set(actor=member, space=voting.space, accepts=True)
    services.ballot_submit(actor=member, budget=voting, choices=[(ids(voting)[0], 1)])
    with pytest.raises(Conflict) as caught:
        services.paper_ballot_record(
            actor=facilitator, budget=voting, member=member, choices=[(ids(voting)[1], 1)]
        )
    assert "already voted online" in caught.value.message_dict["member"][0]
    assert selectors.ballot_of(voting, f"user:{member.pk}").choices == [[ids(voting)[0], 1]]


def test_voting_online_after_a_paper_ballot_makes_the_ballot_the_members_own(voting, facilitator, member):
    first, second, third = ids(voting)
    space_services.help_consent_set(actor=member, space=voting.space, accepts=True)
    services.paper_ballot_record(actor=facilitator, budget=voting, member=member, choices=[(first, 1)])
    services.ballot_submit(actor=member, budget=voting, choices=[(second, 1)])
    voter = Voter.objects.get(user=member)
    assert voter.method == VotingMethod.ONLINE and voter.recorded_by is None
    with pytest.raises(Conflict):
        services.paper_ballot_record(actor=facilitator, budget=voting, member=member, choices=[(third, 1)])
    assert selectors.ballot_of(voting, f"user:{member.pk}").choices == [[second, 1]]


def test_residents_without_an_account_vote_on_paper_by_reference(space, host, member, facilitator):
    budget = make_budget(space, host, eligibility="residents", area="Paisley")
    add_projects(budget, member, facilitator, ["100"])
    budget = move_to(budget, host, Phase.VOTE)
    choice = [(ids(budget)[0], 1)]
    with pytest.raises(ValidationError) as caught:
        services.paper_ballot_record(actor=facilitator, budget=budget, reference="P-0001", choices=choice)
    assert "confirm" in caught.value.message_dict
    services.paper_ballot_record(
        actor=facilitator, budget=budget, reference="P-0001", choices=choice, confirmed_eligibility=True
    )
    with pytest.raises(ValidationError) as caught:
        services.paper_ballot_record(
            actor=facilitator, budget=budget, reference="P-0001", choices=choice, confirmed_eligibility=True
        )
    assert "already recorded" in caught.value.message_dict["reference"][0]
    assert Voter.objects.get(budget=budget).reference == "P-0001"
    assert AuditEvent.objects.get(action="ballot.paper_recorded").on_behalf_of is None


def test_reference_ballots_are_for_residents_budgets_and_facilitators(voting, facilitator, member):
    with pytest.raises(ValidationError) as caught:
        services.paper_ballot_record(
            actor=facilitator, budget=voting, reference="P-1", choices=[(ids(voting)[0], 1)]
        )
    assert "Only members vote" in caught.value.message_dict["reference"][0]
    with pytest.raises(PermissionDenied):
        services.paper_ballot_record(
            actor=member, budget=voting, member=member, choices=[(ids(voting)[0], 1)]
        )
    with pytest.raises(ValidationError):
        services.paper_ballot_record(
            actor=facilitator, budget=voting, choices=[(ids(voting)[0], 1)]
        )  # for whom?


# --- Results ------------------------------------------------------------------------------------------


def test_closing_the_vote_counts_every_rule_and_caches_it(
    voting, host, member, practitioner, facilitator, django_capture_on_commit_callbacks
):
    first, second, third = ids(voting)
    services.ballot_submit(actor=member, budget=voting, choices=[(first, 1), (second, 1)])
    services.ballot_submit(actor=practitioner, budget=voting, choices=[(third, 1)])
    services.paper_ballot_record(actor=facilitator, budget=voting, member=facilitator, choices=[(first, 1)])
    with django_capture_on_commit_callbacks(execute=True):
        budget = move_to(voting, host, Phase.RESULTS)
    assert set(BudgetResult.objects.filter(budget=budget).values_list("rule", flat=True)) == {
        "greedy",
        "greedy-no-skip",
        "mes-add1",
        "phragmen",
    }
    data = last_count(budget)
    greedy = data["greedy"]
    assert greedy["voters"] == 3 and greedy["selected"][0] == first  # 2 votes, the most
    assert sum(Decimal(p.cost) for p in Project.objects.filter(pk__in=greedy["selected"])) <= budget.amount
    assert greedy["explanations"][str(first)]["reason"] == "funded"


def test_ties_go_to_the_cheaper_project_then_the_one_submitted_first(
    space, host, member, facilitator, practitioner
):
    budget = _budget_with(
        space, host, member, facilitator, costs=("600", "500", "500"), amount=Decimal("600"), rule="greedy"
    )
    dear, cheap_first, cheap_second = ids(budget)
    for person in (member, practitioner):
        services.ballot_submit(
            actor=person, budget=budget, choices=[(dear, 1), (cheap_first, 1), (cheap_second, 1)]
        )
    budget = move_to(budget, host, Phase.RESULTS)
    assert last_count(budget)["greedy"]["selected"] == [cheap_first]


def test_ties_by_submission_order(space, host, member, facilitator, practitioner):
    budget = _budget_with(
        space,
        host,
        member,
        facilitator,
        costs=("600", "500"),
        amount=Decimal("600"),
        rule="greedy",
        tie_break="submission",
    )
    first, second = ids(budget)
    for person in (member, practitioner):
        services.ballot_submit(actor=person, budget=budget, choices=[(first, 1), (second, 1)])
    budget = move_to(budget, host, Phase.RESULTS)
    assert last_count(budget)["greedy"]["selected"] == [first]


def test_ranked_ballots_are_scored_like_borda(space, host, member, facilitator, practitioner):
    budget = _budget_with(
        space,
        host,
        member,
        facilitator,
        costs=("500", "500", "500"),
        amount=Decimal("500"),
        ballot_type="ranked",
        max_ranked=3,
        rule="greedy",
    )
    a, b, c = ids(budget)
    services.ballot_submit(actor=member, budget=budget, choices=[(a, 1), (b, 2), (c, 3)])  # a 3, b 2, c 1
    services.ballot_submit(actor=practitioner, budget=budget, choices=[(b, 1), (c, 2)])  # b 2, c 1
    budget = move_to(budget, host, Phase.RESULTS)
    data = last_count(budget)["greedy"]
    assert data["selected"] == [b]  # b scores 4, a 3, c 2
    assert [data["explanations"][str(p)]["score"] for p in (a, b, c)] == ["3", "4", "2"]


def test_cumulative_points_decide_a_greedy_count(space, host, member, facilitator, practitioner):
    budget = _budget_with(
        space,
        host,
        member,
        facilitator,
        costs=("500", "500"),
        amount=Decimal("500"),
        ballot_type="cumulative",
        points_total=5,
        rule="greedy",
    )
    a, b = ids(budget)
    services.ballot_submit(actor=member, budget=budget, choices=[(a, 5)])
    services.ballot_submit(actor=practitioner, budget=budget, choices=[(a, 1), (b, 4)])
    budget = move_to(budget, host, Phase.RESULTS)
    data = last_count(budget)["greedy"]
    assert data["selected"] == [a]
    assert data["explanations"][str(b)]["reason"] == "did-not-fit"


def test_a_host_recounts_through_the_task_queue_and_the_last_count_shows_until_then(
    voting, host, member, tasks_now, django_capture_on_commit_callbacks
):
    services.ballot_submit(actor=member, budget=voting, choices=[(ids(voting)[0], 1)])
    budget = move_to(voting, host, Phase.RESULTS)
    first = selectors.last_count(budget)
    assert first is not None and set(first.data) == {"greedy", "greedy-no-skip", "mes-add1", "phragmen"}
    with pytest.raises(PermissionDenied):
        services.results_recount(actor=member, budget=budget)
    tasks_now.immediate = False  # queue it, as a running site does, instead of counting at once
    # Leaving immediate mode makes huey open its real queue (var/tasks.sqlite3): keep this test's in memory.
    tasks_now.storage = MemoryStorage("budgets-recount")
    with django_capture_on_commit_callbacks(execute=True):
        services.results_recount(actor=host, budget=budget)
    queued = tasks_now.pending()
    assert [task.name for task in queued] == ["count_budget"]
    assert selectors.last_count(budget) == first  # the last count, and when it was made, until the new one
    task = queued[0]
    # Run it here, inside the test's transaction: outside immediate mode djhuey closes the connection.
    tasks_now.immediate = True
    tasks_now.execute(task)
    again = selectors.last_count(budget)
    assert again is not None and again.counted_at > first.counted_at and again.data == first.data
    assert AuditEvent.objects.filter(action="budget.recounted", actor=host).exists()


def test_reading_results_never_counts(client_for, voting, host, member):
    """The results page and the API read the last count; while there is none they say it is being counted."""
    services.ballot_submit(actor=member, budget=voting, choices=[(ids(voting)[0], 1)])
    budget = services.budget_advance_phase(actor=host, budget=voting, to=Phase.CLOSED, confirm=True)
    budget = services.budget_advance_phase(actor=host, budget=budget, to=Phase.RESULTS)  # never committed
    page = client_for(member).get(reverse("budgets:results", args=[budget.space.slug, budget.pk]))
    assert "The ballots are being counted." in page.content.decode()
    assert Api(member).get(f"/budgets/{budget.pk}/results").json()["counting"] is True
    assert selectors.last_count(budget) is None and not BudgetResult.objects.filter(budget=budget).exists()
    counted(budget)
    page = client_for(member).get(reverse("budgets:results", args=[budget.space.slug, budget.pk]))
    assert "Funded projects" in page.content.decode() and "Counted on " in page.content.decode()
    answer = Api(member).get(f"/budgets/{budget.pk}/results").json()
    assert answer["counting"] is False and answer["counted_at"] and answer["published"] is True


def test_a_count_is_rendered_once_and_a_new_count_or_budget_change_renders_it_again(
    client_for, voting, host, member, monkeypatch
):
    """The results kept rendered (`selectors.results_html`, `results_data`) are used until the count or the
    budget changes; then the page shows the new ones."""
    from coproduce.budgets.selectors import results as results_selectors

    first, second, *_rest = ids(voting)
    services.ballot_submit(actor=member, budget=voting, choices=[(first, 1)])
    move_to(voting, host, Phase.RESULTS)
    voting.refresh_from_db()
    counted(voting)
    rendered = []
    real = results_selectors.results_view
    monkeypatch.setattr(results_selectors, "results_view", lambda *a: rendered.append(1) or real(*a))

    def page():
        return client_for(member).get(reverse("budgets:results", args=[voting.space.slug, voting.pk]))

    def api():
        return Api(member).get(f"/budgets/{voting.pk}/results").json()

    assert "1 of 1 voter got at least one project" in page().content.decode() and api()["voters"] == 1
    assert len(rendered) == 2  # the page's rendering and the API's data
    assert "1 of 1 voter got" in page().content.decode() and api()["voters"] == 1
    assert len(rendered) == 2  # both kept
    # A new count (here of a second ballot slipped in by hand) shows at once, rendered again.
    Ballot.objects.create(
        budget=voting, voter_key=keys.voter_key(voting.pk, f"user:{host.pk}"), choices=[[second, 1]]
    )
    services.results_store(voting)
    assert "of 2 voters got" in page().content.decode() and api()["voters"] == 2
    assert len(rendered) == 4
    # A change to the budget (its amount) too.
    Budget.objects.filter(pk=voting.pk).update(amount=voting.amount + 1)
    voting.refresh_from_db()
    voting.save()  # `updated_at`, as every change through the services sets it
    page()
    assert len(rendered) == 5


def test_closing_the_vote_rewrites_ballots_so_their_order_says_nothing(voting, host, member, practitioner):
    first, second, third = ids(voting)
    services.ballot_submit(actor=member, budget=voting, choices=[(first, 1)])
    services.ballot_submit(actor=practitioner, budget=voting, choices=[(second, 1), (third, 1)])
    before = {b.voter_key: (b.pk, b.choices) for b in Ballot.objects.filter(budget=voting)}
    move_to(voting, host, Phase.RESULTS)
    after = {b.voter_key: (b.pk, b.choices) for b in Ballot.objects.filter(budget=voting)}
    assert {key: choices for key, (_pk, choices) in after.items()} == {
        key: choices for key, (_pk, choices) in before.items()
    }
    assert not {pk for pk, _c in before.values()} & {pk for pk, _c in after.values()}  # new rows, new ids
    assert selectors.ballot_of(voting, f"user:{member.pk}").choices == [[first, 1]]  # still your own to see
