"""Creating a budget, changing its settings and moving it through its phases."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.notifications.services import notify
from coproduce.people.models import User
from coproduce.spaces import access as space_access
from coproduce.spaces.models import Space, Stage, StageKind

from .. import access
from ..models import PHASE_ORDER, Ballot, Budget, BudgetResult, Phase, rule_pairing_problem
from .results import results_schedule

BUDGET_FIELDS = [
    "title",
    "description",
    "amount",
    "currency",
    "collect_from",
    "review_from",
    "vote_from",
    "results_from",
    "eligibility",
    "area",
    "minimum_age",
    "ballot_type",
    "min_projects",
    "max_projects",
    "min_share_percent",
    "points_total",
    "max_points_per_project",
    "max_ranked",
    "rule",
    "tie_break",
    "threshold",
]
# Once voting opens, the ballot and the rule are what voters were promised: changing them would change the
# meaning of ballots already cast, or let the count be chosen after seeing the votes.
FIXED_ONCE_VOTING = [
    "amount",
    "currency",
    "eligibility",
    "area",
    "minimum_age",
    "ballot_type",
    "min_projects",
    "max_projects",
    "min_share_percent",
    "points_total",
    "max_points_per_project",
    "max_ranked",
    "rule",
    "tie_break",
    "threshold",
]
TEXT_FIELDS = {"title", "description", "area", "currency"}


def as_json(changes: dict) -> dict:
    """Audit changes with money and dates as text (the audit log is JSON)."""

    def plain(value: object) -> object:
        if isinstance(value, Decimal):
            return str(value)
        return value.isoformat() if hasattr(value, "isoformat") else value

    return {name: [plain(v) for v in pair] for name, pair in changes.items()}


def co_commissioning_stage(space: Space) -> Stage:
    return Stage.objects.get(space=space, kind=StageKind.CO_COMMISSIONING)


def _clean_value(name: str, value: Any) -> Any:
    if name in TEXT_FIELDS and isinstance(value, str):
        value = value.strip()
        return value.upper() if name == "currency" else value
    return value


@transaction.atomic
def budget_create(*, actor: User, space: Space, **fields: Any) -> Budget:
    """A host creates a budget on the space's co-commissioning stage; it starts by collecting projects."""
    unknown = set(fields) - set(BUDGET_FIELDS)
    if unknown:
        raise ValueError(f"not a budget field: {', '.join(sorted(unknown))}")
    if not space_access.has_role(actor, space, space_access.HOST):
        raise PermissionDenied(_("Only a host can create a budget."))
    budget = Budget(space=space, stage=co_commissioning_stage(space), created_by=actor)
    for name, value in fields.items():
        setattr(budget, name, _clean_value(name, value))
    budget.full_clean()
    budget.save()
    audit.record(
        actor=actor,
        action="budget.created",
        target=budget,
        space=space,
        summary=_("Budget “%(title)s” created") % {"title": budget.title},
        changes=as_json(
            {
                name: [None, getattr(budget, name)]
                for name in BUDGET_FIELDS
                if getattr(budget, name) not in (None, "")
            }
        ),
        public=True,
    )
    return budget


@transaction.atomic
def budget_update(*, actor: User, budget: Budget, **fields: Any) -> Budget:
    unknown = set(fields) - set(BUDGET_FIELDS)
    if unknown:
        raise ValueError(f"not a budget field: {', '.join(sorted(unknown))}")
    if not space_access.has_role(actor, budget.space, space_access.HOST):
        raise PermissionDenied(_("Only a host can change a budget."))
    # Lock: a host opening voting at the same moment must not have the ballot's settings changed after it.
    budget = Budget.objects.select_for_update().select_related("space").get(pk=budget.pk)
    before = audit.snapshot(budget, BUDGET_FIELDS)
    for name, value in fields.items():
        setattr(budget, name, _clean_value(name, value))
    changes = audit.diff(budget, before, BUDGET_FIELDS)
    if budget.phase_reached(Phase.VOTE):
        fixed = [name for name in changes if name in FIXED_ONCE_VOTING]
        if fixed:
            raise ValidationError(
                {
                    name: _("This cannot change once voting has opened: voters were told it beforehand.")
                    for name in fixed
                }
            )
    budget.full_clean()
    if not changes:
        return budget
    extra = []
    if "results_from" in changes and budget.closing_reminder_sent_at is not None:
        budget.closing_reminder_sent_at = None
        extra.append("closing_reminder_sent_at")
    budget.save(update_fields=[*changes, *extra, "updated_at"])
    audit.record(
        actor=actor,
        action="budget.updated",
        target=budget,
        space=budget.space,
        summary=_("Budget “%(title)s” changed: %(fields)s")
        % {"title": budget.title, "fields": audit.field_names(budget, changes)},
        changes=as_json(changes),
        public=True,
    )
    return budget


@transaction.atomic
def budget_advance_phase(*, actor: User, budget: Budget, to: str, confirm: bool = False) -> Budget:
    """Move the budget to the next phase. Closing the vote counts the ballots, and needs ``confirm``: the host
    has been shown how many have voted and the planned end date (see `selectors.closing_facts`). The results are then
    seen by hosts only until they move the budget on to Results, which publishes them."""
    if not space_access.has_role(actor, budget.space, space_access.HOST):
        raise PermissionDenied(_("Only a host can move a budget to its next phase."))
    # Lock: ballots being written hold this row too, so none lands after voting closes (services.ballots).
    budget = Budget.objects.select_for_update().select_related("space").get(pk=budget.pk)
    if to not in PHASE_ORDER or budget.next_phase != to:
        raise ValidationError(
            {
                "phase": _("A budget moves one phase forward at a time; it is now in “%(phase)s”.")
                % {"phase": budget.get_phase_display()}
            }
        )
    if to == Phase.CLOSED and not confirm:
        raise ValidationError(
            {
                "confirm": _(
                    "Confirm that voting should close: nobody can vote or change their ballot afterwards."
                )
            }
        )
    if to == Phase.VOTE and budget.rule_ignores_ballot:
        raise ValidationError({"phase": rule_pairing_problem(budget.ballot_type, budget.rule)})
    if to == Phase.VOTE and not budget.projects.filter(status="feasible").exists():
        raise ValidationError(
            {"phase": _("No project has been found feasible yet, so there is nothing to vote on.")}
        )
    old = budget.phase
    budget.phase = to
    budget.save(update_fields=["phase", "updated_at"])
    event = audit.record(
        actor=actor,
        action="budget.phase_changed",
        target=budget,
        space=budget.space,
        summary=_("Budget “%(title)s”: now %(phase)s")
        % {"title": budget.title, "phase": budget.get_phase_display()},
        changes={"phase": [old, to]},
        public=True,
    )
    if to == Phase.CLOSED:
        _shuffle_ballots(budget)
        results_schedule(budget)
    elif to == Phase.VOTE:
        _tell_members(budget, "budget_voting_opened", actor=actor, key=f"{budget.pk}:{event.pk}")
    elif to == Phase.RESULTS:
        _tell_members(budget, "budget_results_published", actor=actor, key=str(budget.pk))
    return budget


def _tell_members(budget: Budget, kind: str, *, actor: User, key: str) -> None:
    """Tell the members of the budget's space (those who may vote, whatever the eligibility: people outside
    the space are not known to it) that voting opened or the results are out."""
    notify(
        kind=kind,
        recipients=User.objects.filter(memberships__space_id=budget.space_id),
        params={"title": budget.title},
        url=budget.get_absolute_url(),
        space=budget.space,
        actor=actor,
        key=f"{kind}:{key}",
    )


@transaction.atomic
def budget_reopen_voting(*, actor: User, budget: Budget, reason: str) -> Budget:
    """Open voting again after it was closed, until the results are published; the reason is public."""
    if not access.can_manage(actor, budget):
        raise PermissionDenied(_("Only a host can reopen voting."))
    # Lock: another host publishing the results at the same moment, or a count being stored, waits or sees
    # voting open again; voting never reopens on published results.
    budget = Budget.objects.select_for_update().select_related("space").get(pk=budget.pk)
    if budget.phase == Phase.RESULTS:
        raise ValidationError(
            {"phase": _("The results are published, so voting cannot open again.")}, code="published"
        )
    if budget.phase != Phase.CLOSED:
        raise ValidationError(
            {"phase": _("Voting can only be reopened after it has closed.")}, code="not_closed"
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why voting opens again: everyone taking part can read it.")})
    if len(reason) > 2000:
        raise ValidationError({"reason": _("Keep the reason to 2,000 characters or fewer.")})
    budget.phase = Phase.VOTE
    budget.save(update_fields=["phase", "updated_at"])
    BudgetResult.objects.filter(budget=budget).delete()  # the count of a vote that is not over
    event = audit.record(
        actor=actor,
        action="budget.voting_reopened",
        target=budget,
        space=budget.space,
        summary=_("Voting on “%(title)s” opened again: %(reason)s")
        % {"title": budget.title, "reason": reason},
        changes={"phase": [Phase.CLOSED.value, Phase.VOTE.value], "reason": ["", reason]},
        public=True,
    )
    _tell_members(budget, "budget_voting_opened", actor=actor, key=f"{budget.pk}:{event.pk}")
    return budget


def _shuffle_ballots(budget: Budget) -> None:
    """Rewrite the ballots in a random order once voting closes. Ballot rows carry no time and a random id,
    but the database still stores rows in the order they were written (SQLite's rowid, PostgreSQL's heap);
    rewritten, that order no longer follows the order in which people voted."""
    ballots = list(Ballot.objects.filter(budget=budget).values("voter_key", "choices", "fields"))
    random.SystemRandom().shuffle(ballots)
    Ballot.objects.filter(budget=budget).delete()
    Ballot.objects.bulk_create([Ballot(budget=budget, **row) for row in ballots], batch_size=2000)
