"""The personal outcomes API's models (names unique across the project: see tests/core/test_api.py)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from coproduce.core.api import PatchSchema


class OutcomeDefinitionOut(Schema):
    code: str
    label: str
    set: str


class OutcomeRatingIn(Schema):
    outcome: str
    score: int = Field(description="1 to 5")
    own_words: str = ""


class OutcomeConversationIn(Schema):
    held_on: dt.date
    ratings: list[OutcomeRatingIn]


class OutcomeRatingOut(Schema):
    outcome: str
    label: str
    score: int
    own_words: str


class OutcomeConversationOut(Schema):
    id: int
    held_on: dt.date
    recorded_by: str | None
    ratings: list[OutcomeRatingOut]


class OutcomeConsentOut(Schema):
    given_at: dt.datetime | None
    live: bool


class OutcomeHelpersIn(Schema):
    helper_ids: list[int]


class OutcomeHelperOut(Schema):
    id: int
    name: str


class OutcomePlanOut(Schema):
    outcomes: list[str]
    my_part: str
    others_part: str
    next_review_on: dt.date | None
    last_reviewed_on: dt.date | None
    history: list[OutcomePlanChangeOut]


class OutcomePlanChangeOut(Schema):
    at: dt.datetime
    by: str
    fields: list[str]


class OutcomePlanIn(PatchSchema):
    outcomes: list[str] | None = None
    my_part: str | None = None
    others_part: str | None = None
    next_review_on: dt.date | None = None
    last_reviewed_on: dt.date | None = None


class PersonOutcomesOut(Schema):
    person: int
    space: str
    consent: OutcomeConsentOut
    helpers: list[OutcomeHelperOut]
    conversations: list[OutcomeConversationOut]
    plan: OutcomePlanOut | None


class OutcomeSummaryRowOut(Schema):
    outcome: str
    label: str
    people: int
    first_average: float
    latest_average: float
    better: int
    same: int
    worse: int


class OutcomeSummaryOut(Schema):
    shown: bool = Field(description="False when fewer than 5 people: nothing is shown")
    people: int | None = Field(description="Null when not shown")
    rows: list[OutcomeSummaryRowOut]
    hidden_outcomes: int


class OutcomesErasedOut(Schema):
    conversations: int
    plans: int
    helpers: int
    consents: int


OutcomePlanOut.model_rebuild()
