"""Reads for actions: the public tracker (filters, counts in one query) and one action with its updates."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Case,
    CharField,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.registry import Source, Urgency, WaitingItem
from coproduce.spaces.models import Space

from . import access
from .models import OPEN_STATUSES, Action, ActionStatus, ActionUpdate

SORTS = {
    "due": ("due_on_missing", "due_on", "id"),
    "newest": ("-created_at", "-id"),
    "updated": ("-updated_at", "-id"),
}


def tracker(
    space, *, status: str = "", perspective: str = "", overdue: bool = False, owner=None, sort: str = "due"
) -> QuerySet:
    latest = ActionUpdate.objects.filter(action=OuterRef("pk")).order_by("-created_at", "-id")
    updates = (
        ActionUpdate.objects.filter(action=OuterRef("pk"))
        .order_by()
        .values("action")
        .annotate(n=Count("pk"))
        .values("n")
    )
    actions = (
        Action.objects.filter(space=space)
        .select_related("owner", "decision__meeting", "idea")
        .annotate(
            latest_update=Subquery(latest.values("text")[:1], output_field=CharField()),
            latest_update_at=Subquery(latest.values("created_at")[:1]),
            update_count=Coalesce(Subquery(updates, output_field=IntegerField()), Value(0)),
            due_on_missing=Case(When(due_on__isnull=True, then=Value(1)), default=Value(0)),
        )
    )
    if status:
        actions = actions.filter(status=status)
    if perspective:
        actions = actions.filter(owner_perspective=perspective)
    if overdue:
        actions = actions.filter(status__in=OPEN_STATUSES, due_on__lt=timezone.localdate())
    if owner is not None:
        actions = actions.filter(owner=owner)
    return actions.order_by(*SORTS.get(sort, SORTS["due"]))


def status_counts(space) -> dict[str, int]:
    today = timezone.localdate()
    counts = Action.objects.filter(space=space).aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_on__lt=today)),
        **{value: Count("pk", filter=Q(status=value)) for value in ActionStatus.values},
    )
    return counts


def overdue_actions(*, today: dt.date | None = None) -> QuerySet[Action]:
    today = today or timezone.localdate()
    return Action.objects.filter(status__in=OPEN_STATUSES, due_on__lt=today)


def updates(action: Action) -> QuerySet:
    return ActionUpdate.objects.filter(action=action).select_related("author", "on_behalf_of")


def source_url(source: Source, user) -> str | None:
    """The page that makes an action from `source`, prefilled; None when this person may not (the Link
    the actions module offers to the ideas, budgets and meetings pages)."""
    if not access.can_make_from(user, source):
        return None
    # A page asks once per object it shows (each decision of a meeting): look the space up once per person.
    slugs: dict[int, str | None] = user.__dict__.setdefault("_action_space_slugs", {})
    if source.space_id not in slugs:
        slugs[source.space_id] = (
            Space.objects.filter(pk=source.space_id).values_list("slug", flat=True).first()
        )
    slug = slugs[source.space_id]
    if slug is None:
        return None
    return reverse(SOURCE_PAGES[source.kind], args=[slug, source.pk])


# The page for each kind of source (see urls.py).
SOURCE_PAGES = {
    "ideas.idea": "actions:from_idea",
    "budgets.project": "actions:from_project",
    "meetings.decision": "actions:from_decision",
}


def waiting_items(user) -> list[WaitingItem]:
    """For the person's home (the manifest's "waiting_for"): the actions they own that are not done or
    dropped, in the spaces they are still a member of. With a date they are due (an overdue one sorts
    before everything else that is due); without one, open. One query."""
    if not user.is_authenticated:
        return []
    today = timezone.localdate()
    owned = (
        Action.objects.filter(owner=user, status__in=OPEN_STATUSES, space__memberships__user=user)
        .select_related("space")
        .order_by("due_on", "id")
    )
    items = []
    for action in owned:
        detail = _("%(status)s, %(progress)s%% done") % {
            "status": ActionStatus(action.status).label,
            "progress": action.progress,
        }
        if action.due_on is not None and action.due_on < today:
            detail = _("Overdue.") + " " + detail
        items.append(
            WaitingItem(
                module="actions",
                kind="action",
                title=action.title,
                url=reverse("actions:detail", args=[action.space.slug, action.pk]),
                urgency=Urgency.DUE if action.due_on else Urgency.OPEN,
                due=(
                    timezone.make_aware(dt.datetime.combine(action.due_on, dt.time.min))
                    if action.due_on
                    else None
                ),
                detail=detail,
                space_title=action.space.title,
            )
        )
    return items
