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
COUNT_CAP = 1000  # counted up to here, per kind; past it the page says "more than 1,000"
CANDIDATES = COUNT_CAP  # the most documents counted and ranked for one query (pages stop at 1,000 anyway)
SCAN_CAP = 5_000  # SQLite: the most full-text matches looked up in the document table for one query
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
    # Per kind, whatever kind is chosen, counted up to COUNT_CAP + 1: more than COUNT_CAP reads "more than".
    counts: dict[str, int] = field(default_factory=dict)
    total: int = 0  # with the kind filter; also at most COUNT_CAP + 1
    page: int = 1
    exact: bool = True  # False: `total` is "at least" (a very common word: only the candidates were seen)
    counts_exact: bool = True  # the same for `counts` (the other kinds)

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, max(1, -(-min(self.total, COUNT_CAP) // PAGE_SIZE)))

    @property
    def total_label(self) -> str:
        return count_label(self.total, exact=self.exact)

    def count_labels(self) -> dict[str, str]:
        return {k: count_label(n, exact=self.counts_exact) for k, n in self.counts.items()}


def count_label(n: int, *, exact: bool) -> str:
    """ "12", or "12+" when only some were counted, or "1,000+" past COUNT_CAP."""
    if n > COUNT_CAP:
        return f"{COUNT_CAP:,}+"
    return f"{n:,}" if exact else f"{n:,}+"


def _access_sql(user) -> tuple[str, list]:
    """Who may see what, as SQL on `d` (the document table). The spaces one may not see are a short list
    worked out once per query (private spaces, less the searcher's own), so the test per document is cheap."""
    clauses: list[str] = []
    params: list[object] = []
    if not getattr(user, "is_staff", False):
        spaces, memberships = Space._meta.db_table, Membership._meta.db_table
        hidden = f"SELECT id FROM {spaces} WHERE visibility <> %s"
        params.append(Visibility.PUBLIC.value)
        if getattr(user, "is_authenticated", False):
            hidden += f" AND id NOT IN (SELECT space_id FROM {memberships} WHERE user_id = %s)"
            params.append(user.pk)
        clauses.append(f"(d.space_id IS NULL OR d.space_id NOT IN ({hidden}))")
    if not getattr(user, "is_authenticated", False):
        clauses.append("d.public = %s")
        params.append(True)
    for kind, pks in _hidden(user).items():
        clauses.append(f"NOT (d.kind = %s AND d.object_id IN ({', '.join(['%s'] * len(pks))}))")
        params.extend([kind, *sorted(pks)])
    return " AND ".join(clauses) or "1 = 1", params


def _hidden(user) -> dict[str, set[int]]:
    """What each module hides from this searcher (`ModuleManifest.search_hidden`: a person who blocked them):
    one question per kind of a module that has the hook."""
    from coproduce.core import registry

    found: dict[str, set[int]] = {}
    for manifest in registry.manifests():
        if manifest.search_hidden is None or manifest.search_documents is None:
            continue
        for kind in manifest.search_kinds:
            pks = {int(pk) for pk in manifest.search_hidden(user, kind) or ()}
            if pks:
                found.setdefault(kind, set()).update(pks)
    return found


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
    """One page of what `user` may find for `q`, best first, with the number found of each kind.

    Bounded whatever the words: the database gives the first CANDIDATES + 1 documents the searcher may see
    that match (newest first on SQLite, where at most SCAN_CAP matches are read at all; in storage order on
    PostgreSQL), and only those are counted and ranked. A word found in a few hundred documents is counted
    and ranked exactly; a very common one shows "more than 1,000" and the best of the candidates."""
    filters = filters or Filters()
    terms = terms_of(q)
    page = min(max(1, page), MAX_PAGE)
    results = Results(terms=terms, page=page)
    if not terms:
        return results
    access, access_params = _access_sql(user)
    narrow, narrow_params = _filter_sql(filters, with_kind=False)
    with connection.cursor() as cursor:
        found, exact = _candidates(cursor, terms, f"{access} AND {narrow}", [*access_params, *narrow_params])
        counts: dict[str, int] = {}
        for _id, kind, _score in found:
            counts[kind] = counts.get(kind, 0) + 1
        results.exact = exact
        if filters.kind and not exact:
            # The kind chosen may be rare among the candidates: ask again for that kind alone.
            kind, kind_params = _filter_sql(Filters(kind=filters.kind), with_kind=True)
            found, kind_exact = _candidates(
                cursor,
                terms,
                f"{access} AND {narrow} AND {kind}",
                [*access_params, *narrow_params, *kind_params],
            )
            counts[filters.kind] = len(found)
            results.exact = kind_exact
        elif filters.kind:
            found = [row for row in found if row[1] == filters.kind]
        results.counts = {k: min(n, COUNT_CAP + 1) for k, n in counts.items()}
        results.counts_exact = exact
        total = counts.get(filters.kind, 0) if filters.kind else sum(counts.values())
        results.total = min(total, COUNT_CAP + 1)
        offset = (page - 1) * PAGE_SIZE
        ranked = _ranked(found)
        ids = ranked[offset : offset + PAGE_SIZE]
        page_rows = _page(cursor, terms, ids) if ids else []
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


def _candidates(cursor, terms: list[str], where: str, params: list) -> tuple[list[tuple], bool]:
    """(id, kind, score or None) of at most CANDIDATES + 1 matching documents the searcher may see, and
    whether those are all of them."""
    table = Document._meta.db_table
    if connection.vendor == "postgresql":
        # The GIN index finds the matches; the rank is worked out only for the rows returned.
        cursor.execute(
            f"""SELECT d.id, d.kind, ts_rank_cd(d.search_vector, plainto_tsquery('english', %s))
                FROM {table} d WHERE d.search_vector @@ plainto_tsquery('english', %s) AND {where}
                LIMIT {CANDIDATES + 1}""",
            [" ".join(terms), " ".join(terms), *params],
        )
        rows = cursor.fetchall()
        return rows, len(rows) <= CANDIDATES
    query = fts5_query(terms)
    # Only the newest SCAN_CAP matches are looked up in the document table: FTS5 finds the oldest of them
    # from its own index, cheaply; bm25 is worked out only for the rows returned.
    cursor.execute(
        f"""SELECT rowid FROM search_document_fts WHERE search_document_fts MATCH %s
            ORDER BY rowid DESC LIMIT 1 OFFSET {SCAN_CAP}""",
        [query],
    )
    past = cursor.fetchone()
    cursor.execute(
        f"""SELECT d.id, d.kind, bm25(search_document_fts, 10.0, 1.0)
            FROM search_document_fts CROSS JOIN {table} d ON d.id = search_document_fts.rowid
            WHERE search_document_fts MATCH %s AND search_document_fts.rowid > %s AND {where}
            ORDER BY search_document_fts.rowid DESC LIMIT {CANDIDATES + 1}""",
        [query, past[0] if past else 0, *params],
    )
    rows = cursor.fetchall()
    return rows, past is None and len(rows) <= CANDIDATES


def _ranked(found: list[tuple]) -> list[int]:
    """The candidates' ids, best first (bm25 with the title weighted 10: lowest first; ts_rank_cd: highest
    first), then by id."""
    sign = -1 if connection.vendor == "postgresql" else 1
    return [row[0] for row in sorted(found, key=lambda row: (sign * row[2], row[0]))]


def _page(cursor, terms: list[str], ids: list[int]) -> list:
    """The page's rows, highlighted, in the order of `ids`."""
    table = Document._meta.db_table
    columns = 'd.kind, d.object_id, d.url, d."when", d.place, d.space_id'
    marks = ", ".join(["%s"] * len(ids))
    if connection.vendor == "postgresql":
        options = f"StartSel={START}, StopSel={STOP}"
        cursor.execute(
            f"""SELECT d.id, {columns},
                    ts_headline('english', d.title, q.query, %s),
                    ts_headline('english', d.body, q.query, %s)
                FROM {table} d CROSS JOIN (SELECT plainto_tsquery('english', %s) AS query) q
                WHERE d.id IN ({marks})""",
            [
                options + ", HighlightAll=true",
                options + ', MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "',
                " ".join(terms),
                *ids,
            ],
        )
    else:
        cursor.execute(
            f"""SELECT d.id, {columns}, highlight(search_document_fts, 0, %s, %s),
                    snippet(search_document_fts, 1, %s, %s, ' … ', 24)
                FROM search_document_fts CROSS JOIN {table} d ON d.id = search_document_fts.rowid
                WHERE search_document_fts MATCH %s AND d.id IN ({marks})""",
            [START, STOP, START, STOP, fts5_query(terms), *ids],
        )
    by_id = {row[0]: row[1:] for row in cursor.fetchall()}
    return [by_id[i] for i in ids if i in by_id]


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
