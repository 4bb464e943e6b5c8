"""What actions tell the quality check: who owns actions and who completed them.

Every action belongs to the co-delivery stage (doing what was decided), whenever it was made; the perspective
is the owner's when it was given to them (kept on the row). Dropped actions are not counted.
"""

from __future__ import annotations

from django.db.models import F, Value

from coproduce.core.registry import EvidenceRecord, EvidenceReport
from coproduce.lib.quality.evidence import Measure
from coproduce.spaces.evidence import in_figure, tally

from .models import Action, ActionStatus

STAGE = "co_delivery"


def _actions(space):
    return (
        Action.objects.filter(space=space)
        .exclude(status=ActionStatus.DROPPED)
        .annotate(q_stage=Value(STAGE), q_perspective=F("owner_perspective"), q_person=F("owner_id"))
    )


def evidence(space) -> EvidenceReport:
    """Two GROUP BY queries."""
    return EvidenceReport(
        counts=(
            *tally(_actions(space), Measure.ACTIONS_OWNED),
            *tally(_actions(space).filter(status=ActionStatus.DONE), Measure.ACTIONS_COMPLETED),
        )
    )


def evidence_records(space, measure, stages, perspectives, *, limit: int) -> list[EvidenceRecord]:
    if measure not in (Measure.ACTIONS_OWNED, Measure.ACTIONS_COMPLETED):
        return []
    actions = in_figure(_actions(space), stages, perspectives).select_related("space", "owner")
    if measure == Measure.ACTIONS_COMPLETED:
        actions = actions.filter(status=ActionStatus.DONE)
    return [
        EvidenceRecord(
            title=a.title,
            url=a.get_absolute_url(),
            stage=a.q_stage,
            perspective=a.q_perspective,
            person=a.owner.display_name,
            when=a.created_at.date(),
        )
        for a in actions.order_by("created_at", "id")[:limit]
    ]
