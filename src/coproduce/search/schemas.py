from __future__ import annotations

from datetime import datetime

from ninja import Schema


class SearchHitOut(Schema):
    kind: str
    kind_label: str
    id: int
    title_html: str  # escaped, matches in <mark>
    snippet_html: str
    url: str
    when: datetime | None = None
    place: str = ""


class SearchKindCount(Schema):
    kind: str
    label: str
    count: int


class SearchOut(Schema):
    q: str
    total: int
    page: int
    pages: int
    counts: list[SearchKindCount]
    results: list[SearchHitOut]
