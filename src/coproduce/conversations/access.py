"""Who may see and do what in conversations: asked by the pages, the services and the API.

- Whoever may see the space sees its conversations, their accepted statements and the report.
- Members vote and add statements while a conversation is open; members read the moderation log.
- Facilitators and hosts open conversations, moderate, import and export, and enter votes from a paper or
  in-person session for members they may act for (`spaces.access.can_act_for`).
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from coproduce.spaces import access as space_access
from coproduce.spaces.access import Decision, require, require_role  # noqa: F401  (the one rule, in spaces)
from coproduce.spaces.models import Space

from .models import Conversation, Statement

ALLOWED = Decision(True)


def can_manage(user, space: Space) -> bool:
    return space_access.has_role(user, space, space_access.FACILITATOR)


def get_conversation_for(user, conversation_id: int, *, space: Space | None = None) -> Conversation:
    """The conversation, or Http404 for those who may not see its space."""
    queryset = Conversation.objects.select_related("space")
    if space is not None:
        queryset = queryset.filter(space=space)
    conversation = queryset.filter(pk=conversation_id).first()
    if conversation is None or not space_access.can_view(user, conversation.space):
        raise Http404
    return conversation


def get_statement_for(user, conversation: Conversation, statement_id: int) -> Statement:
    """A statement of the conversation; one not accepted is seen only by moderators (Http404 else)."""
    statement = Statement.objects.filter(conversation=conversation, pk=statement_id).first()
    if statement is None:
        raise Http404
    if statement.status != "accepted" and not can_manage(user, conversation.space):
        raise Http404
    return statement


def can_open(user, space: Space) -> Decision:
    if can_manage(user, space):
        return ALLOWED
    return Decision(False, _("Only facilitators and hosts can open a conversation."), role=True)


def can_moderate(user, conversation: Conversation) -> Decision:
    if can_manage(user, conversation.space):
        return ALLOWED
    return Decision(False, _("Only facilitators and hosts can moderate statements."), role=True)


def can_take_part(user, conversation: Conversation) -> Decision:
    """Vote and add statements: members, while the conversation is open."""
    if not space_access.has_role(user, conversation.space, space_access.MEMBER):
        return Decision(False, _("Only members of this space can take part in its conversations."), role=True)
    if not conversation.is_open:
        return Decision(False, _("This conversation is closed."))
    return ALLOWED


def can_enter_for(actor, person, conversation: Conversation) -> Decision:
    """A facilitator types in the votes a member gave on paper or in person (assisted members, or members who
    asked to be helped)."""
    if not can_manage(actor, conversation.space):
        return Decision(False, _("Only facilitators and hosts can enter votes for someone."), role=True)
    if not conversation.is_open:
        return Decision(False, _("This conversation is closed."))
    return space_access.can_act_for(actor, person, conversation.space)


def can_read_log(user, conversation: Conversation) -> Decision:
    """The moderation log is public to the space's members."""
    if space_access.has_role(user, conversation.space, space_access.MEMBER) or user.is_staff:
        return ALLOWED
    return Decision(False, _("The moderation log is for members of this space."), role=True)
