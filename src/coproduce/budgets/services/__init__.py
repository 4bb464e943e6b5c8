"""Every change to budgets, projects and ballots: validated, atomic and audited. One module per part. Reads
are in `selectors`, what a ballot may say in `choices`, the keyed hash between voter and ballot in `keys`."""

from .ballots import ballot_submit, paper_ballot_record
from .budgets import budget_advance_phase, budget_create, budget_reopen_voting, budget_update
from .pabulib_io import budget_export, budget_import
from .projects import project_create_from_idea, project_review, project_submit, project_update
from .reminders import remind_voting_closing
from .results import count, election_for, results_recount, results_schedule, results_store

__all__ = [
    "ballot_submit",
    "budget_advance_phase",
    "budget_create",
    "budget_export",
    "budget_import",
    "budget_reopen_voting",
    "budget_update",
    "count",
    "election_for",
    "paper_ballot_record",
    "project_create_from_idea",
    "project_review",
    "project_submit",
    "project_update",
    "remind_voting_closing",
    "results_recount",
    "results_schedule",
    "results_store",
]
