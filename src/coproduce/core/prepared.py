"""The few queries asked on every request, with their SQL built once.

Django builds a query's SQL anew every time it runs it, and for a query of one row by its key building costs
several times what running it does: reading the signed-in person with their unread count took 1.2 ms of CPU
on the development machine, of which 1.0 ms was building the SQL (bench/load.py). Every signed-in page reads
the session and the person, so building their SQL once per process is the cheapest page made cheaper.

`Prepared(build, markers=...)` builds the queryset once, with a marker where each value goes, keeps its SQL
and parameters, and then runs that SQL with the markers' parameters replaced by the values:

    PERSON = Prepared(lambda pk: User.objects.filter(pk=pk).annotate(...), markers=(-1_000_000_007,))
    person = PERSON.first(user_id)

The rows come back as model instances through Django's raw queries, with every column of the model converted
as usual and each annotation an attribute. What cannot be prepared says so at once (ValueError): a queryset
that follows relations into other models' instances (`select_related`: a raw query would leave them to a
query each), or a marker that does not appear in the parameters exactly once (choose one no real value can
take, of the type the field's lookup keeps unchanged: an int for an id, a string for a key).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


class Prepared(Generic[M]):
    def __init__(self, build: Callable[..., QuerySet[M]], *, markers: tuple[Any, ...]) -> None:
        self.build = build
        self.markers = markers
        self._built: dict[str, tuple[type[M], str, tuple[Any, ...], tuple[int, ...]]] = {}
        self._lock = threading.Lock()

    def all(self, *values: Any, using: str = "default") -> list[M]:
        """The rows the queryset `build(*values)` would give, in its order."""
        if len(values) != len(self.markers):
            raise TypeError(f"{len(self.markers)} values expected, {len(values)} given")
        model, sql, params, places = self._built.get(using) or self._build(using)
        filled = list(params)
        for place, value in zip(places, values, strict=True):
            filled[place] = value
        return list(model._default_manager.raw(sql, filled).using(using))

    def first(self, *values: Any, using: str = "default") -> M | None:
        rows = self.all(*values, using=using)
        return rows[0] if rows else None

    def _build(self, using: str) -> tuple[type[M], str, tuple[Any, ...], tuple[int, ...]]:
        queryset = self.build(*self.markers)
        if queryset.query.select_related:
            raise ValueError("A prepared query cannot follow relations (select_related).")
        sql, params = queryset.query.get_compiler(using=using).as_sql()
        places = []
        for marker in self.markers:
            found = [i for i, param in enumerate(params) if type(param) is type(marker) and param == marker]
            if len(found) != 1:
                raise ValueError(
                    f"The marker {marker!r} is {len(found)} times among the parameters {params!r}: "
                    "it must be there exactly once."
                )
            places.append(found[0])
        built = (queryset.model, sql, tuple(params), tuple(places))
        with self._lock:
            self._built[using] = built
        return built
