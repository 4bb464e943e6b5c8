"""Add1: rerun Equal Shares with every voter's budget raised by one unit until the outcome fills the budget."""

from __future__ import annotations

import math
import time
from fractions import Fraction

import numpy as np

from coproduce.lib.pb.election import Election
from coproduce.lib.pb.rules.mes.run import Engine, EqualSharesRun
from coproduce.lib.pb.rules.support import Support

__all__ = ["EqualSharesRun", "add1"]


def add1(
    election: Election, support: Support, increment: Fraction = Fraction(1), *, skip: bool = True
) -> EqualSharesRun:
    """Raise every voter's budget by ``increment`` until the outcome is exhaustive or no longer fits.

    Runs k = 0, 1, 2, ... as pabutools does; but when a run certifies that its outcome holds for voter budgets
    up to m increments higher, runs k + 1 .. k + m (same outcome, hence the same answers to "does it fit?" and
    "is it exhaustive?") are skipped. How far to try certifying adapts to how far it worked last time.
    ``skip=False`` runs every k, for checking.
    """
    budget = election.budget
    if support.num_voters == 0:
        return EqualSharesRun(Fraction(0), [], np.zeros(0))
    engine = Engine(election, support)
    start = budget / support.num_voters
    previous = EqualSharesRun(start, [], np.full(engine.groups.num_groups, float(start)))
    k, pace = 0, Pace(skip)
    while True:
        steps = pace.steps()
        started = time.perf_counter()
        run = engine.run(start + k * increment, [m * increment for m in steps])
        elapsed = time.perf_counter() - started
        if engine.over_budget(run.selected):
            if k and previous.voter_budget != start + (k - 1) * increment:  # same outcome; pabutools' state
                previous = engine.run(start + (k - 1) * increment, [])
            return engine.per_voter(previous)
        if engine.is_exhaustive(run.selected):
            return engine.per_voter(run)
        previous = run
        covered = int(run.stable_for / increment)  # runs k + 1 .. k + covered give this same outcome
        k += covered + 1
        pace.record(bool(steps), covered, elapsed)


class Pace:
    """Decides when Add1 tries to skip runs, and how far; the outcome never depends on it, only the speed.

    A run with shadows costs several plain runs. Aim the shadows a little beyond the last distance that could be
    certified; when what a shadowed run saved is less than what it cost, do plain runs for a while, twice as
    long each time it happens again, so that failed attempts cost little however long Add1 goes on.
    """

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.reach = 8  # the highest shadow, in increments
        self.plain_runs = 0  # plain runs to do before trying to skip again
        self.plain_cost: float | None = None
        self.backoff = 0

    def steps(self) -> list[int]:
        if not self.enabled or self.plain_runs:
            return []
        return sorted({max(1, self.reach >> shift) for shift in range(4)})

    def record(self, shadowed: bool, covered: int, seconds: float) -> None:
        if not shadowed:
            self.plain_cost = seconds if self.plain_cost is None else 0.8 * self.plain_cost + 0.2 * seconds
            self.plain_runs = max(0, self.plain_runs - 1)
            return
        if covered == self.reach:
            self.reach *= 4
        elif covered:
            self.reach = 2 * covered
        elif self.reach > 8:  # even reach / 8 was too far: aim much lower
            self.reach //= 16
        if self.plain_cost is None:
            self.plain_runs = 1  # measure what a plain run costs
        elif covered * self.plain_cost >= seconds - self.plain_cost:  # skipping saved more than it cost
            self.backoff = 0
        else:
            self.backoff = min(4096, max(2 * self.backoff, math.ceil(seconds / self.plain_cost)))
            self.plain_runs = self.backoff
