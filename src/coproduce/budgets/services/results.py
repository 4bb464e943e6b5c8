"""Counting: turn the ballots in the database into a `coproduce.lib.pb` Election and run every rule on it.

The budget's own rule decides; the other rules are run too, for the comparison panel. Results are cached per
budget and rule (`BudgetResult`) once voting has closed: counting a city-sized vote takes seconds, and the
ballots can no longer change. A host can count again on demand; a large count goes through the task queue.

Tie-breaking: every rule in the library breaks an exact tie in favour of the project whose id sorts first.
Projects are therefore given ids in the order of the budget's tie-breaking (by default the cheaper project
first, then the one submitted first), so one setting decides ties the same way in every rule.
"""

from __future__ import annotations

from fractions import Fraction

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.lib.pb import RULES, Election, make_election, run_rule, voters_with_a_funded_project
from coproduce.lib.pb.election import format_number

from .. import access
from ..models import (
    RULES_FOR_BALLOT,
    Ballot,
    BallotType,
    Budget,
    BudgetResult,
    Phase,
    Project,
    ProjectStatus,
    TieBreak,
)

# Up to this many ballots a count runs at once in the request; above, it goes through the task queue.
INLINE_BALLOTS = 20_000

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


def counted_rules(budget: Budget) -> list[str]:
    """The rules counted for a budget: those that use what its ballots say, and always its own rule."""
    usable = RULES_FOR_BALLOT[budget.ballot_type]
    return [rule for rule in RULES if rule in usable or rule == budget.rule]


def _text(value) -> str | None:
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
    """Count now and keep the outcome of every rule."""
    ballots = Ballot.objects.filter(budget=budget).count()
    stored = []
    for rule, data in count(budget).items():
        result, _created = BudgetResult.objects.update_or_create(
            budget=budget, rule=rule, defaults={"ballots": ballots, "data": data}
        )
        stored.append(result)
    return stored


def results_schedule(budget: Budget) -> None:
    """After the current transaction commits: count at once, or through the task queue for a large vote."""
    budget_id = budget.pk

    def start() -> None:
        if Ballot.objects.filter(budget_id=budget_id).count() > INLINE_BALLOTS:
            from ..tasks import count_budget

            count_budget(budget_id)
        else:
            results_store(Budget.objects.get(pk=budget_id))

    transaction.on_commit(start)


@transaction.atomic
def results_recount(*, actor, budget: Budget) -> None:
    """A host asks for the ballots to be counted again (for example after the counting code was updated)."""
    if not access.can_manage(actor, budget):
        raise PermissionDenied(_("Only a host can ask for a recount."))
    if budget.phase not in (Phase.CLOSED, Phase.RESULTS):
        raise ValidationError(_("Ballots are counted once voting has closed."), code="not_closed")
    BudgetResult.objects.filter(budget=budget).delete()
    audit.record(
        actor=actor,
        action="budget.recounted",
        target=budget,
        space=budget.space,
        summary=_("Ballots of “%(title)s” counted again") % {"title": budget.title},
        public=True,
    )
    results_schedule(budget)


def cached_results(budget: Budget, *, count_if_missing: bool = True) -> dict[str, dict] | None:
    """The outcome of every rule, or None while it is being counted (or before voting closed). Between closing
    and publishing, only hosts may be shown it (`access.can_see_results`)."""
    if budget.phase not in (Phase.CLOSED, Phase.RESULTS):
        return None
    rows = list(BudgetResult.objects.filter(budget=budget))
    ballots = Ballot.objects.filter(budget=budget).count()
    if {row.rule for row in rows} == set(counted_rules(budget)) and all(
        row.ballots == ballots for row in rows
    ):
        return {row.rule: row.data for row in rows}
    if not count_if_missing:
        return None
    if ballots > INLINE_BALLOTS:
        return None  # the task queued when voting closed (or by a recount) is counting it
    return {row.rule: row.data for row in results_store(budget)}
