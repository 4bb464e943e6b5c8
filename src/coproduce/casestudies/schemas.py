"""The case studies API's models (names unique across the project)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema

from coproduce.core.api import PatchSchema
from coproduce.spaces.models import Perspective, StageKind

from .models import Licence


class CaseStudyOut(Schema):
    id: int
    title: str
    place: str
    organisations: list[str]
    organisations_text: str
    stages: list[str]
    perspectives: list[str]
    topics: list[str]
    what_happened: str
    what_changed: str
    evidence: str
    what_was_hard: str
    what_it_cost: str
    licence: Licence
    status: str
    space: str | None
    generated: bool
    published_at: dt.datetime | None
    created_at: dt.datetime


class CaseStudyIn(Schema):
    title: str
    place: str = ""
    organisation_ids: list[int] = []
    organisations_text: str = ""
    stages: list[StageKind] = []
    perspectives: list[Perspective] = []
    topics: str = ""
    what_happened: str = ""
    what_changed: str = ""
    evidence: str = ""
    what_was_hard: str = ""
    what_it_cost: str = ""
    licence: Licence = Licence.CC_BY


class CaseStudyPatch(PatchSchema):
    title: str | None = None
    place: str | None = None
    organisation_ids: list[int] | None = None
    organisations_text: str | None = None
    stages: list[StageKind] | None = None
    perspectives: list[Perspective] | None = None
    topics: str | None = None
    what_happened: str | None = None
    what_changed: str | None = None
    evidence: str | None = None
    what_was_hard: str | None = None
    what_it_cost: str | None = None
    licence: Licence | None = None
