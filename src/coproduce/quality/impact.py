"""The impact report (issue 14, section 4): one page a commissioner can read in five minutes, and the network
dashboard across spaces. Everything here is read from what is stored or counted in GROUP BY queries, so the
report costs the same number of queries whatever the size of the space:

- participation over time by perspective: the distinct people who did anything recorded in the space (the
  audit log: every write is audited; a thing done for someone counts for them, not the helper), per month,
  by their perspective in the space today;
- hours: the timebank's "hours_by_space" hook (none installed: the report says so);
- the quality check: the stored `QualityCheck` (never computed here);
- the trail summary (trail.py);
- sections other modules add through their manifest's `impact(space, viewer)` (surveys, the Place Standard,
  personal outcomes, SROI).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coproduce.core import registry
from coproduce.core.models import AuditEvent
from coproduce.core.registry import ImpactSection
from coproduce.lib.quality.rules import Step
from coproduce.spaces.models import Membership, Perspective, Space

from . import presenters, trail
from .models import QualityCheck

MONTHS = 12
PERSPECTIVE_ORDER = [p for p, _label in Perspective.choices]
# One colour per perspective, told apart without colour too: the table beside the chart gives every number.
COLOURS = {
    "lived_experience": "#1d70b8",
    "carer": "#00703c",
    "community": "#f47738",
    "practitioner": "#4c2c92",
    "commissioner": "#d4351c",
    "facilitator": "#505a5f",
}


def _month_start(day: date, back: int) -> date:
    year, month = day.year, day.month - back
    while month <= 0:
        month += 12
        year -= 1
    return date(year, month, 1)


def months_ending(today: date, n: int = MONTHS) -> list[date]:
    return [_month_start(today, back) for back in range(n - 1, -1, -1)]


def participation(
    spaces: Any, *, today: date | None = None, months: int = MONTHS
) -> dict[date, dict[str, int]]:
    """People taking part per month by perspective, in `spaces` (a queryset or list of spaces): one query.
    A person counts once a month per space they did something in, with their perspective there today."""
    today = today or timezone.localdate()
    first = months_ending(today, months)[0]
    start = timezone.make_aware(datetime(first.year, first.month, 1))
    perspective = Subquery(
        Membership.objects.filter(space=OuterRef("space"), user=OuterRef("person")).values("perspective")[:1]
    )
    rows = (
        AuditEvent.objects.filter(space__in=spaces, at__gte=start)
        .annotate(person=Coalesce("on_behalf_of", "actor"))
        .filter(person__isnull=False)
        .annotate(month=TruncMonth("at"), p=perspective)
        .filter(p__isnull=False)
        .values("month", "p")
        .annotate(n=Count("person", distinct=True))
        .order_by()
    )
    found: dict[date, dict[str, int]] = {m: {} for m in months_ending(today, months)}
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime) and timezone.is_aware(month):
            month = timezone.localtime(month)
        key = date(month.year, month.month, 1)
        if key in found:
            found[key][row["p"]] = found[key].get(row["p"], 0) + row["n"]
    return found


@dataclass(frozen=True)
class Bar:
    label: str
    x: float
    segments: list[dict[str, Any]]  # y, height, colour, perspective label, n
    total: int


def bar_chart(series: dict[date, dict[str, int]], *, width: int = 640, height: int = 260) -> dict[str, Any]:
    """Geometry of a stacked bar chart drawn to scale (the axis starts at 0): one bar per month, one
    segment per perspective, with gridlines at whole numbers."""
    left, bottom, top = 40, 40, 12
    plot_h = height - bottom - top
    months = list(series)
    totals = [sum(series[m].values()) for m in months]
    peak = max(totals, default=0) or 1
    step = 1
    for candidate in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        step = candidate
        if peak / candidate <= 5:
            break
    axis_max = ((peak + step - 1) // step) * step
    scale = plot_h / axis_max
    slot = (width - left - 8) / max(len(months), 1)
    bars = []
    for i, m in enumerate(months):
        y: float = top + plot_h
        segments = []
        for p in PERSPECTIVE_ORDER:
            n = series[m].get(p, 0)
            if not n:
                continue
            h = n * scale
            y -= h
            segments.append(
                {
                    "y": round(y, 2),
                    "height": round(h, 2),
                    "colour": COLOURS[p],
                    "n": n,
                    "label": presenters.PERSPECTIVE_LABELS[p],
                }
            )
        bars.append(
            Bar(
                label=date_format(m, "M y"),  # the month in the reader's language
                x=round(left + i * slot + slot * 0.15, 2),
                segments=segments,
                total=totals[i],
            )
        )
    ticks = [{"value": v, "y": round(top + plot_h - v * scale, 2)} for v in range(0, axis_max + 1, step)]
    return {
        "width": width,
        "height": height,
        "bars": bars,
        "bar_width": round(slot * 0.7, 2),
        "ticks": ticks,
        "left": left,
        "baseline": top + plot_h,
        "label_y": top + plot_h + 16,
        "legend": [
            {"label": presenters.PERSPECTIVE_LABELS[p], "colour": COLOURS[p]} for p in PERSPECTIVE_ORDER
        ],
    }


def table(series: dict[date, dict[str, int]]) -> dict[str, Any]:
    """The chart's data as a table: a row per month, a column per perspective that took part at all."""
    used = [p for p in PERSPECTIVE_ORDER if any(v.get(p) for v in series.values())]
    return {
        "columns": [presenters.PERSPECTIVE_LABELS[p] for p in used],
        "rows": [
            {"month": m, "values": [series[m].get(p, 0) for p in used], "total": sum(series[m].values())}
            for m in series
        ],
    }


def hours(space_ids: list[int]) -> dict[int, dict[str, int]] | None:
    """Minutes exchanged and time credits paid per space, or None when no timebank is installed."""
    hook = registry.hook("hours_by_space")
    return hook(space_ids) if hook else None


def as_hours(minutes: int) -> str:
    h, m = divmod(minutes, 60)
    return f"{h}:{m:02d}"


@dataclass(frozen=True)
class Report:
    space: Space
    months: dict[date, dict[str, int]]
    hours: dict[str, int] | None
    check: QualityCheck | None
    level: str
    band: str
    judgement: dict[str, Any] | None
    summary: trail.TrailSummary
    sections: list[ImpactSection]
    made_at: datetime

    def figures(self) -> list[dict[str, Any]]:
        """Every figure of the report as flat rows (section, key, label, value, unit, of), for CSV and JSON."""
        rows: list[dict[str, Any]] = []
        for month, counts in self.months.items():
            for p in PERSPECTIVE_ORDER:
                rows.append(
                    {
                        "section": "participation",
                        "key": f"{month:%Y-%m}:{p}",
                        "label": f"{month:%Y-%m} {presenters.PERSPECTIVE_LABELS[p]}",
                        "value": counts.get(p, 0),
                        "unit": "people",
                        "of": None,
                    }
                )
        if self.hours is not None:
            rows.append(
                {
                    "section": "hours",
                    "key": "exchanged",
                    "label": _("Time exchanged"),
                    "value": self.hours["exchanged"],
                    "unit": "minutes",
                    "of": None,
                }
            )
            rows.append(
                {
                    "section": "hours",
                    "key": "credits_paid",
                    "label": _("Time credits paid"),
                    "value": self.hours["credits_paid"],
                    "unit": "minutes",
                    "of": None,
                }
            )
        if self.judgement:
            rows.append(
                {
                    "section": "quality",
                    "key": "level",
                    "label": _("Level"),
                    "value": self.judgement["level"],
                    "unit": "",
                    "of": None,
                }
            )
            rows.append(
                {
                    "section": "quality",
                    "key": "arnstein",
                    "label": _("Arnstein's band"),
                    "value": self.judgement["arnstein"],
                    "unit": "",
                    "of": None,
                }
            )
        for key, label, n, of in self.summary.as_rows():
            rows.append({"section": "trail", "key": key, "label": label, "value": n, "unit": "", "of": of})
        for s in self.sections:
            for i, f in enumerate(s.figures):
                rows.append(
                    {
                        "section": s.key,
                        "key": f"{s.key}:{i}",
                        "label": f.label,
                        "value": f.value,
                        "unit": f.unit,
                        "of": None,
                    }
                )
        return rows


def report(space: Space, viewer: Any) -> Report:
    """The report of `space` as `viewer` may see it (the caller asked the space's access rule)."""
    found = QualityCheck.objects.filter(space=space).first()
    judgement = found.judgement if found is not None and found.computed_at and found.judgement else None
    space_hours = hours([space.pk])
    return Report(
        space=space,
        months=participation([space]),
        hours=None if space_hours is None else space_hours.get(space.pk, {"exchanged": 0, "credits_paid": 0}),
        check=found,
        level=Step(judgement["level"]).label if judgement else "",
        band=presenters.band_label(judgement["arnstein"]) if judgement else "",
        judgement=judgement,
        summary=trail.summary(space, viewer),
        sections=registry.impact_sections(space, viewer),
        made_at=timezone.now(),
    )


def level_evidence(space: Space, judgement: dict[str, Any]) -> dict[str, Any]:
    """For the report: the results for and against the space's own level and the next step up."""
    ladder = presenters.ladder(space, judgement)  # highest first
    current = next((i for i, s in enumerate(ladder) if s.current), len(ladder) - 1)
    above = ladder[current - 1] if current > 0 else None
    return {"here": ladder[current], "next": above}


def figures_csv(r: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "key", "label", "value", "unit", "of"])
    for row in r.figures():
        writer.writerow(
            [
                row["section"],
                row["key"],
                row["label"],
                row["value"],
                row["unit"],
                "" if row["of"] is None else row["of"],
            ]
        )
    return out.getvalue()


def figures_json(r: Report) -> dict[str, Any]:
    return {
        "space": r.space.slug,
        "made_at": r.made_at.isoformat(),
        "check_computed_at": r.check.computed_at.isoformat() if r.check and r.check.computed_at else None,
        "figures": r.figures(),
    }


# --- The network dashboard ---------------------------------------------------------------------------


def network(viewer: Any) -> dict[str, Any]:
    """Every space with its stored level, hours and people taking part (three queries and the timebank's
    one), and participation by perspective across the network per month."""
    spaces = list(Space.objects.select_related("quality_check").order_by("title"))
    space_hours = hours([s.pk for s in spaces])
    rows = []
    levels: dict[str, int] = {}
    for s in spaces:
        found = getattr(s, "quality_check", None)
        level = found.judgement.get("level") if found is not None and found.computed_at else None
        label = Step(level).label if level else _("Not worked out yet")
        levels[str(label)] = levels.get(str(label), 0) + 1
        h = (space_hours or {}).get(s.pk, {"exchanged": 0, "credits_paid": 0})
        rows.append(
            {
                "space": s,
                "level": label,
                "computed_at": found.computed_at if found else None,
                "exchanged": as_hours(h["exchanged"]),
                "credits_paid": as_hours(h["credits_paid"]),
            }
        )
    months = participation(spaces)
    return {
        "rows": rows,
        "levels": sorted(levels.items()),
        "has_timebank": space_hours is not None,
        "chart": bar_chart(months),
        "table": table(months),
    }
