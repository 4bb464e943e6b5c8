"""Reads: the surveys of a space as a person may see them, what waits for a person, and the results."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.registry import Urgency, WaitingItem
from coproduce.spaces.models import Membership

from .. import access
from ..models import Audience, Participation, Response, Survey, SurveyStatus
from .results import (
    csv_lines,
    export_rows,
    is_place_standard,
    perspective_groups,
    place_areas,
    place_by_area,
    place_by_perspective,
    place_scores,
    radar,
    results,
    safe_cell,
)

__all__ = [
    "csv_lines",
    "export_rows",
    "is_place_standard",
    "perspective_groups",
    "place_areas",
    "place_by_area",
    "place_by_perspective",
    "place_scores",
    "radar",
    "results",
    "safe_cell",
    "surveys_of",
    "waiting_for",
]


def surveys_of(user: Any, space) -> QuerySet[Survey]:
    """The space's surveys: drafts only for those who build them."""
    queryset = Survey.objects.filter(space=space).select_related("space")
    if not access.can_manage(user, space):
        queryset = queryset.exclude(status=SurveyStatus.DRAFT)
    return queryset.order_by("-created_at", "-id")


def _not_answered(user: Any) -> Q:
    named = Exists(
        Response.objects.filter(survey=OuterRef("pk"), respondent=user, submitted_at__isnull=False)
    )
    anonymous = Exists(Participation.objects.filter(survey=OuterRef("pk"), user=user))
    return ~named & ~anonymous


def waiting_for(user: Any) -> list[WaitingItem]:
    """Open surveys in the person's spaces that they may answer and have not, in one query."""
    if not getattr(user, "is_authenticated", False):
        return []
    now = timezone.now()
    mine = Membership.objects.filter(user=user).values("space_id")
    surveys = (
        Survey.objects.filter(space_id__in=mine, status=SurveyStatus.OPEN)
        .exclude(audience=Audience.LINK)
        .filter(Q(opens_at__isnull=True) | Q(opens_at__lte=now))
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        .filter(_not_answered(user))
        .select_related("space")
        .order_by("closes_at", "id")[:20]
    )
    return [
        WaitingItem(
            module="surveys",
            kind="survey",
            title=_("Answer the survey “%(title)s”") % {"title": survey.title},
            url=reverse("surveys:detail", args=[survey.space.slug, survey.pk]),
            urgency=Urgency.OPEN,
            due=survey.closes_at,
            detail=_("Closes %(date)s") % {"date": survey.closes_at.date().isoformat()}
            if survey.closes_at
            else "",
            space_title=survey.space.title,
        )
        for survey in surveys
    ]
