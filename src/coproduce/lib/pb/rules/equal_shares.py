"""The Method of Equal Shares with cost satisfaction, the Add1 budget increase and greedy completion.

This is the variant cities use (equalshares.net): every voter gets an equal share of the budget; a project is
bought by its supporters, each paying the same amount (or everything they have left, if less); each round buys
the project whose supporters pay the least per unit of cost ("rho"). Because that usually leaves money
unspent, the run is repeated with each voter's share raised by 1 (currency unit), and the last outcome that still
fits the real budget is kept ("Add1"). What is still left is then filled greedily by votes ("completion").

The steps replicate pabutools 1.2.3 exactly (``method_of_equal_shares(..., Cost_Sat, voter_budget_increment=1)``
then ``greedy_utilitarian_welfare``): run k uses a voter budget of budget/voters + k; stop at the first run
whose outcome costs more than the budget (keep run k-1, or nothing) or that is exhaustive among the projects
Equal Shares can consider (keep run k). Ties go to the project id that sorts first.

Speed and exactness: each run works on NumPy float arrays (voters' money, supporters per project) and keeps a
certified bound on its rounding error. A decision whose margin is within that bound (a near tie between two
projects, or supporters who can only just afford a project) is settled with exact fractions: a voter's exact
money is ``max(0, voter budget - shares of the funded projects they voted for)``, so it can be rebuilt from the
ballots and the exact share of each earlier purchase, grouping voters by which funded projects they supported.
A float near-tie therefore never changes a winner.

Add1 can need tens of thousands of runs (a budget in forints, 1 forint at a time) whose outcomes rarely change,
so a run can also certify that its decisions hold for higher voter budgets and let Add1 skip those runs; see
:class:`_Shadow`.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from coproduce.lib.pb.election import Election
from coproduce.lib.pb.rules.greedy import by_score, explain, fill
from coproduce.lib.pb.rules.outcome import Explanation, Outcome, Phase, Reason
from coproduce.lib.pb.rules.support import Support, group_voters, support_of

EPS = float(np.finfo(np.float64).eps)
NOT_FUNDED = np.iinfo(np.int32).max


@dataclass(frozen=True)
class EqualSharesRun:
    """The outcome of one run at a fixed voter budget: projects in order, and voters' money left (floats)."""

    voter_budget: Fraction
    selected: list[int]
    money_left: np.ndarray
    stable_for: Fraction = Fraction(0)  # the same outcome for voter budgets up to this much higher


def equal_shares(
    election: Election,
    *,
    completion: bool = True,
    increment: Fraction | int = 1,
    support: Support | None = None,
) -> Outcome:
    """Equal Shares + Add1 (+ greedy completion unless ``completion=False``), as cities run it.

    ``Outcome.selected_in(Phase.EQUAL_SHARES)`` is what Equal Shares chose before completion; that is what
    Swiecie 2023 and Assen 2024 funded. Projects that cost nothing are funded first (pabutools leaves them to
    the completion step, with the same final result).
    """
    support = support or support_of(election)
    budget = election.budget
    run = add1(election, support, Fraction(increment))
    explanations: dict[str, Explanation] = {}
    spent = Fraction(0)
    selected: list[str] = []
    for p in run.selected:
        spent += election.projects[p].cost
        selected.append(election.projects[p].project_id)
        explanations[selected[-1]] = explain(
            election,
            support,
            p,
            Reason.FUNDED,
            phase=Phase.EQUAL_SHARES,
            position=len(selected),
            left=budget - spent,
        )
    left = budget - spent
    rest = [p for p in range(support.num_projects) if election.projects[p].project_id not in explanations]
    for p in rest:
        money = float(run.money_left[support.supporters(p)].sum()) if len(run.money_left) else 0.0
        explanations[election.projects[p].project_id] = explain(
            election,
            support,
            p,
            Reason.SHARES_RAN_OUT,
            phase=Phase.EQUAL_SHARES,
            supporters_money=_cents(money),
        )
    if completion:
        completed: dict[str, Explanation] = {}
        ordered = by_score(election, support, rest)
        added, left = fill(
            election, support, ordered, left, Phase.COMPLETION, completed, position=len(selected)
        )
        selected.extend(added)
        for project_id, explanation in completed.items():
            if explanation.funded or explanations[project_id].supporters == 0:
                explanations[project_id] = explanation
            else:  # Equal Shares' reason stands; note what completion found left
                explanations[project_id] = _with_left(explanations[project_id], explanation.left)
    rule = "mes-add1" if completion else "mes-add1-only"
    details = {"money_left": run.money_left}  # per voter, after Equal Shares (floats, for checks and charts)
    return Outcome(rule, budget, selected, budget - left, explanations, run.voter_budget, details)


def _with_left(explanation: Explanation, left: Fraction | None) -> Explanation:
    return Explanation(**{**explanation.__dict__, "left": left})


def _cents(money: float) -> Fraction:
    """Money rounded to the cent, for explanations only (decisions never use it)."""
    return Fraction(round(money * 100), 100)


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
    costs = [p.cost for p in election.projects]
    if support.num_voters == 0:
        return EqualSharesRun(Fraction(0), [], np.zeros(0))
    engine = _Engine(election, support)
    start = budget / support.num_voters
    previous = EqualSharesRun(start, [], np.full(engine.groups.num_groups, float(start)))
    k, pace = 0, _Pace(skip)
    while True:
        steps = pace.steps()
        started = time.perf_counter()
        run = engine.run(start + k * increment, [m * increment for m in steps])
        elapsed = time.perf_counter() - started
        if sum((costs[p] for p in run.selected), Fraction(0)) > budget:
            if k and previous.voter_budget != start + (k - 1) * increment:  # same outcome; pabutools' state
                previous = engine.run(start + (k - 1) * increment, [])
            return engine.per_voter(previous)
        if engine.is_exhaustive(run.selected, budget):
            return engine.per_voter(run)
        previous = run
        covered = int(run.stable_for / increment)  # runs k + 1 .. k + covered give this same outcome
        k += covered + 1
        pace.record(bool(steps), covered, elapsed)


class _Pace:
    """Decides when Add1 tries to skip runs, and how far; the outcome never depends on it, only the speed.

    A run with shadows costs several plain runs. Aim the shadows a little beyond the last distance that
    could be certified, and when skipping saves less than it costs, do plain runs for a while.
    """

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.reach = 8  # the highest shadow, in increments
        self.plain_runs = 0  # plain runs to do before trying to skip again
        self.plain_cost: float | None = None
        self.failures = 0

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
        elif (covered + 1) * self.plain_cost < seconds:
            self.failures = self.failures + 1 if not covered else 0
            self.plain_runs = min(64, math.ceil(seconds / self.plain_cost) * 2**self.failures)
        else:
            self.failures = 0


@dataclass(frozen=True)
class _Offer:
    """What each supporter of ``project`` would pay now ("share"), and rho = share / cost, with error bounds."""

    project: int
    rho: float
    rho_error: float
    share: float
    share_error: float
    exact_share: Fraction | None = None
    exact_rho: Fraction | None = None

    @classmethod
    def exact(cls, project: int, share: Fraction, cost: Fraction) -> _Offer:
        as_float = float(share)
        rho = share / cost
        return cls(project, float(rho), 2 * EPS * float(rho), as_float, 2 * EPS * as_float, share, rho)


class _Engine:
    """What does not change between Add1 runs: costs, supporters, tie-break order, projects considered.

    Runs work on groups of voters with identical ballots (their money is always the same), each weighted by
    its number of voters.
    """

    def __init__(self, election: Election, support: Support) -> None:
        self.support = support
        self.groups = group_voters(support)
        self.costs = [p.cost for p in election.projects]
        self.costs_float = np.array([float(c) for c in self.costs])
        ids = [p.project_id for p in election.projects]
        self.tie_rank = np.empty(len(ids), dtype=np.int64)
        self.tie_rank[sorted(range(len(ids)), key=ids.__getitem__)] = np.arange(len(ids))
        approvals = support.approvals
        self.considered = [p for p in range(support.num_projects) if approvals[p] > 0]
        self.supporters = [self.groups.supporters(p) for p in range(support.num_projects)]
        self.weights = [self.groups.weights[groups].astype(np.float64) for groups in self.supporters]
        self.voters = [int(n) for n in approvals]
        self.lowest_rho = np.array([(1 - 4 * EPS) / max(1, n) for n in approvals])  # all supporters can pay

    def run(self, voter_budget: Fraction, horizons: list[Fraction]) -> EqualSharesRun:
        return _Run(self, voter_budget, horizons).result()

    def per_voter(self, run: EqualSharesRun) -> EqualSharesRun:
        """The run with money left per voter rather than per group."""
        money = run.money_left[self.groups.group_of_voter] if len(run.money_left) else run.money_left
        return EqualSharesRun(run.voter_budget, run.selected, money, run.stable_for)

    def is_exhaustive(self, selected: list[int], budget: Fraction) -> bool:
        """No project Equal Shares considers is left out that would still fit the budget."""
        chosen = set(selected)
        left = budget - sum((self.costs[p] for p in selected), Fraction(0))
        return not any(p not in chosen and self.costs[p] <= left for p in self.considered)

    def quote(self, p: int, money: np.ndarray, error: float) -> _Offer | None:
        """p's offer given its supporters' money (each known to within ``error``); None if surely unaffordable.

        Raises :class:`_TooClose` when the money only just covers the cost, for the caller to settle exactly.
        """
        cost = self.costs_float[p]
        weights = self.weights[p]
        n = self.voters[p]
        total = _weighted_sum(money, weights)
        slack = n * error + (4 + math.log2(n + 1)) * EPS * (total + cost)
        if total < cost - slack:
            return None
        if total <= cost + slack:
            raise _TooClose
        share, poor, near = _float_share(money, weights, n, cost, error)
        if poor == 0 and near == 0:  # everyone pays the same: the share is exactly cost / supporters
            return _Offer.exact(p, self.costs[p] / n, self.costs[p])
        rich = max(1, n - poor - near)
        share_error = (
            (poor + near) * error + (8 + 2 * math.log2(n + 1)) * EPS * cost
        ) / rich + 2 * EPS * share
        rho = share / cost
        return _Offer(p, rho, share_error / cost + 2 * EPS * rho, share, share_error)


class _TooClose(Exception):
    """Supporters' money and a project's cost are too close to compare in floats."""


@dataclass(eq=False)
class _Shadow:
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
    winner: _Offer | None = None  # this round's winner, quoted with the shadow's money

    def bound(self, engine: _Engine, p: int) -> None:
        """Tighten p's rho bound from the shadow's current money."""
        try:
            offer = engine.quote(p, self.money[engine.supporters[p]], self.error)
        except _TooClose:
            return  # keep the weaker bound
        if offer is None:
            self.far_bound[p] = math.inf
        else:
            self.far_bound[p] = max(self.far_bound[p], (offer.rho - offer.rho_error) * (1 - 4 * EPS))
            if offer.exact_rho is not None:
                self.far_exact[p] = offer.exact_rho

    def cannot_beat(self, engine: _Engine, p: int, winner: _Offer) -> bool:
        """Is p's rho, anywhere up to the shadow's budget, surely above the winner's (or tied and after it)?"""
        if self.far_bound[p] > winner.rho + winner.rho_error:
            return True
        exact = self.far_exact.get(p)
        if exact is None or winner.exact_rho is None:
            return False
        return exact > winner.exact_rho or (
            exact == winner.exact_rho and engine.tie_rank[winner.project] < engine.tie_rank[p]
        )

    def out_of_reach(self, engine: _Engine, p: int) -> bool:
        try:
            return engine.quote(p, self.money[engine.supporters[p]], self.error) is None
        except _TooClose:
            return False

    def quote_winner(self, engine: _Engine, p: int) -> bool:
        """Quote the round's winner in the shadow; False if that cannot be done reliably in floats."""
        try:
            self.winner = engine.quote(p, self.money[engine.supporters[p]], self.error)
        except _TooClose:
            self.winner = None
        return self.winner is not None

    def fund(self, engine: _Engine, p: int) -> bool:
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


class _Run:
    """One run of Equal Shares at a fixed voter budget, optionally with shadows at higher budgets."""

    def __init__(self, engine: _Engine, voter_budget: Fraction, horizons: list[Fraction]) -> None:
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
        self.lower_bound = engine.lowest_rho.copy()  # lower bound on each project's rho, now and later
        self.shadows = [
            _Shadow(
                h,
                np.full(num_groups, float(voter_budget + h)),
                2 * EPS * float(voter_budget + h),
                engine.lowest_rho.copy(),
            )
            for h in sorted(horizons)
        ]

    def result(self) -> EqualSharesRun:
        engine = self.engine
        alive = [p for p in engine.considered if engine.costs[p] > 0]
        for p in engine.considered:
            if engine.costs[p] == 0:
                self._fund(_Offer.exact(p, Fraction(0), Fraction(1)))
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

    def _round(self, alive: list[int]) -> _Offer | None:
        """Find the project with the smallest rho (exactly), dropping projects its supporters cannot afford."""
        bounds = self.lower_bound
        best_upper = math.inf
        offers: list[_Offer] = []
        for p in sorted(alive, key=bounds.__getitem__):
            if bounds[p] > best_upper:
                break  # rho only grows as money is spent, so p can neither beat nor tie the best any more
            offer = self._evaluate(p)
            if offer is None:
                alive.remove(p)
                self._drop_shadows(lambda shadow, p=p: not shadow.out_of_reach(self.engine, p))
                continue
            bounds[p] = offer.rho - offer.rho_error
            best_upper = min(best_upper, offer.rho + offer.rho_error)
            offers.append(offer)
        close = [offer for offer in offers if offer.rho - offer.rho_error <= best_upper]
        if len(close) <= 1:
            return close[0] if close else None
        return self._settle_tie(close)

    def _evaluate(self, p: int) -> _Offer | None:
        """What p's supporters would each pay now; None if they cannot afford it."""
        voters = self.engine.supporters[p]
        try:
            return self.engine.quote(p, self.money[voters], self.error)
        except _TooClose:
            share = _exact_share(self._exact_money(voters, len(self.selected)), self.engine.costs[p])
            return None if share is None else _Offer.exact(p, share, self.engine.costs[p])

    def _settle_tie(self, close: list[_Offer]) -> _Offer:
        """Exact rho for each near-tied project; the smallest wins, then the id that sorts first."""
        step = len(self.selected)
        costs = self.engine.costs
        exact = []
        for offer in close:
            if offer.exact_share is None:
                voters = self.engine.supporters[offer.project]
                share = _exact_share(self._exact_money(voters, step), costs[offer.project])
                assert share is not None, "an affordable project became unaffordable in exact arithmetic"
                offer = _Offer.exact(offer.project, share, costs[offer.project])
            exact.append(offer)
        return min(exact, key=lambda offer: (offer.exact_rho, self.engine.tie_rank[offer.project]))

    def _fund(self, offer: _Offer) -> None:
        p, share = offer.project, offer.share
        voters = self.engine.supporters[p]
        if share > 0:
            money = self.money[voters] - share
            np.maximum(money, 0.0, out=money)
            self.money[voters] = money
        self.error += offer.share_error + 2 * EPS * self.budget_float
        step = len(self.selected)
        self.step_of[p] = step
        self.selected.append(p)
        if offer.exact_share is not None:
            self.exact_shares[step] = offer.exact_share
        if share > 0:
            self._drop_shadows(lambda shadow: not shadow.fund(self.engine, p))

    # -- shadows: certifying that higher voter budgets give the same run ---------------------------------------

    def _certify(self, winner: _Offer, alive: list[int]) -> None:
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
                        self._drop_shadows(lambda s, h=shadow.horizon: s.horizon >= h)
                        return
            assert shadow.winner is not None
            ceiling = shadow.winner

    def _drop_shadows(self, fails) -> None:  # noqa: ANN001
        """Drop the first shadow that ``fails`` and every higher one (what fails at a budget fails above it)."""
        for index, shadow in enumerate(self.shadows):
            if fails(shadow):
                del self.shadows[index:]
                return

    # -- exact arithmetic, only for close calls ----------------------------------------------------------------

    def _exact_money(self, voters: np.ndarray, step: int) -> list[tuple[Fraction, int]]:
        """Exact money of the groups ``voters`` before funding step ``step``: (amount, how many voters) pairs.

        A voter's money is ``max(0, voter_budget - shares of the funded projects they support)``, so voters
        who supported the same funded projects have the same money: group them by that set (a bitmask).
        """
        groups = self.engine.groups
        weights = groups.weights[voters]
        starts = groups.indptr[voters]
        lengths = groups.indptr[voters + 1] - starts
        total = int(lengths.sum())
        if total == 0:
            return [(self.voter_budget, int(weights.sum()))]
        first = np.cumsum(lengths) - lengths
        positions = np.repeat(starts - first, lengths) + np.arange(total)
        steps = self.step_of[groups.projects[positions]]
        paid = steps < step
        if not paid.any():
            return [(self.voter_budget, int(weights.sum()))]
        words = (step + 63) // 64
        keys = np.zeros((len(voters), words), dtype=np.uint64)
        row_starts = np.minimum(first, total - 1)
        for word in range(words):
            in_word = paid & (steps // 64 == word)
            bits = np.where(
                in_word, np.left_shift(np.uint64(1), (steps % 64).astype(np.uint64)), np.uint64(0)
            )
            column = np.add.reduceat(bits.astype(np.uint64), row_starts)
            column[lengths == 0] = 0
            keys[:, word] = column
        distinct, inverse = np.unique(keys, axis=0, return_inverse=True)
        counts = np.bincount(inverse.reshape(-1), weights=weights, minlength=len(distinct))
        result = []
        for key, count in zip(distinct.tolist(), counts.tolist(), strict=True):
            spent = sum((self._exact_step_share(s) for s in _bits(key)), Fraction(0))
            result.append((max(Fraction(0), self.voter_budget - spent), int(count)))
        return result

    def _exact_step_share(self, step: int) -> Fraction:
        """The exact share asked of each supporter of the project funded at ``step`` (computed once)."""
        if step not in self.exact_shares:
            p = self.selected[step]
            share = _exact_share(self._exact_money(self.engine.supporters[p], step), self.engine.costs[p])
            assert share is not None, "a funded project was unaffordable in exact arithmetic"
            self.exact_shares[step] = share
        return self.exact_shares[step]


def _weighted_sum(values: np.ndarray, weights: np.ndarray) -> float:
    # Not np.dot: multi-threaded BLAS makes it 50x slower on a busy machine for these vector sizes.
    return float(np.einsum("i,i->", values, weights))


def _bits(key: list[int]) -> list[int]:
    return [word * 64 + bit for word, value in enumerate(key) for bit in range(64) if value >> bit & 1]


def _exact_share(money: list[tuple[Fraction, int]], cost: Fraction) -> Fraction | None:
    """Smallest share q with sum(min(money, q)) == cost, or None when all the money together is not enough.

    Walk the supporters from poorest: those who cannot pay the equal share pay all they have.
    """
    remaining_voters = sum(count for _, count in money)
    paid = Fraction(0)
    for amount, count in sorted(money):
        share = (cost - paid) / remaining_voters
        if share <= amount:
            return share
        paid += amount * count
        remaining_voters -= count
    return None


def _float_share(
    money: np.ndarray, weights: np.ndarray, voters: int, cost: float, error: float
) -> tuple[float, int, int]:
    """Float version of :func:`_exact_share` for affordable projects: (share, poor voters, near voters).

    ``money`` and ``weights`` are per group of identical voters. "Poor" voters pay all they have; ``near``
    counts voters within ``error`` of the share, whose side the float arithmetic may have got wrong (the share
    moves continuously with their money, so the error bound of :meth:`_Engine.quote` covers them).
    """
    share = cost / voters
    if money.min() >= share + error:
        return share, 0, 0
    rich_money, rich_weights = money, weights
    paid, poor = 0.0, 0.0
    for _ in range(16):
        poor_now = rich_money < share
        if not poor_now.any():
            break
        paid += _weighted_sum(rich_money[poor_now], rich_weights[poor_now])
        poor += float(rich_weights[poor_now].sum())
        rich_money, rich_weights = rich_money[~poor_now], rich_weights[~poor_now]
        share = (cost - paid) / (voters - poor)
    else:  # many small steps: sort what is left instead
        order = np.argsort(rich_money)
        ordered, ordered_weights = rich_money[order], rich_weights[order]
        paid_before = paid + np.concatenate(([0.0], np.cumsum(ordered * ordered_weights)[:-1]))
        poor_before = poor + np.concatenate(([0.0], np.cumsum(ordered_weights)[:-1]))
        shares = (cost - paid_before) / (voters - poor_before)
        first_rich = int(np.argmax(shares <= ordered))
        share, poor = float(shares[first_rich]), float(poor_before[first_rich])
    near = float(weights[np.abs(money - share) <= error].sum())
    return share, int(poor), int(near)
