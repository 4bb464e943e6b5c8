"""Importing and exporting the Polis export format (`comments.csv`, `votes.csv`, `participants-votes.csv`).

Reading and checking the files is `coproduce.lib.opinion.polis`; here an export becomes a conversation in one
transaction: imported people have no account and become participants known by their Polis id, so their votes
share the table with members' votes. A malformed file raises `ImportFailed` (naming the file, line and
problem) before anything is written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import audit, registry
from coproduce.lib.opinion import polis
from coproduce.people.models import User
from coproduce.spaces.models import Space

from .. import access
from ..models import (
    STATEMENT_MAX,
    Conversation,
    Moderation,
    Participant,
    Statement,
    StatementStatus,
    Vote,
)
from .conversations import SEARCH_KIND
from .voting import analysis_wanted

REJECTED_IN_POLIS = "Moderated out in Polis"


class ImportFailed(Exception):
    """What is wrong with the files, in words for the person who uploaded them."""


def _moment(timestamp: int) -> dt.datetime:
    # Polis exports give seconds or milliseconds since 1970.
    seconds = timestamp / 1000 if timestamp > 10**11 else timestamp
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC) if seconds > 0 else timezone.now()


def read(folder: Path) -> polis.PolisExport:
    try:
        export = polis.read_export(folder)
    except polis.PolisFormatError as error:
        raise ImportFailed(str(error)) from error
    for line, comment in enumerate(export.comments, start=2):
        if len(comment.body.strip()) > STATEMENT_MAX:
            raise ImportFailed(
                f"comments.csv, line {line}: comment {comment.comment_id} is longer than {STATEMENT_MAX} characters"
            )
        if not comment.body.strip():
            raise ImportFailed(f"comments.csv, line {line}: comment {comment.comment_id} has no text")
    return export


@transaction.atomic
def polis_import(*, actor: User | None, space: Space, folder: Path, question: str) -> Conversation:
    """A conversation made from a Polis export, all or nothing (`actor` None: the command line)."""
    if actor is not None:
        access.require(access.can_open(actor, space))
    export = read(folder)
    conversation = Conversation(
        space=space,
        question=(question or "").strip(),
        description=_("Imported from a Polis export."),
        moderation=Moderation.BEFORE,
        is_open=False,
        created_by=actor,
    )
    conversation.full_clean()
    conversation.save()
    people = {v.voter_id for v in export.votes} | {c.author_id for c in export.comments if c.author_id}
    people |= {p.participant_id for p in export.participants}
    participants = Participant.objects.bulk_create(
        [Participant(conversation=conversation, external_id=pid) for pid in sorted(people)], batch_size=2000
    )
    if any(p.pk is None for p in participants):  # backends that do not return ids from bulk_create
        participants = list(Participant.objects.filter(conversation=conversation))
    by_external = {p.external_id: p.pk for p in participants}
    now = timezone.now()
    statements = Statement.objects.bulk_create(
        [
            Statement(
                conversation=conversation,
                text=c.body.strip(),
                author_id=by_external.get(c.author_id),
                external_id=c.comment_id,
                status=StatementStatus.REJECTED
                if c.moderated == polis.MODERATED_OUT
                else StatementStatus.ACCEPTED,
                rejection_reason=REJECTED_IN_POLIS if c.moderated == polis.MODERATED_OUT else "",
                moderated_at=now,
            )
            for c in export.comments
        ],
        batch_size=1000,
    )
    if any(s.pk is None for s in statements):
        statements = list(Statement.objects.filter(conversation=conversation))
    by_comment = {s.external_id: s.pk for s in statements}
    latest: dict[tuple[str, str], polis.PolisVote] = {}
    for v in export.votes:  # the latest vote of each person on each comment (later lines win a tie)
        key = (v.voter_id, v.comment_id)
        if key not in latest or v.timestamp >= latest[key].timestamp:
            latest[key] = v
    Vote.objects.bulk_create(
        [
            Vote(
                conversation=conversation,
                participant_id=by_external[v.voter_id],
                statement_id=by_comment[v.comment_id],
                value=v.vote,
                voted_at=_moment(v.timestamp),
            )
            for v in latest.values()
        ],
        batch_size=5000,
    )
    audit.record(
        actor=actor,
        action="conversation.imported",
        target=conversation,
        space=space,
        summary=_("Conversation “%(question)s” imported from Polis: %(s)s statements, %(v)s votes")
        % {"question": conversation.question, "s": len(statements), "v": len(latest)},
        changes={"statements": [None, len(statements)], "votes": [None, len(latest)]},
        public=True,
    )
    registry.search_changed(SEARCH_KIND, [conversation.pk])
    analysis_wanted(conversation)
    return conversation


def polis_export(*, conversation: Conversation, folder: Path) -> None:
    """Write the conversation in the Polis format: statements as comments, every latest vote, participants
    by their number here (never a name)."""
    statements = list(Statement.objects.filter(conversation=conversation).order_by("pk"))
    counts: dict[int, list[int]] = {s.pk: [0, 0] for s in statements}
    votes = []
    for participant_id, statement_id, value, at in (
        Vote.objects.filter(conversation=conversation)
        .order_by("voted_at", "pk")
        .values_list("participant_id", "statement_id", "value", "voted_at")
        .iterator(chunk_size=5000)
    ):
        if value == 1:
            counts[statement_id][0] += 1
        elif value == -1:
            counts[statement_id][1] += 1
        votes.append(
            polis.PolisVote(
                timestamp=int(at.timestamp()),
                comment_id=str(statement_id),
                voter_id=str(participant_id),
                vote=int(value),
                datetime=at.isoformat(),
            )
        )
    moderated = {StatementStatus.ACCEPTED: 1, StatementStatus.PENDING: 0, StatementStatus.REJECTED: -1}
    comments = tuple(
        polis.PolisComment(
            comment_id=str(s.pk),
            body=s.text,
            author_id=str(s.author_id or ""),
            moderated=moderated[StatementStatus(s.status)],
            timestamp=int(s.created_at.timestamp()),
            datetime=s.created_at.isoformat(),
            agrees=counts[s.pk][0],
            disagrees=counts[s.pk][1],
        )
        for s in statements
    )
    participants = tuple(
        polis.PolisParticipant(participant_id=str(pk))
        for pk in Participant.objects.filter(conversation=conversation)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    polis.write_export(folder, polis.PolisExport(comments, tuple(votes), participants))
