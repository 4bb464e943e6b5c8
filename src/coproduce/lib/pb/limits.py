"""Ballot limits a Pabulib META section may set (min_length, max_sum_cost, ...), checked on every ballot at once.

Sums of costs and points are compared exactly: numbers are scaled to integers (costs in cents stay exact), so
a ballot costing exactly max_sum_cost is never refused because of float rounding.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import NamedTuple

import numpy as np

from coproduce.lib.pb.election import Ballots, Project, format_number, parse_number, row_sums

# The words that explain a ballot breaking each limit.
LENGTH_LIMITS = {"min_length": "fewer than min_length", "max_length": "more than max_length"}
COST_LIMITS = {"min_sum_cost": "less than min_sum_cost", "max_sum_cost": "more than max_sum_cost"}
POINTS_LIMITS = {"min_sum_points": "fewer than min_sum_points", "max_sum_points": "more than max_sum_points"}
PER_PROJECT_POINTS_LIMITS = {
    "min_points": "fewer points to one project than min_points",
    "max_points": "more points to one project than max_points",
}
LIMIT_KEYS = (*LENGTH_LIMITS, *COST_LIMITS, *POINTS_LIMITS, *PER_PROJECT_POINTS_LIMITS)


class _Check(NamedTuple):
    broken: np.ndarray  # per ballot
    values: np.ndarray  # what each ballot has, as integers ...
    scale: int  # ... times 1 / scale
    message: str  # with {value} for the breaking ballot's value


def first_broken_ballot(
    ballots: Ballots, meta: dict[str, str], projects: list[Project]
) -> tuple[int, str] | None:
    """The first ballot (in file order) that breaks a limit, and what is wrong; None if all are fine."""
    checks = _length_checks(ballots, meta) + _cost_checks(ballots, meta, projects)
    if ballots.points is not None:
        checks += _points_checks(ballots, meta)
    failing = [(int(np.argmax(check.broken)), check) for check in checks if check.broken.any()]
    if not failing:
        return None
    voter, check = min(failing, key=lambda item: item[0])
    return voter, check.message.format(value=format_number(Fraction(int(check.values[voter]), check.scale)))


def _length_checks(ballots: Ballots, meta: dict[str, str]) -> list[_Check]:
    lengths = ballots.lengths
    checks = []
    if meta["vote_type"] == "choose-1":
        checks.append(
            _Check(lengths > 1, lengths, 1, "a choose-1 ballot names {value} projects, more than one")
        )
    for key, words in LENGTH_LIMITS.items():
        if meta.get(key):
            message = f"the ballot names {{value}} projects, {words} {meta[key]}"
            checks.append(_Check(_breaks(lengths, 1, key, meta), lengths, 1, message))
    return checks


def _cost_checks(ballots: Ballots, meta: dict[str, str], projects: list[Project]) -> list[_Check]:
    if not any(meta.get(key) for key in COST_LIMITS):
        return []
    costs, scale = _scaled([p.cost for p in projects])
    totals = _ballot_sums(ballots, costs[ballots.projects])
    return [
        _Check(
            _breaks(totals, scale, key, meta),
            totals,
            scale,
            f"the ballot costs {{value}}, {words} {meta[key]}",
        )
        for key, words in COST_LIMITS.items()
        if meta.get(key)
    ]


def _points_checks(ballots: Ballots, meta: dict[str, str]) -> list[_Check]:
    assert ballots.points is not None
    points, scale = _scaled(ballots.points.tolist())
    voter_of_mark = np.repeat(np.arange(len(ballots)), ballots.lengths)
    totals = _ballot_sums(ballots, points)
    checks = []
    if meta["vote_type"] == "cumulative":
        negative = _any_mark(len(ballots), voter_of_mark, points < 0)
        checks.append(_Check(negative, totals, scale, "a cumulative ballot gives negative points"))
    for key, words in POINTS_LIMITS.items():
        if meta.get(key):
            message = f"the ballot gives {{value}} points, {words} {meta[key]}"
            checks.append(_Check(_breaks(totals, scale, key, meta), totals, scale, message))
    for key, words in PER_PROJECT_POINTS_LIMITS.items():
        if meta.get(key):
            broken = _any_mark(len(ballots), voter_of_mark, _breaks(points, scale, key, meta))
            checks.append(_Check(broken, totals, scale, f"the ballot gives {words} {meta[key]}"))
    return checks


def _any_mark(num_ballots: int, voter_of_mark: np.ndarray, marks: np.ndarray) -> np.ndarray:
    broken = np.zeros(num_ballots, dtype=bool)
    broken[voter_of_mark[marks]] = True
    return broken


def _scaled(values: Sequence[Fraction | int | float | str]) -> tuple[np.ndarray, int]:
    """Exact numbers as integers times 1/scale: int64 when they fit, Python ints otherwise."""
    exact = [Fraction(v) for v in values]
    scale = math.lcm(1, *{v.denominator for v in exact})
    integers = [int(v * scale) for v in exact]
    if all(abs(v) < 2**40 for v in integers):
        return np.array(integers, dtype=np.int64), scale
    return np.array(integers, dtype=object), scale


def _ballot_sums(ballots: Ballots, per_mark: np.ndarray) -> np.ndarray:
    return row_sums(per_mark, ballots.indptr)


def _breaks(values: np.ndarray, scale: int, key: str, meta: dict[str, str]) -> np.ndarray:
    """Which values (integers times 1/scale) fall below a min_ or above a max_ limit, compared exactly."""
    limit = parse_number(meta[key])
    assert limit is not None
    if key.startswith("min"):
        return values < math.ceil(limit * scale)
    return values > math.floor(limit * scale)
