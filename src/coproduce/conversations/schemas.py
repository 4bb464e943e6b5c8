"""The conversations API's models (names unique across the project: see tests/core/test_api.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema


class ConversationOut(Schema):
    id: int
    space: str
    question: str
    description: str
    moderation: str
    is_open: bool
    url: str
    report_url: str


class ConversationStatementOut(Schema):
    id: int
    text: str
    status: str
    seed: bool
    rejection_reason: str


class ConversationDetailOut(ConversationOut):
    statements: int
    next_statement: ConversationStatementOut | None = Field(
        None, description="The statement to show this person next (None: none left, or they may not vote)"
    )
    voted: int
    rejection_reasons: list[str]


class ConversationIn(Schema):
    question: str
    description: str = ""
    moderation: str = "before"
    rejection_reasons: list[str] = []
    seeds: list[str] = Field([], description="Statements to start with, accepted at once")


class ConversationVoteIn(Schema):
    statement: int
    value: int = Field(..., description="1 agree, -1 disagree, 0 pass")
    on_behalf_of: int | None = Field(None, description="A facilitator entering a member's paper vote")


class ConversationVoteOut(Schema):
    statement: int
    value: int
    entered_on_behalf: bool


class ConversationStatementIn(Schema):
    text: str


class ConversationModerateIn(Schema):
    status: str = Field(..., description="accepted or rejected")
    reason: str = Field("", description="One of the conversation's rejection reasons (when rejecting)")


class ConversationLogOut(Schema):
    at: dt.datetime
    statement: int
    text: str
    status: str
    reason: str


class ConversationReportOut(Schema):
    computed_at: dt.datetime | None
    votes: int
    participants: int
    being_worked_out: bool
    analysis: dict[str, Any] | None = Field(None, description="The stored analysis (coproduce.lib.opinion)")
    perspectives: dict[str, str] = Field({}, description="Each participant's perspective")
