"""The spaces API's models (ninja schemas). Names are unique across the project (tests/core/test_api.py)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from coproduce.core.api import PatchSchema

from .models import Perspective, Role, StageKind, StageStatus, Visibility


class StageOut(Schema):
    kind: StageKind
    label: str
    position: int
    status: StageStatus
    starts_on: dt.date | None
    ends_on: dt.date | None
    summary: str


class SpaceOut(Schema):
    slug: str
    title: str
    purpose: str
    place: str
    visibility: Visibility
    organisations: list[str] = Field(..., description="Partner organisations that accepted to be listed")
    organisations_invited: list[str] = Field(
        ..., description="Organisations asked and not yet answering (shown to hosts only)"
    )
    created_at: dt.datetime
    member_count: int
    stages: list[StageOut]
    my_role: Role | None
    my_perspective: Perspective | None


class SpaceIn(Schema):
    title: str = Field(..., min_length=1, max_length=120)
    purpose: str = Field(..., min_length=1, max_length=2000)
    place: str = Field("", max_length=120)
    visibility: Visibility = Visibility.PUBLIC
    organisations: list[str] = Field(
        default_factory=list,
        description="Organisation slugs. Each is listed once one of its admins accepts (at once if you are one).",
    )
    perspective: Perspective = Field(Perspective.FACILITATOR, description="Your own perspective as host")


class SpacePatch(PatchSchema):
    title: str | None = Field(None, min_length=1, max_length=120)
    purpose: str | None = Field(None, min_length=1, max_length=2000)
    place: str | None = Field(None, max_length=120)
    visibility: Visibility | None = None
    organisations: list[str] | None = None


class SpaceMemberOut(Schema):
    id: int
    person_id: int
    display_name: str
    role: Role
    perspective: Perspective
    joined_at: dt.datetime
    takes_part_with_help: bool


class MemberPatch(PatchSchema):
    role: Role | None = None
    perspective: Perspective | None = None


class JoinRequestIn(Schema):
    perspective: Perspective
    message: str = Field("", max_length=1000)


class JoinRequestOut(Schema):
    id: int
    display_name: str
    perspective: Perspective
    message: str
    status: str
    reason: str
    created_at: dt.datetime


class Decision(Schema):
    approve: bool
    reason: str = Field("", max_length=1000)


class StagePatch(PatchSchema):
    status: StageStatus | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    summary: str | None = Field(None, max_length=1000)


class EventOut(Schema):
    at: dt.datetime
    action: str
    summary: str
    actor: str | None
    on_behalf_of: str | None


class OnMyBehalfOut(Schema):
    id: int
    at: dt.datetime
    action: str
    summary: str
    recorded_by: str | None = Field(description="The facilitator who recorded it")
    space: str | None = Field(description="The space's slug; null for the timebank")
    disputed: bool


class EntryDisputeIn(Schema):
    text: str = Field(..., min_length=1, max_length=2000, description="What is wrong, in your words")


class EntryDisputeOut(Schema):
    id: int
    event: int
    text: str
    created_at: dt.datetime


class HelpConsentIO(Schema):
    accepts_help: bool = Field(
        ..., description="Facilitators and hosts of this space may record things for me when they help me"
    )


class PartnerRequestOut(Schema):
    id: int
    space: str = Field(..., description="The space's slug")
    space_title: str
    status: str
    requested_by: str | None
    created_at: dt.datetime


class PartnerDecision(Schema):
    accept: bool


class SignUpCodeOut(Schema):
    """A new sign-up link and code for a person who takes part with help: shown once, work once, until
    `expires_at`."""

    person_id: int
    display_name: str
    code: str  # grouped, e.g. "HMKP-3R7X"; typed at `code_url`
    code_url: str
    url: str  # the link itself
    expires_at: dt.datetime
