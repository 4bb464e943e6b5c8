"""Opening, changing, closing a conversation; its seed statements."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import audit, registry
from coproduce.people.models import User
from coproduce.spaces.models import Space

from .. import access
from ..models import Conversation, Moderation, Statement, StatementStatus

SEARCH_KIND = "conversations.conversation"
FIELDS = ["question", "description", "moderation", "rejection_reasons"]


def _reasons(lines: list[str] | str | None) -> list[str]:
    if isinstance(lines, str):
        lines = lines.splitlines()
    return [line.strip()[:200] for line in (lines or []) if line.strip()]


@transaction.atomic
def conversation_create(
    *,
    actor: User,
    space: Space,
    question: str,
    description: str = "",
    moderation: str = Moderation.BEFORE,
    rejection_reasons: list[str] | str | None = None,
    seeds: list[str] | str | None = None,
) -> Conversation:
    """A host or facilitator opens a conversation with its seed statements (accepted at once)."""
    access.require(access.can_open(actor, space))
    conversation = Conversation(
        space=space,
        question=(question or "").strip(),
        description=(description or "").strip(),
        moderation=moderation,
        rejection_reasons=_reasons(rejection_reasons),
        created_by=actor,
    )
    conversation.full_clean()
    conversation.save()
    audit.record(
        actor=actor,
        action="conversation.created",
        target=conversation,
        space=space,
        summary=_("Conversation “%(question)s” opened") % {"question": conversation.question},
        changes={"question": [None, conversation.question], "moderation": [None, conversation.moderation]},
        public=True,
    )
    for text in _reasons(seeds) if not isinstance(seeds, list) else [s.strip() for s in seeds if s.strip()]:
        seed_add(actor=actor, conversation=conversation, text=text)
    registry.search_changed(SEARCH_KIND, [conversation.pk])
    return conversation


@transaction.atomic
def seed_add(*, actor: User, conversation: Conversation, text: str) -> Statement:
    access.require(access.can_moderate(actor, conversation))
    statement = Statement(
        conversation=conversation,
        text=(text or "").strip(),
        is_seed=True,
        status=StatementStatus.ACCEPTED,
        moderated_at=timezone.now(),
        moderated_by=actor,
    )
    statement.full_clean()
    statement.save()
    audit.record(
        actor=actor,
        action="conversation.seed_added",
        target=statement,
        space=conversation.space,
        summary=_("Seed statement added to “%(question)s”") % {"question": conversation.question},
        changes={"text": [None, statement.text]},
    )
    return statement


@transaction.atomic
def conversation_update(
    *,
    actor: User,
    conversation: Conversation,
    question: str,
    description: str,
    moderation: str,
    rejection_reasons: list[str] | str | None,
    is_open: bool,
) -> Conversation:
    access.require(access.can_moderate(actor, conversation))
    fields = [*FIELDS, "is_open"]
    before = audit.snapshot(conversation, fields)
    conversation.question = (question or "").strip()
    conversation.description = (description or "").strip()
    conversation.moderation = moderation
    conversation.rejection_reasons = _reasons(rejection_reasons)
    conversation.is_open = is_open
    conversation.full_clean()
    changes = audit.diff(conversation, before, fields)
    if not changes:
        return conversation
    conversation.save(update_fields=[*changes, "updated_at"])
    audit.record(
        actor=actor,
        action="conversation.updated",
        target=conversation,
        space=conversation.space,
        summary=_("Conversation “%(question)s” changed: %(fields)s")
        % {"question": conversation.question, "fields": audit.field_names(conversation, changes)},
        changes=changes,
        public=True,
    )
    registry.search_changed(SEARCH_KIND, [conversation.pk])
    return conversation
