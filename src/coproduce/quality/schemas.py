"""The quality check API's models (names unique across the project: see tests/core/test_api.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema


class QualityCheckOut(Schema):
    space: str
    status: str = Field(description="'ready', 'being_worked_out' or 'not_asked'")
    computed_at: dt.datetime | None
    requested_at: dt.datetime | None
    judgement: dict[str, Any] | None = Field(None, description="Level, steps, bands, results and suggestions")
    evidence: dict[str, Any] | None = Field(None, description="The counts the judgement read")


class QualityRecordOut(Schema):
    title: str
    url: str
    stage: str
    perspective: str
    person: str | None = Field(None, description="Shown to members of the space only")
    when: dt.date | None


class QualityRecordsOut(Schema):
    measure: str
    more: bool
    records: list[QualityRecordOut]


class StandardRatingOut(Schema):
    standard: str
    rating: int
    notes: str


class SelfAssessmentOut(Schema):
    id: int
    agreed_on: dt.date
    participants: int
    participant_names: list[str] | None = Field(None, description="Shown to members of the space only")
    ratings: list[StandardRatingOut]
    created_at: dt.datetime


class SelfAssessmentIn(Schema):
    agreed_on: dt.date
    participant_ids: list[int]
    ratings: dict[str, int]
    notes: dict[str, str] = {}


class QualityDisagreementOut(Schema):
    standard: str
    rating: int
    direction: str
    message: str


class TargetMixIn(Schema):
    shares: dict[str, int]


class TargetMixOut(Schema):
    shares: dict[str, int]


class TrailStepOut(Schema):
    depth: int = Field(description="0: made from the object itself; 1: made from that step; ...")
    module: str
    kind: str
    id: int
    what: str
    title: str
    url: str
    when: dt.datetime | None
    status: str
    person: str | None = Field(None, description="Who owns it; shown to members of the space only")
    progress: int | None
    reached: bool


class SaidOut(Schema):
    kind: str
    id: int
    space: str
    title: str
    url: str
    when: dt.datetime
    status: str
    perspective: str
    trail: list[TrailStepOut]


class ImpactFigureOut(Schema):
    section: str
    key: str
    label: str
    value: Any
    unit: str
    of: int | None


class ImpactReportOut(Schema):
    space: str
    made_at: str
    check_computed_at: str | None
    figures: list[ImpactFigureOut]
