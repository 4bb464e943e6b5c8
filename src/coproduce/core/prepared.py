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

The rows come back as model instances through Django's raw queries, with every column of the model converted
as usual and each annotation an attribute. What cannot be prepared says so at once (ValueError): a queryset
that follows relations into other models' instances (`select_related`: a raw query would leave them to a
query each), or a value whose marker does not appear in the parameters exactly once (the value must reach
the SQL unchanged: an id, a key; the markers are numbers and strings no real value takes).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def _marker(kind: type, place: int) -> Any:
    """A value of `kind` that no id or key takes, different for each place."""
    if kind is int:
        return -(10**15) - place
    if kind is str:
        return f"\x00prepared-{place}\x00"
    raise TypeError(f"A prepared query's values are int or str, not {kind.__name__}.")


class Prepared(Generic[M]):
    def __init__(self, build: Callable[..., QuerySet[M]], *, values: tuple[type, ...]) -> None:
        self.build = build
        self.markers = tuple(_marker(kind, place) for place, kind in enumerate(values))
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
