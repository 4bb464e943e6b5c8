"""The actions API's models (names unique across the project: see tests/core/test_api.py)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from coproduce.core.api import PatchSchema
from coproduce.spaces.models import Perspective

from .models import ActionStatus


class UpdateOut(Schema):
    at: dt.datetime
    text: str
    progress: int
    status: ActionStatus
    author: str | None


class ActionOut(Schema):
    id: int
    space: str
    title: str
    description: str
    owner: str | None = Field(None, description="Shown to members of the space only")
    owner_perspective: Perspective
    due_on: dt.date | None
    status: ActionStatus
    status_reason: str
    progress: int
    overdue: bool
    decision: int | None
    idea: int | None
    budget_project: int | None
    created_at: dt.datetime
    updated_at: dt.datetime


class ActionIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=3000)
    owner_id: int
    due_on: dt.date | None = None
    decision_id: int | None = None
    idea_id: int | None = None
    budget_project_id: int | None = Field(None, description="A funded project of one of the space's budgets")


class ActionFromSource(Schema):
    owner_id: int
    due_on: dt.date | None = None
    title: str = Field(
        "", max_length=200, description="Defaults to the idea's or project's title, or the decision's text"
    )


class ActionPatch(PatchSchema):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=3000)
    owner_id: int | None = None
    due_on: dt.date | None = None


class UpdateIn(Schema):
    text: str = Field(..., min_length=1, max_length=3000)
    progress: int = Field(..., ge=0, le=100)
    status: ActionStatus
    reason: str = Field("", max_length=2000)
