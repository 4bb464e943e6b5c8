"""Properties every rule must keep on any election (Hypothesis), and agreement with pabutools 1.2.3."""

from __future__ import annotations

from pathlib import Path
from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coproduce.lib.pb import (
    Election,
    Phase,
    equal_shares,
    greedy,
    make_election,
    parse_file,
    phragmen,
    run_rule,
)
from coproduce.lib.pb.rules.mes import add1
from coproduce.lib.pb.rules.mes.run import Engine, TooClose
from coproduce.lib.pb.rules.support import support_of

FIXTURES = Path(__file__).parent / "fixtures"

cost = st.one_of(st.integers(0, 60), st.sampled_from([10, 20, 30]), st.integers(1, 10**6))


@st.composite
def approval_elections(draw, *, max_voters: int = 25, max_projects: int = 7, large: bool = True) -> Election:
    """Small approval elections; ``large`` also draws costs and budgets in the millions.

    pabutools' Add1 makes one run per unit of money per voter, so comparisons use small amounts only.
    """
    ids = [f"p{i}" for i in range(draw(st.integers(1, max_projects)))]
    scale = draw(st.sampled_from([1, 1, 10**4])) if large else 1
    costs = {
        project_id: draw(st.integers(0, 60)) * scale + draw(st.integers(0, scale - 1)) for project_id in ids
    }
    ballots = draw(st.lists(st.lists(st.sampled_from(ids), unique=True), max_size=max_voters))
    return make_election(draw(st.integers(0, 150)) * scale, costs, ballots)


@st.composite
def any_elections(draw) -> Election:
    vote_type = draw(st.sampled_from(["approval", "choose-1", "ordinal", "cumulative", "scoring"]))
    ids = [f"p{i}" for i in range(draw(st.integers(1, 6)))]
    costs = {project_id: draw(cost) for project_id in ids}
    ballots = []
    for _ in range(draw(st.integers(0, 15))):
        chosen = draw(
            st.lists(st.sampled_from(ids), unique=True, max_size=1 if vote_type == "choose-1" else 6)
        )
        if vote_type in ("cumulative", "scoring"):
            ballots.append({project_id: draw(st.integers(0, 5)) for project_id in chosen})
        else:
            ballots.append(chosen)
    return make_election(draw(st.integers(0, 200)), costs, ballots, vote_type=vote_type)


FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(any_elections(), st.sampled_from(["greedy", "greedy-no-skip", "mes-add1", "phragmen"]))
def test_no_rule_spends_more_than_the_budget(election, rule):
    outcome = run_rule(election, rule)
    costs = {p.project_id: p.cost for p in election.projects}
    assert len(set(outcome.selected)) == len(outcome.selected)
    assert outcome.cost == sum(costs[p] for p in outcome.selected) <= election.budget


@FAST
@given(any_elections(), st.integers(0, 4))
def test_greedy_with_skipping_leaves_nothing_affordable_unfunded(election, threshold):
    outcome = greedy(election, threshold=threshold)
    left = election.budget - outcome.cost
    scores = support_of(election).scores
    for position, project in enumerate(election.projects):
        if project.project_id not in outcome.selected and scores[position] >= threshold:
            assert project.cost > left


@FAST
@given(approval_elections())
def test_equal_shares_never_charges_a_voter_more_than_their_budget(election):
    outcome = equal_shares(election, completion=False)
    if election.num_voters == 0:
        assert outcome.selected == []
        return
    money_left = outcome.details["money_left"]
    voter_budget = float(outcome.voter_budget)
    tolerance = 1e-9 * max(1.0, voter_budget)
    assert np.all(money_left >= -tolerance)
    assert np.all(money_left <= voter_budget + tolerance)
    spent = float(np.sum(voter_budget - money_left))
    funded = float(
        sum(e.cost for e in outcome.explanations.values() if e.phase is Phase.EQUAL_SHARES and e.funded)
    )
    assert spent == pytest.approx(funded, rel=1e-9, abs=tolerance * len(money_left))
    # and what the voters were given in total never exceeds the real budget by more than Add1's last step
    assert outcome.cost <= election.budget


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(approval_elections(max_voters=12, max_projects=6, large=False), st.integers(10, 40))
def test_skipping_add1_runs_gives_the_same_result_as_running_every_one(election, scale):
    # Larger amounts mean many more Add1 steps, which is when skipping them matters.
    election = make_election(
        election.budget * scale,
        {p.project_id: p.cost * scale for p in election.projects},
        [election.ballot(v).projects for v in range(election.num_voters)],
    )
    support = support_of(election)
    fast = add1(election, support)
    slow = add1(election, support, skip=False)
    assert (fast.selected, fast.voter_budget) == (slow.selected, slow.voter_budget)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(approval_elections(max_voters=20, max_projects=7, large=False))
def test_exact_arithmetic_alone_gives_the_same_outcome_as_floats_with_error_bounds(election):
    # Every quote refused as too close to call in floats: every offer, tie and share is then worked out in
    # exact integer arithmetic, which must agree with the float path (bounds, exhausted voters, splits).
    support = support_of(election)
    floats = add1(election, support, skip=False)

    def too_close(*_args, **_kwargs):
        raise TooClose

    with patch.object(Engine, "quote", too_close):
        exact = add1(election, support, skip=False)
    assert (exact.selected, exact.voter_budget) == (floats.selected, floats.voter_budget)


# -- agreement with pabutools ----------------------------------------------------------------------------------


def _pabutools_outcomes(election: Election, rules: tuple[str, ...]) -> dict[str, list[str]]:
    """Selected ids (sorted) from pabutools 1.2.3, cost satisfaction, default tie-breaking."""
    pabutools = pytest.importorskip("pabutools")
    from pabutools.election import ApprovalBallot, ApprovalProfile, Cost_Sat, Instance
    from pabutools.election import Project as PabutoolsProject
    from pabutools.rules import (
        completion_by_rule_combination,
        greedy_utilitarian_welfare,
        method_of_equal_shares,
        sequential_phragmen,
    )

    instance = Instance(budget_limit=election.budget)
    projects = {p.project_id: PabutoolsProject(p.project_id, p.cost) for p in election.projects}
    for project in projects.values():
        instance.add(project)
    profile = ApprovalProfile(
        [
            ApprovalBallot([projects[p] for p in election.ballot(v).projects])
            for v in range(election.num_voters)
        ]
    )
    mes = {"sat_class": Cost_Sat, "voter_budget_increment": 1}
    answers = {
        "greedy": lambda: greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat),
        "mes-only": lambda: method_of_equal_shares(instance, profile, **mes),
        "mes-add1": lambda: completion_by_rule_combination(
            instance,
            profile,
            [method_of_equal_shares, greedy_utilitarian_welfare],
            [mes, {"sat_class": Cost_Sat}],
        ),
        "phragmen": lambda: sequential_phragmen(instance, profile),
    }
    del pabutools
    return {rule: sorted(p.name for p in answers[rule]()) for rule in rules}


def _ours(election: Election, rules: tuple[str, ...]) -> dict[str, list[str]]:
    mes = equal_shares(election) if "mes-add1" in rules or "mes-only" in rules else None
    answers = {
        "greedy": lambda: greedy(election).selected,
        "mes-only": lambda: mes.selected_in(Phase.EQUAL_SHARES),
        "mes-add1": lambda: mes.selected,
        "phragmen": lambda: phragmen(election).selected,
    }
    return {rule: sorted(answers[rule]()) for rule in rules}


def _compare(
    election: Election, rules: tuple[str, ...] = ("greedy", "mes-only", "mes-add1", "phragmen")
) -> None:
    ours, theirs = _ours(election, rules), _pabutools_outcomes(election, rules)
    if any(p.cost == 0 for p in election.projects) and "mes-only" in rules:
        # We fund supported projects that cost nothing during Equal Shares; pabutools leaves them to completion.
        del ours["mes-only"], theirs["mes-only"]
    assert ours == theirs


@pytest.mark.parametrize("name", ["approval.pb", "choose1.pb", "crlf_multiline.pb"])
def test_same_results_as_pabutools_on_the_fixtures(name):
    _compare(parse_file(FIXTURES / name))


@pytest.mark.parametrize(
    ("costs", "ballots", "budget", "rules"),
    [
        # exact ties and supporters who can only just pay, where floats go wrong
        (
            {"p0": 700000000000000001, "p1": 700000000000000003, "p2": 100000000000000005},
            [["p0", "p1", "p2"], ["p0", "p2"], ["p0", "p2"]],
            1100000000000000008,
            ("greedy", "mes-only", "mes-add1", "phragmen"),
        ),
        (
            {"p0": 100000000000000000, "p1": 300000000000000005, "p2": 300000000000000002},
            [["p0"], ["p0", "p2"], ["p0", "p1", "p2"], ["p0"], ["p0", "p2"]],
            600000000000000008,
            ("greedy", "mes-only", "mes-add1", "phragmen"),
        ),
        # pabutools' Add1 would need 5 * 10**16 runs here, so only the other rules are compared.
        ({"a": 10**17 + 1, "b": 10**17}, [["a"], ["b"]], 10**17 + 1, ("greedy", "phragmen")),
    ],
)
def test_same_results_as_pabutools_on_near_ties(costs, ballots, budget, rules):
    _compare(make_election(budget, costs, ballots), rules)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(approval_elections(max_voters=15, max_projects=6, large=False))
def test_same_results_as_pabutools_on_random_elections(election):
    pytest.importorskip("pabutools")
    _compare(election)


# -- ranks and points: greedy by score is pabutools' utilitarian greedy with the matching satisfaction ---------


def _pabutools_greedy_by_score(election: Election) -> list[str]:
    """pabutools' ``greedy_utilitarian_welfare`` orders projects by satisfaction per unit of cost. With a voter's
    satisfaction from a project equal to its score on their ballot times its cost (points for cumulative and
    scoring ballots, k for the first of k ranked projects down to 1 for the last), that order is by score: the
    greedy count by points or by Borda score that budgets with ranked and points ballots use."""
    pytest.importorskip("pabutools")
    from pabutools.election import (
        AdditiveSatisfaction,
        CardinalBallot,
        CardinalProfile,
        Instance,
        OrdinalBallot,
        OrdinalProfile,
    )
    from pabutools.election import Project as PabutoolsProject
    from pabutools.rules import greedy_utilitarian_welfare

    instance = Instance(budget_limit=election.budget)
    projects = {p.project_id: PabutoolsProject(p.project_id, p.cost) for p in election.projects}
    for project in projects.values():
        instance.add(project)
    ballots = [election.ballot(v) for v in range(election.num_voters)]
    if election.vote_type == "ordinal":
        profile = OrdinalProfile([OrdinalBallot([projects[p] for p in b.projects]) for b in ballots])

        def score(_instance, _profile, ballot, project, _precomputed):
            return (len(ballot) - ballot.position(project)) * project.cost if project in ballot else 0

    else:
        profile = CardinalProfile(
            [
                CardinalBallot({projects[p]: x for p, x in zip(b.projects, b.points or (), strict=True)})
                for b in ballots
            ]
        )

        def score(_instance, _profile, ballot, project, _precomputed):
            return ballot.get(project, 0) * project.cost

    class ScoreTimesCost(AdditiveSatisfaction):
        def __init__(self, instance, profile, ballot):
            super().__init__(instance, profile, ballot, score)

    return sorted(p.name for p in greedy_utilitarian_welfare(instance, profile, sat_class=ScoreTimesCost))


@st.composite
def ranked_or_points_elections(draw) -> Election:
    vote_type = draw(st.sampled_from(["ordinal", "cumulative", "scoring"]))
    ids = [f"p{i}" for i in range(draw(st.integers(1, 6)))]
    costs = {project_id: draw(st.integers(1, 60)) for project_id in ids}
    ballots = []
    for _ in range(draw(st.integers(1, 15))):
        chosen = draw(st.permutations(ids).map(lambda order: order[: draw(st.integers(0, len(ids)))]))
        if vote_type == "ordinal":
            ballots.append(chosen)
        else:
            ballots.append({project_id: draw(st.integers(0, 5)) for project_id in chosen})
    return make_election(draw(st.integers(0, 200)), costs, ballots, vote_type=vote_type)


@FAST
@given(ranked_or_points_elections())
def test_greedy_by_points_or_borda_score_agrees_with_pabutools(election):
    assert sorted(greedy(election).selected) == _pabutools_greedy_by_score(election)


def test_greedy_uses_the_ranks_and_the_points():
    """Swapping two ranks, or moving points between projects, changes what a greedy count funds."""
    costs = {"x": 10, "y": 10}
    first = make_election(10, costs, [["x", "y"], ["x", "y"], ["y", "x"]], vote_type="ordinal")
    swapped = make_election(10, costs, [["y", "x"], ["y", "x"], ["x", "y"]], vote_type="ordinal")
    assert greedy(first).selected == ["x"] and greedy(swapped).selected == ["y"]
    points = make_election(10, costs, [{"x": 4, "y": 1}, {"y": 2}], vote_type="cumulative")
    moved = make_election(10, costs, [{"x": 1, "y": 4}, {"y": 2}], vote_type="cumulative")
    assert greedy(points).selected == ["x"] and greedy(moved).selected == ["y"]
