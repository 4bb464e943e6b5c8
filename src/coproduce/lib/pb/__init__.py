"""Participatory budgeting: Pabulib files, voting rules and their explanations. Plain Python, no Django.

Example::

    >>> from coproduce.lib.pb import equal_shares, parse_file
    >>> outcome = equal_shares(parse_file("Poland_Swiecie_2023.pb"))
    >>> outcome.selected, outcome.explanations["c6"].reason
"""

from coproduce.lib.pb.election import Ballot, Ballots, Election, Project, make_election
from coproduce.lib.pb.pabulib import PabulibError, parse, parse_file, write, write_file
from coproduce.lib.pb.rules import (
    RULES,
    Explanation,
    Outcome,
    Phase,
    Reason,
    equal_shares,
    greedy,
    phragmen,
    run_rule,
    support_of,
    voters_with_a_funded_project,
)

__all__ = [
    "RULES",
    "Ballot",
    "Ballots",
    "Election",
    "Explanation",
    "Outcome",
    "PabulibError",
    "Phase",
    "Project",
    "Reason",
    "equal_shares",
    "greedy",
    "make_election",
    "parse",
    "parse_file",
    "phragmen",
    "run_rule",
    "support_of",
    "voters_with_a_funded_project",
    "write",
    "write_file",
]
