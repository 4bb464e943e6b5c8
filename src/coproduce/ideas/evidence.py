"""What ideas tell the quality check: who wrote ideas, whose were adopted, who commented.

Ideas keep no stage: an idea (or comment) belongs to the co-commissioning or co-design stage whose dates
hold the day it was written, and to co-design when neither does. The perspective is the author's when they
wrote it (kept on the row).
"""

from __future__ import annotations

from django.db.models import F

from coproduce.core.registry import EvidenceRecord, EvidenceReport
from coproduce.lib.quality.evidence import Measure
from coproduce.spaces.evidence import in_figure, stage_of, tally

from .models import Comment, Idea, IdeaStatus

AMONG = ("co_commissioning", "co_design")
DEFAULT = "co_design"


def _ideas(space):
    return Idea.objects.filter(space=space).annotate(
        q_stage=stage_of(space, "created_at", among=AMONG, default=DEFAULT),
        q_perspective=F("author_perspective"),
        q_person=F("author_id"),
    )


def _comments(space):
    return Comment.objects.filter(idea__space=space, hidden_at__isnull=True).annotate(
        q_stage=stage_of(space, "created_at", among=AMONG, default=DEFAULT),
        q_perspective=F("author_perspective"),
        q_person=F("author_id"),
    )


def evidence(space) -> EvidenceReport:
    """Three GROUP BY queries (and one for the space's stage dates each)."""
    return EvidenceReport(
        counts=(
            *tally(_ideas(space), Measure.IDEAS_WRITTEN),
            *tally(_ideas(space).filter(status=IdeaStatus.ADOPTED), Measure.IDEAS_ADOPTED),
            *tally(_comments(space), Measure.COMMENTS),
        )
    )


def evidence_records(space, measure, stages, perspectives, *, limit: int) -> list[EvidenceRecord]:
    if measure == Measure.COMMENTS:
        comments = in_figure(_comments(space), stages, perspectives).select_related("idea", "author")
        return [
            EvidenceRecord(
                title=f"Comment on “{c.idea.title}”",
                url=f"{c.idea.get_absolute_url()}#comment-{c.pk}",
                stage=c.q_stage,
                perspective=c.q_perspective,
                person=c.author.display_name,
                when=c.created_at.date(),
            )
            for c in comments.order_by("created_at", "id")[:limit]
        ]
    if measure not in (Measure.IDEAS_WRITTEN, Measure.IDEAS_ADOPTED):
        return []
    ideas = in_figure(_ideas(space), stages, perspectives).select_related("space", "author")
    if measure == Measure.IDEAS_ADOPTED:
        ideas = ideas.filter(status=IdeaStatus.ADOPTED)
    return [
        EvidenceRecord(
            title=i.title,
            url=i.get_absolute_url(),
            stage=i.q_stage,
            perspective=i.q_perspective,
            person=i.author.display_name,
            when=i.created_at.date(),
        )
        for i in ideas.order_by("created_at", "id")[:limit]
    ]
