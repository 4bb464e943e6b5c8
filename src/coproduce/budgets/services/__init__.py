"""Every change to budgets, projects and ballots: validated, atomic and audited. One module per part."""

from .ballots import (
    RunningTotal,
    ballot_check,
    ballot_of,
    ballot_submit,
    needs_confirmation,
    on_ballot,
    paper_ballot_record,
    reference_identity,
    running_total,
    user_identity,
    validate_choices,
    voter_key,
    voter_keys,
)
from .budgets import (
    budget_advance_phase,
    budget_create,
    budget_reopen_voting,
    budget_update,
    closing_facts,
    co_commissioning_stage,
)
from .pabulib_io import budget_export, budget_import
from .projects import project_create_from_idea, project_review, project_submit, project_update
from .results import cached_results, count, election_for, results_recount, results_schedule, results_store

__all__ = [
    "RunningTotal",
    "ballot_check",
    "ballot_of",
    "ballot_submit",
    "budget_advance_phase",
    "budget_create",
    "budget_export",
    "budget_import",
    "budget_reopen_voting",
    "budget_update",
    "cached_results",
    "closing_facts",
    "co_commissioning_stage",
    "count",
    "election_for",
    "needs_confirmation",
    "on_ballot",
    "paper_ballot_record",
    "project_create_from_idea",
    "project_review",
    "project_submit",
    "project_update",
    "reference_identity",
    "results_recount",
    "results_schedule",
    "results_store",
    "running_total",
    "user_identity",
    "validate_choices",
    "voter_key",
    "voter_keys",
]
