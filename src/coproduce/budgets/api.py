"""/api/v1/spaces/{slug}/budgets and /api/v1/budgets/{id}/...: the same access rules and services as the pages.

A person's ballot is reachable only by that person (`/budgets/{id}/ballot`); results never name voters.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from coproduce.core.api import AUTH, PUBLIC, PatchSchema
from coproduce.people.models import User
from coproduce.spaces import access as space_access

from . import access, selectors, services
from .models import BallotType, Eligibility, Phase, ProjectStatus, Rule, TieBreak

router = Router(tags=["budgets"])
CENT = Decimal("0.01")


class BudgetOut(Schema):
    id: int
    space: str
    title: str
    description: str
    amount: Decimal
    currency: str
    phase: Phase
    collect_from: dt.date | None
    review_from: dt.date | None
    vote_from: dt.date | None
    results_from: dt.date | None
    eligibility: Eligibility
    area: str
    minimum_age: int | None
    ballot_type: BallotType
    min_projects: int
    max_projects: int | None
    min_share_percent: int
    points_total: int | None
    max_points_per_project: int | None
    max_ranked: int | None
    rule: Rule
    tie_break: TieBreak
    threshold: int
    scoring: str = Field(..., description="How ballots of this type are scored, in plain words")
    voters: int


class BudgetIn(Schema):
    title: str = Field(..., min_length=1, max_length=140)
    description: str = Field("", max_length=5000)
    amount: Decimal = Field(..., gt=0, max_digits=14, decimal_places=2)
    currency: str = Field("GBP", min_length=3, max_length=3)
    collect_from: dt.date | None = None
    review_from: dt.date | None = None
    vote_from: dt.date | None = None
    results_from: dt.date | None = None
    eligibility: Eligibility = Eligibility.MEMBERS
    area: str = Field("", max_length=120)
    minimum_age: int | None = Field(None, ge=1, le=120)
    ballot_type: BallotType = BallotType.APPROVAL
    min_projects: int = Field(1, ge=1, le=1000)
    max_projects: int | None = Field(None, ge=1, le=1000)
    min_share_percent: int = Field(0, ge=0, le=100)
    points_total: int | None = Field(None, ge=1, le=1_000_000)
    max_points_per_project: int | None = Field(None, ge=1, le=1_000_000)
    max_ranked: int | None = Field(None, ge=1, le=1000)
    rule: Rule = Rule.MES_ADD1
    tie_break: TieBreak = TieBreak.COST_THEN_SUBMISSION
    threshold: int = Field(0, ge=0, le=1_000_000)


class BudgetPatch(PatchSchema):
    title: str | None = Field(None, min_length=1, max_length=140)
    description: str | None = Field(None, max_length=5000)
    collect_from: dt.date | None = None
    review_from: dt.date | None = None
    vote_from: dt.date | None = None
    results_from: dt.date | None = None


class PhaseIn(Schema):
    to: Phase
    confirm: bool = Field(
        False,
        description="Closing the vote (to 'closed') only: true once the host has seen how many have voted "
        "(`voters` of the budget) and the planned end date (`results_from`).",
    )


class ReopenVotingIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000, description="Why voting opens again (public)")


class ProjectOut(Schema):
    id: int
    budget: int
    title: str
    description: str
    cost: Decimal
    category: str
    area: str
    status: ProjectStatus
    review_reason: str
    submitter_perspective: str
    submitted_at: dt.datetime
    image_url: str | None
    cost_changes: list[dict]


class ProjectIn(Schema):
    title: str = Field(..., min_length=1, max_length=140)
    description: str = Field("", max_length=5000)
    cost: Decimal = Field(..., gt=0, max_digits=14, decimal_places=2)
    category: str = Field("", max_length=60)
    area: str = Field("", max_length=120)


class ReviewIn(Schema):
    feasible: bool
    reason: str = Field("", max_length=2000)
    cost: Decimal | None = Field(None, gt=0, max_digits=14, decimal_places=2)


class ChoiceIn(Schema):
    project: int
    value: int = Field(
        1, ge=0, le=1_000_000, description="1 for approval and knapsack; the rank; or the points"
    )


class BallotIn(Schema):
    choices: list[ChoiceIn] = Field(..., max_length=1000)
    confirm_eligibility: bool = Field(False, description="Residents' budgets: I live or work in the area")


class PaperBallotIn(BallotIn):
    member: int | None = Field(None, description="The id of the member who voted")
    reference: str = Field(
        "", max_length=40, description="Or the reference number of a resident's paper ballot"
    )


class BallotOut(Schema):
    has_voted: bool
    voted_at: dt.datetime | None
    choices: list[ChoiceIn]


class ExplanationOut(Schema):
    project: int
    title: str
    funded: bool
    reason: str
    why: str
    position: int | None
    score: Decimal
    supporters: int
    cost: Decimal


class RuleOut(Schema):
    rule: Rule
    selected: list[int]
    cost: Decimal
    voters_with_a_funded_project: int


class ResultsOut(Schema):
    published: bool
    rule: Rule
    voters: int | None = None
    cost: Decimal | None = None
    projects: list[ExplanationOut] = []
    comparison: list[RuleOut] = []


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
        from django.urls import reverse

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
    budget = _budget_for(request, budget_id)
    voter = selectors.my_voter(request.user, budget)
    choices = selectors.my_choices(request.user, budget)
    return {
        "has_voted": voter is not None,
        "voted_at": voter.voted_at if voter else None,
        "choices": [{"project": pid, "value": value} for pid, value in choices],
    }


@router.put("/budgets/{budget_id}/ballot", response=BallotOut, auth=AUTH)
def cast_ballot(request, budget_id: int, payload: BallotIn):
    budget = _budget_for(request, budget_id)
    voter = services.ballot_submit(
        actor=request.user,
        budget=budget,
        choices=[(c.project, c.value) for c in payload.choices],
        confirmed_eligibility=payload.confirm_eligibility,
    )
    choices = selectors.my_choices(request.user, budget)
    return {
        "has_voted": True,
        "voted_at": voter.voted_at,
        "choices": [{"project": pid, "value": value} for pid, value in choices],
    }


@router.post("/budgets/{budget_id}/paper-ballots", response={201: dict}, auth=AUTH)
def record_paper_ballot(request, budget_id: int, payload: PaperBallotIn):
    budget = _budget_for(request, budget_id, need=space_access.FACILITATOR)
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
        confirmed_eligibility=payload.confirm_eligibility,
    )
    return Status(201, {"voters": selectors.counts(budget)["voters"]})


@router.get("/budgets/{budget_id}/results", response=ResultsOut, auth=PUBLIC)
def get_results(request, budget_id: int):
    budget = _budget_for(request, budget_id)
    data = services.cached_results(budget)
    if data is None:
        return {"published": False, "rule": budget.rule}
    view = selectors.results_view(budget, data)
    rows = [*view.funded, *view.not_funded]
    return {
        "published": True,
        "rule": budget.rule,
        "voters": view.voters,
        "cost": view.cost,
        "projects": [
            {
                "project": r.project.pk,
                "title": r.project.title,
                "funded": r.funded,
                "reason": r.reason,
                "why": r.why,
                "position": r.position,
                "score": r.score,
                "supporters": r.supporters,
                "cost": r.project.cost,
            }
            for r in rows
        ],
        "comparison": [
            {
                "rule": s.rule,
                "selected": [p.pk for p in s.funded],
                "cost": s.cost,
                "voters_with_a_funded_project": s.satisfied,
            }
            for s in view.comparison
        ],
    }
