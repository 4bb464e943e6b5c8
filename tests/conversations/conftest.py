"""Fixtures for conversations: one open conversation with seed statements in each space of the shared cast,
and tasks run in memory as they are queued."""

from __future__ import annotations

import pytest
from huey.contrib.djhuey import HUEY
from huey.storage import MemoryStorage

from coproduce.conversations import services, tasks
from coproduce.conversations.models import Vote

SEEDS = [
    "The drop-in should open in the evenings.",
    "Peer support workers should run it.",
    "It should move to the library.",
    "Appointments work better than drop-in.",
    "Carers should have their own session.",
]


@pytest.fixture(autouse=True)
def tasks_now():
    was_immediate, was_storage = HUEY.immediate, HUEY.storage
    HUEY.storage = MemoryStorage("conversations-test")
    HUEY.immediate = True
    yield HUEY
    HUEY.immediate, HUEY.storage = was_immediate, was_storage


@pytest.fixture
def conversation(space, host):
    return services.conversation_create(
        actor=host, space=space, question="What should replace the drop-in?", seeds=SEEDS
    )


@pytest.fixture
def private_conversation(private_space, host):
    return services.conversation_create(
        actor=host, space=private_space, question="How should peer review work?", seeds=SEEDS[:2]
    )


def analysed(conversation):
    """Work the analysis out now, as the task queued after votes does (tests' transactions never commit)."""
    tasks.compute_analysis.call_local(conversation.pk)
    conversation.refresh_from_db()
    return conversation.analysis


def planted_votes(conversation, people, statements):
    """Two opinion groups: the first half agrees with the first half of the statements and disagrees with the
    rest; the second half the other way round."""
    half, cut = len(people) // 2, len(statements) // 2
    for i, person in enumerate(people):
        for j, statement in enumerate(statements):
            agree = (i < half) == (j < cut)
            services.vote_cast(
                actor=person,
                conversation=conversation,
                statement=statement,
                value=Vote.AGREE if agree else Vote.DISAGREE,
            )
