"""Personal outcomes' section of a space's impact report: the anonymised summary only, never for fewer than
`access.SMALLEST_GROUP` people, and only for those who may read that summary (members)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from coproduce.core.registry import ImpactFigure, ImpactSection

from . import access, selectors


def impact_section(space, viewer) -> ImpactSection | None:
    if not access.can_see_summary(viewer, space):
        return None
    found = selectors.summary(space)
    if found.people == 0:
        return None
    if not found.shown:
        return ImpactSection(
            module="outcomes",
            key="outcomes",
            title=_("Personal outcomes"),
            summary=_("Fewer than %(n)s people have talked about their outcomes, so nothing is shown.")
            % {"n": access.SMALLEST_GROUP},
            url=reverse("outcomes:summary", args=[space.slug]),
        )
    better = sum(row.better for row in found.rows)
    rated = sum(row.people for row in found.rows)
    figures = tuple(
        ImpactFigure(
            _("%(outcome)s: average first → latest (1–5)") % {"outcome": row.label},
            f"{row.first_average:.1f} → {row.latest_average:.1f}",
            people=row.people,
        )
        for row in found.rows
    )
    return ImpactSection(
        module="outcomes",
        key="outcomes",
        title=_("Personal outcomes"),
        summary=_(
            "%(people)s people talked about their outcomes; of %(rated)s outcomes followed over time, %(better)s got better."
        )
        % {"people": found.people, "rated": rated, "better": better},
        figures=figures,
        url=reverse("outcomes:summary", args=[space.slug]),
        note=_("Only outcomes that at least %(n)s people talked about are shown; names are never shown.")
        % {"n": access.SMALLEST_GROUP},
    )
