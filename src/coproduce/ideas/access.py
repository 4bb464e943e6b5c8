"""Who may see and do what with ideas. Views and the API both go through these functions.

Anyone who may see a space may read its ideas and their comments (public spaces: everyone). Members post,
comment, support and report; facilitators and hosts moderate and decide what becomes of an idea.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from coproduce.spaces import access as space_access

# Who may act for whom, and whose names the public sees, are decided once for every app, in spaces.
from coproduce.spaces.access import participant_for, people_to_act_for, shows_names  # noqa: F401

from .models import Comment, Idea


def get_idea_for(user, idea_id: int, *, write: bool = False, space=None) -> Idea:
    """The idea, or Http404 for those who may not see its space; PermissionDenied when `write`
    is asked by someone who is not a member."""
    queryset = Idea.objects.select_related("space", "author", "merged_into")
    if space is not None:
        queryset = queryset.filter(space=space)
    idea = queryset.filter(pk=idea_id).first()
    if idea is None or not space_access.can_view(user, idea.space):
        raise Http404
    if write and not space_access.has_role(user, idea.space, space_access.MEMBER):
        raise PermissionDenied
    return idea


def get_comment_for(user, comment_id: int, *, write: bool = False, idea: Idea | None = None) -> Comment:
    queryset = Comment.objects.select_related("idea__space", "author")
    if idea is not None:
        queryset = queryset.filter(idea=idea)
    comment = queryset.filter(pk=comment_id).first()
    if comment is None or not space_access.can_view(user, comment.idea.space):
        raise Http404
    if write and not space_access.has_role(user, comment.idea.space, space_access.MEMBER):
        raise PermissionDenied
    return comment


def can_take_part(user, space) -> bool:
    return space_access.has_role(user, space, space_access.MEMBER)


def can_moderate(user, space) -> bool:
    return space_access.has_role(user, space, space_access.FACILITATOR)


def can_edit_idea(user, idea: Idea) -> bool:
    """Authors and co-authors change the text while the idea is still being discussed."""
    if not user.is_authenticated or not can_take_part(user, idea.space):
        return False
    return idea.author_id == user.pk or idea.co_authors.filter(user=user).exists()


def perspective_of(user, space) -> str:
    membership = space_access.membership_of(user, space)
    if membership is None:
        raise PermissionDenied
    return membership.perspective
