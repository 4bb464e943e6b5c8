"""Sequential Phragmén, as pabutools 1.2.3's ``sequential_phragmen``.

Voters earn virtual money continuously, all at the same speed. A project is bought as soon as its supporters
together have earned its cost; buying it spends all their money ("load"). The rule stops as soon as the next
project to be bought would not fit the budget: it does not skip to cheaper projects. Projects nobody voted for
come last, in id order, as in pabutools. Projects costing more than the whole budget are never considered.

Each round compares "new max loads" ``(cost + supporters' current loads) / supporters``. Every voter's load is
one of the few times at which a project was bought, so exact loads are kept as those times (Fractions) and a
level per voter; floats pick the round's winner unless two values are within their rounding error, in which
case the exact values decide, including which projects are exactly tied.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from coproduce.lib.pb.election import Election
from coproduce.lib.pb.rules.greedy import explain
from coproduce.lib.pb.rules.outcome import Explanation, Outcome, Phase, Reason
from coproduce.lib.pb.rules.support import Support, support_of

EPS = float(np.finfo(np.float64).eps)


def phragmen(election: Election, *, support: Support | None = None) -> Outcome:
    """Run sequential Phragmén (ballots other than approval count as approval of every project on them)."""
    support = support or support_of(election)
    budget = election.budget
    costs = [p.cost for p in election.projects]
    ids = [p.project_id for p in election.projects]
    approvals = support.approvals
    remaining = [p for p in range(support.num_projects) if costs[p] <= budget]
    explanations: dict[str, Explanation] = {}
    for p in range(support.num_projects):
        if costs[p] > budget:
            explanations[ids[p]] = explain(
                election, support, p, Reason.DID_NOT_FIT, phase=Phase.PHRAGMEN, left=budget
            )

    times = [Fraction(0)]  # exact loads: voter v's load is times[level[v]]
    level = np.zeros(support.num_voters, dtype=np.int32)
    selected: list[str] = []
    spent = Fraction(0)
    while remaining:
        tied, time = _earliest(support, costs, approvals, remaining, times, level)
        if any(spent + costs[p] > budget for p in tied):
            for p in tied:
                reason = Reason.DID_NOT_FIT if spent + costs[p] > budget else Reason.NOT_REACHED
                explanations[ids[p]] = explain(
                    election, support, p, reason, phase=Phase.PHRAGMEN, left=budget - spent
                )
            break
        winner = min(tied, key=ids.__getitem__)
        remaining.remove(winner)
        spent += costs[winner]
        selected.append(ids[winner])
        explanations[ids[winner]] = explain(
            election,
            support,
            winner,
            Reason.FUNDED,
            phase=Phase.PHRAGMEN,
            position=len(selected),
            left=budget - spent,
        )
        if time is not None:
            times.append(time)
            level[support.supporters(winner)] = len(times) - 1
    for p in remaining:
        if ids[p] not in explanations:
            explanations[ids[p]] = explain(
                election, support, p, Reason.NOT_REACHED, phase=Phase.PHRAGMEN, left=budget - spent
            )
    return Outcome("phragmen", budget, selected, spent, explanations)


def _earliest(
    support: Support,
    costs: list[Fraction],
    approvals: np.ndarray,
    remaining: list[int],
    times: list[Fraction],
    level: np.ndarray,
) -> tuple[list[int], Fraction | None]:
    """The projects whose supporters can buy them earliest (all of them, if tied exactly), and that time.

    Projects without supporters can never be bought (their time is infinite); when only they remain they
    are all tied, and the time is None.
    """
    supported = [p for p in remaining if approvals[p] > 0]
    if not supported:
        return remaining, None
    time_floats = np.array([float(t) for t in times])
    loads = time_floats[level]
    candidates = np.array(supported)
    starts = support.project_indptr[candidates]
    ends = support.project_indptr[candidates + 1]
    load_sums = np.array(
        [loads[support.project_voters[s:e]].sum() for s, e in zip(starts, ends, strict=True)]
    )
    counts = (ends - starts).astype(np.float64)
    cost_floats = np.array([float(costs[p]) for p in supported])
    values = (load_sums + cost_floats) / counts
    errors = (8 + 2 * np.log2(counts + 1)) * EPS * (load_sums + cost_floats) / counts
    best_upper = float(np.min(values + errors))
    close = [
        p for p, v, e in zip(supported, values.tolist(), errors.tolist(), strict=True) if v - e <= best_upper
    ]
    exact = {p: _exact_time(support, p, costs[p], times, level) for p in close}
    earliest = min(exact.values())
    return [p for p in close if exact[p] == earliest], earliest


def _exact_time(
    support: Support, p: int, cost: Fraction, times: list[Fraction], level: np.ndarray
) -> Fraction:
    """(cost + supporters' exact loads) / supporters, counting supporters per load level."""
    voters = support.supporters(p)
    per_level = np.bincount(level[voters], minlength=len(times)).tolist()
    load = sum((times[k] * count for k, count in enumerate(per_level) if count and k), Fraction(0))
    return (cost + load) / len(voters)
