"""Participatory-budgeting rules as plain functions: Election in, Outcome (selection + explanations) out."""

from fractions import Fraction

from coproduce.lib.pb.election import Election
from coproduce.lib.pb.rules.coverage import voters_with_a_funded_project
from coproduce.lib.pb.rules.greedy import greedy
from coproduce.lib.pb.rules.mes import equal_shares
from coproduce.lib.pb.rules.outcome import Explanation, Outcome, Phase, Reason
from coproduce.lib.pb.rules.phragmen import phragmen
from coproduce.lib.pb.rules.support import Support, support_of

RULES = ("greedy", "greedy-no-skip", "mes-add1", "phragmen")


def run_rule(
    election: Election, rule: str, *, threshold: Fraction | int = 0, completion: bool = True
) -> Outcome:
    """Run a rule by the name the CLI and the web layer use.

    ``threshold`` applies to the greedy rules; ``completion=False`` stops Equal Shares before its greedy fill.
    """
    if rule == "greedy":
        return greedy(election, threshold=threshold)
    if rule == "greedy-no-skip":
        return greedy(election, skip=False, threshold=threshold)
    if rule == "mes-add1":
        return equal_shares(election, completion=completion)
    if rule == "phragmen":
        return phragmen(election)
    raise ValueError(f"unknown rule {rule!r}; choose one of {', '.join(RULES)}")


__all__ = [
    "RULES",
    "Explanation",
    "Outcome",
    "Phase",
    "Reason",
    "Support",
    "equal_shares",
    "greedy",
    "phragmen",
    "run_rule",
    "support_of",
    "voters_with_a_funded_project",
]
