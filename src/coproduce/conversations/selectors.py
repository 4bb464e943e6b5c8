"""Reads for conversations: lists, the next statement to vote on, the moderation queue, what waits for a
person, statements as `Source`s and conversations as search documents. The report is `report.py`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from coproduce.core.registry import SearchDocument, Source, Urgency, WaitingItem
from coproduce.spaces.models import Space

from . import access
from .models import (
    AnalysisResult,
    Conversation,
    ModerationEntry,
    Participant,
    Statement,
    StatementStatus,
    Vote,
)

ACCEPTED = StatementStatus.ACCEPTED


def conversations_of(space: Space):
    """The space's conversations, newest first, with their accepted statements and participants counted."""
    return (
        Conversation.objects.filter(space=space)
        .select_related("space")
        .annotate(
            statement_count=Count("statements", filter=Q(statements__status=ACCEPTED), distinct=True),
            participant_count=Count("participants", distinct=True),
        )
        .order_by("-created_at", "-id")
    )


def participant_for_user(conversation: Conversation, user) -> Participant | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Participant.objects.filter(conversation=conversation, user=user).first()


@dataclass(frozen=True)
class NextStatement:
    statement: Statement | None
    voted: int  # how many accepted statements the person has voted on
    total: int  # accepted statements

    @property
    def position(self) -> int:
        return self.voted + 1


def priorities_of(conversation: Conversation) -> dict[str, float]:
    found = (
        AnalysisResult.objects.filter(conversation=conversation).values_list("priorities", flat=True).first()
    )
    return found or {}


def next_statement(conversation: Conversation, participant: Participant | None) -> NextStatement:
    """The statement to show next: of the accepted statements the person has not voted on, the one the last
    analysis ranks highest (`lib.opinion.priorities`: statements few have seen, and statements that separate
    the groups, first). A statement added since the last analysis has not been seen by anyone: it comes
    first. Three queries."""
    accepted = Statement.objects.filter(conversation=conversation, status=ACCEPTED)
    if participant is not None:
        mine = Vote.objects.filter(participant=participant, statement=OuterRef("pk"))
        rows = list(accepted.annotate(voted=Exists(mine)).values_list("pk", "voted"))
    else:
        rows = [(pk, False) for pk in accepted.values_list("pk", flat=True)]
    unvoted = [pk for pk, voted in rows if not voted]
    if not unvoted:
        return NextStatement(None, len(rows), len(rows))
    ranks = priorities_of(conversation)
    # Unranked (new) first, then by priority, then the oldest: a documented, repeatable order.
    best = min(unvoted, key=lambda pk: (str(pk) in ranks, -ranks.get(str(pk), 0.0), pk))
    return NextStatement(Statement.objects.get(pk=best), len(rows) - len(unvoted), len(rows))


def pending_statements(conversation: Conversation):
    return Statement.objects.filter(conversation=conversation, status=StatementStatus.PENDING).order_by(
        "created_at", "id"
    )


def moderation_log(conversation: Conversation):
    """Newest first; who moderated is shown to members (the log is theirs)."""
    return (
        ModerationEntry.objects.filter(conversation=conversation)
        .select_related("statement", "moderator")
        .order_by("-at", "-id")
    )


def waiting_items(user) -> list[WaitingItem]:
    """For the person's home: open conversations in their spaces with accepted statements they have not
    voted on yet. One query, however many spaces and conversations."""
    if not user.is_authenticated:
        return []
    unvoted = Statement.objects.filter(conversation=OuterRef("pk"), status=ACCEPTED).exclude(
        Exists(Vote.objects.filter(statement=OuterRef("pk"), participant__user=user))
    )
    conversations = (
        Conversation.objects.filter(is_open=True, space__memberships__user=user)
        .filter(Exists(unvoted))
        .values("pk", "question", "space__slug", "space__title")
        .order_by("-created_at", "-id")[:20]
    )
    return [
        WaitingItem(
            module="conversations",
            kind="conversation",
            title=gettext("Have your say: “%(question)s”") % {"question": row["question"]},
            url=reverse("conversations:detail", args=[row["space__slug"], row["pk"]]),
            urgency=Urgency.OPEN,
            detail=gettext("There are statements you have not voted on yet."),
            space_title=row["space__title"],
        )
        for row in conversations
    ]


def statement_url(statement: Statement, slug: str) -> str:
    return (
        reverse("conversations:detail", args=[slug, statement.conversation_id]) + f"#statement-{statement.pk}"
    )


def statement_source(user, pk: int) -> Source:
    """ "conversations.statement": an accepted statement, for whoever may see its conversation (Http404
    else). It is ready to be carried on to a decision (a meeting's agenda) once accepted."""
    from django.http import Http404

    statement = Statement.objects.select_related("conversation__space").filter(pk=pk).first()
    if statement is None:
        raise Http404
    conversation = access.get_conversation_for(user, statement.conversation_id)
    statement = access.get_statement_for(user, conversation, pk)
    return as_source(statement, conversation)


def as_source(statement: Statement, conversation: Conversation) -> Source:
    return Source(
        kind="conversations.statement",
        pk=statement.pk,
        space_id=conversation.space_id,
        title=statement.text,
        text=gettext("A statement from the conversation “%(question)s”.")
        % {"question": conversation.question},
        url=reverse("conversations:report", args=[conversation.space.slug, conversation.pk])
        + f"#statement-{statement.pk}",
        ready=statement.status == ACCEPTED,
        closed=statement.status == StatementStatus.REJECTED,
    )


def search_documents(kind: str, pks: Sequence[int] | None):
    """Conversations for the network search: the question, what it is for and the accepted statements."""
    if kind != "conversations.conversation":
        return []
    conversations = Conversation.objects.select_related("space")
    if pks is not None:
        conversations = conversations.filter(pk__in=pks)
    documents = []
    for conversation in conversations.iterator(chunk_size=200):
        documents.append(
            SearchDocument(
                kind=kind,
                pk=conversation.pk,
                title=conversation.question,
                body=conversation.description,
                url=conversation.get_absolute_url(),
                space_id=conversation.space_id,
                when=conversation.created_at,
                stages=("co_design", "co_commissioning"),
            )
        )
    return documents


def count_words(n: int) -> str:
    return ngettext("%(n)s statement", "%(n)s statements", n) % {"n": n}
