"""Who may see and do what with actions: decided here once, asked by the pages (and their templates), the
services and the API.

- The tracker of a public space is public ("what we said, what we did").
- Facilitators and hosts create actions (from nothing, or from another module's object: an adopted idea, a
  funded budget project, a meeting's decision), assign them and change what, who and when.
- An action's owner — any member, while still a member — and the space's facilitators and hosts report how
  it is going.

Actions knows other modules only as `Source`s from the registry: a source must be visible to the person (the
upstream module's own rule), in the same space, and ready to be carried on (an idea adopted, a project funded).
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from coproduce.core import registry
from coproduce.core.registry import Source
from coproduce.spaces import access as space_access
from coproduce.spaces.access import (  # noqa: F401  (the one rule, in spaces)
    Decision,
    require,
    require_role,
    shows_names,
)
from coproduce.spaces.models import Space

from .models import Action

ALLOWED = Decision(True)

# The kinds of source an action may come from, and the column that keeps where it came from.
SOURCE_FIELDS = {
    "meetings.decision": "decision_id",
    "ideas.idea": "idea_id",
    "budgets.project": "budget_project_id",
}


def get_action_for(user, action_id: int, *, space: Space | None = None) -> Action:
    """The action, or Http404 for those who may not see its space."""
    queryset = Action.objects.select_related("space", "owner", "decision__meeting", "idea")
    if space is not None:
        queryset = queryset.filter(space=space)
    action = queryset.filter(pk=action_id).first()
    if action is None or not space_access.can_view(user, action.space):
        raise Http404
    return action


def get_source_for(user, kind: str, pk: int, *, space: Space | None = None) -> Source:
    """Another module's object an action may come from, as `user` may see it; Http404 when it is not of a
    kind actions know, not installed, not visible to them, or (with `space`) in another space."""
    if kind not in SOURCE_FIELDS:
        raise Http404
    found = registry.source(kind, user, pk)
    if space is not None and found.space_id != space.pk:
        raise Http404
    return found


def can_manage(user, space: Space) -> bool:
    return space_access.has_role(user, space, space_access.FACILITATOR)


def can_create(user, space: Space) -> Decision:
    if can_manage(user, space):
        return ALLOWED
    return Decision(False, _("Only facilitators and hosts can create actions."), role=True)


def can_edit(user, action: Action) -> Decision:
    """Change what, who and when. Progress and status go through reports."""
    if can_manage(user, action.space):
        return ALLOWED
    return Decision(False, _("Only facilitators and hosts can change an action."), role=True)


def can_report(user, action: Action) -> Decision:
    """The owner (while still a member) and the space's facilitators and hosts."""
    if user.is_authenticated and (
        (action.owner_id == user.pk and space_access.has_role(user, action.space, space_access.MEMBER))
        or can_manage(user, action.space)
    ):
        return ALLOWED
    return Decision(False, _("Only the action's owner, facilitators and hosts can report on it."), role=True)


def _not_ready(kind: str) -> str:
    return {
        "ideas.idea": _("Only an adopted idea can become an action."),
        "budgets.project": _("Only a funded project can become an action."),
    }.get(kind, _("This cannot become an action yet."))


def can_make_from(user, source: Source) -> Decision:
    """May `user` make an action from `source` (found through the registry, so already visible to them)?"""
    # Only the space's id is needed to know the person's role (their memberships are cached per person).
    if not can_manage(user, Space(pk=source.space_id)):
        return Decision(False, _("Only facilitators and hosts can create actions."), role=True)
    if source.kind not in SOURCE_FIELDS:
        return Decision(False, _("This cannot become an action."))
    if not source.ready:
        return Decision(False, _not_ready(source.kind))
    return ALLOWED
