"""/api/v1/spaces/{slug}/conversations and /api/v1/conversations/...: the same rules as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Status

from coproduce.core.api import PUBLIC
from coproduce.core.ratelimit import limited
from coproduce.people.models import User
from coproduce.spaces import access as space_access

from . import access, selectors, services
from .models import Conversation, Statement
from .report import analysis_of, last_result
from .schemas import (
    ConversationDetailOut,
    ConversationIn,
    ConversationLogOut,
    ConversationModerateIn,
    ConversationOut,
    ConversationReportOut,
    ConversationStatementIn,
    ConversationStatementOut,
    ConversationVoteIn,
    ConversationVoteOut,
)

router = Router(tags=["conversations"])


def _conversation(c: Conversation) -> dict[str, Any]:
    return {
        "id": c.pk,
        "space": c.space.slug,
        "question": c.question,
        "description": c.description,
        "moderation": c.moderation,
        "is_open": c.is_open,
        "url": c.get_absolute_url(),
        "report_url": c.get_absolute_url() + "report/",
    }


def _statement(s: Statement) -> dict[str, Any]:
    return {
        "id": s.pk,
        "text": s.text,
        "status": s.status,
        "seed": s.is_seed,
        "rejection_reason": s.rejection_reason,
    }


@router.get(
    "/spaces/{slug}/conversations",
    response=list[ConversationOut],
    auth=PUBLIC,
    summary="The space's conversations",
)
def conversation_list(request, slug: str):
    space = space_access.get_space_for(request.user, slug)
    return [_conversation(c) for c in selectors.conversations_of(space)[:200]]


@router.post(
    "/spaces/{slug}/conversations",
    response={201: ConversationOut},
    summary="Open a conversation (hosts, facilitators)",
)
def conversation_create(request, slug: str, payload: ConversationIn):
    space = space_access.get_space_for(request.user, slug)
    access.require_role(access.can_open(request.user, space))
    conversation = services.conversation_create(actor=request.user, space=space, **payload.dict())
    return Status(201, _conversation(conversation))


@router.get(
    "/conversations/{conversation_id}",
    response=ConversationDetailOut,
    auth=PUBLIC,
    summary="A conversation, and the statement to show this person next",
)
def conversation_detail(request, conversation_id: int):
    conversation = access.get_conversation_for(request.user, conversation_id)
    upcoming = selectors.next_statement(
        conversation, selectors.participant_for_user(conversation, request.user)
    )
    may = access.can_take_part(request.user, conversation)
    return {
        **_conversation(conversation),
        "statements": upcoming.total,
        "next_statement": _statement(upcoming.statement) if upcoming.statement and may else None,
        "voted": upcoming.voted,
        "rejection_reasons": conversation.reasons,
    }


@router.get(
    "/conversations/{conversation_id}/statements",
    response=list[ConversationStatementOut],
    auth=PUBLIC,
    summary="Accepted statements (moderators: every statement)",
)
def statement_list(request, conversation_id: int):
    conversation = access.get_conversation_for(request.user, conversation_id)
    statements = Statement.objects.filter(conversation=conversation)
    if not access.can_manage(request.user, conversation.space):
        statements = statements.filter(status="accepted")
    return [_statement(s) for s in statements.order_by("pk")[:5000]]


@router.post(
    "/conversations/{conversation_id}/statements",
    response={201: ConversationStatementOut},
    summary="Add a statement (members, while open)",
)
@limited("post")
def statement_add(request, conversation_id: int, payload: ConversationStatementIn):
    conversation = access.get_conversation_for(request.user, conversation_id)
    access.require_role(access.can_take_part(request.user, conversation))
    return Status(
        201,
        _statement(services.statement_add(actor=request.user, conversation=conversation, text=payload.text)),
    )


@router.post(
    "/conversations/{conversation_id}/votes",
    response={200: ConversationVoteOut},
    summary="Vote agree (1), disagree (-1) or pass (0); the latest vote counts",
)
@limited("vote")
def vote(request, conversation_id: int, payload: ConversationVoteIn):
    conversation = access.get_conversation_for(request.user, conversation_id)
    statement = Statement.objects.filter(conversation=conversation, pk=payload.statement).first()
    if statement is None:
        raise ValidationError({"statement": [_("That statement is not in this conversation.")]})
    if payload.on_behalf_of is not None and payload.on_behalf_of != request.user.pk:
        person = User.objects.filter(pk=payload.on_behalf_of).first()
        if person is None:
            raise ValidationError({"on_behalf_of": [_("No such person.")]})
        access.require_role(access.can_moderate(request.user, conversation))
        services.votes_enter(
            actor=request.user, conversation=conversation, person=person, votes={statement.pk: payload.value}
        )
        return {"statement": statement.pk, "value": payload.value, "entered_on_behalf": True}
    access.require_role(access.can_take_part(request.user, conversation))
    services.vote_cast(
        actor=request.user, conversation=conversation, statement=statement, value=payload.value
    )
    return {"statement": statement.pk, "value": payload.value, "entered_on_behalf": False}


@router.post(
    "/conversations/{conversation_id}/statements/{statement_id}/moderation",
    response=ConversationStatementOut,
    summary="Accept or reject a statement, with a reason from the host's list (moderators)",
)
def moderate(request, conversation_id: int, statement_id: int, payload: ConversationModerateIn):
    conversation = access.get_conversation_for(request.user, conversation_id)
    access.require_role(access.can_moderate(request.user, conversation))
    statement = access.get_statement_for(request.user, conversation, statement_id)
    statement.conversation = conversation
    return _statement(
        services.statement_moderate(
            actor=request.user, statement=statement, status=payload.status, reason=payload.reason
        )
    )


@router.get(
    "/conversations/{conversation_id}/moderation-log",
    response=list[ConversationLogOut],
    auth=PUBLIC,
    summary="The moderation log (members)",
)
def moderation_log(request, conversation_id: int):
    conversation = access.get_conversation_for(request.user, conversation_id)
    access.require_role(access.can_read_log(request.user, conversation))
    return [
        {
            "at": e.at,
            "statement": e.statement_id,
            "text": e.statement.text,
            "status": e.status,
            "reason": e.reason,
        }
        for e in selectors.moderation_log(conversation)[:1000]
    ]


@router.get(
    "/conversations/{conversation_id}/report",
    response=ConversationReportOut,
    auth=PUBLIC,
    summary="The last analysis and when it was worked out",
)
def report(request, conversation_id: int):
    conversation = access.get_conversation_for(request.user, conversation_id)
    result = last_result(conversation)
    return {
        "computed_at": result.computed_at if result else None,
        "votes": result.votes if result else 0,
        "participants": result.participants if result else 0,
        "being_worked_out": conversation.analysis_requested_at is not None,
        "analysis": found.to_json() if result and (found := analysis_of(result)) else None,
        "perspectives": result.perspectives if result else {},
    }
