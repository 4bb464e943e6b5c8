"""/api/v1/spaces/{slug}/budgets and /api/v1/budgets/{id}/...: the same access rules and services as the pages.

A person's ballot is reachable only by that person (`/budgets/{id}/ballot`); results never name voters.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Status

from coproduce.core import ahead, shared
from coproduce.core.api import AUTH, PUBLIC
from coproduce.core.ratelimit import limited
from coproduce.people.models import User
from coproduce.spaces import access as space_access

from . import access, selectors, services
from .models import Phase, ProjectStatus
from .schemas import (
    BallotIn,
    BallotOut,
    BudgetIn,
    BudgetOut,
    BudgetPatch,
    PaperBallotIn,
    PhaseIn,
    ProjectIn,
    ProjectOut,
    ReopenVotingIn,
    ResultsOut,
    ReviewIn,
)

router = Router(tags=["budgets"])
CENT = Decimal("0.01")


def _budget(budget, voters: int | None = None) -> dict:
    data = {name: getattr(budget, name) for name in BudgetOut.model_fields if hasattr(budget, name)}
    data.update(
        {
            "amount": Decimal(budget.amount).quantize(CENT),
            "space": budget.space.slug,
            "scoring": selectors.scoring_note(budget),
            "voters": voters if voters is not None else selectors.counts(budget)["voters"],
        }
    )
    return data


def _project(project, request) -> dict:
    image_url = None
    if project.image:
        image_url = request.build_absolute_uri(
            reverse("budgets:project_image", args=[project.budget.space.slug, project.budget_id, project.pk])
        )
    return {
        "id": project.pk,
        "budget": project.budget_id,
        "title": project.title,
        "description": project.description,
        "cost": Decimal(project.cost).quantize(CENT),
        "category": project.category,
        "area": project.area,
        "status": project.status,
        "review_reason": project.review_reason,
        "submitter_perspective": project.submitter_perspective,
        "submitted_at": project.submitted_at,
        "image_url": image_url,
        "cost_changes": [
            {
                "old_cost": str(c.old_cost),
                "new_cost": str(c.new_cost),
                "reason": c.reason,
                "at": c.changed_at.isoformat(),
            }
            for c in project.cost_changes.all()
        ],
    }


def _budget_for(request, budget_id: int, need: str | None = None):
    return access.get_budget_for(request.user, budget_id, need=need)


@router.get("/spaces/{slug}/budgets", response=list[BudgetOut], auth=PUBLIC)
def list_budgets(request, slug: str):
    space = space_access.get_space_for(request.user, slug)
    return [_budget(b, voters=b.voter_count) for b in selectors.budgets_of(space).select_related("space")]


@router.post("/spaces/{slug}/budgets", response={201: BudgetOut}, auth=AUTH)
def create_budget(request, slug: str, payload: BudgetIn):
    space = space_access.get_space_for(request.user, slug, need=space_access.HOST)
    budget = services.budget_create(actor=request.user, space=space, **payload.dict())
    return Status(201, _budget(budget, voters=0))


@router.get("/budgets/{budget_id}", response=BudgetOut, auth=PUBLIC)
def get_budget(request, budget_id: int):
    return _budget(_budget_for(request, budget_id))


@router.patch("/budgets/{budget_id}", response=BudgetOut, auth=AUTH)
def update_budget(request, budget_id: int, payload: BudgetPatch):
    budget = _budget_for(request, budget_id, need=space_access.HOST)
    fields = payload.dict(exclude_unset=True)
    budget = services.budget_update(actor=request.user, budget=budget, **fields)
    return _budget(budget)


@router.post("/budgets/{budget_id}/phase", response=BudgetOut, auth=AUTH)
def advance_phase(request, budget_id: int, payload: PhaseIn):
    budget = _budget_for(request, budget_id, need=space_access.HOST)
    return _budget(
        services.budget_advance_phase(
            actor=request.user, budget=budget, to=payload.to, confirm=payload.confirm
        )
    )


@router.post("/budgets/{budget_id}/reopen-voting", response=BudgetOut, auth=AUTH)
def reopen_voting(request, budget_id: int, payload: ReopenVotingIn):
    """Open voting again after it closed, until the results are published (phase 'closed' only)."""
    budget = _budget_for(request, budget_id, need=space_access.HOST)
    return _budget(services.budget_reopen_voting(actor=request.user, budget=budget, reason=payload.reason))


@router.get("/budgets/{budget_id}/projects", response=list[ProjectOut], auth=PUBLIC)
def list_projects(request, budget_id: int, status: ProjectStatus | None = None):
    budget = _budget_for(request, budget_id)
    projects = selectors.projects_of(budget, status=status or "").prefetch_related("cost_changes")
    result = []
    for project in projects:
        project.budget = budget
        result.append(_project(project, request))
    return result


@router.post("/budgets/{budget_id}/projects", response={201: ProjectOut}, auth=AUTH)
def submit_project(request, budget_id: int, payload: ProjectIn):
    budget = _budget_for(request, budget_id, need=space_access.MEMBER)
    project = services.project_submit(actor=request.user, budget=budget, **payload.dict())
    return Status(201, _project(project, request))


@router.get("/budgets/{budget_id}/projects/{project_id}", response=ProjectOut, auth=PUBLIC)
def get_project(request, budget_id: int, project_id: int):
    budget = _budget_for(request, budget_id)
    return _project(access.get_project_for(request.user, project_id, budget=budget), request)


@router.post("/budgets/{budget_id}/projects/{project_id}/review", response=ProjectOut, auth=AUTH)
def review_project(request, budget_id: int, project_id: int, payload: ReviewIn):
    budget = _budget_for(request, budget_id, need=space_access.FACILITATOR)
    project = access.get_project_for(request.user, project_id, budget=budget)
    return _project(services.project_review(actor=request.user, project=project, **payload.dict()), request)


@router.get("/budgets/{budget_id}/ballot", response=BallotOut, auth=AUTH)
def my_ballot(request, budget_id: int):
    """Your own ballot in this budget; nobody else's can be asked for."""
    budget = _budget_for(request, budget_id)
    if not access.can_see_own_ballot(request.user, budget):
        raise PermissionDenied
    voter = selectors.my_voter(request.user, budget)
    choices = selectors.my_choices(request.user, budget)
    return {
        "has_voted": voter is not None,
        "voted_at": voter.voted_at if voter else None,
        "choices": [{"project": pid, "value": value} for pid, value in choices],
    }


@router.put("/budgets/{budget_id}/ballot", response=BallotOut, auth=AUTH)
@limited("vote")
def cast_ballot(request, budget_id: int, payload: BallotIn):
    budget = _budget_for(request, budget_id)
    voter = services.ballot_submit(
        actor=request.user,
        budget=budget,
        choices=[(c.project, c.value) for c in payload.choices],
        confirmed_eligibility=payload.confirm_eligibility,
    )
    shared.only_own_changed(request)  # a secret ballot shows in nothing kept until the count
    choices = selectors.my_choices(request.user, budget)
    return {
        "has_voted": True,
        "voted_at": voter.voted_at,
        "choices": [{"project": pid, "value": value} for pid, value in choices],
    }


@router.post("/budgets/{budget_id}/paper-ballots", response={201: dict}, auth=AUTH)
def record_paper_ballot(request, budget_id: int, payload: PaperBallotIn):
    budget = _budget_for(request, budget_id)
    decision = access.can_record_paper_ballots(request.user, budget)
    if decision.role:
        raise PermissionDenied(decision.reason)
    member = None
    if payload.member is not None:
        member = User.objects.filter(pk=payload.member).first()
        if member is None:
            raise ValidationError({"member": [_("No such person.")]})
    services.paper_ballot_record(
        actor=request.user,
        budget=budget,
        choices=[(c.project, c.value) for c in payload.choices],
        member=member,
        reference=payload.reference,
        sheet=payload.sheet,
        confirmed_eligibility=payload.confirm_eligibility,
    )
    return Status(201, {"voters": selectors.counts(budget)["voters"]})


@ahead.reads("api:get_results")
def _results_reads(person, budget_id: int):
    """What the results read first (core/ahead.py): the budget with its space, and its counts."""
    return access.budget_by_id_read(person, budget_id, many=selectors.counts_read(budget_id))


@router.get("/budgets/{budget_id}/results", response=ResultsOut, auth=PUBLIC)
def get_results(request, budget_id: int):
    """The results, once published (hosts: once voting has closed). Reading never counts: while the ballots are
    being counted, `counting` is true and there is nothing else yet."""
    # The counts are read with the budget (one round trip), used only for those who may see them.
    budget, rows = access.get_budget_with_rows(request.user, budget_id, many=selectors.counts_read(budget_id))
    published = budget.phase == Phase.RESULTS
    if not access.can_see_results(request.user, budget):
        return {"published": published, "rule": budget.rule}
    counted = selectors.last_count(budget, rows)
    if counted is None:
        return {"published": published, "rule": budget.rule, "counting": True}

    def write() -> str:
        answer = {
            "published": published,
            "rule": budget.rule,
            "counted_at": counted.counted_at,
            **selectors.results_data(budget, counted),
        }
        return shared.written_json(request, answer, ResultsOut)

    # Checked and written once per count and budget version (both in the key), not on every reading.
    key = f"{selectors.results_key(budget, counted, 'api')}:{published}:{budget.rule}"
    return shared.json_response(shared.versioned(key, write))
