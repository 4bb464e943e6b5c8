"""The ideas API's models (names unique across the project: see tests/core/test_api.py)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from coproduce.spaces.models import Perspective

from .models import IdeaStatus


class IdeaOut(Schema):
    id: int
    space: str
    title: str
    body: str
    status: IdeaStatus
    status_reason: str
    merged_into: int | None
    author: str | None = Field(None, description="Shown to members of the space only")
    author_perspective: Perspective
    co_author_perspectives: list[Perspective]
    support_count: int
    comment_count: int
    supported_by_me: bool
    created_at: dt.datetime


class IdeaIn(Schema):
    title: str = Field(..., min_length=1, max_length=140)
    body: str = Field(..., min_length=1, max_length=5000)
    on_behalf_of: int | None = Field(
        None, description="Facilitators: the id of an assisted member you act for"
    )


class IdeaPatch(Schema):
    title: str = Field(..., min_length=1, max_length=140)
    body: str = Field(..., min_length=1, max_length=5000)


class StatusIn(Schema):
    status: IdeaStatus
    reason: str = Field("", max_length=2000)
    merged_into: int | None = None


class SupportOut(Schema):
    support_count: int
    supported_by_me: bool


class CommentOut(Schema):
    id: int
    parent: int | None
    author: str | None
    author_perspective: Perspective
    body: str | None = Field(None, description="Empty when a facilitator hid the comment")
    hidden_reason: str | None
    created_at: dt.datetime
    edited_at: dt.datetime | None


class CommentIn(Schema):
    body: str = Field(..., min_length=1, max_length=3000)
    parent: int | None = None


class CommentPatch(Schema):
    body: str = Field(..., min_length=1, max_length=3000)


class CommentReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=1000)


class CoAuthorIn(Schema):
    person_id: int
