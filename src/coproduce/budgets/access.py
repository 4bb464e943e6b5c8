"""Who may see and do what with budgets. The pages, their templates (through the context), the services and
the API all ask these functions; none of them decides again.

Anyone who may see a space may read its budgets, projects and (once published) results: everyone for a public
space, members for a private one; outsiders get "not found". Members submit projects; facilitators review
them, record paper ballots and make adopted ideas into projects; hosts create budgets, move them through their
phases, see the results before they are published, import and export files. Who may vote is the budget's own
setting: members of the space, or anyone registered who confirms they live or work in the area. A person's
ballot is theirs alone to see; a paper ballot is recorded for someone only as `spaces.access.can_act_for`
allows (the one rule for acting on someone's behalf).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from coproduce.core.prepared import Prepared, Together, together
from coproduce.spaces import access as space_access
from coproduce.spaces.access import Decision
from coproduce.spaces.models import Membership, Space

from .models import Budget, Eligibility, Phase, Project

# Asked on every budget page (on a voting evening, most pages), with their SQL built once and read with the
# space and the person's membership of it in one round trip (core/prepared.py): by the space's slug and the
# budget's id (pages), or by the budget's id alone (the API).
_BUDGET_BY_SLUG = Prepared(lambda slug, pk: Budget.objects.filter(space__slug=slug, pk=pk), values=(str, int))
_BUDGET = Prepared(lambda budget_id: Budget.objects.filter(pk=budget_id), values=(int,))
_SPACE_OF_BUDGET = Prepared(lambda budget_id: Space.objects.filter(budgets__pk=budget_id), values=(int,))
_MEMBERSHIP_OF_BUDGET = Prepared(
    lambda budget_id, user_id: Membership.objects.filter(space__budgets__pk=budget_id, user_id=user_id),
    values=(int, int),
)


def get_budget_in(user, slug: str, budget_id: int, *, need: str | None = None) -> Budget:
    """The budget of the space of `slug`, read with the space in one round trip: Http404 for those who may not
    see the space (never revealing that it exists) or when the budget is not of it; PermissionDenied when
    `need` (a space role: member, facilitator, host) is missing."""
    return get_budget_and(user, slug, budget_id, need=need)[0]


def get_budget_and(
    user,
    slug: str,
    budget_id: int,
    *also: tuple[Prepared, tuple],
    many: tuple[Prepared, tuple] | None = None,
    need: str | None = None,
) -> tuple[Any, ...]:
    """`get_budget_in`, and what each of `also` (a prepared query of one row at most and its values: the
    person's ballot, their voter record) finds, and the rows of `many` (the budget's counts), in the same
    round trip: `(budget, found, ..., rows)`."""
    space, budget, *found = space_access.get_space_and(
        user, slug, *_with_budget(slug, budget_id, also), many=many
    )
    if budget is None:
        raise Http404
    budget.space = space
    if need is not None and not space_access.has_role(user, space, need):
        raise PermissionDenied
    return (budget, *found)


def budget_read(
    user, slug: str, budget_id: int, *also: tuple[Prepared, tuple], many: tuple[Prepared, tuple] | None = None
) -> tuple[Together, tuple]:
    """The statement `get_budget_and` asks and its values, for a page to declare what it reads first
    (core/ahead.py)."""
    return space_access.space_read(user, slug, *_with_budget(slug, budget_id, also), many=many)


def _with_budget(slug: str, budget_id: int, also: tuple) -> tuple[tuple[Prepared, tuple], ...]:
    return ((_BUDGET_BY_SLUG, (slug, int(budget_id))), *also)


def get_budget_for(user, budget_id: int, *, need: str | None = None) -> Budget:
    """The budget by its id alone (the API's budget pages), with its space: `get_budget_in`'s answers."""
    return get_budget_with_rows(user, budget_id, need=need)[0]


def get_budget_with_rows(
    user, budget_id: int, *, many: tuple[Prepared, tuple] | None = None, need: str | None = None
) -> tuple[Budget, list]:
    """`get_budget_for`, and the rows `many` finds (the budget's counts), read with the budget, its space and
    the person's membership of it in one round trip: `(budget, rows)`, the rows for the caller to use once it
    knows the person may see them."""
    query, values = budget_by_id_read(user, budget_id, many=many)
    if user.is_authenticated:
        budget, space, membership, *found = query.first(*values)
        space_access.note_membership(user, space, membership)
    else:
        budget, space, *found = query.first(*values)
    if budget is None or not space_access.can_view(user, space):
        raise Http404
    budget.space = space
    if need is not None and not space_access.has_role(user, space, need):
        raise PermissionDenied
    return budget, (found[0] if many else [])


def budget_by_id_read(
    user, budget_id: int, *, many: tuple[Prepared, tuple] | None = None
) -> tuple[Together, tuple]:
    """The statement `get_budget_with_rows` asks and its values (core/ahead.py)."""
    pk = int(budget_id)
    rows = many[0] if many else None
    extra = (many[1],) if many else ()
    if user.is_authenticated:
        return together(_BUDGET, _SPACE_OF_BUDGET, _MEMBERSHIP_OF_BUDGET, many=rows), (
            (pk,),
            (pk,),
            (pk, user.pk),
            *extra,
        )
    return together(_BUDGET, _SPACE_OF_BUDGET, many=rows), ((pk,), (pk,), *extra)


def get_project_for(user, project_id: int, *, budget: Budget) -> Project:
    """A project of a budget the caller may already see."""
    project = (
        Project.objects.select_related("submitted_by", "reviewed_by")
        .filter(budget=budget, pk=project_id)
        .first()
    )
    if project is None:
        raise Http404
    project.budget = budget
    return project


def can_manage(user, budget: Budget) -> bool:
    return space_access.has_role(user, budget.space, space_access.HOST)


def can_review(user, budget: Budget) -> bool:
    return space_access.has_role(user, budget.space, space_access.FACILITATOR)


def can_submit_project(user, budget: Budget) -> bool:
    return budget.phase == Phase.COLLECT and space_access.has_role(user, budget.space, space_access.MEMBER)


def can_edit_project(user, project: Project) -> bool:
    """The person who submitted it, while projects are collected; facilitators until voting opens."""
    budget = project.budget
    if can_review(user, budget):
        return budget.phase in (Phase.COLLECT, Phase.REVIEW)
    return (
        budget.phase == Phase.COLLECT
        and user.is_authenticated
        and project.submitted_by_id == user.pk
        and space_access.has_role(user, budget.space, space_access.MEMBER)
    )


def can_see_results(user, budget: Budget) -> bool:
    """Everyone who may see the budget once results are published; hosts already while voting is closed and the
    results wait to be published (to check them, or to reopen voting)."""
    if budget.phase == Phase.RESULTS:
        return True
    return budget.phase == Phase.CLOSED and can_manage(user, budget)


def can_reopen_voting(user, budget: Budget) -> bool:
    return budget.phase == Phase.CLOSED and can_manage(user, budget)


def can_export(user, budget: Budget) -> bool:
    """Hosts at any time; everyone who may see the results once they are published (ballots are anonymous)."""
    return can_manage(user, budget) or budget.phase == Phase.RESULTS


def eligibility_question(budget: Budget) -> str:
    area = budget.area or budget.space.place or _("the area")
    if budget.minimum_age:
        return _("Confirm that you live or work in %(area)s and are %(age)s or older.") % {
            "area": area,
            "age": budget.minimum_age,
        }
    return _("Confirm that you live or work in %(area)s.") % {"area": area}


def can_vote(user, budget: Budget) -> Decision:
    """May this person cast (or change) their own ballot now? If not, `reason` says why, in words to show them."""
    if budget.phase != Phase.VOTE:
        return Decision(False, _("Voting is not open."))
    if not user.is_authenticated:
        return Decision(False, _("Sign in to vote."), role=True)
    if not space_access.can_view(user, budget.space):
        return Decision(False, _("Voting is not open."), role=True)
    if budget.eligibility == Eligibility.MEMBERS and not space_access.has_role(
        user, budget.space, space_access.MEMBER
    ):
        return Decision(
            False,
            _("Only members of this space can vote in this budget. Ask to join the space first."),
            role=True,
        )
    return Decision(True)


def can_see_own_ballot(user, budget: Budget) -> bool:
    """Everyone signed in who may see the budget may see their own ballot (and nobody else's: a ballot is
    found only through its voter's keyed hash)."""
    return bool(user.is_authenticated) and space_access.can_view(user, budget.space)


def can_record_paper_ballots(user, budget: Budget) -> Decision:
    """Facilitators and hosts record ballots cast on paper or with help, while voting is open. For whom is
    `spaces.access.can_act_for` (members), or a paper ballot's reference number (residents' budgets)."""
    if not can_review(user, budget):
        return Decision(False, _("Only facilitators and hosts can record paper ballots."), role=True)
    if budget.phase != Phase.VOTE:
        return Decision(False, _("Voting is not open."))
    return Decision(True)


def can_print_ballots(user, budget: Budget) -> Decision:
    """Facilitators and hosts print paper ballot sheets, once the projects on the ballot are known (from the
    review) until voting closes."""
    if not can_review(user, budget):
        return Decision(False, _("Only facilitators and hosts can print ballot sheets."), role=True)
    if budget.phase not in (Phase.REVIEW, Phase.VOTE):
        return Decision(
            False, _("Ballot sheets can be printed from the review of projects until voting closes.")
        )
    return Decision(True)


def can_make_projects_from_ideas(user, budget: Budget) -> Decision:
    """Facilitators and hosts make an adopted idea of the space a project, while projects are collected."""
    if not can_review(user, budget):
        return Decision(
            False, _("Only facilitators and hosts can turn an idea into a budget project."), role=True
        )
    if budget.phase != Phase.COLLECT:
        return Decision(False, _("Projects are no longer being collected for this budget."))
    return Decision(True)


def results_page_audience(user, budget: Budget) -> tuple:
    """Who is shown the same results page (core/kept_pages.py): the same budget as last changed, and the same
    answers to what the page asks (whether the results may be seen, and the hosts' actions under them)."""
    return (
        budget.pk,
        budget.updated_at.timestamp(),
        budget.phase,
        can_see_results(user, budget),
        can_manage(user, budget),
        can_reopen_voting(user, budget),
        can_export(user, budget),
    )


def ballot_paper_audience(user, budget: Budget, voter) -> tuple:
    """Who is shown the same ballot paper, apart from their own ticks (core/shared.py): everyone who may vote
    in the budget (`can_vote`, asked first), asked to confirm their eligibility or not (`voter`: their voter
    record of the budget, or None, as the page read it)."""
    from .selectors import needs_confirmation  # selectors ask access

    return (budget.pk, budget.updated_at.timestamp(), needs_confirmation(user, budget, voter=voter))
