"""Counting: turn the ballots in the database into a `coproduce.lib.pb` Election and run every rule on it.

The budget's own rule decides; the other rules are run too, for the comparison panel. Results are stored per
budget and rule (`BudgetResult`) once voting has closed: counting a city-sized vote takes seconds, and the
ballots can no longer change. Every count goes through the task queue (`tasks.count_budget`), queued when
the transaction that closed the vote (or imported a file, or asked for a recount) commits; reading results
never counts (`selectors.last_count`: the last count and when it was made, or None while it is made).

Tie-breaking: every rule in the library breaks an exact tie in favour of the project whose id sorts first.
Projects are therefore given ids in the order of the budget's tie-breaking (by default the cheaper project
first, then the one submitted first), so one setting decides ties the same way in every rule.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.lib.pb import Election, make_election, run_rule, voters_with_a_funded_project
from coproduce.lib.pb.election import format_number
from coproduce.people.models import User

from .. import access
from ..models import (
    Ballot,
    BallotType,
    Budget,
    BudgetResult,
    Phase,
    Project,
    ProjectStatus,
    TieBreak,
)
from ..selectors.results import counted_rules
from ..tasks import count_budget

VOTE_TYPES = {
    BallotType.APPROVAL: "approval",
    BallotType.KNAPSACK: "approval",
    BallotType.RANKED: "ordinal",
    BallotType.CUMULATIVE: "cumulative",
    BallotType.SCORING: "scoring",
}


def tie_order(budget: Budget, projects: list[Project]) -> list[Project]:
    """Projects in the order that wins ties: first in this list wins."""
    if budget.tie_break == TieBreak.SUBMISSION:
        return sorted(projects, key=lambda p: (p.submitted_at, p.pk))
    return sorted(projects, key=lambda p: (p.cost, p.submitted_at, p.pk))


def election_for(budget: Budget) -> tuple[Election, dict[str, Project]]:
    """The budget as an Election, and the project behind each election id."""
    projects = tie_order(budget, list(budget.projects.filter(status=ProjectStatus.FEASIBLE)))
    width = max(4, len(str(len(projects))))
    ids = {p.pk: f"p{index:0{width}d}" for index, p in enumerate(projects)}
    vote_type = VOTE_TYPES[BallotType(budget.ballot_type)]
    ballots: list = []
    for choices in (
        Ballot.objects.filter(budget=budget).values_list("choices", flat=True).iterator(chunk_size=5000)
    ):
        kept = [(pid, value) for pid, value in choices if pid in ids]
        if vote_type in ("cumulative", "scoring"):
            ballots.append({ids[pid]: value for pid, value in kept})
        elif vote_type == "ordinal":
            ballots.append([ids[pid] for pid, _rank in sorted(kept, key=lambda pair: pair[1])])
        else:
            ballots.append([ids[pid] for pid, _value in kept])
    election = make_election(
        Fraction(budget.amount), {ids[p.pk]: Fraction(p.cost) for p in projects}, ballots, vote_type=vote_type
    )
    return election, {ids[p.pk]: p for p in projects}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    value = Fraction(value)
    try:
        return format_number(value)
    except ValueError:  # no finite decimal form (a Phragmén load); two places are plenty to show it
        return f"{float(value):.2f}"


def count(budget: Budget) -> dict[str, dict]:
    """Every rule's outcome, as plain JSON-ready data keyed by project id (as text)."""
    election, by_id = election_for(budget)
    if election.num_voters == 0:
        # The rules would fund whatever fits, with no votes at all; with no ballot, nothing is decided.
        nothing = {
            str(p.pk): {
                "reason": "no-ballots",
                "phase": None,
                "position": None,
                "cost": _text(p.cost),
                "score": "0",
                "supporters": 0,
                "left": None,
                "supporters_money": None,
                "threshold": None,
            }
            for p in by_id.values()
        }
        return {
            rule: {
                "selected": [],
                "cost": "0",
                "voters": 0,
                "satisfied": 0,
                "voter_budget": None,
                "explanations": nothing,
            }
            for rule in counted_rules(budget)
        }
    outcomes = {}
    for rule in counted_rules(budget):
        outcome = run_rule(election, rule, threshold=budget.threshold)
        explanations = {}
        for election_id, explanation in outcome.explanations.items():
            explanations[str(by_id[election_id].pk)] = {
                "reason": str(explanation.reason),
                "phase": str(explanation.phase) if explanation.phase else None,
                "position": explanation.position,
                "cost": _text(explanation.cost),
                "score": _text(explanation.score),
                "supporters": explanation.supporters,
                "left": _text(explanation.left),
                "supporters_money": _text(explanation.supporters_money),
                "threshold": _text(explanation.threshold),
            }
        outcomes[rule] = {
            "selected": [by_id[election_id].pk for election_id in outcome.selected],
            "cost": _text(outcome.cost),
            "voters": election.num_voters,
            "satisfied": voters_with_a_funded_project(election, outcome.selected),
            "voter_budget": _text(outcome.voter_budget),
            "explanations": explanations,
        }
    return outcomes


@transaction.atomic
def results_store(budget: Budget) -> list[BudgetResult]:
    """Count now and keep the outcome of every rule, replacing the last count (run by `tasks.count_budget`)."""
    # Lock: a host reopening voting at the same moment deletes the count of a vote that is not over; the
    # count must not land after that (or before it and be kept).
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    if budget.phase not in (Phase.CLOSED, Phase.RESULTS):
        return []
    ballots = Ballot.objects.filter(budget=budget).count()
    stored = []
    for rule, data in count(budget).items():
        result, _created = BudgetResult.objects.update_or_create(
            budget=budget, rule=rule, defaults={"ballots": ballots, "data": data}
        )
        stored.append(result)
    return stored


def results_schedule(budget: Budget) -> None:
    """Once the current transaction commits, queue the count (`tasks.count_budget`). The results page shows
    the last count, or that the ballots are being counted, until it is stored."""
    budget_id = budget.pk
    transaction.on_commit(lambda: count_budget(budget_id))


@transaction.atomic
def results_recount(*, actor: User, budget: Budget) -> None:
    """A host asks for the ballots to be counted again (for example after the counting code was updated). The
    last count stays shown, with when it was made, until the new one replaces it."""
    if not access.can_manage(actor, budget):
        raise PermissionDenied(_("Only a host can ask for a recount."))
    if budget.phase not in (Phase.CLOSED, Phase.RESULTS):
        raise ValidationError(_("Ballots are counted once voting has closed."), code="not_closed")
    audit.record(
        actor=actor,
        action="budget.recounted",
        target=budget,
        space=budget.space,
        summary=_("Ballots of “%(title)s” counted again") % {"title": budget.title},
        public=True,
    )
    results_schedule(budget)
