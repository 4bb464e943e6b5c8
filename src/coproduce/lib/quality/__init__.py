"""The co-production quality check on plain data: evidence in, a judgement with its reasons out.

`evidence.py` (what the records say), `rules/` (the rules as data, each with source and threshold),
`judge.py` (the Think Local Act Personal ladder, Arnstein's bands, Bovaird's matrix, suggestions) and
`standards.py` (Scotland's National Standards for Community Engagement and the self-assessment) and
`serialise.py` (JSON-ready dicts for storing the last check). No Django.

The check itself is `coproduce.lib.quality.judge.judge(evidence)` (not re-exported here, where `judge` is the
module).
"""

from coproduce.lib.quality.evidence import (
    PERSPECTIVES,
    STAGES,
    Evidence,
    Measure,
    Milestone,
    PersonTally,
    Tally,
    build_evidence,
)
from coproduce.lib.quality.judge import Band, Bovaird, Judgement, Role, StepFinding, Suggestion
from coproduce.lib.quality.rules import RULES, Figure, Outcome, Rule, RuleResult, Step, evaluate
from coproduce.lib.quality.standards import STANDARDS, Disagreement, Standard, compare

__all__ = [
    "PERSPECTIVES",
    "RULES",
    "STAGES",
    "STANDARDS",
    "Band",
    "Bovaird",
    "Disagreement",
    "Evidence",
    "Figure",
    "Judgement",
    "Measure",
    "Milestone",
    "Outcome",
    "PersonTally",
    "Role",
    "Rule",
    "RuleResult",
    "Standard",
    "Step",
    "StepFinding",
    "Suggestion",
    "Tally",
    "build_evidence",
    "compare",
    "evaluate",
]
