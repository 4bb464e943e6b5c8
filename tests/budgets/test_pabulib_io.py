"""Pabulib files into the database and back out: every vote type, a round trip, and bad files that import nothing."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coproduce.budgets import selectors, services
from coproduce.budgets.models import Ballot, Budget, BudgetResult, Phase, Project, Voter
from coproduce.core.models import AuditEvent
from coproduce.lib.pb import parse

from .conftest import counted, last_count, move_to

FIXTURES = Path(__file__).parent / "fixtures"


def read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def ballots_of(election) -> Counter:
    """Ballots as a multiset (voter ids and order are not kept on export), with points when there are any."""
    found = Counter()
    for v in range(election.num_voters):
        ballot = election.ballot(v)
        points = tuple(int(p) for p in ballot.points) if ballot.points else None
        fields = tuple(sorted((k, val) for k, val in ballot.fields.items() if val))
        found[(ballot.projects, points, fields)] += 1
    return found


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "approval.pb",
            {"ballot_type": "approval", "max_projects": 3, "currency": "GBP", "rule": "mes-add1"},
        ),
        ("knapsack.pb", {"ballot_type": "knapsack", "min_share_percent": 50, "currency": "EUR"}),
        # A rule that would ignore ranks or points is replaced by the greedy count, which uses them.
        ("ordinal.pb", {"ballot_type": "ranked", "max_ranked": 3, "rule": "greedy"}),
        ("cumulative.pb", {"ballot_type": "cumulative", "points_total": 5, "rule": "greedy"}),
        ("scoring.pb", {"ballot_type": "scoring", "max_points_per_project": 3, "rule": "greedy"}),
        ("choose1.pb", {"ballot_type": "approval", "max_projects": 1}),
    ],
)
def test_every_vote_type_imports_and_round_trips(
    space, host, name, expected, django_capture_on_commit_callbacks
):
    text = read(name)
    with django_capture_on_commit_callbacks(execute=True):
        budget = services.budget_import(actor=host, space=space, text=text)
    for field, value in expected.items():
        assert getattr(budget, field) == value, field
    original = parse(text)
    assert budget.phase == Phase.RESULTS
    assert budget.projects.count() == len(original.projects)
    assert Voter.objects.filter(budget=budget).count() == original.num_voters
    # Counted when the import committed, with every rule that uses what the ballots say.
    rules = 4 if budget.ballot_type in ("approval", "knapsack") else 2
    assert BudgetResult.objects.filter(budget=budget).count() == rules
    exported = parse(services.budget_export(budget))
    assert [(p.project_id, p.cost) for p in exported.projects] == [
        (p.project_id, p.cost) for p in original.projects
    ]
    assert [p.name for p in exported.projects] == [p.name for p in original.projects]
    assert ballots_of(exported) == ballots_of(original)
    assert exported.vote_type == original.vote_type
    assert exported.ballots.voter_ids == [str(n) for n in range(1, original.num_voters + 1)]  # renumbered
    # And the exported file imports again, to the same ballots.
    again = services.budget_import(actor=host, space=space, text=services.budget_export(budget))
    assert ballots_of(parse(services.budget_export(again))) == ballots_of(original)


def test_an_import_keeps_the_files_meta_and_is_audited(space, host):
    budget = services.budget_import(actor=host, space=space, text=read("approval.pb"))
    assert budget.title == "Riverside small grants (made-up test election)"
    assert budget.amount == Decimal("100000") and budget.pabulib_meta["country"] == "Scotland"
    bench = Project.objects.get(budget=budget, external_id="c1")
    assert (
        bench.cost == Decimal("5000.50")
        and bench.category == "public space"
        and bench.title == "Bench by the river"
    )
    meta = parse(services.budget_export(budget)).meta
    assert meta["country"] == "Scotland" and meta["unit"] == "Riverside"
    event = AuditEvent.objects.get(action="budget.imported")
    assert event.actor == host and "6 projects, 12 ballots" in event.summary


def test_results_of_an_imported_equal_shares_election(space, host):
    budget = services.budget_import(actor=host, space=space, text=read("approval.pb"))
    data = counted(budget)
    funded = {Project.objects.get(pk=pk).external_id for pk in data["mes-add1"]["selected"]}
    # Six voters share a1..a3 and four share b1, b2: Equal Shares funds both groups, not only the larger one.
    assert {"b1", "b2"} & funded and {"a1", "a2", "a3"} & funded
    assert sum(Project.objects.get(pk=pk).cost for pk in data["mes-add1"]["selected"]) <= budget.amount


def test_exported_ballots_are_shuffled_and_name_nobody(space, host, monkeypatch):
    budget = services.budget_import(actor=host, space=space, text=read("approval.pb"))
    text = services.budget_export(budget)
    assert "v01" not in text and "v12" not in text  # the file's own voter ids are not written back
    orders = {tuple(parse(services.budget_export(budget)).ballots.projects.tolist()) for _ in range(8)}
    assert len(orders) > 1  # the order of ballots changes from one export to the next


BAD_FILES = [
    (
        "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\na;10\n",
        8,
        "no VOTES section",
    ),
    (
        "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\na;10\nVOTES\nvoter_id;vote\n1;a,zz\n",
        10,
        "'zz', which is not in PROJECTS",
    ),
    (
        "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\na;ten\nVOTES\nvoter_id;vote\n1;a\n",
        7,
        "is not a number",
    ),
    (
        "META\nkey;value\nbudget;100\nvote_type;approval\nmax_length;1\nPROJECTS\nproject_id;cost\na;10\nb;20\n"
        "VOTES\nvoter_id;vote\n1;a\n2;a,b\n",
        13,
        "more than max_length",
    ),
    (
        "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\na;10\nb;0\nVOTES\nvoter_id;vote\n1;a\n",
        8,
        "must be more than 0",
    ),
    (
        "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\na;10.555\nVOTES\nvoter_id;vote\n1;a\n",
        7,
        "more than two decimal places",
    ),
    (
        "META\nkey;value\nbudget;100\nvote_type;cumulative\nPROJECTS\nproject_id;cost\na;10\nVOTES\nvoter_id;vote;points\n"
        "1;a;2\n2;a;1.5\n",
        11,
        "not a whole number",
    ),
    (
        "META\nkey;value\nbudget;0\nvote_type;approval\nPROJECTS\nproject_id;cost\na;10\nVOTES\nvoter_id;vote\n1;a\n",
        3,
        "must be more than 0",
    ),
    (
        "META\nkey;value\nbudget;100\nvote_type;approval\nmax_length;18446744073709551616\nPROJECTS\n"
        "project_id;cost\na;10\nVOTES\nvoter_id;vote\n1;a\n",
        5,
        "max_length is too large",
    ),
    (
        "META\nkey;value\nbudget;100\nvote_type;cumulative\nPROJECTS\nproject_id;cost\na;10\nb;10\nc;10\n"
        "VOTES\nvoter_id;vote;points\n1;a,b,c;1000000000,1000000000,1000000000\n",
        12,
        "more than 2147483647 points in all",
    ),
]


@pytest.mark.parametrize(("text", "line", "problem"), BAD_FILES)
def test_a_bad_file_names_the_line_and_imports_nothing(space, host, text, line, problem):
    with pytest.raises(ValidationError) as caught:
        services.budget_import(actor=host, space=space, text=text)
    message = caught.value.message_dict["file"][0]
    assert message.startswith(f"Line {line}: ") and problem in message and "Nothing was imported" in message
    assert not Budget.objects.exists() and not Project.objects.exists()
    assert not Voter.objects.exists() and not Ballot.objects.exists()
    assert not AuditEvent.objects.filter(action="budget.imported").exists()


def test_only_a_host_imports(space, member):
    with pytest.raises(PermissionDenied):
        services.budget_import(actor=member, space=space, text=read("approval.pb"))


def test_a_budget_voted_here_exports_what_was_voted(voting, member, practitioner, host):
    first, second, third = selectors.on_ballot(voting)
    services.ballot_submit(actor=member, budget=voting, choices=[(first, 1), (second, 1)])
    services.ballot_submit(actor=practitioner, budget=voting, choices=[(third, 1)])
    budget = move_to(voting, host, Phase.RESULTS)
    data = last_count(budget)
    election = parse(services.budget_export(budget, selected=data[budget.rule]["selected"]))
    assert election.meta["max_length"] == "2" and election.meta["rule"] == "mes-add1"
    assert ballots_of(election) == Counter(
        {((str(first), str(second)), None, ()): 1, ((str(third),), None, ()): 1}
    )
    selected = {p.project_id for p in election.projects if p.fields["selected"] == "1"}
    assert selected == {str(pk) for pk in data[budget.rule]["selected"]}
