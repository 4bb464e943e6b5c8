"""Moderators accept or reject statements, with a reason from the host's list, in the public log."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.people.models import User

from .. import access
from ..models import ModerationEntry, Statement, StatementStatus
from .voting import analysis_wanted


@transaction.atomic
def statement_moderate(*, actor: User, statement: Statement, status: str, reason: str = "") -> Statement:
    conversation = statement.conversation
    access.require(access.can_moderate(actor, conversation))
    if status not in (StatementStatus.ACCEPTED, StatementStatus.REJECTED):
        raise ValidationError({"status": [_("Accept or reject the statement.")]})
    reason = (reason or "").strip()
    if status == StatementStatus.REJECTED and reason not in conversation.reasons:
        raise ValidationError({"reason": [_("Choose a reason from the list.")]})
    if status == StatementStatus.ACCEPTED:
        reason = ""
    before = audit.snapshot(statement, ["status", "rejection_reason"])
    statement.status, statement.rejection_reason = status, reason
    statement.moderated_at, statement.moderated_by = timezone.now(), actor
    statement.full_clean()
    changes = audit.diff(statement, before, ["status", "rejection_reason"])
    if not changes:
        return statement
    statement.save(update_fields=["status", "rejection_reason", "moderated_at", "moderated_by"])
    ModerationEntry.objects.create(
        conversation=conversation, statement=statement, status=status, reason=reason, moderator=actor
    )
    audit.record(
        actor=actor,
        action="conversation.statement_moderated",
        target=statement,
        space=conversation.space,
        summary=_("Statement %(status)s in “%(question)s”")
        % {"status": statement.get_status_display().lower(), "question": conversation.question},
        changes=changes,
        public=True,
    )
    # A statement taken out (or put back) after votes changes the analysis.
    if statement.votes.exists():
        analysis_wanted(conversation)
    return statement
