"""Who may see and do what with actions. Views and the API both go through these functions.

The tracker of a public space is public ("what we said, what we did"); facilitators and hosts create and
assign actions; an action's owner — any member — reports how it is going.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from coproduce.spaces import access as space_access
from coproduce.spaces.access import shows_names  # noqa: F401  (the one rule, in spaces)

from .models import Action


def get_action_for(user, action_id: int, *, write: bool = False, space=None) -> Action:
    """The action, or Http404 for those who may not see its space; with `write`, PermissionDenied for
    anyone who may not report on it."""
    queryset = Action.objects.select_related("space", "owner", "decision__meeting", "idea")
    if space is not None:
        queryset = queryset.filter(space=space)
    action = queryset.filter(pk=action_id).first()
    if action is None or not space_access.can_view(user, action.space):
        raise Http404
    if write and not can_report(user, action):
        raise PermissionDenied
    return action


def can_manage(user, space) -> bool:
    return space_access.has_role(user, space, space_access.FACILITATOR)


def can_report(user, action: Action) -> bool:
    """The owner (while still a member) and the space's facilitators and hosts."""
    if not user.is_authenticated:
        return False
    if action.owner_id == user.pk and space_access.has_role(user, action.space, space_access.MEMBER):
        return True
    return can_manage(user, action.space)
