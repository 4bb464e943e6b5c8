"""The few queries asked on every request, with their SQL built once.

Django builds a query's SQL anew every time it runs it, and for a query of one row by its key building costs
several times what running it does: reading the signed-in person with their unread count took 1.2 ms of CPU
on the development machine, of which 1.0 ms was building the SQL (bench/load.py). Every signed-in page reads
the session and the person, so building their SQL once per process is the cheapest page made cheaper.

`Prepared(build, values=...)` builds the queryset once, with a marker of each value's type (int or str) where
the value goes, keeps its SQL and parameters, and then runs that SQL with the markers' parameters replaced by
the values:

    PERSON = Prepared(lambda pk: User.objects.filter(pk=pk).annotate(...), values=(int,))
    person = PERSON.first(user_id)

The rows come back as model instances made as Django's own iteration makes them (`Model.from_db`, with the
converters the compiler gives for each column, read once), each annotation an attribute: Django's raw queries
did the same at three times the cost of running the query (0.10 ms a person, 0.03 of it the query). What cannot be prepared says so at once (ValueError): a queryset
that follows relations into other models' instances (`select_related`: a raw query would leave them to a
query each), or a value whose marker does not appear in the parameters exactly once (the value must reach
the SQL unchanged: an id, a key; the markers are numbers and strings no real value takes).

`Together(a, b, ...)` asks several prepared queries of at most one row each in one statement, so one round
trip to the database instead of one each: on PostgreSQL a round trip cost a page about a quarter of a
millisecond of the machine's CPU under load, more than most queries' own work (bench/load.py):

    SPACE_AND_MEMBERSHIP = Together(SPACE, MEMBERSHIP_BY_SLUG)
    space, membership = SPACE_AND_MEMBERSHIP.first((slug,), (slug, user_id))

Each part is None where its query finds nothing, whatever the others find.

Reading ahead: a page's first statement is the session (or the API token) with the person it names, and only
then can the page ask what it needs, which names that person. Within a request (`reading_ahead()`, opened by
`people.sessions.AuthenticationMiddleware`), `first_with(values, also=(query, its_values))` asks `also`'s
queries in the same statement and keeps what they found; when the page then asks `query` with exactly those
values, it is answered from what was kept, once, without a round trip. What was kept is the same query's
answer with the same values, read a moment earlier in the same request: asked with other values (the
person was guessed wrongly), it is not used, and the page's query runs as it would have. Only reading
requests read ahead (core/ahead.py), so nothing the request wrote can be missing from what was kept.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connections
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)

_NOT_KEPT = object()
# What `first_with` read ahead in this request, by (query, values, database): answered once each.
_kept: ContextVar[dict[tuple, Any] | None] = ContextVar("read_ahead", default=None)


@contextmanager
def reading_ahead() -> Iterator[None]:
    """The scope of one request: what is read ahead in it is kept until it ends, and never seen by another."""
    token = _kept.set({})
    try:
        yield
    finally:
        _kept.reset(token)


def keep(query: Any, found: Any, *values: Any, using: str = "default") -> None:
    """Within a request reading ahead: `found`, read with another statement, answers this request's next
    `query.first(*values)` (the person read with the session: people/sessions.py). Outside one, nothing."""
    kept = _kept.get()
    if kept is not None:
        kept[(query, values, using)] = found


def _answered(query: Any, values: tuple, using: str) -> Any:
    kept = _kept.get()
    return _NOT_KEPT if not kept else kept.pop((query, values, using), _NOT_KEPT)


def _marker(kind: type, place: int) -> Any:
    """A value of `kind` that no id or key takes, different for each place."""
    if kind is int:
        return -(10**15) - place
    if kind is str:
        return f"\x00prepared-{place}\x00"
    raise TypeError(f"A prepared query's values are int or str, not {kind.__name__}.")


@dataclass(frozen=True)
class _Built(Generic[M]):
    model: type[M]
    sql: str
    params: tuple[Any, ...]
    places: tuple[int, ...]  # where each value goes among the parameters
    fields: tuple[str, ...]  # the model's columns, in the order selected (`Model.from_db`)
    count: int  # how many of the selected columns are the model's (the annotations follow)
    width: int  # how many columns are selected in all
    key: int  # the column of the primary key (never null in a row found)
    annotations: tuple[tuple[str, int], ...]  # (attribute, column)
    converters: tuple[tuple[int, tuple[Callable, ...], Any], ...]  # (column, converters, expression)

    def filled(self, values: tuple[Any, ...]) -> list[Any]:
        filled = list(self.params)
        for place, value in zip(self.places, values, strict=True):
            filled[place] = value
        return filled

    def make(self, using: str, connection, row: list[Any]) -> M:
        """The instance of one row, as Django's own iteration makes it (SQLCompiler.apply_converters: each
        column's converters in turn, then `Model.from_db`)."""
        for column, converters, expression in self.converters:
            value = row[column]
            for converter in converters:
                value = converter(value, expression, connection)
            row[column] = value
        instance = self.model.from_db(using, self.fields, row[: self.count])
        for name, column in self.annotations:
            setattr(instance, name, row[column])
        return instance


class Prepared(Generic[M]):
    def __init__(self, build: Callable[..., QuerySet[M]], *, values: tuple[type, ...]) -> None:
        self.build = build
        self.markers = tuple(_marker(kind, place) for place, kind in enumerate(values))
        self._built: dict[str, _Built[M]] = {}
        self._lock = threading.Lock()

    def all(self, *values: Any, using: str = "default") -> list[M]:
        """The rows the queryset `build(*values)` would give, in its order."""
        if len(values) != len(self.markers):
            raise TypeError(f"{len(self.markers)} values expected, {len(values)} given")
        built = self.built(using)
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(built.sql, built.filled(values))
            rows = cursor.fetchall()
        return [built.make(using, connection, list(row)) for row in rows]

    def first(self, *values: Any, using: str = "default") -> M | None:
        answer = _answered(self, values, using)
        if answer is not _NOT_KEPT:
            return answer
        rows = self.all(*values, using=using)
        return rows[0] if rows else None

    def built(self, using: str) -> _Built[M]:
        return self._built.get(using) or self._build(using)

    def _build(self, using: str) -> _Built[M]:
        queryset = self.build(*self.markers)
        if queryset.query.select_related:
            raise ValueError("A prepared query cannot follow relations (select_related).")
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        places = []
        for marker in self.markers:
            found = [i for i, param in enumerate(params) if type(param) is type(marker) and param == marker]
            if len(found) != 1:
                raise ValueError(
                    f"The marker {marker!r} is {len(found)} times among the parameters {params!r}: "
                    "it must be there exactly once."
                )
            places.append(found[0])
        # What Django's ModelIterable reads from the compiler to make each row an instance, read once. The
        # model's columns come first (no select_related, so nothing else is selected before them).
        select_fields = compiler.klass_info["select_fields"]
        if select_fields != list(range(len(select_fields))):
            raise ValueError("A prepared query must select its model's columns first.")
        selected = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
        # The converters are the ones Django would use on this database; they read only its settings (the
        # time zone), so one set serves every connection to it.
        converters = compiler.get_converters(selected)
        built = _Built(
            model=queryset.model,
            sql=sql,
            params=tuple(params),
            places=tuple(places),
            fields=tuple(column.target.attname for column in selected[: len(select_fields)]),
            count=len(select_fields),
            width=len(compiler.select),
            key=[column.target.attname for column in selected[: len(select_fields)]].index(
                queryset.model._meta.pk.attname
            ),
            annotations=tuple((compiler.annotation_col_map or {}).items()),
            converters=tuple(
                (column, tuple(found), expression)
                for column, (found, expression) in sorted(converters.items())
            ),
        )
        with self._lock:
            self._built[using] = built
        return built


class Together:
    """Prepared queries of at most one row each, asked in one statement: `first(values_of_a, values_of_b,
    ...)` gives each one's row or None. The statement joins them side by side to a row of its own, so that
    each part is found or not whatever the others find; a part that finds two rows is refused (ValueError),
    as it would repeat the others.

    `many`, a prepared query of any number of rows, is joined last: its rows come as a list after the others
    (`first(..., values_of_many)`), in no particular order, each one bringing the others' columns again (so
    for a few short rows: a budget's counts, one per rule)."""

    def __init__(self, *parts: Prepared, many: Prepared | None = None) -> None:
        if len(parts) + (many is not None) < 2:
            raise ValueError("Together asks two prepared queries or more.")
        self.parts = parts
        self.many = many
        self._sql: dict[str, str] = {}

    def first(self, *values: tuple[Any, ...], using: str = "default") -> tuple[Any, ...]:
        answer = _answered(self, values, using)
        if answer is not _NOT_KEPT:
            return answer
        return self._ask(values, using)

    def first_with(
        self, values: tuple[tuple[Any, ...], ...], also: tuple[Any, tuple] | None, using: str = "default"
    ) -> tuple[Any, ...]:
        """`first(*values)`, with `also` (a `Prepared` of one row at most or a `Together`, and its values) asked
        in the same statement when a request is reading ahead: what it finds answers the request's next
        `first` of that query with those values (see the module's notes)."""
        if also is None or _kept.get() is None or self.many is not None:
            return self.first(*values, using=using)
        query, its_values = also
        if isinstance(query, Together):
            found = together(*self.parts, *query.parts, many=query.many).first(
                *values, *its_values, using=using
            )
            keep(query, found[len(self.parts) :], *its_values, using=using)
        else:
            found = together(*self.parts, query).first(*values, its_values, using=using)
            keep(query, found[-1], *its_values, using=using)
        return found[: len(self.parts)]

    def _ask(self, values: tuple[tuple[Any, ...], ...], using: str) -> tuple[Any, ...]:
        queries = (*self.parts, self.many) if self.many is not None else self.parts
        if len(values) != len(queries):
            raise TypeError(f"values for {len(queries)} queries expected, for {len(values)} given")
        built = [query.built(using) for query in queries]
        sql = self._sql.get(using)
        if sql is None:
            joined = " ".join(
                f"LEFT JOIN ({part.sql}) AS prepared_{number} ON 1 = 1"
                for number, part in enumerate(built, start=1)
            )
            # Only the parts' own SQL, built by Django from their querysets: no value is in it.
            sql = self._sql[using] = f"SELECT * FROM (SELECT 1 AS prepared_row) AS prepared_0 {joined}"  # noqa: S608
        params: list[Any] = []
        for part, its_values in zip(built, values, strict=True):
            params += part.filled(its_values)
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if len(rows) != 1 and self.many is None:
            raise ValueError(f"A query asked together found {len(rows) - 1} rows more than one.")
        found: list[Any] = []
        start = 1  # after prepared_row
        for part in built[: len(self.parts)]:
            columns = slice(start, start + part.width)
            start = columns.stop
            if any(other[columns] != rows[0][columns] for other in rows[1:]):
                raise ValueError("A query asked together found more than one row.")
            row = list(rows[0][columns])
            found.append(None if row[part.key] is None else part.make(using, connection, row))
        if self.many is not None:
            part = built[-1]
            found.append(
                [
                    part.make(using, connection, list(row[start : start + part.width]))
                    for row in rows
                    if row[start + part.key] is not None
                ]
            )
        return tuple(found)


_together: dict[tuple, Together] = {}


def together(*parts: Prepared, many: Prepared | None = None) -> Together:
    """`Together(*parts, many=many)`, made once per process for each set of queries: a page asks the same set
    again on every request, and its statement is joined once."""
    key = (parts, many)
    found = _together.get(key)
    if found is None:
        found = _together[key] = Together(*parts, many=many)  # two threads may both make it: the same
    return found
