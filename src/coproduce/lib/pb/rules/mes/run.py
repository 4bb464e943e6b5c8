"""One run of Equal Shares at a fixed voter budget, and its shadows at higher budgets (for skipping Add1 runs)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from functools import partial
from typing import NamedTuple

import numpy as np

from coproduce.lib.pb.election import Election, row_sums
from coproduce.lib.pb.rules.mes.arithmetic import (
    EPS,
    SMALL,
    exact_share_of_integers,
    float_share,
    weighted_sum,
)
from coproduce.lib.pb.rules.support import Support, VoterGroups, group_voters

NOT_FUNDED = np.iinfo(np.int32).max
dot = np.dot


@dataclass(frozen=True)
class EqualSharesRun:
    """The outcome of one run at a fixed voter budget: projects in order, and voters' money left (floats)."""

    voter_budget: Fraction
    selected: list[int]
    money_left: np.ndarray
    stable_for: Fraction = Fraction(0)  # the same outcome for voter budgets up to this much higher


class Offer(NamedTuple):
    """What each supporter of ``project`` would pay now ("share"), and rho = share / cost, with error bounds."""

    project: int
    rho: float
    rho_error: float
    share: float
    share_error: float
    exact_share: Fraction | None = None
    exact_rho: Fraction | None = None

    @classmethod
    def exact(cls, project: int, share: Fraction, cost: Fraction) -> Offer:
        as_float = float(share)
        rho = share / cost
        return cls(project, float(rho), 2 * EPS * float(rho), as_float, 2 * EPS * as_float, share, rho)

    @classmethod
    def split(cls, project: int, cost: Fraction, cost_float: float, payers: int) -> Offer:
        """``payers`` supporters pay cost / payers each (exactly); rho is 1 / payers. Cheaper than exact()."""
        share = cost_float / payers  # cost_float and the division each round by at most half an ulp
        rho = 1.0 / payers
        return cls(project, rho, 2 * EPS * rho, share, 2 * EPS * share, cost / payers, Fraction(1, payers))


class Engine:
    """What does not change between Add1 runs: costs, supporters, tie-break order, projects considered.

    Runs work on groups of voters with identical ballots (their money is always the same), each weighted by
    its number of voters.
    """

    def __init__(self, election: Election, support: Support) -> None:
        self.support = support
        self.groups = group_voters(support)
        self.costs = [p.cost for p in election.projects]
        self.costs_float = [float(c) for c in self.costs]
        # costs and budget as whole multiples of one unit, so that sums of costs are int sums
        self.unit = Fraction(1, math.lcm(*(c.denominator for c in self.costs), election.budget.denominator))
        self.cost_units = [int(c / self.unit) for c in self.costs]
        self.budget_units = int(election.budget / self.unit)
        ids = [p.project_id for p in election.projects]
        self.tie_rank = np.empty(len(ids), dtype=np.int64)
        self.tie_rank[sorted(range(len(ids)), key=ids.__getitem__)] = np.arange(len(ids))
        approvals = support.approvals
        self.considered = [p for p in range(support.num_projects) if approvals[p] > 0]
        self.free = [p for p in self.considered if self.costs[p] == 0]
        self.priced = [p for p in self.considered if self.costs[p] > 0]
        self.supporters = [self.groups.supporters(p) for p in range(support.num_projects)]
        self.weights = [self.groups.weights[groups].astype(np.float64) for groups in self.supporters]
        self.voters = [int(n) for n in approvals]
        self.small = [n < SMALL for n in self.voters]  # np.dot directly, without weighted_sum's own check
        # rounding allowances of sums over each project's supporters
        self.sum_rounding = [(4 + math.log2(n + 1)) * EPS for n in self.voters]
        self.share_rounding = [(8 + 2 * math.log2(n + 1)) * EPS for n in self.voters]
        self.lowest_rho = [(1 - 4 * EPS) / max(1, n) for n in self.voters]  # when all supporters can pay
        self.overlap = _overlap(self.groups, support.num_projects)

    def run(self, voter_budget: Fraction, horizons: list[Fraction]) -> EqualSharesRun:
        return Run(self, voter_budget, horizons).result()

    def per_voter(self, run: EqualSharesRun) -> EqualSharesRun:
        """The run with money left per voter rather than per group."""
        money = run.money_left[self.groups.group_of_voter] if len(run.money_left) else run.money_left
        return EqualSharesRun(run.voter_budget, run.selected, money, run.stable_for)

    def cost_of(self, selected: list[int]) -> int:
        """Total cost of ``selected``, in units of ``self.unit``."""
        units = self.cost_units
        return sum(units[p] for p in selected)

    def over_budget(self, selected: list[int]) -> bool:
        return self.cost_of(selected) > self.budget_units

    def is_exhaustive(self, selected: list[int]) -> bool:
        """No project Equal Shares considers is left out that would still fit the budget."""
        chosen = set(selected)
        left = self.budget_units - self.cost_of(selected)
        units = self.cost_units
        return not any(p not in chosen and units[p] <= left for p in self.considered)

    def quote(
        self, p: int, money: np.ndarray, error: float, exhausted: np.ndarray | None = None
    ) -> Offer | None:
        """p's offer given its supporters' money (each known to within ``error``); None if surely unaffordable.

        ``exhausted`` is 1.0 for the groups (all of them, not only p's supporters) known to have exactly nothing
        left: when they are exactly the supporters who cannot pay the share, the share is exactly
        cost / (the others). Raises :class:`TooClose` when the money only just covers the cost, for the caller
        to settle exactly.
        """
        cost = self.costs_float[p]
        weights = self.weights[p]
        n = self.voters[p]
        total = float(dot(money, weights)) if self.small[p] else weighted_sum(money, weights)
        rounding = self.sum_rounding[p] * (total + cost)
        if total < cost - n * error - rounding:
            return None  # surely unaffordable, even allowing every supporter the largest error
        gone = 0  # exhausted groups hold exactly 0 in floats too: no rounding error to allow for them
        if exhausted is not None:  # 0/1 times whole numbers of voters: the float sum is exact
            flags = exhausted[self.supporters[p]]
            gone = int(dot(flags, weights) if self.small[p] else weighted_sum(flags, weights))
        slack = (n - gone) * error + rounding
        if total < cost - slack:
            return None
        if total <= cost + slack:
            raise TooClose
        share, poor, near = float_share(money, weights, n, cost, error)
        if poor == 0 and near == 0:  # everyone pays the same: the share is exactly cost / supporters
            return Offer.split(p, self.costs[p], cost, n)
        if near == 0 and gone == poor:
            # exhausted groups have exactly 0 < share, so they are among the poor: the two sets are equal
            return Offer.split(p, self.costs[p], cost, n - poor)
        rich = max(1, n - poor - near)
        # the poor pay what they have; only those not exhausted carry an error into what is left for the rich
        share_error = ((poor - gone + near) * error + self.share_rounding[p] * cost) / rich + 2 * EPS * share
        rho = share / cost
        return Offer(p, rho, share_error / cost + 2 * EPS * rho, share, share_error)


class TooClose(Exception):
    """Supporters' money and a project's cost are too close to compare in floats."""


def _at_or_above(horizon: Fraction, shadow: Shadow) -> bool:
    return shadow.horizon >= horizon


@dataclass(eq=False)
class Shadow:
    """The same run, replayed at a higher voter budget, to certify that the decisions hold up to it.

    For a fixed sequence of purchases, more money per voter never leaves anyone with less money, and never
    raises a project's rho (induction: each share is the smallest q with sum(min(money, q)) = cost). So over
    voter budgets from the run's own to the shadow's, every rho lies between its value in the run and its value
    in the shadow. A round's winner therefore wins at every budget in between if its rho in the run is below
    every other project's rho in the shadow (ties: exactly equal and the winner's id sorts first); a project
    out of reach in the run stays out if it is out of reach in the shadow too. ``far_bound`` keeps lower bounds
    on each project's rho in the shadow, valid for the rest of the run because money only goes down.
    """

    horizon: Fraction
    money: np.ndarray
    error: float
    far_bound: np.ndarray
    far_exact: dict[int, Fraction] = field(default_factory=dict)
    winner: Offer | None = None  # this round's winner, quoted with the shadow's money

    def bound(self, engine: Engine, p: int) -> None:
        """Tighten p's rho bound from the shadow's current money."""
        try:
            offer = engine.quote(p, self.money[engine.supporters[p]], self.error)
        except TooClose:
            return  # keep the weaker bound
        if offer is None:
            self.far_bound[p] = math.inf
        else:
            self.far_bound[p] = max(self.far_bound[p], (offer.rho - offer.rho_error) * (1 - 4 * EPS))
            if offer.exact_rho is not None:
                self.far_exact[p] = offer.exact_rho

    def cannot_beat(self, engine: Engine, p: int, winner: Offer) -> bool:
        """Is p's rho, anywhere up to the shadow's budget, surely above the winner's (or tied and after it)?"""
        if self.far_bound[p] > winner.rho + winner.rho_error:
            return True
        exact = self.far_exact.get(p)
        if exact is None or winner.exact_rho is None:
            return False
        return exact > winner.exact_rho or (
            exact == winner.exact_rho and engine.tie_rank[winner.project] < engine.tie_rank[p]
        )

    def out_of_reach(self, engine: Engine, p: int) -> bool:
        try:
            return engine.quote(p, self.money[engine.supporters[p]], self.error) is None
        except TooClose:
            return False

    def quote_winner(self, engine: Engine, p: int) -> bool:
        """Quote the round's winner in the shadow; False if that cannot be done reliably in floats."""
        try:
            self.winner = engine.quote(p, self.money[engine.supporters[p]], self.error)
        except TooClose:
            self.winner = None
        return self.winner is not None

    def fund(self, engine: Engine, p: int) -> bool:
        """Make the same purchase in the shadow; False if that cannot be done reliably in floats."""
        if (self.winner is None or self.winner.project != p) and not self.quote_winner(engine, p):
            return False
        assert self.winner is not None
        offer, self.winner = self.winner, None
        voters = engine.supporters[p]
        money = self.money[voters]
        money -= offer.share
        np.maximum(money, 0.0, out=money)
        self.money[voters] = money
        self.error += offer.share_error + 2 * EPS * float(self.money.max(initial=0.0))
        return True


class Run:
    """One run of Equal Shares at a fixed voter budget, optionally with shadows at higher budgets."""

    def __init__(self, engine: Engine, voter_budget: Fraction, horizons: list[Fraction]) -> None:
        self.engine = engine
        self.voter_budget = voter_budget
        self.budget_float = float(voter_budget)
        support = engine.support
        num_groups = engine.groups.num_groups
        self.money = np.full(num_groups, self.budget_float)
        # |money[i] - exact money of voter i| <= self.error for every voter, at all times.
        self.error = 2 * EPS * self.budget_float
        self.selected: list[int] = []
        self.step_of = np.full(support.num_projects, NOT_FUNDED, dtype=np.int64)
        self.exact_shares: dict[int, Fraction] = {}  # step -> exact amount each supporter was asked to pay
        self.lower_bound = list(engine.lowest_rho)  # lower bound on each project's rho, now and later
        # An offer stays exact until a project sharing a supporter with it is bought.
        self.offers: list[Offer | None] = [None] * support.num_projects
        self.offer_step = [0] * support.num_projects
        self.touched = np.full(support.num_projects, -1, dtype=np.int64)
        self.exhausted = np.zeros(num_groups)  # 1.0 for groups known to have exactly nothing left, else 0.0
        self.shadows = [
            Shadow(
                h,
                np.full(num_groups, float(voter_budget + h)),
                2 * EPS * float(voter_budget + h),
                np.array(engine.lowest_rho),
            )
            for h in sorted(horizons)
        ]

    def result(self) -> EqualSharesRun:
        engine = self.engine
        alive = list(engine.priced)
        for p in engine.free:
            self._fund(Offer.exact(p, Fraction(0), Fraction(1)))
        while alive:
            offer = self._round(alive)
            if offer is None:
                break
            alive.remove(offer.project)
            self._certify(offer, alive)
            self._fund(offer)
        stable_for = self.shadows[-1].horizon if self.shadows else Fraction(0)
        return EqualSharesRun(self.voter_budget, self.selected, self.money, stable_for)

    # -- one round ---------------------------------------------------------------------------------------------

    def _round(self, alive: list[int]) -> Offer | None:
        """Find the project with the smallest rho (exactly), dropping projects its supporters cannot afford."""
        bounds = self.lower_bound
        best_upper = math.inf
        offers: list[Offer] = []
        for p in sorted(alive, key=bounds.__getitem__):
            if bounds[p] > best_upper:
                break  # rho only grows as money is spent, so p can neither beat nor tie the best any more
            offer = self._evaluate(p)
            if offer is None:
                alive.remove(p)
                if self.shadows:

                    def reachable(shadow: Shadow, p: int = p) -> bool:
                        return not shadow.out_of_reach(self.engine, p)

                    self._drop_shadows(reachable)
                continue
            bounds[p] = offer.rho - offer.rho_error
            best_upper = min(best_upper, offer.rho + offer.rho_error)
            offers.append(offer)
        close = [offer for offer in offers if offer.rho - offer.rho_error <= best_upper]
        if len(close) <= 1:
            return close[0] if close else None
        return self._settle_tie(close)

    def _evaluate(self, p: int) -> Offer | None:
        """What p's supporters would each pay now; None if they cannot afford it."""
        step = len(self.selected)
        cached = self.offers[p]
        if cached is not None and self.touched[p] < self.offer_step[p]:
            return cached  # none of p's supporters has paid for anything since
        voters = self.engine.supporters[p]
        try:
            offer = self.engine.quote(p, self.money[voters], self.error, self.exhausted)
        except TooClose:
            offer = self._exact_offer(p, step)
        self.offers[p], self.offer_step[p] = offer, step
        return offer

    def _settle_tie(self, close: list[Offer]) -> Offer:
        """Exact rho for each near-tied project; the smallest wins, then the id that sorts first."""
        step = len(self.selected)
        exact = []
        for offer in close:
            if offer.exact_share is None:
                found = self._exact_offer(offer.project, step)
                assert found is not None, "an affordable project became unaffordable in exact arithmetic"
                offer = found
            exact.append(offer)
        return min(exact, key=lambda offer: (offer.exact_rho, self.engine.tie_rank[offer.project]))

    def _fund(self, offer: Offer) -> None:
        p, share = offer.project, offer.share
        voters = self.engine.supporters[p]
        if share > 0:
            money = self.money[voters]
            paid_all = voters[money < share - offer.share_error - self.error]
            money = money - share
            np.maximum(money, 0.0, out=money)
            self.money[voters] = money
            self.exhausted[paid_all] = 1.0
        self.error += offer.share_error + 2 * EPS * self.budget_float
        step = len(self.selected)
        self.step_of[p] = step
        self.selected.append(p)
        self.touched[self.engine.overlap[p]] = step
        if offer.exact_share is not None:
            self.exact_shares[step] = offer.exact_share
        if share > 0 and self.shadows:
            self._drop_shadows(lambda shadow: not shadow.fund(self.engine, p))

    # -- shadows: certifying that higher voter budgets give the same run ---------------------------------------

    def _certify(self, winner: Offer, alive: list[int]) -> None:
        """Keep the shadows up to which no other project could beat this round's winner.

        Shadow i covers the voter budgets between shadow i - 1 (or the run itself) and its own: there the
        winner's rho is at most its rho in shadow i - 1, and every rival's at least its rho in shadow i.
        """
        if not self.shadows:
            return
        self._drop_shadows(lambda shadow: not shadow.quote_winner(self.engine, winner.project))
        candidates = np.array(alive, dtype=np.int64)
        ceiling = winner
        for shadow in list(self.shadows):
            threat = candidates[shadow.far_bound[candidates] <= ceiling.rho + ceiling.rho_error]
            for p in threat.tolist():
                if not shadow.cannot_beat(self.engine, p, ceiling):
                    shadow.bound(self.engine, p)
                    if not shadow.cannot_beat(self.engine, p, ceiling):
                        self._drop_shadows(partial(_at_or_above, shadow.horizon))
                        return
            assert shadow.winner is not None
            ceiling = shadow.winner

    def _drop_shadows(self, fails: Callable[[Shadow], bool]) -> None:
        """Drop the first shadow that ``fails`` and every higher one (what fails at a budget fails above it)."""
        for index, shadow in enumerate(self.shadows):
            if fails(shadow):
                del self.shadows[index:]
                return

    # -- exact arithmetic, only for close calls ----------------------------------------------------------------

    def _exact_offer(self, p: int, step: int) -> Offer | None:
        """p's offer computed exactly from the money its supporters had before funding step ``step``."""
        share = self._exact_share(p, step)
        return None if share is None else Offer.exact(p, share, self.engine.costs[p])

    def _exact_share(self, p: int, step: int) -> Fraction | None:
        """Smallest q with sum(min(money, q)) == cost of p over its supporters before step ``step``, exactly.

        Money is ``max(0, voter_budget - shares of the funded projects a group supports)``. All amounts are
        whole multiples of 1 / D, with D the common denominator of the voter budget, the costs and the exact
        shares of earlier steps, so the sums and comparisons are on Python integers, not Fractions.
        """
        groups, engine = self.engine.groups, self.engine
        voters = engine.supporters[p]
        weights = groups.weights[voters]
        starts = groups.indptr[voters]
        lengths = groups.indptr[voters + 1] - starts
        total = int(lengths.sum())
        first = np.cumsum(lengths) - lengths
        positions = np.repeat(starts - first, lengths) + np.arange(total)
        steps = self.step_of[groups.projects[positions]]
        steps = np.where(steps < step, steps, step)  # not funded before `step`: the 0 at the end
        # exact shares of the earlier steps these voters paid for (memoised), and 0 for the rest
        shares = [Fraction(0)] * step
        for s in np.unique(steps[steps < step]).tolist():
            shares[s] = self._exact_step_share(s)
        denominator = math.lcm(
            engine.unit.denominator, self.voter_budget.denominator, *{q.denominator for q in shares}
        )
        as_int = np.array([q.numerator * (denominator // q.denominator) for q in shares] + [0], dtype=object)
        indptr = np.concatenate(([0], np.cumsum(lengths)))
        spent = row_sums(as_int[steps], indptr) if total else np.zeros(len(voters), dtype=object)
        budget = self.voter_budget.numerator * (denominator // self.voter_budget.denominator)
        money = np.maximum(budget - spent, 0)
        cost = engine.costs[p]
        return exact_share_of_integers(
            money, weights, cost.numerator * (denominator // cost.denominator), denominator
        )

    def _exact_step_share(self, step: int) -> Fraction:
        """The exact share asked of each supporter of the project funded at ``step`` (computed once)."""
        if step not in self.exact_shares:
            share = self._exact_share(self.selected[step], step)
            assert share is not None, "a funded project was unaffordable in exact arithmetic"
            self.exact_shares[step] = share
        return self.exact_shares[step]


def _overlap(groups: VoterGroups, num_projects: int) -> np.ndarray:
    """overlap[p, q]: do p and q have a supporter in common (so buying p can change q's offer)?

    Every pair of projects on one ballot overlaps; pairs are generated a slice of ballots at a time.
    """
    overlap = np.zeros((num_projects, num_projects), dtype=bool)
    lengths = np.diff(groups.indptr)
    chunk_start = 0
    while chunk_start < groups.num_groups:
        # about a million pairs per slice keeps memory small whatever the ballots' lengths
        pairs = np.cumsum(lengths[chunk_start:] ** 2)
        chunk_end = chunk_start + max(1, int(np.searchsorted(pairs, 1_000_000)))
        _mark_pairs(overlap, groups, lengths, chunk_start, min(chunk_end, groups.num_groups))
        chunk_start = chunk_end
    return overlap


def _mark_pairs(overlap: np.ndarray, groups: VoterGroups, lengths: np.ndarray, first: int, last: int) -> None:
    start, end = groups.indptr[first], groups.indptr[last]
    chunk_lengths = lengths[first:last]
    projects = groups.projects[start:end]
    row_start = np.repeat(groups.indptr[first:last] - start, chunk_lengths)  # per mark: its ballot's start
    partners = np.repeat(chunk_lengths, chunk_lengths)  # per mark: how many projects on its ballot
    left = np.repeat(projects, partners)
    offsets = np.arange(int(partners.sum())) - np.repeat(np.cumsum(partners) - partners, partners)
    right = projects[np.repeat(row_start, partners) + offsets]
    overlap[left, right] = True
