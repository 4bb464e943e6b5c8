"""Voting, moderation, votes entered for someone, the analysis task and stable group labels, Polis import."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from tests.conftest import make_members

from coproduce.conversations import selectors, services
from coproduce.conversations.models import Moderation, ModerationEntry, Participant, Statement, Vote
from coproduce.core.models import AuditEvent

from .conftest import analysed, planted_votes


def test_the_latest_vote_is_kept_in_one_row(conversation, member):
    statement = conversation.statements.first()
    services.vote_cast(actor=member, conversation=conversation, statement=statement, value=1)
    services.vote_cast(actor=member, conversation=conversation, statement=statement, value=-1)
    votes = Vote.objects.filter(statement=statement)
    assert votes.count() == 1 and votes.get().value == -1
    assert Participant.objects.get(conversation=conversation, user=member).perspective == "lived_experience"
    assert AuditEvent.objects.filter(action="conversation.voted").count() == 2


def test_the_database_refuses_a_second_row(conversation, member):
    statement = conversation.statements.first()
    vote = services.vote_cast(actor=member, conversation=conversation, statement=statement, value=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(
            conversation=conversation,
            participant=vote.participant,
            statement=statement,
            value=0,
            voted_at=vote.voted_at,
        )


def test_a_bad_value_or_a_closed_conversation_is_refused(conversation, member, host):
    statement = conversation.statements.first()
    with pytest.raises(ValidationError):
        services.vote_cast(actor=member, conversation=conversation, statement=statement, value=5)
    services.conversation_update(
        actor=host,
        conversation=conversation,
        question=conversation.question,
        description="",
        moderation=conversation.moderation,
        rejection_reasons=[],
        is_open=False,
    )
    with pytest.raises(ValidationError):
        services.vote_cast(actor=member, conversation=conversation, statement=statement, value=1)
    assert not Vote.objects.exists()


def test_statements_are_shown_one_at_a_time_unseen_first(conversation, member):
    participant = None
    seen = []
    for _ in range(conversation.statements.count()):
        upcoming = selectors.next_statement(conversation, participant)
        assert upcoming.statement.pk not in seen
        seen.append(upcoming.statement.pk)
        services.vote_cast(actor=member, conversation=conversation, statement=upcoming.statement, value=0)
        participant = selectors.participant_for_user(conversation, member)
    done = selectors.next_statement(conversation, participant)
    assert done.statement is None and done.voted == done.total == 5


def test_moderation_before_publication(conversation, member, host):
    statement = services.statement_add(actor=member, conversation=conversation, text="  Open   on Sundays. ")
    assert statement.status == "pending" and statement.text == "Open on Sundays."
    with pytest.raises(ValidationError):
        services.statement_moderate(actor=host, statement=statement, status="rejected", reason="Because")
    services.statement_moderate(
        actor=host, statement=statement, status="rejected", reason=conversation.reasons[0]
    )
    entry = ModerationEntry.objects.get()
    assert (entry.status, entry.reason, entry.moderator) == ("rejected", conversation.reasons[0], host)
    with pytest.raises(PermissionDenied):
        services.statement_moderate(actor=member, statement=statement, status="accepted")


def test_moderation_after_publication(space, host, member):
    conversation = services.conversation_create(
        actor=host,
        space=space,
        question="Where?",
        moderation=Moderation.AFTER,
        rejection_reasons="Off topic\nRude",
    )
    statement = services.statement_add(actor=member, conversation=conversation, text="In the library.")
    assert statement.status == "accepted"
    assert conversation.reasons == ["Off topic", "Rude"]
    with pytest.raises(ValidationError):
        services.statement_add(actor=member, conversation=conversation, text="in the library.")


def test_a_rejection_always_has_a_reason_in_the_database(conversation):
    statement = conversation.statements.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Statement.objects.filter(pk=statement.pk).update(status="rejected", rejection_reason="")


def test_votes_entered_for_someone_are_audited(conversation, facilitator, margaret, member):
    statements = list(conversation.statements.all())
    services.votes_enter(
        actor=facilitator,
        conversation=conversation,
        person=margaret,
        votes={statements[0].pk: 1, statements[1].pk: -1},
    )
    votes = Vote.objects.filter(participant__user=margaret)
    assert votes.count() == 2 and all(v.entered_by == facilitator for v in votes)
    event = AuditEvent.objects.get(action="conversation.votes_entered")
    assert event.on_behalf_of == margaret and event.actor == facilitator
    # A member with their own account who has not asked for help: refused, nothing written.
    with pytest.raises(ValidationError):
        services.votes_enter(
            actor=facilitator, conversation=conversation, person=member, votes={statements[0].pk: 1}
        )
    with pytest.raises(PermissionDenied):
        services.votes_enter(
            actor=member, conversation=conversation, person=margaret, votes={statements[0].pk: 1}
        )
    assert not Vote.objects.filter(participant__user=member).exists()


def test_analysis_finds_the_planted_groups_and_keeps_their_labels(space, host, conversation):
    people = make_members(space, host, 16)
    for i in range(5):
        services.seed_add(actor=host, conversation=conversation, text=f"Extra statement {i}")
    statements = list(conversation.statements.order_by("pk"))
    planted_votes(conversation, people, statements)
    result = analysed(conversation)
    assert result.votes == 16 * 10 and result.participants == 16
    labels = result.data["labels"]
    first = {labels[str(selectors.participant_for_user(conversation, p).pk)] for p in people[:8]}
    second = {labels[str(selectors.participant_for_user(conversation, p).pk)] for p in people[8:]}
    assert len(first) == 1 and len(second) == 1 and first != second
    # More votes, the same people: the same labels.
    newcomer = make_members(space, host, 1, name="Late")[0]
    for statement in statements:
        services.vote_cast(actor=newcomer, conversation=conversation, statement=statement, value=1)
    again = analysed(conversation)
    for pid, group in labels.items():
        assert again.data["labels"][pid] == group
    assert conversation.analysis_requested_at is None
    assert set(again.priorities) == {str(s.pk) for s in statements}


def test_a_vote_asks_for_the_analysis_once_per_burst(
    conversation, member, practitioner, django_capture_on_commit_callbacks
):
    statement = conversation.statements.first()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.vote_cast(actor=member, conversation=conversation, statement=statement, value=1)
        services.vote_cast(actor=practitioner, conversation=conversation, statement=statement, value=1)
    assert len(callbacks) == 1
    conversation.refresh_from_db()
    assert conversation.analysis_requested_at is not None
