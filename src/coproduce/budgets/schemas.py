"""The budgets API's models (names unique across the project: see tests/core/test_api.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from coproduce.core.api import PatchSchema

from .models import BallotType, Eligibility, Phase, ProjectStatus, Rule, TieBreak


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
    sheet: str = Field(
        "", max_length=40, description="The number printed on the ballot sheet (unique in the budget)"
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
    published: bool = Field(..., description="The hosts have published the results (phase 'results')")
    rule: Rule
    counting: bool = Field(
        False, description="Voting has closed and the ballots are being counted: ask again in a minute"
    )
    counted_at: dt.datetime | None = Field(None, description="When the count shown was made")
    voters: int | None = None
    cost: Decimal | None = None
    projects: list[ExplanationOut] = []
    comparison: list[RuleOut] = []
