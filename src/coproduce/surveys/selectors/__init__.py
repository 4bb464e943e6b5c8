"""Reads: the surveys of a space as a person may see them, what waits for a person, and the results."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import registry
from coproduce.core.registry import Source, Urgency, WaitingItem
from coproduce.spaces.models import Membership, Space

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
    "event_survey_create_url",
    "event_survey_url",
    "event_to_shape",
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


# --- "Help shape this event": surveys made for a network event ("meetings.event", through the registry) ----

EVENT_KIND = "meetings.event"


def event_to_shape(user: Any, space, value: str) -> Source | None:
    """The network event a new survey of `space` is for (`?event=<id>`), or None when there is none, it is
    another space's, or it is over."""
    if not value.isdigit():
        return None
    try:
        event = registry.source(EVENT_KIND, user, int(value))
    except Http404:
        return None
    return event if event.space_id == space.pk and event.ready else None


def event_survey_url(source: Source, user: Any) -> str | None:
    """The link "Help shape this event" on the event's page: its open survey, while the event is to come."""
    if source.closed:
        return None
    survey = (
        Survey.objects.filter(source_event_id=source.pk, space_id=source.space_id, status=SurveyStatus.OPEN)
        .select_related("space")
        .order_by("-created_at", "-id")
        .first()
    )
    if survey is None or not survey.is_answerable_now:
        return None
    return survey.get_absolute_url()


def event_survey_create_url(source: Source, user: Any) -> str | None:
    """For the people who build surveys in the event's space: make one to shape it, while it has none."""
    if not source.ready or not getattr(user, "is_authenticated", False):
        return None
    space = Space.objects.filter(pk=source.space_id).first()
    if space is None or not access.can_manage(user, space):
        return None
    if Survey.objects.filter(source_event_id=source.pk, space=space).exists():
        return None
    return reverse("surveys:create", args=[space.slug]) + f"?event={source.pk}"


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
