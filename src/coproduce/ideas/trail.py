"""What ideas tell the trail from what people said to what was done (docs/ARCHITECTURE.md, "The trail"):
what a facilitator decided about an idea (adopted, merged into another, not taken forward, with the reason),
and the ideas people wrote (`contributions`). One query, however many objects."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from coproduce.core.registry import Contribution, TrailStep
from coproduce.spaces.access import visible_spaces

from .models import Idea, IdeaStatus
from .selectors import as_source


def _visible(viewer):
    return Idea.objects.filter(space__in=visible_spaces(viewer)).select_related("space")


def idea_status(idea: Idea) -> str:
    if idea.status == IdeaStatus.UNDER_DISCUSSION:
        return _("Under discussion")
    return f"{idea.get_status_display()}: {idea.status_reason}"


def trail(kind: str, pks: Sequence[int], viewer) -> dict[int, list[TrailStep]]:
    """The manifest's `trail`: for an idea, what was decided about it (merged ideas go on in the idea they
    were merged into)."""
    if kind != "ideas.idea":
        return {}
    found: dict[int, list[TrailStep]] = {}
    decided = _visible(viewer).filter(pk__in=pks).exclude(status=IdeaStatus.UNDER_DISCUSSION)
    for idea in decided.select_related("merged_into__space"):
        if idea.merged_into is not None:
            target = idea.merged_into
            step = TrailStep(
                module="ideas",
                kind="ideas.idea",
                pk=target.pk,
                what=_("Merged into another idea"),
                title=target.title,
                url=target.get_absolute_url(),
                when=idea.status_changed_at,
                status=idea.status_reason,
            )
        else:
            step = TrailStep(
                module="ideas",
                kind="ideas.decision",
                pk=idea.pk,
                what=str(idea.get_status_display()),
                title=idea.title,
                url=idea.get_absolute_url(),
                when=idea.status_changed_at,
                status=idea.status_reason,
                reached=idea.status == IdeaStatus.ADOPTED,
            )
        found[idea.pk] = [step]
    return found


def contributions(viewer, *, space=None, author=None, limit: int | None = None) -> list[Contribution]:
    """Ideas people wrote, newest first: in `space`, or by `author` across the spaces the viewer may see (one
    query; co-authors are not listed, the author is who said it)."""
    ideas = _visible(viewer)
    if space is not None:
        ideas = ideas.filter(space=space)
    if author is not None:
        ideas = ideas.filter(author=author)
    ideas = ideas.order_by("-created_at", "-id")
    if limit is not None:
        ideas = ideas[:limit]
    return [
        Contribution(
            source=as_source(idea, ()),
            when=idea.created_at,
            status=idea_status(idea),
            perspective=idea.author_perspective,
            space_slug=idea.space.slug,
            space_title=idea.space.title,
        )
        for idea in ideas
    ]
