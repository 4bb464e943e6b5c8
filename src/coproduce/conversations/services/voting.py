"""Taking part: voting agree / disagree / pass, adding statements, and the votes a facilitator enters from a
paper or in-person session. Each change asks for the analysis to be worked out again (see `analysis_wanted`)."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.notifications.kinds import OnBehalfAct
from coproduce.notifications.services import acted_on_behalf
from coproduce.people.models import User
from coproduce.spaces import access as space_access

from .. import access
from ..models import Conversation, Moderation, Participant, Statement, StatementStatus, Vote

VALUES = {Vote.AGREE, Vote.DISAGREE, Vote.PASS}
VALUE_WORDS = {Vote.AGREE: "agree", Vote.DISAGREE: "disagree", Vote.PASS: "pass"}


def participant_of(conversation: Conversation, person: User) -> Participant:
    """The person's participant row, made the first time they take part, with their perspective then."""
    membership = space_access.membership_of(person, conversation.space)
    # get_or_create retries the read when a second request made the row first (the unique constraint).
    participant, _created = Participant.objects.get_or_create(
        conversation=conversation,
        user=person,
        defaults={"perspective": membership.perspective if membership else ""},
    )
    return participant


def analysis_wanted(conversation: Conversation) -> None:
    """Ask for the analysis to be worked out again, once for a burst of votes: only the change that sets
    `analysis_requested_at` (a conditional UPDATE, so two votes at once cannot both win) queues the task,
    after its transaction commits; the task clears it when it starts, so later votes queue the next one."""
    claimed = Conversation.objects.filter(pk=conversation.pk, analysis_requested_at__isnull=True).update(
        analysis_requested_at=timezone.now()
    )
    if claimed:
        from ..tasks import queue_analysis

        pk = conversation.pk
        transaction.on_commit(lambda: queue_analysis(pk))


def _statement_open(conversation: Conversation, statement: Statement) -> None:
    if statement.conversation_id != conversation.pk:
        raise ValidationError({"statement": [_("That statement is not in this conversation.")]})
    if statement.status != StatementStatus.ACCEPTED:
        raise ValidationError({"statement": [_("That statement is not open for votes.")]})


def _value(value: object) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = 99
    if number not in VALUES:
        raise ValidationError({"value": [_("Choose agree, disagree or pass.")]})
    return number


def _store(participant: Participant, statement: Statement, value: int, entered_by: User | None) -> Vote:
    # One row per person per statement (the unique constraint): a new vote replaces the old one.
    vote, _created = Vote.objects.update_or_create(
        participant=participant,
        statement=statement,
        defaults={
            "conversation_id": statement.conversation_id,
            "value": value,
            "entered_by": entered_by,
            "voted_at": timezone.now(),
        },
    )
    return vote


@transaction.atomic
def vote_cast(*, actor: User, conversation: Conversation, statement: Statement, value: int | str) -> Vote:
    """The actor votes on one statement; their latest vote is the one kept."""
    access.require(access.can_take_part(actor, conversation))
    _statement_open(conversation, statement)
    number = _value(value)
    participant = participant_of(conversation, actor)
    vote = _store(participant, statement, number, None)
    audit.record(
        actor=actor,
        action="conversation.voted",
        target=vote,
        space=conversation.space,
        summary=_("Voted on a statement in “%(question)s”") % {"question": conversation.question},
        changes={"statement": [None, statement.pk], "value": [None, VALUE_WORDS[number]]},
    )
    analysis_wanted(conversation)
    return vote


@transaction.atomic
def votes_enter(
    *, actor: User, conversation: Conversation, person: User, votes: Mapping[int, int | str]
) -> list[Vote]:
    """A facilitator enters the votes `person` gave on paper or in person ({statement id: value}); each row
    keeps who entered it, the audit log names the person, and they are told."""
    decision = access.can_enter_for(actor, person, conversation)
    if not decision:
        if decision.role:
            raise PermissionDenied(decision.reason)
        raise ValidationError({"person": [decision.reason]})
    if person.pk == actor.pk:
        raise ValidationError({"person": [_("Vote yourself on the conversation's page.")]})
    if not votes:
        raise ValidationError(_("Give at least one vote."))
    statements = Statement.objects.in_bulk(list(votes))
    participant = participant_of(conversation, person)
    stored = []
    for statement_id, value in votes.items():
        statement = statements.get(int(statement_id))
        if statement is None:
            raise ValidationError({"statement": [_("That statement is not in this conversation.")]})
        _statement_open(conversation, statement)
        stored.append(_store(participant, statement, _value(value), actor))
    event = audit.record(
        actor=actor,
        on_behalf_of=person,
        action="conversation.votes_entered",
        target=conversation,
        space=conversation.space,
        summary=_("%(n)s votes entered from a paper or in-person session in “%(question)s”")
        % {"n": len(stored), "question": conversation.question},
        changes={str(v.statement_id): [None, VALUE_WORDS[v.value]] for v in stored},
    )
    acted_on_behalf(
        actor=actor,
        person=person,
        act=OnBehalfAct.CONVERSATION_VOTES,
        url=conversation.get_absolute_url(),
        space=conversation.space,
        key=str(event.pk),
    )
    analysis_wanted(conversation)
    return stored


@transaction.atomic
def statement_add(*, actor: User, conversation: Conversation, text: str) -> Statement:
    """A participant adds a statement: published at once, or waiting for a moderator (the conversation's
    mode)."""
    access.require(access.can_take_part(actor, conversation))
    participant = participant_of(conversation, actor)
    at_once = conversation.moderation == Moderation.AFTER
    statement = Statement(
        conversation=conversation,
        text=" ".join((text or "").split()),
        author=participant,
        status=StatementStatus.ACCEPTED if at_once else StatementStatus.PENDING,
    )
    statement.full_clean()
    if Statement.objects.filter(conversation=conversation, text__iexact=statement.text).exists():
        raise ValidationError({"text": [_("This statement is already in the conversation.")]})
    statement.save()
    audit.record(
        actor=actor,
        action="conversation.statement_added",
        target=statement,
        space=conversation.space,
        summary=_("Statement added to “%(question)s”") % {"question": conversation.question},
        changes={"text": [None, statement.text], "status": [None, statement.status]},
    )
    return statement
