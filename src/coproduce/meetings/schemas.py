"""The meetings API's models (names unique across the project: see tests/core/test_api.py)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from ninja import Field, Schema

from coproduce.core.api import PatchSchema
from coproduce.spaces.models import Perspective

from .models import AgendaItemStatus, EventKind, MeetingFormat, RegistrationStatus, Stance


class MeetingOut(Schema):
    id: int
    space: str
    title: str
    description: str
    format: MeetingFormat
    starts_at: dt.datetime
    ends_at: dt.datetime
    place_name: str
    address: str
    online_url: str | None = Field(None, description="Only for people registered, facilitators and hosts")
    access_offers: list[str]
    access_notes: str
    capacity: int | None
    registered: int
    waiting: int
    agenda_published: bool
    credit_minutes: int
    cancelled: bool
    my_registration: RegistrationStatus | None


class MeetingIn(Schema):
    title: str = Field(..., min_length=1, max_length=140)
    description: str = Field("", max_length=3000)
    format: MeetingFormat = MeetingFormat.IN_PERSON
    starts_at: dt.datetime
    ends_at: dt.datetime
    place_name: str = Field("", max_length=140)
    address: str = Field("", max_length=500)
    online_url: str = Field("", max_length=200)
    step_free: bool = False
    hearing_loop: bool = False
    bsl: bool = False
    quiet_room: bool = False
    travel_expenses: bool = False
    childcare: bool = False
    access_notes: str = Field("", max_length=2000)
    capacity: int | None = Field(None, ge=1)


class MeetingPatch(PatchSchema):
    title: str | None = Field(None, min_length=1, max_length=140)
    description: str | None = Field(None, max_length=3000)
    format: MeetingFormat | None = None
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    place_name: str | None = Field(None, max_length=140)
    address: str | None = Field(None, max_length=500)
    online_url: str | None = Field(None, max_length=200)
    step_free: bool | None = None
    hearing_loop: bool | None = None
    bsl: bool | None = None
    quiet_room: bool | None = None
    travel_expenses: bool | None = None
    childcare: bool | None = None
    access_notes: str | None = Field(None, max_length=2000)
    capacity: int | None = Field(None, ge=1)


class MeetingReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=1000)


class CreditsIn(Schema):
    organisation: str | None = Field(None, description="Organisation slug; one of the space's organisations")
    minutes: int = Field(..., ge=0, le=1440)


class RegistrationIn(Schema):
    access_needs: str = Field("", max_length=1000)
    on_behalf_of: int | None = None


class RegistrationOut(Schema):
    status: RegistrationStatus


class RegistrationRow(Schema):
    person_id: int
    display_name: str
    status: RegistrationStatus
    access_needs: str
    registered_at: dt.datetime


class ItemOut(Schema):
    id: int
    title: str
    description: str
    status: AgendaItemStatus
    position: int | None
    dots: int
    my_dots: int
    proposer: str | None = Field(None, description="Shown to members only")
    proposer_perspective: Perspective
    left_off_reason: str
    minutes: str | None = Field(
        None, description="Members; everyone who may see the space once the agenda is published"
    )
    source_idea_id: int | None = Field(None, description="The idea the item was made from, if any")


class ItemIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=2000)
    on_behalf_of: int | None = None
    # The idea the item comes from (an idea of the meeting's space the caller may see, not closed): the
    # idea's trail then shows the meeting.
    source_idea_id: int | None = None


class DotsOut(Schema):
    dots_left: int


class MinutesIn(Schema):
    minutes: str = Field("", max_length=10000)


class AttendanceIn(Schema):
    person_ids: list[int] = Field(..., min_length=1)

    error_fields: ClassVar[dict[str, str]] = {"people": "person_ids"}  # the service's name → the field sent


class AttendanceOut(Schema):
    recorded: int
    paid: int
    owed: int


class VoiceIn(Schema):
    person_id: int
    stance: Stance


class DecisionIn(Schema):
    text: str = Field(..., min_length=1, max_length=3000)
    agenda_item: int | None = None
    dissent: str = Field("", max_length=3000)
    voices: list[VoiceIn] = Field(default_factory=list)


class DecisionOut(Schema):
    id: int
    text: str
    agenda_item: int | None
    dissent: str
    agreed: dict[str, int] = Field(..., description="Perspective → people who agreed")
    disagreed: dict[str, int]
    stood_aside: dict[str, int]
    actions: list[int]


# --- Network events (/api/v1/events) --------------------------------------------------------------


class NetworkEventOut(Schema):
    id: int
    kind: EventKind
    title: str
    description: str
    format: MeetingFormat
    starts_at: dt.datetime
    ends_at: dt.datetime
    place_name: str
    address: str
    online_url: str | None = Field(None, description="Only for people registered and the organisers")
    access_offers: list[str]
    access_notes: str
    capacity: int | None
    registered: int
    waiting: int
    places_left: int | None = Field(None, description="None: no limit")
    cancelled: bool
    my_registration: RegistrationStatus | None
    url: str
    ics_url: str


class NetworkEventIn(MeetingIn):
    event_kind: EventKind


class NetworkEventPatch(MeetingPatch):
    event_kind: EventKind | None = None


class NetworkEventRegistrationIn(Schema):
    access_needs: str = Field("", max_length=1000)
