"""Who may see and do what with ideas. Views and the API both go through these functions.

Anyone who may see a space may read its ideas and their comments (public spaces: everyone). Members post,
comment, support and report; facilitators and hosts moderate and decide what becomes of an idea.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from coproduce.spaces import access as space_access
from coproduce.spaces.models import Membership

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


def shows_names(user, space) -> bool:
    """Members see who wrote what; the public sees perspectives, never the names of members."""
    return space_access.has_role(user, space, space_access.MEMBER) or bool(getattr(user, "is_staff", False))


def participant_for(actor, space, on_behalf_of=None):
    """Who takes part: the actor, or an assisted member a facilitator acts for (assisted participation).

    Returns (person, on_behalf_of) for the audit log. Only people who take part with help (no account
    of their own) can be acted for, so nobody with an account is spoken for without knowing.
    """
    if on_behalf_of is None or on_behalf_of.pk == actor.pk:
        if not space_access.has_role(actor, space, space_access.MEMBER):
            raise PermissionDenied(_("Only members of this space can take part."))
        return actor, None
    if not space_access.has_role(actor, space, space_access.FACILITATOR):
        raise PermissionDenied(_("Only facilitators and hosts can act for someone else."))
    if not on_behalf_of.is_assisted or not space_access.has_role(on_behalf_of, space, space_access.MEMBER):
        raise ValidationError(
            {"on_behalf_of": [_("You can act only for members of this space who take part with help.")]}
        )
    return on_behalf_of, on_behalf_of


def people_to_act_for(actor, space) -> list:
    """The memberships a facilitator or host may act for in `space` (see `participant_for`), by name.
    Empty for everyone else, so that the web forms show the choice only to those who may make it."""
    if not space_access.has_role(actor, space, space_access.FACILITATOR):
        return []
    return list(
        Membership.objects.filter(space=space, user__email__isnull=True, user__is_active=True)
        .exclude(user=actor)
        .select_related("user")
        .order_by("user__display_name", "user_id")
    )


def perspective_of(user, space) -> str:
    membership = space_access.membership_of(user, space)
    if membership is None:
        raise PermissionDenied
    return membership.perspective
