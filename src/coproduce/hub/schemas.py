"""The hub API's models (names unique across the project: see tests/core/test_api.py)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from .models import PostKind, PostStatus


class HubCategoryOut(Schema):
    id: int
    name: str
    slug: str
    description: str
    post_count: int


class HubPostOut(Schema):
    id: int
    category: str = Field(..., description="The category's slug")
    kind: PostKind
    title: str
    body: str | None = Field(None, description="None when hidden (the reason is given instead)")
    author: str
    status: PostStatus
    hidden_reason: str | None
    published_at: dt.datetime | None
    comment_count: int
    helped_count: int
    url: str


class HubCommentOut(Schema):
    id: int
    parent: int | None
    author: str
    body: str | None = Field(None, description="None when hidden (the reason is given instead)")
    hidden_reason: str | None
    helped_count: int
    created_at: dt.datetime


class HubPostDetailOut(HubPostOut):
    comments: list[HubCommentOut]


class HubPostIn(Schema):
    category: str = Field(..., description="The category's slug")
    kind: PostKind
    title: str = Field(..., min_length=1)
    body: str = Field(..., min_length=1, description="Plain text, at most 10,000 characters")


class HubCommentIn(Schema):
    body: str = Field(..., min_length=1, description="Plain text, at most 3,000 characters")
    parent: int | None = Field(None, description="The comment this replies to (one level of replies)")


class HubReasonIn(Schema):
    reason: str = Field(..., min_length=1)


class HubHelpedOut(Schema):
    helped: bool
    helped_count: int


class HubReportOut(Schema):
    id: int
    post: int | None
    comment: int | None
    reason: str
    created_at: dt.datetime


class HubModerationOut(Schema):
    reports: list[HubReportOut]
    held: list[HubPostOut]
