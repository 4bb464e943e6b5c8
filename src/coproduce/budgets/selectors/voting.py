"""Reads for voting: the ballot paper, a voter's own ballot (found only through its keyed hash), the running
total beside a ballot being filled in, and the checks a ballot passes before it is stored."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coproduce.core.prepared import Prepared
from coproduce.people.models import User
from coproduce.spaces import access as space_access

from .. import access
from ..choices import Choices, as_pairs, validate_choices
from ..keys import user_identity, voter_keys
from ..models import Ballot, BallotType, Budget, Eligibility, Project, ProjectStatus, Voter
from ..money import format_money


def on_ballot(budget: Budget, *, among: Iterable[int] | None = None) -> dict[int, Project]:
    """The projects voters choose from (those found feasible), by id; only those `among` when given."""
    projects = budget.projects.filter(status=ProjectStatus.FEASIBLE)
    if among is not None:
        projects = projects.filter(pk__in=list(among))
    return {p.pk: p for p in projects.order_by("submitted_at", "id")}


# Asked on every voting page: their SQL built once. A ballot is looked for under as many keys as there are
# secrets (`keys.voter_keys`): one query built for each number of them.
_BALLOT: dict[int, Prepared[Ballot]] = {}


def _ballot_query(keys: int) -> Prepared[Ballot]:
    if keys not in _BALLOT:
        _BALLOT[keys] = Prepared(
            lambda budget_id, *under: Ballot.objects.filter(
                budget_id=budget_id, voter_key__in=under
            ).order_by("pk")[:1],
            values=(int, *(str,) * keys),
        )
    return _BALLOT[keys]


def ballot_of(budget: Budget, identity: str) -> Ballot | None:
    """The ballot of a voter (`keys.user_identity` or `keys.reference_identity`), under any secret key."""
    keys = voter_keys(budget.pk, identity)
    return _ballot_query(len(keys)).first(budget.pk, *keys)


_VOTER = Prepared(
    lambda budget_id, user_id: Voter.objects.filter(budget_id=budget_id, user_id=user_id)[:1],
    values=(int, int),
)


def my_voter(user, budget: Budget) -> Voter | None:
    if not user.is_authenticated:
        return None
    return _VOTER.first(budget.pk, user.pk)


def my_choices(user, budget: Budget) -> list[list[int]]:
    """The person's own ballot, found through its keyed hash (only the server can compute it)."""
    if not user.is_authenticated:
        return []
    ballot = ballot_of(budget, user_identity(user))
    return list(ballot.choices) if ballot else []


def my_ballot_and_voter_reads(user, budget_id: int) -> tuple[tuple[Prepared, tuple], ...]:
    """The reads of the person's own ballot and voter record of a budget, to be asked with the budget in one
    round trip (`access.get_budget_and`); `choices_and_voter` makes what they found what `my_choices` and
    `my_voter` give. Nothing for someone not signed in."""
    if not user.is_authenticated:
        return ()
    keys = voter_keys(budget_id, user_identity(user))
    return ((_ballot_query(len(keys)), (budget_id, *keys)), (_VOTER, (budget_id, user.pk)))


def choices_and_voter(found) -> tuple[list[list[int]], Voter | None]:
    if not found:
        return [], None
    ballot, voter = found
    return (list(ballot.choices) if ballot else []), voter


def members_who_may_get_paper_ballots(budget: Budget, actor) -> QuerySet:
    """The people `actor` may record a ballot for (the same list as every "Who is this for?": members
    without an account, or who asked for help), less those who have voted online themself."""
    people = [m.user_id for m in space_access.people_to_act_for(actor, budget.space)]
    voted_online = Voter.objects.filter(budget=budget, user__isnull=False, method="online").values("user_id")
    return User.objects.filter(pk__in=people).exclude(pk__in=voted_online).order_by("display_name", "id")


def _named(choices) -> set[int]:
    """The project ids a ballot names; none when it cannot be read."""
    try:
        return {pid for pid, _value in as_pairs(choices)}
    except (TypeError, ValueError):
        return set()


def checked_choices(budget: Budget, choices, *, confirm_missing: bool, confirm_message: str) -> Choices:
    """The stored ballot, or one ValidationError with every problem: the choices and the confirmation."""
    errors: dict[str, list[str]] = {}
    stored: Choices = []
    with suppress(TypeError):  # not a ballot at all: validate_choices says it cannot be read
        choices = dict(choices) if isinstance(choices, Mapping) else list(choices)  # read twice below
    try:
        # Only the projects the ballot names are read (whether each is on the paper, what they cost): on a
        # voting evening the whole paper was read twice per ballot, by the page's form and here.
        stored = validate_choices(budget, on_ballot(budget, among=_named(choices)), choices)
    except ValidationError as error:
        errors["choices"] = list(error.messages)
    if confirm_missing:
        errors["confirm"] = [confirm_message]
    if errors:
        raise ValidationError(errors)
    return stored


NOT_READ = object()


def needs_confirmation(actor, budget: Budget, *, voter=NOT_READ) -> bool:
    """Residents' budgets ask each voter once to confirm they live or work in the area (and their age).
    `voter`: the person's voter record of the budget (or None), when this request has read it already."""
    if budget.eligibility != Eligibility.RESIDENTS:
        return False
    if actor.pk is None:
        return True
    if voter is NOT_READ:
        voter = _VOTER.first(budget.pk, actor.pk)
    return voter is None or not voter.confirmed_eligibility


def ballot_check(*, actor, budget: Budget, choices, confirmed_eligibility: bool = False) -> Choices:
    """Everything `services.ballot_submit` checks, without saving: for the page that asks the voter to
    confirm. The ballot in its stored form; PermissionDenied or a ValidationError (by field) when not."""
    decision = access.can_vote(actor, budget)
    if not decision:
        raise PermissionDenied(decision.reason)
    return checked_choices(
        budget,
        choices,
        confirm_missing=needs_confirmation(actor, budget) and not confirmed_eligibility,
        confirm_message=access.eligibility_question(budget),
    )


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
        pairs = [(pid, value) for pid, value in as_pairs(choices) if pid in projects]
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
        money_left = budget.amount - total.cost
        total.share_percent = min(100, int(total.cost * 100 / budget.amount)) if budget.amount else 0
        total.lines.append(
            _("Your projects cost %(total)s of %(amount)s.")
            % {"total": money(total.cost), "amount": money(budget.amount)}
        )
        if money_left >= 0:
            total.lines.append(_("%(left)s is left to spend.") % {"left": money(money_left)})
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
