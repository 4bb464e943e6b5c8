"""Ballots: checking a ballot against the budget's limits, the running total, casting and changing a ballot,
and paper ballots recorded by a facilitator.

A ballot never names its voter. The `Voter` row records that someone voted; the `Ballot` row what was voted,
found again only through `voter_key` — an HMAC of the server's secret key, the budget and the voter's identity.
Whoever holds a copy of the database but not the secret key cannot join the two.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coproduce.core import audit
from coproduce.spaces import access as space_access

from .. import access
from ..models import (
    Ballot,
    BallotType,
    Budget,
    Eligibility,
    Phase,
    Project,
    ProjectStatus,
    Voter,
    VotingMethod,
)
from ..money import format_money

REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_.-]{0,39}$")

Choices = list[list[int]]  # [[project id, value], ...] in the voter's order


# --- Who is who: the keyed hash between a voter and their ballot -----------------------------------


def user_identity(user) -> str:
    return f"user:{user.pk}"


def reference_identity(reference: str) -> str:
    return f"ref:{reference}"


def voter_key(budget_id: int, identity: str, secret: str | None = None) -> str:
    secret = settings.SECRET_KEY if secret is None else secret
    message = f"coproduce.budgets.ballot:{budget_id}:{identity}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def voter_keys(budget_id: int, identity: str) -> list[str]:
    """The key under the current secret, then under each old one (SECRET_KEY_FALLBACKS), so that rotating
    the secret key while a vote is open does not give a voter a second ballot."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [voter_key(budget_id, identity, secret) for secret in secrets]


def ballot_of(budget: Budget, identity: str) -> Ballot | None:
    return Ballot.objects.filter(budget=budget, voter_key__in=voter_keys(budget.pk, identity)).first()


# --- Checking a ballot ------------------------------------------------------------------------------


def on_ballot(budget: Budget) -> dict[int, Project]:
    """The projects voters choose from (those found feasible), by id."""
    return {
        p.pk: p for p in budget.projects.filter(status=ProjectStatus.FEASIBLE).order_by("submitted_at", "id")
    }


def _pairs(choices: Iterable[Sequence[int]] | Mapping[int, int]) -> list[tuple[int, int]]:
    items = choices.items() if isinstance(choices, Mapping) else choices
    pairs = []
    for item in items:
        project_id, value = item
        pairs.append((int(project_id), int(value)))
    return pairs


def validate_choices(budget: Budget, projects: Mapping[int, Project], choices) -> Choices:
    """The ballot in its stored form, or a ValidationError listing every problem in plain words.

    `choices` are (project id, value) pairs: value is ignored for approval and knapsack ballots, is the rank
    for ranked ballots and the points for cumulative and scoring ballots (0 means "not chosen").
    """
    try:
        pairs = _pairs(choices)
    except (TypeError, ValueError) as error:
        raise ValidationError(_("The ballot could not be read."), code="unreadable") from error
    kind = budget.ballot_type
    if kind in (BallotType.CUMULATIVE, BallotType.SCORING, BallotType.RANKED):
        if any(value < 0 for _pid, value in pairs):
            raise ValidationError(_("Points and ranks cannot be below zero."), code="negative")
        pairs = [(pid, value) for pid, value in pairs if value > 0]
    errors: list[ValidationError] = []
    ids = [pid for pid, _value in pairs]
    if len(set(ids)) != len(ids):
        errors.append(ValidationError(_("The ballot names a project twice."), code="duplicate"))
    if any(pid not in projects for pid in ids):
        errors.append(
            ValidationError(_("The ballot names a project that is not on the ballot paper."), code="unknown")
        )
    if errors:
        raise ValidationError(errors)
    if not pairs:
        raise ValidationError(_("Choose at least one project."), code="empty")

    count = len(pairs)
    if kind == BallotType.APPROVAL:
        if count < budget.min_projects:
            errors.append(
                ValidationError(
                    ngettext(
                        "Choose at least %(n)s project.",
                        "Choose at least %(n)s projects.",
                        budget.min_projects,
                    )
                    % {"n": budget.min_projects},
                    code="too_few",
                )
            )
        if budget.max_projects is not None and count > budget.max_projects:
            errors.append(
                ValidationError(
                    ngettext(
                        "Choose at most %(n)s project.", "Choose at most %(n)s projects.", budget.max_projects
                    )
                    % {"n": budget.max_projects},
                    code="too_many",
                )
            )
        stored = [[pid, 1] for pid in ids]
    elif kind == BallotType.KNAPSACK:
        total = sum((projects[pid].cost for pid in ids), Decimal(0))
        if total > budget.amount:
            errors.append(
                ValidationError(
                    _("Your projects cost %(total)s, more than the budget of %(amount)s. Remove a project.")
                    % {
                        "total": format_money(total, budget.currency),
                        "amount": format_money(budget.amount, budget.currency),
                    },
                    code="over_budget",
                )
            )
        elif total < budget.min_spend:
            errors.append(
                ValidationError(
                    _(
                        "Your projects cost %(total)s. Choose projects worth at least %(least)s (%(share)s%% of the budget)."
                    )
                    % {
                        "total": format_money(total, budget.currency),
                        "least": format_money(budget.min_spend, budget.currency),
                        "share": budget.min_share_percent,
                    },
                    code="under_minimum",
                )
            )
        stored = [[pid, 1] for pid in ids]
    elif kind == BallotType.CUMULATIVE:
        used = sum(value for _pid, value in pairs)
        if budget.points_total is not None and used > budget.points_total:
            errors.append(
                ValidationError(
                    _("You gave %(used)s points, but you have %(total)s to share.")
                    % {"used": used, "total": budget.points_total},
                    code="too_many_points",
                )
            )
        cap = budget.max_points_per_project
        if cap is not None and any(value > cap for _pid, value in pairs):
            errors.append(
                ValidationError(
                    _("Give each project at most %(n)s points.") % {"n": cap}, code="too_many_for_one"
                )
            )
        stored = [[pid, value] for pid, value in pairs]
    elif kind == BallotType.SCORING:
        cap = budget.max_points_per_project or 0
        if any(value > cap for _pid, value in pairs):
            errors.append(
                ValidationError(_("Scores go from 0 to %(n)s.") % {"n": cap}, code="score_too_high")
            )
        stored = [[pid, value] for pid, value in pairs]
    else:  # ranked: the order of the ranks is what counts; gaps (1, 2, 4) close up
        ranks = [value for _pid, value in pairs]
        if len(set(ranks)) != len(ranks):
            errors.append(ValidationError(_("Give each project a different rank."), code="same_rank"))
        if budget.max_ranked is not None and count > budget.max_ranked:
            errors.append(
                ValidationError(
                    ngettext("Rank at most %(n)s project.", "Rank at most %(n)s projects.", budget.max_ranked)
                    % {"n": budget.max_ranked},
                    code="too_many",
                )
            )
        ordered = sorted(pairs, key=lambda pair: pair[1])
        stored = [[pid, position] for position, (pid, _rank) in enumerate(ordered, start=1)]
    if errors:
        raise ValidationError(errors)
    return stored


@dataclass
class RunningTotal:
    """What the voting page shows beside the ballot: how much is chosen, and what is still allowed."""

    count: int = 0
    cost: Decimal = Decimal(0)
    points: int = 0
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    share_percent: int = 0  # of the budget, for the knapsack bar

    @property
    def ok(self) -> bool:
        return not self.problems


def running_total(budget: Budget, projects: Mapping[int, Project], choices) -> RunningTotal:
    """Plain-words summary of a (possibly unfinished) ballot; never raises."""
    try:
        pairs = [(pid, value) for pid, value in _pairs(choices) if pid in projects]
    except (TypeError, ValueError):
        pairs = []
    kind = budget.ballot_type
    if kind != BallotType.APPROVAL and kind != BallotType.KNAPSACK:
        pairs = [(pid, value) for pid, value in pairs if value > 0]
    chosen = list(dict.fromkeys(pid for pid, _value in pairs))
    total = RunningTotal(count=len(chosen), cost=sum((projects[p].cost for p in chosen), Decimal(0)))
    total.points = sum(value for _pid, value in pairs)
    money = lambda value: format_money(value, budget.currency)  # noqa: E731
    if kind == BallotType.APPROVAL:
        total.lines.append(
            ngettext("You have chosen %(n)s project.", "You have chosen %(n)s projects.", total.count)
            % {"n": total.count}
        )
        if budget.max_projects is not None:
            left = max(0, budget.max_projects - total.count)
            total.lines.append(
                ngettext("You can choose %(n)s more.", "You can choose %(n)s more.", left) % {"n": left}
            )
        if total.count < budget.min_projects:
            total.lines.append(
                ngettext(
                    "Choose at least %(n)s project.", "Choose at least %(n)s projects.", budget.min_projects
                )
                % {"n": budget.min_projects}
            )
    elif kind == BallotType.KNAPSACK:
        left = budget.amount - total.cost
        total.share_percent = min(100, int(total.cost * 100 / budget.amount)) if budget.amount else 0
        total.lines.append(
            _("Your projects cost %(total)s of %(amount)s.")
            % {"total": money(total.cost), "amount": money(budget.amount)}
        )
        if left >= 0:
            total.lines.append(_("%(left)s is left to spend.") % {"left": money(left)})
        if budget.min_share_percent and total.cost < budget.min_spend:
            total.lines.append(
                _("Spend at least %(least)s (%(share)s%% of the budget).")
                % {"least": money(budget.min_spend), "share": budget.min_share_percent}
            )
    elif kind == BallotType.CUMULATIVE:
        points_total = budget.points_total or 0
        total.lines.append(
            _("You have given %(used)s of your %(total)s points.")
            % {"used": total.points, "total": points_total}
        )
        if total.points <= points_total:
            total.lines.append(
                ngettext("%(n)s point is left.", "%(n)s points are left.", points_total - total.points)
                % {"n": points_total - total.points}
            )
    elif kind == BallotType.SCORING:
        total.lines.append(
            ngettext("You have scored %(n)s project.", "You have scored %(n)s projects.", total.count)
            % {"n": total.count}
        )
    else:
        total.lines.append(
            ngettext("You have ranked %(n)s project.", "You have ranked %(n)s projects.", total.count)
            % {"n": total.count}
        )
        if budget.max_ranked is not None:
            left = max(0, budget.max_ranked - total.count)
            total.lines.append(
                ngettext("You can rank %(n)s more.", "You can rank %(n)s more.", left) % {"n": left}
            )
    if pairs:
        try:
            validate_choices(budget, projects, pairs)
        except ValidationError as error:
            total.problems = list(error.messages)
    else:
        total.problems = [_("Choose at least one project.")]
    return total


# --- Casting a ballot ---------------------------------------------------------------------------------


def _lock_for_voting(budget: Budget) -> Budget:
    """Lock the budget row while a ballot is written: a host closing the vote waits for ballots in flight,
    and a ballot arriving after the close sees the new phase — no ballot lands after the count."""
    locked = Budget.objects.select_for_update().select_related("space").get(pk=budget.pk)
    if locked.phase != Phase.VOTE:
        raise ValidationError(_("Voting is not open."), code="closed")
    return locked


def _voter_row(budget: Budget, **identity) -> tuple[Voter, bool]:
    """The voter's row, created if this is their first ballot. Two first ballots sent at once both try to
    insert it; the unique constraint lets one in and the other (in its savepoint) then finds that row."""
    voter = Voter.objects.select_for_update().filter(budget=budget, **identity).first()
    if voter is not None:
        return voter, False
    try:
        with transaction.atomic():
            return Voter.objects.create(budget=budget, **identity), True
    except IntegrityError:
        return Voter.objects.select_for_update().get(budget=budget, **identity), False


def _store_ballot(budget: Budget, identity: str, choices: Choices) -> None:
    """Insert the ballot, or replace its choices. Same race, same answer as `_voter_row`."""
    keys = voter_keys(budget.pk, identity)
    ballot = Ballot.objects.select_for_update().filter(budget=budget, voter_key__in=keys).first()
    if ballot is None:
        try:
            with transaction.atomic():
                Ballot.objects.create(budget=budget, voter_key=keys[0], choices=choices)
                return
        except IntegrityError:
            ballot = Ballot.objects.select_for_update().get(budget=budget, voter_key=keys[0])
    ballot.choices, ballot.voter_key = choices, keys[0]
    ballot.full_clean()
    ballot.save(update_fields=["choices", "voter_key"])


def _checked(budget: Budget, choices, *, confirm_missing: bool, confirm_message: str) -> Choices:
    """The stored ballot, or one ValidationError with every problem: the choices and the confirmation."""
    errors: dict[str, list[str]] = {}
    stored: Choices = []
    try:
        stored = validate_choices(budget, on_ballot(budget), choices)
    except ValidationError as error:
        errors["choices"] = list(error.messages)
    if confirm_missing:
        errors["confirm"] = [confirm_message]
    if errors:
        raise ValidationError(errors)
    return stored


def needs_confirmation(actor, budget: Budget) -> bool:
    """Residents' budgets ask each voter once to confirm they live or work in the area (and their age)."""
    if budget.eligibility != Eligibility.RESIDENTS:
        return False
    return not Voter.objects.filter(budget=budget, user=actor, confirmed_eligibility=True).exists()


def ballot_check(*, actor, budget: Budget, choices, confirmed_eligibility: bool = False) -> Choices:
    """Everything `ballot_submit` checks, without saving: for the page that asks the voter to confirm."""
    allowed, reason = access.voting_permission(actor, budget)
    if not allowed:
        raise PermissionDenied(reason)
    return _checked(
        budget,
        choices,
        confirm_missing=needs_confirmation(actor, budget) and not confirmed_eligibility,
        confirm_message=access.eligibility_question(budget),
    )


@transaction.atomic
def ballot_submit(*, actor, budget: Budget, choices, confirmed_eligibility: bool = False) -> Voter:
    """Cast or change the actor's own ballot."""
    budget = _lock_for_voting(budget)
    stored = ballot_check(
        actor=actor, budget=budget, choices=choices, confirmed_eligibility=confirmed_eligibility
    )
    voter, created = _voter_row(budget, user=actor)
    changes = []
    if voter.method != VotingMethod.ONLINE or voter.recorded_by_id is not None:
        # A ballot recorded for them on paper is now their own, and nobody else may change it.
        voter.method, voter.recorded_by = VotingMethod.ONLINE, None
        changes += ["method", "recorded_by"]
    if confirmed_eligibility and not voter.confirmed_eligibility:
        voter.confirmed_eligibility = True
        changes.append("confirmed_eligibility")
    if not created:
        voter.changed_at = timezone.now()
        changes.append("changed_at")
    if changes:
        voter.save(update_fields=changes)
    _store_ballot(budget, user_identity(actor), stored)
    audit.record(
        actor=actor,
        action="ballot.cast" if created else "ballot.changed",
        target=voter,
        space=budget.space,
        summary=(_("Voted in “%(budget)s”") if created else _("Changed their ballot in “%(budget)s”"))
        % {"budget": budget.title},
    )
    return voter


@transaction.atomic
def paper_ballot_record(
    *,
    actor,
    budget: Budget,
    choices,
    member=None,
    reference: str = "",
    confirmed_eligibility: bool = False,
) -> Voter:
    """A facilitator records a ballot cast on paper or with help: for a member of the space whom they may
    act for (`spaces.access.can_act_for`: no account, or asked for help), or for a resident without an
    account, by the reference number written on the paper ballot. A ballot the member cast online
    themself is never replaced (`Conflict`)."""
    budget = _lock_for_voting(budget)
    if not space_access.has_role(actor, budget.space, space_access.FACILITATOR):
        raise PermissionDenied(_("Only facilitators and hosts can record paper ballots."))
    reference = (reference or "").strip()
    if (member is None) == (not reference):
        raise ValidationError(
            {"member": [_("Choose the member who voted, or give the reference number of a paper ballot.")]}
        )
    stored = _checked(
        budget,
        choices,
        confirm_missing=budget.eligibility == Eligibility.RESIDENTS and not confirmed_eligibility,
        confirm_message=_("Confirm that you checked this person may vote."),
    )
    if member is not None:
        # The same rule as every other "on behalf" path: people without an account, or who asked for help.
        space_access.can_act_for(actor, member, budget.space).enforce("member")
        existing = Voter.objects.filter(budget=budget, user=member).first()
        if existing is not None and existing.method == VotingMethod.ONLINE and member.pk != actor.pk:
            # Once a person has voted themself, their ballot is theirs alone.
            raise space_access.Conflict(
                {
                    "member": [
                        _(
                            "%(name)s has already voted online. Only they can change their ballot, "
                            "until voting closes."
                        )
                        % {"name": member}
                    ]
                }
            )
        identity, who = user_identity(member), {"user": member}
    else:
        if not REFERENCE.match(reference):
            raise ValidationError({"reference": [_("Use up to 40 letters, digits, dashes or slashes.")]})
        if budget.eligibility == Eligibility.MEMBERS:
            raise ValidationError(
                {
                    "reference": [
                        _(
                            "Only members vote in this budget. Add the person as a member who takes part with help first, "
                            "then record their ballot for them."
                        )
                    ]
                }
            )
        if Voter.objects.filter(budget=budget, reference=reference).exists():
            raise ValidationError(
                {"reference": [_("A ballot with this reference number is already recorded.")]}
            )
        identity, who = reference_identity(reference), {"reference": reference}
    voter, created = _voter_row(budget, **who)
    voter.method, voter.recorded_by = VotingMethod.PAPER, actor
    voter.confirmed_eligibility = voter.confirmed_eligibility or confirmed_eligibility
    fields = ["method", "recorded_by", "confirmed_eligibility"]
    if not created:
        voter.changed_at = timezone.now()
        fields.append("changed_at")
    voter.save(update_fields=fields)
    _store_ballot(budget, identity, stored)
    audit.record(
        actor=actor,
        on_behalf_of=member,
        action="ballot.paper_recorded",
        target=voter,
        space=budget.space,
        summary=(_("Paper ballot recorded for %(name)s") % {"name": member})
        if member is not None
        else _("Paper ballot recorded with reference %(reference)s") % {"reference": reference},
    )
    return voter
