"""What meetings tell the trail from what people said to what was done (docs/ARCHITECTURE.md, "The trail"):

- from an idea (`ideas.idea`): the agenda items made from it (`AgendaItem.source_idea_id`), with the meeting
  and whether the item made the agenda;
- from an agenda item (`meetings.agenda_item`): the decisions taken on it;
- what people said here: the agenda items they proposed (`contributions`).

Proposals are seen by members until the agenda is published (as on the meeting page); everything else by
whoever may see the space. A fixed number of queries, however many objects.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coproduce.core.registry import Contribution, Source, TrailStep
from coproduce.spaces.access import visible_spaces
from coproduce.spaces.models import Membership

from .models import AgendaItem, AgendaItemStatus, Decision


def _item_url(item: AgendaItem) -> str:
    meeting = item.meeting
    return f"{reverse('meetings:detail', args=[meeting.space.slug, meeting.pk])}#item-{item.pk}"


def _visible_items(viewer) -> QuerySet[AgendaItem]:
    """Items the viewer may see: in spaces they may see, and proposals only in spaces they belong to."""
    items = AgendaItem.objects.filter(meeting__space__in=visible_spaces(viewer))
    if getattr(viewer, "is_staff", False):
        return items
    published = Q(meeting__agenda_published_at__isnull=False)
    if viewer.is_authenticated:
        mine = Membership.objects.filter(user=viewer).values("space_id")
        return items.filter(published | Q(meeting__space__in=mine))
    return items.filter(published)


def item_status(item: AgendaItem) -> str:
    """What became of the item at its meeting, in plain words."""
    meeting = item.meeting
    day = date_format(timezone.localtime(meeting.starts_at), "j M Y")
    if item.status == AgendaItemStatus.LEFT_OFF:
        return _("Left off the agenda of “%(meeting)s”: %(reason)s") % {
            "meeting": meeting.title,
            "reason": item.left_off_reason,
        }
    if meeting.is_cancelled:
        return _("The meeting “%(meeting)s” was cancelled") % {"meeting": meeting.title}
    if item.status == AgendaItemStatus.ON_AGENDA:
        if meeting.has_started:
            return _("Discussed at “%(meeting)s” on %(day)s") % {"meeting": meeting.title, "day": day}
        return _("On the agenda of “%(meeting)s” on %(day)s") % {"meeting": meeting.title, "day": day}
    return _("Proposed for “%(meeting)s” on %(day)s") % {"meeting": meeting.title, "day": day}


def _from_ideas(pks: Sequence[int], viewer) -> dict[int, list[TrailStep]]:
    found: dict[int, list[TrailStep]] = defaultdict(list)
    items = _visible_items(viewer).filter(source_idea_id__in=pks).select_related("meeting__space")
    for item in items.order_by("created_at", "id"):
        assert item.source_idea_id is not None
        found[item.source_idea_id].append(
            TrailStep(
                module="meetings",
                kind="meetings.agenda_item",
                pk=item.pk,
                what=_("Put on a meeting's agenda"),
                title=item.title,
                url=_item_url(item),
                when=item.created_at,
                status=item_status(item),
                reached=item.status == AgendaItemStatus.ON_AGENDA and item.meeting.has_started,
            )
        )
    return found


def _decisions(pks: Sequence[int], viewer) -> dict[int, list[TrailStep]]:
    found: dict[int, list[TrailStep]] = defaultdict(list)
    decisions = Decision.objects.filter(
        agenda_item_id__in=pks, meeting__space__in=visible_spaces(viewer)
    ).select_related("meeting__space")
    for decision in decisions.order_by("created_at", "id"):
        meeting = decision.meeting
        assert decision.agenda_item_id is not None
        found[decision.agenda_item_id].append(
            TrailStep(
                module="meetings",
                kind="meetings.decision",
                pk=decision.pk,
                what=_("Decided at “%(meeting)s”") % {"meeting": meeting.title},
                title=decision.text,
                url=f"{reverse('meetings:detail', args=[meeting.space.slug, meeting.pk])}#decision-{decision.pk}",
                when=decision.created_at,
                status=_("Some disagreed: %(dissent)s") % {"dissent": decision.dissent}
                if decision.dissent
                else "",
                reached=True,
            )
        )
    return found


def trail(kind: str, pks: Sequence[int], viewer) -> dict[int, list[TrailStep]]:
    """The manifest's `trail` (one query for the kinds meetings answers, none for the others)."""
    if kind == "ideas.idea":
        return _from_ideas(pks, viewer)
    if kind == "meetings.agenda_item":
        return _decisions(pks, viewer)
    return {}


def as_source(item: AgendaItem) -> Source:
    return Source(
        kind="meetings.agenda_item",
        pk=item.pk,
        space_id=item.meeting.space_id,
        title=item.title,
        text=item.description,
        url=_item_url(item),
        ready=item.status == AgendaItemStatus.ON_AGENDA,
        authors=(item.proposed_by_id,),
    )


def contributions(viewer, *, space=None, author=None, limit: int | None = None) -> list[Contribution]:
    """Agenda items people proposed, newest first: in `space`, or by `author` across the spaces the viewer may
    see (one query)."""
    items = _visible_items(viewer).select_related("meeting__space")
    if space is not None:
        items = items.filter(meeting__space=space)
    if author is not None:
        items = items.filter(proposed_by=author)
    items = items.order_by("-created_at", "-id")
    if limit is not None:
        items = items[:limit]
    return [
        Contribution(
            source=as_source(item),
            when=item.created_at,
            status=item_status(item),
            perspective=item.proposer_perspective,
            space_slug=item.meeting.space.slug,
            space_title=item.meeting.space.title,
        )
        for item in items
    ]


def agenda_item_source(user, pk: int) -> Source:
    """ "meetings.agenda_item": an agenda item as other modules see it (Http404 when the user may not)."""
    from . import access

    return as_source(access.get_item_for(user, pk))


def _when(item: AgendaItem) -> datetime:
    return item.created_at
