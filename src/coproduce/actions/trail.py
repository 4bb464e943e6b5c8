"""What actions tell the trail from what people said to what was done (docs/ARCHITECTURE.md, "The trail"):
the actions made from an idea, a meeting's decision or a budget project (`access.SOURCE_FIELDS`), with who
owns each, how far it got and its last update. One query, however many objects."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.db.models import OuterRef, Subquery
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coproduce.core.registry import TrailStep
from coproduce.spaces.access import visible_spaces

from .access import SOURCE_FIELDS
from .models import Action, ActionStatus, ActionUpdate


def action_status(action: Action) -> str:
    """How far the action got, in plain words."""
    if action.status == ActionStatus.DONE:
        return _("Done")
    if action.status == ActionStatus.DROPPED:
        return _("Dropped: %(reason)s") % {"reason": action.status_reason}
    found = _("%(status)s (%(progress)s%% done)") % {
        "status": action.get_status_display(),
        "progress": action.progress,
    }
    if action.due_on:
        found += ", " + _("due by %(day)s") % {"day": date_format(action.due_on, "j M Y")}
    if action.is_overdue:
        found += ", " + _("overdue")
    return found


def trail(kind: str, pks: Sequence[int], viewer) -> dict[int, list[TrailStep]]:
    """The manifest's `trail`: the actions made from these objects (one query, with the last update)."""
    field = SOURCE_FIELDS.get(kind)
    if field is None:
        return {}
    last = ActionUpdate.objects.filter(action=OuterRef("pk")).order_by("-created_at", "-id")
    actions = (
        Action.objects.filter(**{f"{field}__in": pks}, space__in=visible_spaces(viewer))
        .select_related("space", "owner")
        .annotate(
            last_update=Subquery(last.values("text")[:1]),
            last_update_at=Subquery(last.values("created_at")[:1]),
        )
        .order_by("created_at", "id")
    )
    found: dict[int, list[TrailStep]] = defaultdict(list)
    for action in actions:
        status = action_status(action)
        if action.last_update:
            status += " · " + _("Last update: %(text)s") % {"text": action.last_update}
        found[getattr(action, field)].append(
            TrailStep(
                module="actions",
                kind="actions.action",
                pk=action.pk,
                what=_("Made an action"),
                title=action.title,
                url=action.get_absolute_url(),
                when=action.created_at,
                status=status,
                person=action.owner.display_name,
                progress=action.progress,
                reached=action.status == ActionStatus.DONE,
            )
        )
    return found
