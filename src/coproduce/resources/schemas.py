"""The resources API's models (names unique across the project)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema

from coproduce.core.api import PatchSchema


class ResourceOut(Schema):
    id: int
    title: str
    summary: str
    kind: str
    url: str
    download_url: str
    file_name: str
    content_type: str
    size: int
    tags: list[str]
    easy_read_of: int | None
    easy_read_versions: list[int]
    status: str
    published_at: dt.datetime | None
    created_at: dt.datetime


class ResourceLinkIn(Schema):
    title: str
    summary: str
    url: str
    tags: str = ""
    easy_read_of_id: int | None = None


class ResourcePatch(PatchSchema):
    title: str | None = None
    summary: str | None = None
    url: str | None = None
    tags: str | None = None
    easy_read_of_id: int | None = None
