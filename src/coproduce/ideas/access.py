"""Who may see and do what with ideas. Views and the API both go through these functions.

Anyone who may see a space may read its ideas and their comments (public spaces: everyone). Members post,
comment, support and report; facilitators and hosts moderate and decide what becomes of an idea.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.spaces import access as space_access
from coproduce.spaces.access import Decision

from .models import EDIT_WINDOW, Comment, Idea, IdeaStatus


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


@dataclass(frozen=True)
class ListAudience:
    """Who is shown the same list of a space's ideas (core/shared.py): everyone who may see the space and
    is, or is not, shown authors' names. Whether they support an idea is theirs alone, marked afterwards."""

    space_id: int
    show_names: bool


def list_audience(user, space) -> ListAudience:
    """For someone who may see the space (the page has asked `space_access.get_space_for`)."""
    return ListAudience(space_id=space.pk, show_names=space_access.shows_names(user, space))


def list_page_audience(user, space) -> tuple:
    """Who is shown the same page of ideas (core/kept_pages.py): the same list, and the same actions above it
    (post an idea, reported comments, print)."""
    return (list_audience(user, space), can_take_part(user, space), can_moderate(user, space))


def can_take_part(user, space) -> bool:
    return space_access.has_role(user, space, space_access.MEMBER)


def can_moderate(user, space) -> bool:
    return space_access.has_role(user, space, space_access.FACILITATOR)


def can_answer_reports(user, space) -> bool:
    """Reported comments are answered (hidden, or the reports dismissed) by the space's facilitators and hosts,
    and by network staff, whose admin screen lists every space's reports."""
    return can_moderate(user, space) or bool(user.is_authenticated and user.is_staff)


def can_print_ideas(user, space) -> Decision:
    """The list of open ideas printed for a drop-in session, for the facilitators who run it."""
    if not can_moderate(user, space):
        return Decision(
            False, _("Only facilitators and hosts print the ideas for a drop-in session."), role=True
        )
    return Decision(True)


def can_edit_idea(user, idea: Idea) -> bool:
    """Authors and co-authors change the text while the idea is still being discussed."""
    if not user.is_authenticated or not can_take_part(user, idea.space):
        return False
    return idea.author_id == user.pk or idea.co_authors.filter(user=user).exists()


def can_edit_comment(user, comment: Comment, *, now: dt.datetime | None = None) -> Decision:
    """Only its author changes a comment (`role`: anyone else is refused whatever the time), and only for
    `EDIT_WINDOW` after posting, while it is not hidden: after that, what people replied to stays."""
    if not user.is_authenticated or comment.author_id != user.pk:
        return Decision(False, _("Only the person who wrote a comment can change it."), role=True)
    now = now or timezone.now()
    if comment.is_hidden or now - comment.created_at > EDIT_WINDOW:
        minutes = int(EDIT_WINDOW.total_seconds() // 60)
        return Decision(
            False,
            _("Comments can be changed for %(minutes)s minutes after posting.") % {"minutes": minutes},
        )
    return Decision(True)


def can_merge_into(user, idea: Idea, target: Idea | None) -> Decision:
    """May `user` merge `idea` into `target` (None: no idea with the number they gave in this space)?
    Facilitators and hosts decide (`role`); the target is another idea of the same space that was not
    itself merged, so that every merged idea points at one that is still standing."""
    if not can_moderate(user, idea.space):
        return Decision(False, _("Only facilitators and hosts decide what becomes of an idea."), role=True)
    if target is None or target.space_id != idea.space_id:
        return Decision(False, _("There is no idea with that number in this space."))
    if target.pk == idea.pk:
        return Decision(False, _("Choose another idea in this space."))
    if target.status == IdeaStatus.MERGED:
        return Decision(False, _("That idea was itself merged; choose the one it went into."))
    return Decision(True)


def perspective_of(user, space) -> str:
    membership = space_access.membership_of(user, space)
    if membership is None:
        raise PermissionDenied
    return membership.perspective
