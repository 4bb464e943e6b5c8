"""The directory API's models (names unique across the project: see tests/core/test_api.py)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from coproduce.spaces.models import Perspective, StageKind

from .models import Offer


class DirectoryListingOut(Schema):
    person: int
    name: str
    intro: str
    skills: str
    experience: str
    interests: str
    stages: list[StageKind]
    perspectives: list[Perspective]
    place: str
    offers: list[Offer]
    lived_experience_of: str
    updated_at: dt.datetime


class DirectoryListingIn(Schema):
    intro: str = Field(..., min_length=1, max_length=300)
    skills: str = Field("", max_length=300)
    experience: str = Field("", max_length=1000)
    interests: str = Field("", max_length=300)
    stages: list[StageKind] = []
    perspectives: list[Perspective] = []
    place: str = Field("", max_length=80)
    offers: list[Offer] = []
    lived_experience_of: str = Field("", max_length=200)


class DirectorySuggestionOut(Schema):
    person: int
    name: str
    score: int
    reasons: str


class DirectoryHelpRequestOut(Schema):
    id: int
    kind: Offer
    lived_experience_of: str
    description: str
    stage: str
    place: str
    is_open: bool
    created_at: dt.datetime
    suggestions: list[DirectorySuggestionOut] | None = None


class DirectoryHelpRequestIn(Schema):
    kind: Offer
    description: str = Field(..., min_length=1, max_length=1000)
    stage: StageKind | None = None
    place: str = Field("", max_length=80)
    lived_experience_of: str = Field("", max_length=200)


class DirectoryMessageOut(Schema):
    id: int
    thread: int
    sender: str = Field(..., description="The sender's name: never an email address")
    mine: bool
    body: str
    removed: bool
    created_at: dt.datetime
    read_at: dt.datetime | None


class DirectoryThreadOut(Schema):
    id: int
    other: int
    other_name: str
    unread: int
    last_message_at: dt.datetime | None


class DirectoryMessageIn(Schema):
    body: str = Field(..., min_length=1, max_length=2000)
    help_request: int | None = None


class DirectoryReportIn(Schema):
    reason: str = Field(..., min_length=1, max_length=1000)


class DirectoryReportOut(Schema):
    id: int
    created_at: dt.datetime
