"""What the quality pages show, built from the stored check (JSON) and the rules' own words: the ladder with
the evidence for and against each step, Bovaird's matrix and the self-assessment radar as geometry for
accessible SVGs (each with a table beside it), and links from every number to its records."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from coproduce.lib.quality.evidence import PERSPECTIVES, STAGES
from coproduce.lib.quality.judge import BOVAIRD_CELLS, Band, Role
from coproduce.lib.quality.rules import RULES_BY_ID, Step
from coproduce.lib.quality.standards import RATING_MAX, STANDARDS
from coproduce.spaces.models import Perspective, StageKind

PERSPECTIVE_LABELS = dict(Perspective.choices)
STAGE_LABELS = dict(StageKind.choices)


def records_url(space, figure: dict[str, Any]) -> str:
    query = {
        "measure": figure["measure"],
        "stages": ",".join(figure["stages"]),
        "perspectives": ",".join(figure["perspectives"]),
    }
    return reverse("quality:records", args=[space.slug]) + "?" + urlencode(query)


def _scope(stages: list[str], perspectives: list[str]) -> str:
    """Which stages and perspectives a number covers, in words ("" when all, or for a derived figure such as
    a share, which names no records of its own)."""
    parts = []
    if stages and set(stages) != set(STAGES):
        parts.append(", ".join(str(STAGE_LABELS.get(s, s)) for s in stages))
    if perspectives and set(perspectives) != set(PERSPECTIVES):
        parts.append(", ".join(str(PERSPECTIVE_LABELS.get(p, p)).lower() for p in perspectives))
    return "; ".join(parts)


@dataclass
class ResultView:
    rule_id: str
    statement: str
    threshold: str
    required: bool
    outcome: str
    finding: str
    sources: tuple[str, ...]
    figures: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class StepView:
    step: str
    label: str
    reached: bool
    current: bool
    supporting: list[ResultView]
    against: list[ResultView]
    unknown: list[ResultView]
    next: bool = False  # the step above the space's level: what it would take to climb


def _result(space, data: dict[str, Any]) -> ResultView:
    rule = RULES_BY_ID[data["rule"]]
    figures = []
    for f in data["figures"]:
        shown = dict(f)
        shown["scope"] = _scope(f["stages"], f["perspectives"])
        shown["url"] = records_url(space, f) if f.get("measure") and f["unit"] != "percent" else ""
        figures.append(shown)
    return ResultView(
        rule_id=rule.id,
        statement=rule.statement,
        threshold=rule.threshold,
        required=rule.required,
        outcome=data["outcome"],
        finding=data["finding"],
        sources=rule.sources,
        figures=figures,
    )


def ladder(space, judgement: dict[str, Any]) -> list[StepView]:
    """Every step of the ladder, highest first, with the results for and against it."""
    results = {r["rule"]: _result(space, r) for r in judgement["results"]}
    level = Step(judgement["level"]).rank
    found = []
    for s in judgement["steps"]:
        step = Step(s["step"])
        found.append(
            StepView(
                step=step.value,
                label=step.label,
                reached=s["reached"],
                current=step.value == judgement["level"],
                supporting=[results[i] for i in s["for"]],
                against=[results[i] for i in s["against"]],
                unknown=[results[i] for i in s["unknown"]],
                next=step.rank == level + 1,
            )
        )
    return list(reversed(found))


# --- Bovaird's matrix: who plans (columns) and who delivers (rows) ------------------------------------

ROLE_ORDER = (Role.PROFESSIONALS, Role.SHARED, Role.COMMUNITY)


def role_label(role: str) -> str:
    return {
        Role.PROFESSIONALS: _("Professionals alone"),
        Role.SHARED: _("Professionals with users and communities"),
        Role.COMMUNITY: _("Users and communities alone"),
    }.get(Role(role), _("Not enough evidence"))


def bovaird(judgement: dict[str, Any]) -> dict[str, Any]:
    """The 3 × 3 matrix (planning across, delivery down) with the space's cell marked, as SVG geometry."""
    data = judgement["bovaird"]
    planning, delivery = data["planning"]["role"], data["delivery"]["role"]
    size, top, left = 90, 40, 110
    cells = []
    for row, deliver in enumerate(ROLE_ORDER):
        for col, plan in enumerate(ROLE_ORDER):
            cell_id, label = BOVAIRD_CELLS[(plan, deliver)]
            cells.append(
                {
                    "x": left + col * size,
                    "y": top + row * size,
                    "id": cell_id,
                    "label": label,
                    "here": plan == planning and deliver == delivery,
                }
            )
    return {
        "cell": data["cell"],
        "label": data["label"],
        "planning": role_label(planning),
        "delivery": role_label(delivery),
        "cells": cells,
        "size": size,
        "width": left + 3 * size + 10,
        "height": top + 3 * size + 10,
        "columns": [
            {"x": left + i * size + size / 2, "label": short} for i, short in enumerate(_short_roles())
        ],
        "rows": [{"y": top + i * size + size / 2, "label": short} for i, short in enumerate(_short_roles())],
    }


def _short_roles() -> list[str]:
    return [_("Professionals"), _("Shared"), _("Community")]


def band_label(band: str) -> str:
    return Band(band).label


# --- The self-assessment radar -----------------------------------------------------------------------


def radar(rounds: list[dict[str, int]], *, radius: int = 120) -> dict[str, Any]:
    """Axes for the seven standards and one polygon per round (newest first), as SVG geometry."""
    centre = radius + 90
    n = len(STANDARDS)

    def point(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * value / RATING_MAX
        return round(centre + r * math.cos(angle), 1), round(centre + r * math.sin(angle), 1)

    axes = []
    for i, standard in enumerate(STANDARDS):
        x, y = point(i, RATING_MAX)
        lx, ly = point(i, RATING_MAX + 1.3)
        axes.append({"x": x, "y": y, "lx": lx, "ly": ly, "label": standard.name})
    rings = [
        " ".join(f"{x},{y}" for x, y in (point(i, level) for i in range(n)))
        for level in range(1, RATING_MAX + 1)
    ]
    polygons = [
        " ".join(f"{x},{y}" for x, y in (point(i, ratings.get(s.id, 0)) for i, s in enumerate(STANDARDS)))
        for ratings in rounds
    ]
    return {"size": 2 * centre, "centre": centre, "axes": axes, "rings": rings, "polygons": polygons}
