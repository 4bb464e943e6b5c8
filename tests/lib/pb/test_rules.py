"""The rules on small elections worked out by hand, their explanations, and exact arithmetic on near ties."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from coproduce.lib.pb import (
    Phase,
    Reason,
    equal_shares,
    greedy,
    make_election,
    parse_file,
    phragmen,
    run_rule,
    voters_with_a_funded_project,
)

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def riverside():
    """6 voters want the three a-projects, 4 want the two b-projects; one wants c1 too, one wants only c1.

    Budget 100,000, so each voter's equal share starts at 8,333.33.
    """
    return parse_file(FIXTURES / "approval.pb")


def test_greedy_funds_by_votes_and_skips_what_does_not_fit(riverside):
    outcome = greedy(riverside)
    # a1, a2, a3 (6 votes each) cost 90,000; b1 and b2 (4 votes) do not fit in 10,000; c1 (5,000.50) does.
    assert outcome.selected == ["a1", "a2", "a3", "c1"]
    assert outcome.cost == Fraction("95000.50")
    b1 = outcome.explanations["b1"]
    assert (b1.reason, b1.left, b1.score) == (Reason.DID_NOT_FIT, 10000, 4)
    assert outcome.explanations["a3"].position == 3
    assert outcome.explanations["a3"].left == 10000


def test_greedy_without_skipping_stops_at_the_first_project_that_does_not_fit(riverside):
    outcome = greedy(riverside, skip=False)
    assert outcome.selected == ["a1", "a2", "a3"]
    assert outcome.explanations["b1"].reason is Reason.DID_NOT_FIT
    assert outcome.explanations["c1"].reason is Reason.NOT_REACHED


def test_greedy_threshold(riverside):
    outcome = greedy(riverside, threshold=5)
    assert outcome.selected == ["a1", "a2", "a3"]
    explanation = outcome.explanations["c1"]
    assert (explanation.reason, explanation.score, explanation.threshold) == (Reason.BELOW_THRESHOLD, 2, 5)


def test_equal_shares_gives_the_minority_its_share(riverside):
    outcome = equal_shares(riverside)
    # With 8,333.33 each: a1 (the six pay 5,000 each), b1 (the four pay 7,500), c1; a2 needs the six to have
    # 5,000 left after a1, i.e. 10,000 each. Add1 raises the share 1 pound at a time: at 10,000.33 the outcome
    # a1, a2, b1, c1 costs 95,000.50 and nothing else fits, so that is the result.
    assert outcome.selected == ["a1", "a2", "b1", "c1"]
    assert outcome.voter_budget == Fraction(100000, 12) + 1667
    assert outcome.selected_in(Phase.EQUAL_SHARES) == outcome.selected
    a3 = outcome.explanations["a3"]
    assert a3.reason is Reason.SHARES_RAN_OUT
    assert a3.supporters_money == 2  # six voters with 0.33 each
    assert a3.left == Fraction("4999.50")  # and completion found only that much left


def test_equal_shares_without_supporters_money_left_for_a_project_nobody_supports():
    election = make_election(100, {"wanted": 40, "unwanted": 10}, [["wanted"], ["wanted"]])
    outcome = equal_shares(election)
    assert outcome.selected == ["wanted", "unwanted"]  # completion funds what fits, as pabutools does
    assert outcome.explanations["unwanted"].phase is Phase.COMPLETION
    assert equal_shares(election, completion=False).selected == ["wanted"]


def test_phragmen_by_hand(riverside):
    # Loads: c1 is bought first at 2,500.25 (two supporters), then a1 at 5,000, b1 at 8,125.06, a2 at 10,000;
    # a3 would be next (15,000) and does not fit, so the rule stops.
    outcome = phragmen(riverside)
    assert outcome.selected == ["c1", "a1", "b1", "a2"]
    assert outcome.explanations["a3"].reason is Reason.DID_NOT_FIT
    assert outcome.explanations["b2"].reason is Reason.NOT_REACHED


def test_phragmen_stops_rather_than_skipping():
    election = make_election(
        10, {"big": 8, "small": 2, "huge": 11}, [["big"], ["big"], ["small"], ["big", "huge"]]
    )
    # big: 8/3 = 2.67, small: 2/1 = 2 -> small first; then big (2.67), total 10; "huge" costs more than the budget.
    assert phragmen(election).selected == ["small", "big"]
    assert phragmen(election).explanations["huge"].reason is Reason.DID_NOT_FIT


def test_every_project_is_explained_once(riverside):
    for rule in ("greedy", "greedy-no-skip", "mes-add1", "phragmen"):
        outcome = run_rule(riverside, rule)
        assert set(outcome.explanations) == {p.project_id for p in riverside.projects}
        funded = [pid for pid, e in outcome.explanations.items() if e.funded]
        assert sorted(funded) == sorted(outcome.selected)
        assert outcome.cost == sum(e.cost for e in outcome.explanations.values() if e.funded)


def test_voters_with_a_funded_project(riverside):
    assert voters_with_a_funded_project(riverside, greedy(riverside).selected) == 8  # a-voters, v09, v12
    assert voters_with_a_funded_project(riverside, equal_shares(riverside).selected) == 11  # all but v11
    assert voters_with_a_funded_project(riverside, []) == 0


def test_other_ballot_types_are_scored_as_documented():
    ordinal = parse_file(FIXTURES / "ordinal.pb")
    # Borda within each ballot: y gets 2 + 3 + 1 = 6; x and z get 5 each, and x sorts first.
    assert greedy(ordinal).selected == ["y", "x"]
    assert [int(e.score) for e in map(greedy(ordinal).explanations.get, "xyz")] == [5, 6, 5]
    cumulative = parse_file(FIXTURES / "cumulative.pb")
    assert greedy(cumulative).selected == ["k", "l"]  # 9 and 4 points; m (2 points) does not fit
    # Equal Shares reads points as approval of the projects that got any: k (3 voters), m (2), l (2).
    assert equal_shares(cumulative).selected == ["k", "m"]
    scoring = parse_file(FIXTURES / "scoring.pb")
    assert greedy(scoring).explanations["s3"].score == 16  # 0 + 7 + 9


# -- exact arithmetic ------------------------------------------------------------------------------------------


def test_exact_tie_is_broken_by_id_not_by_float_rounding():
    # Both p0 and p2 are wanted by all three voters, so each has rho exactly 1/3 and p0 wins the tie by id.
    # In floats (cost / 3) / cost comes out as 0.33333333333333337 for p0 and 0.3333333333333333 for p2,
    # which would wrongly put p2 first.
    costs = {"p0": 700000000000000001, "p1": 700000000000000003, "p2": 100000000000000005}
    ballots = [["p0", "p1", "p2"], ["p0", "p2"], ["p0", "p2"]]
    p0, p2 = float(costs["p0"]), float(costs["p2"])
    assert (p0 / 3) / p0 > (p2 / 3) / p2
    election = make_election(1100000000000000008, costs, ballots)
    assert equal_shares(election, completion=False).selected == ["p0", "p2"]


def test_supporters_who_can_only_just_afford_a_project_get_it():
    # After p0 everyone has 100000000000000001.6 left; p2's three supporters together have exactly
    # 300000000000000004.8 >= 300000000000000002. In floats their money rounds to 3e17 and p2 looks unaffordable.
    costs = {"p0": 100000000000000000, "p1": 300000000000000005, "p2": 300000000000000002}
    ballots = [["p0"], ["p0", "p2"], ["p0", "p1", "p2"], ["p0"], ["p0", "p2"]]
    budget = 600000000000000008
    money = float(Fraction(budget, 5) - Fraction(costs["p0"], 5))
    assert 3 * money < costs["p2"]
    election = make_election(budget, costs, ballots)
    assert equal_shares(election, completion=False).selected == ["p0", "p2"]


def test_phragmen_near_tie_is_decided_exactly():
    # Costs 10**17 and 10**17 + 1 are the same float; the cheaper project must be bought first, then the other
    # one no longer fits.
    election = make_election(10**17 + 1, {"a": 10**17 + 1, "b": 10**17}, [["a"], ["b"]])
    assert float(10**17 + 1) == float(10**17)
    assert phragmen(election).selected == ["b"]


def test_greedy_on_a_cost_that_only_just_fits():
    election = make_election("0.3", {"a": "0.1", "b": "0.2"}, [["a"], ["b"], ["b"]])
    assert 0.1 + 0.2 > 0.3  # floats would say b and a together do not fit
    assert greedy(election).selected == ["b", "a"]


def test_voters_with_the_same_ballot_are_grouped_and_empty_ballots_kept_apart():
    from coproduce.lib.pb.rules.support import group_voters, support_of

    election = make_election(10, {"a": 1, "b": 1}, [["a"], [], ["a", "b"], ["b", "a"], ["a"], []])
    groups = group_voters(support_of(election))
    assert sorted(groups.weights.tolist()) == [2, 2, 2]
    members = {}
    for voter, group in enumerate(groups.group_of_voter.tolist()):
        members.setdefault(group, []).append(voter)
    assert sorted(members.values()) == [[0, 4], [1, 5], [2, 3]]


def test_a_trailing_empty_ballot_does_not_hide_the_previous_voters_choice():
    election = make_election(1, {"p0": 0, "p1": 1}, [["p0"], ["p0", "p1"], []])
    # Each voter has 1/3; p1's one supporter needs 1, which Add1 reaches at 4/3 per voter.
    assert equal_shares(election, completion=False).selected == ["p0", "p1"]
