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

Speed and exactness: each run works on NumPy float arrays (voter budgets, supporters per project) and keeps a
certified bound on its rounding error. A decision whose margin is within that bound (a near tie between two
projects, or supporters who can only just afford a project) is settled with exact fractions: a voter's exact
budget is ``max(0, b - sum of the shares of the funded projects they voted for)``, so it can be rebuilt from the
ballots and the exact share of each earlier purchase, grouping voters by which funded projects they supported.
A float near-tie therefore never changes a winner.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from coproduce.lib.pb.election import Election
from coproduce.lib.pb.rules.greedy import by_score, explain, fill
from coproduce.lib.pb.rules.outcome import Explanation, Outcome, Phase, Reason
from coproduce.lib.pb.rules.support import Support, support_of

EPS = float(np.finfo(np.float64).eps)
NOT_FUNDED = np.iinfo(np.int32).max


@dataclass(frozen=True)
class EqualSharesRun:
    """The outcome of one run at a fixed voter budget: projects in order, and voters' money left (floats)."""

    voter_budget: Fraction
    selected: list[int]
    money_left: np.ndarray


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
            election, support, p, Reason.FUNDED, phase=Phase.EQUAL_SHARES, position=len(selected), left=budget - spent
        )
    left = budget - spent
    rest = [p for p in range(support.num_projects) if election.projects[p].project_id not in explanations]
    for p in rest:
        money = run.money_left[support.supporters(p)].sum() if len(run.money_left) else 0.0
        explanations[election.projects[p].project_id] = explain(
            election, support, p, Reason.SHARES_RAN_OUT, phase=Phase.EQUAL_SHARES, supporters_money=_cents(money)
        )
    if completion:
        completed: dict[str, Explanation] = {}
        added, left = fill(
            election, support, by_score(election, support, rest), left, Phase.COMPLETION, completed,
            position=len(selected),
        )
        selected.extend(added)
        for project_id, explanation in completed.items():
            if explanation.funded or explanations[project_id].supporters == 0:
                explanations[project_id] = explanation
            else:  # Equal Shares' reason stands; note what completion found left
                explanations[project_id] = _with_left(explanations[project_id], explanation.left)
    rule = "mes-add1" if completion else "mes-add1-only"
    return Outcome(rule, budget, selected, budget - left, explanations, voter_budget=run.voter_budget)


def _with_left(explanation: Explanation, left: Fraction | None) -> Explanation:
    return Explanation(**{**explanation.__dict__, "left": left})


def _cents(money: float) -> Fraction:
    """Money rounded to the cent, for explanations only (decisions never use it)."""
    return Fraction(round(float(money) * 100), 100)


def add1(election: Election, support: Support, increment: Fraction = Fraction(1)) -> EqualSharesRun:
    """Raise every voter's budget by ``increment`` until the outcome is exhaustive or no longer fits."""
    budget = election.budget
    costs = [p.cost for p in election.projects]
    empty = EqualSharesRun(Fraction(0), [], np.zeros(0))
    if support.num_voters == 0:
        return empty
    engine = _Engine(election, support)
    start = budget / support.num_voters
    previous = EqualSharesRun(start, [], np.full(support.num_voters, float(start)))
    for k in range(1_000_000_000):
        run = engine.run(start + k * increment)
        if sum((costs[p] for p in run.selected), Fraction(0)) > budget:
            return previous
        if engine.is_exhaustive(run.selected, budget):
            return run
        previous = run
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class _Offer:
    """What each supporter of ``project`` would pay now ("share"), and rho = share / cost, with error bounds."""

    project: int
    rho: float
    rho_error: float
    share: float
    share_error: float
    exact_share: Fraction | None

    @classmethod
    def exact(cls, project: int, share: Fraction, cost: Fraction) -> _Offer:
        as_float = float(share)
        rho = float(share / cost)
        return cls(project, rho, 2 * EPS * rho, as_float, 2 * EPS * as_float, share)


class _Engine:
    """What does not change between Add1 runs: costs, supporters, tie-break order, projects considered."""

    def __init__(self, election: Election, support: Support) -> None:
        self.support = support
        self.costs = [p.cost for p in election.projects]
        self.costs_float = np.array([float(c) for c in self.costs])
        ids = [p.project_id for p in election.projects]
        self.tie_rank = {p: rank for rank, p in enumerate(sorted(range(len(ids)), key=ids.__getitem__))}
        approvals = support.approvals
        self.considered = [p for p in range(support.num_projects) if approvals[p] > 0]
        self.supporters = [support.supporters(p) for p in range(support.num_projects)]

    def run(self, voter_budget: Fraction) -> EqualSharesRun:
        return _Run(self, voter_budget).result()

    def is_exhaustive(self, selected: list[int], budget: Fraction) -> bool:
        """No project Equal Shares considers is left out that would still fit the budget."""
        chosen = set(selected)
        left = budget - sum((self.costs[p] for p in selected), Fraction(0))
        return not any(p not in chosen and self.costs[p] <= left for p in self.considered)


class _Run:
    """One run of Equal Shares at a fixed voter budget."""

    def __init__(self, engine: _Engine, voter_budget: Fraction) -> None:
        self.engine = engine
        self.voter_budget = voter_budget
        self.budget_float = float(voter_budget)
        support = engine.support
        self.money = np.full(support.num_voters, self.budget_float)
        # |money[i] - exact money of voter i| <= self.error for every voter, at all times.
        self.error = 2 * EPS * self.budget_float
        self.selected: list[int] = []
        self.step_of = np.full(support.num_projects, NOT_FUNDED, dtype=np.int64)
        self.exact_shares: dict[int, Fraction] = {}  # step -> exact amount each supporter was asked to pay
        self.lower_bound = np.zeros(support.num_projects)
        for p in engine.considered:
            self.lower_bound[p] = (1 - 4 * EPS) / len(engine.supporters[p])

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
            self._fund(offer)
        return EqualSharesRun(self.voter_budget, self.selected, self.money)

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
                continue
            bounds[p] = offer.rho - offer.rho_error
            best_upper = min(best_upper, offer.rho + offer.rho_error)
            offers.append(offer)
        close = [offer for offer in offers if offer.rho - offer.rho_error <= best_upper]
        if len(close) <= 1:
            return close[0] if close else None
        return self._settle_tie([offer.project for offer in close])

    def _settle_tie(self, projects: list[int]) -> _Offer:
        """Exact rho for each near-tied project; the smallest wins, then the id that sorts first."""
        step = len(self.selected)
        costs = self.engine.costs
        exact = {}
        for p in projects:
            share = _exact_share(self._exact_money(self.engine.supporters[p], step), costs[p])
            assert share is not None, "an affordable project became unaffordable in exact arithmetic"
            exact[p] = share
        winner = min(projects, key=lambda p: (exact[p] / costs[p], self.engine.tie_rank[p]))
        return _Offer.exact(winner, exact[winner], costs[winner])

    # -- evaluating one project --------------------------------------------------------------------------------

    def _evaluate(self, p: int) -> _Offer | None:
        """What p's supporters would each pay now, with an error bound; None if they cannot afford it."""
        engine = self.engine
        voters = engine.supporters[p]
        money = self.money[voters]
        cost = engine.costs_float[p]
        n = len(voters)
        total = float(money.sum())
        slack = n * self.error + (4 + math.log2(n + 1)) * EPS * (total + cost)
        if total < cost - slack:
            return None
        if total <= cost + slack:  # too close to call in floats
            exact_share = _exact_share(self._exact_money(voters, len(self.selected)), engine.costs[p])
            return None if exact_share is None else _Offer.exact(p, exact_share, engine.costs[p])
        share, poor, near = _float_share(money, cost, self.error)
        rich = max(1, n - poor - near)
        share_error = ((poor + near) * self.error + (8 + 2 * math.log2(n + 1)) * EPS * cost) / rich
        share_error += 2 * EPS * share
        rho = share / cost
        return _Offer(p, rho, share_error / cost + 2 * EPS * rho, share, share_error, None)

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

    # -- exact arithmetic, only for close calls ----------------------------------------------------------------

    def _exact_money(self, voters: np.ndarray, step: int) -> list[tuple[Fraction, int]]:
        """Exact money of ``voters`` before funding step ``step``: (amount, how many voters) pairs.

        A voter's money is ``max(0, voter_budget - shares of the funded projects they support)``, so voters
        who supported the same funded projects have the same money: group them by that set (a bitmask).
        """
        support = self.engine.support
        starts = support.voter_indptr[voters]
        lengths = support.voter_indptr[voters + 1] - starts
        total = int(lengths.sum())
        if total == 0:
            return [(self.voter_budget, len(voters))]
        first = np.cumsum(lengths) - lengths
        positions = np.repeat(starts - first, lengths) + np.arange(total)
        steps = self.step_of[support.voter_projects[positions]]
        paid = steps < step
        if not paid.any():
            return [(self.voter_budget, len(voters))]
        words = (step + 63) // 64
        keys = np.zeros((len(voters), words), dtype=np.uint64)
        row_starts = np.minimum(first, total - 1)
        for word in range(words):
            in_word = paid & (steps // 64 == word)
            bits = np.where(in_word, np.left_shift(np.uint64(1), (steps % 64).astype(np.uint64)), np.uint64(0))
            column = np.add.reduceat(bits.astype(np.uint64), row_starts)
            column[lengths == 0] = 0
            keys[:, word] = column
        groups, counts = np.unique(keys, axis=0, return_counts=True)
        result = []
        for key, count in zip(groups.tolist(), counts.tolist(), strict=True):
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


def _float_share(money: np.ndarray, cost: float, error: float) -> tuple[float, int, int]:
    """Float version of :func:`_exact_share` for affordable projects: (share, poor voters, near voters).

    "Poor" voters pay all they have; ``near`` counts voters within ``error`` of the share, whose side the float
    arithmetic may have got wrong (the share moves continuously with their money, so the bound covers it).
    """
    n = len(money)
    share = cost / n
    if money.min() >= share + error:
        return share, 0, 0
    poor_mask = money < share
    for _ in range(8):
        poor = int(poor_mask.sum())
        poor_sum = float(money[poor_mask].sum())
        share = (cost - poor_sum) / (n - poor)
        new_mask = money < share
        if int(new_mask.sum()) == poor:
            break
        poor_mask = new_mask
    else:
        ordered = np.sort(money)
        paid_before = np.concatenate(([0.0], np.cumsum(ordered)[:-1]))
        shares = (cost - paid_before) / (n - np.arange(n))
        k = int(np.argmax(shares <= ordered))
        share, poor = float(shares[k]), k
    near = int(np.count_nonzero(np.abs(money - share) <= error))
    return share, poor, near
