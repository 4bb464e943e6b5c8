"""Which stage of a space a record belongs to, for the quality check's counts (each module's `evidence`).

Records do not keep a stage, so a module places a record in the stage of the space that was open on its date:
`stage_of(space, "created_at", among=..., default=...)` is a database expression (a CASE over the space's own
stage dates, read in one query) that a module groups by, so counting stays one GROUP BY query however many
records there are. A record whose date falls in no dated stage of `among` goes to `default`, the stage where
the module's work belongs (see docs/ARCHITECTURE.md, "The quality check's evidence").
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.db.models import Case, CharField, Count, Min, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.expressions import Expression
from django.utils import timezone

from coproduce.core.registry import EvidenceCount

from .models import Membership, Space, Stage


def _midnight(day: date) -> datetime:
    """The start of `day` in the current time zone (what a `__date` lookup compares in)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def stage_of(space: Space, date_field: str, *, among: Iterable[str], default: str) -> Expression:
    """A CASE expression giving the stage kind of a record by `date_field` (a datetime path).

    A stage holds the local days from `starts_on` to `ends_on`: the datetime is compared with the start of those
    days as it is stored (`>=` the first midnight, `<` the midnight after the last day), the same as comparing
    its local date, without converting every row (SQLite does that in Python, one call a row: seconds for a big
    space)."""
    wanted = set(among)
    whens = []
    stages = Stage.objects.filter(space=space, kind__in=wanted).order_by("position")
    for stage in stages.only("kind", "starts_on", "ends_on"):
        if stage.starts_on is None:
            continue
        condition = Q(**{f"{date_field}__gte": _midnight(stage.starts_on)})
        if stage.ends_on is not None:
            condition &= Q(**{f"{date_field}__lt": _midnight(stage.ends_on + timedelta(days=1))})
        whens.append(When(condition, then=Value(stage.kind)))
    if not whens:
        return Value(default, output_field=CharField())
    return Case(*whens, default=Value(default), output_field=CharField())


def perspective_in(space: Space, user_field: str = "user"):
    """A subquery giving a person's perspective in `space` today (for records that keep no perspective of
    their own, such as a budget's voters): None when they are no longer a member."""
    return Subquery(
        Membership.objects.filter(space=space, user=OuterRef(user_field)).values("perspective")[:1],
        output_field=CharField(),
    )


ALL_STAGES = ("co_commissioning", "co_design", "co_delivery", "co_assessment")


def tally(queryset, measure: str, *, total: str | None = None, people: bool = False) -> list[EvidenceCount]:
    """Count a queryset annotated with `q_stage`, `q_perspective` and `q_person` in one GROUP BY query: one
    line per person, with how many records they made (or the sum of `total`; or 1 when `people`: the measure
    counts people, not records). Lines with no perspective (not a member) or nothing counted are left out."""
    rows = queryset.values("q_stage", "q_perspective", "q_person").annotate(
        q_n=Sum(total) if total else Count("pk")
    )
    return [
        EvidenceCount(
            measure=measure,
            stage=row["q_stage"],
            perspective=row["q_perspective"],
            n=1 if people else int(row["q_n"]),
            person=row["q_person"],
        )
        for row in rows.order_by()
        if row["q_perspective"] and row["q_n"] and row["q_n"] > 0
    ]


def in_figure(queryset, stages: Iterable[str], perspectives: Iterable[str]):
    """The records of an annotated queryset (see `tally`) that one figure counted."""
    return queryset.filter(q_stage__in=list(stages), q_perspective__in=list(perspectives))


def earliest(queryset, field: str) -> date | None:
    """The local date of the earliest `field` in the queryset, or None."""
    found = queryset.aggregate(first=Min(field))["first"]
    if found is None:
        return None
    return timezone.localdate(found) if isinstance(found, datetime) else found
