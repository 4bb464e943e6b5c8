"""Surveys' section of a space's impact report: the surveys whose results this viewer may read, how many
answered each, and the latest Place Standard round's strongest and weakest themes."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from coproduce.core.registry import ImpactFigure, ImpactSection

from . import access
from .models import Survey, SurveyStatus
from .selectors.results import is_place_standard, place_scores


def impact_section(space, viewer) -> ImpactSection | None:
    surveys = [
        survey
        for survey in Survey.objects.filter(space=space)
        .exclude(status=SurveyStatus.DRAFT)
        .annotate(answered=Count("responses", filter=Q(responses__submitted_at__isnull=False)))
        .order_by("-opens_at", "-pk")
        if access.can_see_results(viewer, survey)
    ]
    if not surveys:
        return None
    figures = [ImpactFigure(survey.title, survey.answered, _("answers")) for survey in surveys]
    summary = _("%(n)s surveys with results you can read, %(answers)s answers in all.") % {
        "n": len(surveys),
        "answers": sum(survey.answered for survey in surveys),
    }
    place = next((s for s in surveys if is_place_standard(s)), None)
    if place is not None:
        scored = sorted(
            ((score, label) for _code, label, score in place_scores(place) if score is not None),
            reverse=True,
        )
        if scored:
            best, worst = scored[0], scored[-1]
            summary += " " + _(
                "In “%(survey)s”, people rated %(best)s best (%(best_score).1f of 7) and %(worst)s lowest "
                "(%(worst_score).1f of 7)."
            ) % {
                "survey": place.title,
                "best": best[1],
                "best_score": best[0],
                "worst": worst[1],
                "worst_score": worst[0],
            }
            figures += [
                ImpactFigure(f"{place.title}: {label}", round(score, 1), _("of 7")) for score, label in scored
            ]
    return ImpactSection(
        module="surveys",
        key="surveys",
        title=_("Surveys and the Place Standard"),
        summary=summary,
        figures=tuple(figures),
        url=reverse("surveys:list", args=[space.slug]),
        note=_(
            "Each survey's own page has its charts and, where groups are large enough, the breakdown by perspective."
        ),
    )
