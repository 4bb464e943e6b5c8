"""Reads for budgets, by part: `budgets` (lists, turnout, notes, phases, a project as a source), `voting` (the
ballot paper, a voter's own ballot, the running total, the checks before a ballot is stored) and `results` (the
last count, and the results in plain words). Every name is here, so pages and the API read `selectors.x`."""

from .budgets import (
    budgets_of,
    categories,
    closing_facts,
    collecting_budgets,
    counts,
    phase_steps,
    project_as_source,
    project_source,
    projects_from_idea,
    projects_of,
    rule_ignores_note,
    rule_note,
    scoring_note,
)
from .home import waiting_items
from .results import LastCount, Results, bar_percent, counted_rules, last_count, results_view
from .voting import (
    RunningTotal,
    ballot_check,
    ballot_of,
    checked_choices,
    members_who_may_get_paper_ballots,
    my_choices,
    my_voter,
    needs_confirmation,
    on_ballot,
    running_total,
)

__all__ = [
    "LastCount",
    "Results",
    "RunningTotal",
    "ballot_check",
    "ballot_of",
    "bar_percent",
    "budgets_of",
    "categories",
    "checked_choices",
    "closing_facts",
    "collecting_budgets",
    "counted_rules",
    "counts",
    "last_count",
    "members_who_may_get_paper_ballots",
    "my_choices",
    "my_voter",
    "needs_confirmation",
    "on_ballot",
    "phase_steps",
    "project_as_source",
    "project_source",
    "projects_from_idea",
    "projects_of",
    "results_view",
    "rule_ignores_note",
    "rule_note",
    "running_total",
    "scoring_note",
    "waiting_items",
]
