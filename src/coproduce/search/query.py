# ruff: noqa: S608 - the SQL is put together from table names and fixed clauses; every value is a parameter.
"""Asking the index: the searcher's words made into a safe full-text query, the access rule, the filters,
ranking and highlighted matches, on SQLite (FTS5) or PostgreSQL (tsvector). Reads only.

Access is part of the query, never a filter afterwards: a document is shown when it belongs to no space or
to a space the searcher may see *now* (public, or one they are a member of; staff see every space, as
`spaces.access.can_view` says), and documents that are not public only to people signed in.

Highlighting: the database marks matches with two private-use characters (never stored: `clean_text`
removes them from what is indexed); the text is then escaped and only the markers become `<mark>`, so what a
document says can never become HTML.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field

from django.db import connection
from django.utils.safestring import SafeString, mark_safe

from coproduce.spaces.models import Membership, Space, Visibility

from .models import Document

START, STOP = "\ue000", "\ue001"
PAGE_SIZE = 20
MAX_PAGE = 50  # 1,000 results: nobody reads further, and deep offsets cost the database
MAX_TERMS = 12
_WORD = re.compile(r"\w+")
# Words too common to narrow anything, left out of what must match (PostgreSQL's english configuration drops
# them too, so both databases answer alike); a query of nothing else keeps them.
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "has",
        "have",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "will",
        "with",
        "you",
        "your",
    ]
)


def clean_text(text: str) -> str:
    """What is indexed: the markers removed, so that only the database's highlighting makes them."""
    return (text or "").replace(START, "").replace(STOP, "")


def terms_of(q: str) -> list[str]:
    """The searcher's words, and only words: quotes, stars, brackets, minus signs and OR are not syntax here,
    so no query can fail. Every word must match (the page says "try fewer words")."""
    words = _WORD.findall((q or "")[:200])
    meaningful = [w for w in words if w.casefold() not in STOP_WORDS]
    return (meaningful or words)[:MAX_TERMS]


def fts5_query(terms: list[str]) -> str:
    # Each word quoted (a word has no quote in it): FTS5 reads it as a string, never as an operator.
    return " ".join(f'"{t}"' for t in terms)


def marked(text: str) -> SafeString:
    escaped = html.escape(text or "")
    return mark_safe(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308 - escaped first


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    place: str = ""
    stage: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass(frozen=True)
class Hit:
    kind: str
    object_id: int
    title: SafeString
    snippet: SafeString
    url: str
    when: dt.datetime | None
    place: str
    space_id: int | None


@dataclass
class Results:
    terms: list[str]
    hits: list[Hit] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # per kind, whatever kind is chosen
    total: int = 0  # with the kind filter
    page: int = 1

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, max(1, -(-self.total // PAGE_SIZE)))


def _access_sql(user) -> tuple[str, list]:
    """Who may see what, as SQL on `d` (the document table)."""
    clauses: list[str] = []
    params: list[object] = []
    if not getattr(user, "is_staff", False):
        spaces, memberships = Space._meta.db_table, Membership._meta.db_table
        seen = f"d.space_id IN (SELECT id FROM {spaces} WHERE visibility = %s)"
        params.append(Visibility.PUBLIC.value)
        if getattr(user, "is_authenticated", False):
            seen += f" OR d.space_id IN (SELECT space_id FROM {memberships} WHERE user_id = %s)"
            params.append(user.pk)
        clauses.append(f"(d.space_id IS NULL OR {seen})")
    if not getattr(user, "is_authenticated", False):
        clauses.append("d.public = %s")
        params.append(True)
    return " AND ".join(clauses) or "1 = 1", params


def _filter_sql(filters: Filters, *, with_kind: bool) -> tuple[str, list]:
    clauses: list[str] = []
    params: list[object] = []
    if with_kind and filters.kind:
        clauses.append("d.kind = %s")
        params.append(filters.kind)
    if filters.place:
        clauses.append("LOWER(d.place) = LOWER(%s)")
        params.append(filters.place)
    if filters.stage:
        clauses.append("d.stages LIKE %s")
        params.append(f"%,{filters.stage},%")
    if filters.date_from:
        clauses.append('d."when" >= %s')
        params.append(dt.datetime.combine(filters.date_from, dt.time.min, tzinfo=dt.UTC))
    if filters.date_to:
        clauses.append('d."when" < %s')
        params.append(dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC))
    return " AND ".join(clauses) or "1 = 1", params


def _when(value) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    # SQLite through a raw cursor gives the stored text.
    parsed = dt.datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def search(user, q: str, filters: Filters | None = None, *, page: int = 1) -> Results:
    """One page of what `user` may find for `q`, best first, with the number found of each kind."""
    filters = filters or Filters()
    terms = terms_of(q)
    page = min(max(1, page), MAX_PAGE)
    results = Results(terms=terms, page=page)
    if not terms:
        return results
    access, access_params = _access_sql(user)
    narrow, narrow_params = _filter_sql(filters, with_kind=False)
    kind, kind_params = _filter_sql(Filters(kind=filters.kind), with_kind=True)
    offset = (page - 1) * PAGE_SIZE
    table = Document._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            match = "d.search_vector @@ plainto_tsquery('english', %s)"
            match_params: list = [" ".join(terms)]
            source = f"{table} d"
        else:
            match = "search_document_fts MATCH %s"
            match_params = [fts5_query(terms)]
            # CROSS JOIN: SQLite then always starts from the full-text match, never from the whole table.
            source = f"search_document_fts CROSS JOIN {table} d ON d.id = search_document_fts.rowid"
        where = f"{match} AND {access} AND {narrow}"
        where_params = [*match_params, *access_params, *narrow_params]
        cursor.execute(f"SELECT d.kind, COUNT(*) FROM {source} WHERE {where} GROUP BY d.kind", where_params)
        results.counts = dict(cursor.fetchall())
        results.total = results.counts.get(filters.kind, 0) if filters.kind else sum(results.counts.values())
        if not results.total:
            return results
        page_rows: list = []
        columns = 'd.kind, d.object_id, d.url, d."when", d.place, d.space_id'
        if connection.vendor == "postgresql":
            options = f"StartSel={START}, StopSel={STOP}"
            # Only ids and ranks are sorted (never the bodies); the page is then read and headlined.
            cursor.execute(
                f"""SELECT {columns},
                        ts_headline('english', d.title, q.query, %s),
                        ts_headline('english', d.body, q.query, %s)
                    FROM (SELECT d.id, ts_rank_cd(d.search_vector, plainto_tsquery('english', %s)) AS rank
                          FROM {source} WHERE {where} AND {kind}
                          ORDER BY rank DESC, d.id LIMIT %s OFFSET %s) r
                    JOIN {table} d ON d.id = r.id
                    CROSS JOIN (SELECT plainto_tsquery('english', %s) AS query) q
                    ORDER BY r.rank DESC, r.id""",
                [
                    options + ", HighlightAll=true",
                    options + ', MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "',
                    " ".join(terms),
                    *where_params,
                    *kind_params,
                    PAGE_SIZE,
                    offset,
                    " ".join(terms),
                ],
            )
            page_rows = cursor.fetchall()
        else:
            # Rank first with nothing but bm25: SQLite works out every result column of every match before it
            # sorts, and a snippet reads the whole body. Then highlight only the page found.
            cursor.execute(
                f"""SELECT d.id FROM {source} WHERE {where} AND {kind}
                    ORDER BY bm25(search_document_fts, 10.0, 1.0), d.id LIMIT %s OFFSET %s""",
                [*where_params, *kind_params, PAGE_SIZE, offset],
            )
            ids = [row[0] for row in cursor.fetchall()]
            cursor.execute(
                f"""SELECT d.id, {columns}, highlight(search_document_fts, 0, %s, %s),
                        snippet(search_document_fts, 1, %s, %s, ' … ', 24)
                    FROM {source} WHERE {match} AND d.id IN ({", ".join(["%s"] * len(ids))})""",
                [START, STOP, START, STOP, *match_params, *ids],
            )
            by_id = {row[0]: row[1:] for row in cursor.fetchall()}
            page_rows = [by_id[i] for i in ids if i in by_id]
        for row_kind, object_id, url, when, place, space_id, title, snippet in page_rows:
            results.hits.append(
                Hit(
                    kind=row_kind,
                    object_id=object_id,
                    title=marked(title),
                    snippet=marked(snippet),
                    url=url,
                    when=_when(when),
                    place=place,
                    space_id=space_id,
                )
            )
    return results


def icontains_search(user, q: str, *, page: int = 1) -> list[Document]:
    """The plain way, for the benchmark's comparison: every word somewhere in the title or body, newest
    first, with the same access rule."""
    from django.db.models import Q

    from coproduce.spaces.models import Membership as M

    found = Document.objects.all()
    for term in terms_of(q):
        found = found.filter(Q(title__icontains=term) | Q(body__icontains=term))
    if not getattr(user, "is_staff", False):
        seen = Q(space__isnull=True) | Q(space__visibility=Visibility.PUBLIC)
        if getattr(user, "is_authenticated", False):
            seen |= Q(space_id__in=M.objects.filter(user=user).values("space_id"))
        found = found.filter(seen)
    if not getattr(user, "is_authenticated", False):
        found = found.filter(public=True)
    start = (page - 1) * PAGE_SIZE
    return list(found.order_by("-when", "-id")[start : start + PAGE_SIZE])
