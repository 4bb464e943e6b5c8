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
    count: int  # at most 1,001: past 1,000 the search stops counting
    count_exact: bool  # False: at least `count` (a very common word, of which only some were counted)
    count_label: str  # "12", "12+" or "1,000+"


class SearchOut(Schema):
    q: str
    total: int  # at most 1,001, like `count`
    total_exact: bool
    total_label: str
    page: int
    pages: int
    counts: list[SearchKindCount]
    results: list[SearchHitOut]
