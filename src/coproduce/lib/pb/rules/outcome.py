"""What a rule returns: the funded projects in order, and for every project why it was or was not funded.

Explanations are codes plus the numbers behind them, not sentences: the web layer phrases them (and translates
them), e.g. ``DID_NOT_FIT`` with ``cost=40000, left=23300`` becomes "it costs €40,000 and only €23,300 was left".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction


class Reason(StrEnum):
    FUNDED = "funded"
    DID_NOT_FIT = "did-not-fit"  # it cost more than what was left of the budget when its turn came
    # Equal Shares: its supporters' shares, together, did not cover its cost
    SHARES_RAN_OUT = "shares-ran-out"
    BELOW_THRESHOLD = "below-threshold"  # fewer votes (or points) than the minimum the rule asks for
    NOT_REACHED = "not-reached"  # the rule stopped (a project did not fit) before this project's turn


class Phase(StrEnum):
    GREEDY = "greedy"
    EQUAL_SHARES = "equal-shares"
    COMPLETION = "completion"  # greedy fill of what Equal Shares left
    PHRAGMEN = "phragmen"


@dataclass(frozen=True)
class Explanation:
    """Why one project was (not) funded. Money is exact; ``None`` means "does not apply"."""

    project_id: str
    reason: Reason
    cost: Fraction
    score: Fraction | int  # votes for approval ballots; points or Borda score for other ballots
    supporters: int  # voters who voted for it
    phase: Phase | None = None  # which step of the rule decided it
    position: int | None = None  # 1 for the first project selected, ...
    left: Fraction | None = None  # budget left when it was funded, or when it was found not to fit
    supporters_money: Fraction | None = None  # Equal Shares: what its supporters had left, together
    threshold: Fraction | int | None = None

    @property
    def funded(self) -> bool:
        return self.reason is Reason.FUNDED


@dataclass(frozen=True)
class Outcome:
    """The result of a rule: ``selected`` holds project ids in the order the rule chose them."""

    rule: str
    budget: Fraction
    selected: list[str]
    cost: Fraction
    explanations: dict[str, Explanation]
    # Equal Shares only: the budget each voter finally had, after the Add1 increases.
    voter_budget: Fraction | None = None
    details: dict[str, object] = field(default_factory=dict)

    def selected_in(self, phase: Phase) -> list[str]:
        """The funded projects that a given phase chose (e.g. Equal Shares before completion)."""
        return [pid for pid in self.selected if self.explanations[pid].phase is phase]

    def as_dict(self) -> dict[str, object]:
        """The machine-readable summary the CLI prints for ``--format json``."""
        cost: int | float = int(self.cost) if self.cost.denominator == 1 else float(self.cost)
        return {"rule": self.rule, "selected": list(self.selected), "cost": cost}
