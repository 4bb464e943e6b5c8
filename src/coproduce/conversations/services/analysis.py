"""Working out a conversation's opinion groups (in the task queue, never in a page request): the votes on
accepted statements go to `coproduce.lib.opinion`, with the last result's group labels so that the same people
keep the same group from one refresh to the next; the result is stored with the order to show statements in."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from coproduce.lib import opinion

from ..models import AnalysisResult, Conversation, Participant, StatementStatus, Vote


def previous_labels(conversation: Conversation) -> dict[str, int] | None:
    data = AnalysisResult.objects.filter(conversation=conversation).values_list("data", flat=True).first()
    if not data:
        return None
    return {str(pid): int(group) for pid, group in (data.get("labels") or {}).items()}


def analysis_compute(conversation: Conversation) -> AnalysisResult:
    """Analyse every vote on the conversation's accepted statements and store the result (replacing the last)."""
    rows = Vote.objects.filter(
        conversation=conversation, statement__status=StatementStatus.ACCEPTED
    ).values_list("participant_id", "statement_id", "value", "voted_at")
    votes = [(str(p), str(s), int(v), at.timestamp()) for p, s, v, at in rows.iterator(chunk_size=20000)]
    matrix = opinion.build_matrix(votes)
    result = opinion.analyse(matrix, previous=previous_labels(conversation))
    priorities = opinion.priorities(matrix, result)
    perspectives = {
        str(pk): perspective
        for pk, perspective in Participant.objects.filter(conversation=conversation).values_list(
            "pk", "perspective"
        )
    }
    participants = len({p for p, _s, _v, _t in votes})
    with transaction.atomic():
        stored, _created = AnalysisResult.objects.update_or_create(
            conversation=conversation,
            defaults={
                "data": result.to_json(),
                "priorities": {str(k): float(v) for k, v in priorities.items()},
                "perspectives": perspectives,
                "votes": len(votes),
                "participants": participants,
                "computed_at": timezone.now(),
            },
        )
    return stored
