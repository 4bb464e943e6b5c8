"""Participatory-budgeting rules as plain functions: Election in, Outcome (selection + explanations) out."""

from coproduce.lib.pb.rules.coverage import voters_with_a_funded_project
from coproduce.lib.pb.rules.equal_shares import equal_shares
from coproduce.lib.pb.rules.greedy import greedy
from coproduce.lib.pb.rules.outcome import Explanation, Outcome, Phase, Reason
from coproduce.lib.pb.rules.phragmen import phragmen
from coproduce.lib.pb.rules.support import Support, support_of

RULES = ("greedy", "greedy-no-skip", "mes-add1", "phragmen")


def run_rule(election, rule: str, *, threshold=0) -> Outcome:  # noqa: ANN001
    """Run a rule by the name the CLI and the web layer use."""
    if rule == "greedy":
        return greedy(election, threshold=threshold)
    if rule == "greedy-no-skip":
        return greedy(election, skip=False, threshold=threshold)
    if rule == "mes-add1":
        return equal_shares(election)
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
