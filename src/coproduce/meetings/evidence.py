"""What meetings tell the quality check: who proposed agenda items, who attended, whose view is recorded in
decisions (agreeing or dissenting), who stated access needs, and when the first agenda was published and the
first decision made.

A meeting belongs to the stage of the space open on the day it starts (any of the four), and to co-design when
no dated stage holds it. Agenda items, attendances and views keep the person's perspective at the time;
registrations do not, so access needs count with the perspective of the membership today. Whether an access
need was met is not recorded yet, so `access_needs_met` has no count (the check says it lacks evidence).
"""

from __future__ import annotations

from datetime import date

from django.db.models import F, QuerySet

from coproduce.core.registry import EvidenceRecord, EvidenceReport
from coproduce.lib.quality.evidence import Measure, Milestone
from coproduce.spaces.evidence import ALL_STAGES, earliest, in_figure, perspective_in, stage_of, tally

from .models import (
    AgendaItem,
    Attendance,
    Decision,
    DecisionVoice,
    Meeting,
    Registration,
    RegistrationStatus,
    Stance,
)

DEFAULT = "co_design"


def _stage(space, path: str):
    return stage_of(space, path, among=ALL_STAGES, default=DEFAULT)


def _items(space) -> QuerySet:
    return AgendaItem.objects.filter(meeting__space=space).annotate(
        q_stage=_stage(space, "meeting__starts_at"),
        q_perspective=F("proposer_perspective"),
        q_person=F("proposed_by_id"),
    )


def _attendances(space) -> QuerySet:
    return Attendance.objects.filter(meeting__space=space).annotate(
        q_stage=_stage(space, "meeting__starts_at"), q_perspective=F("perspective"), q_person=F("user_id")
    )


def _voices(space, *stances: str) -> QuerySet:
    return DecisionVoice.objects.filter(decision__meeting__space=space, stance__in=stances).annotate(
        q_stage=_stage(space, "decision__meeting__starts_at"),
        q_perspective=F("perspective"),
        q_person=F("user_id"),
    )


def _needs(space) -> QuerySet:
    return (
        Registration.objects.filter(meeting__space=space)
        .exclude(access_needs="")
        .exclude(status=RegistrationStatus.CANCELLED)
        .annotate(
            q_stage=_stage(space, "meeting__starts_at"),
            q_perspective=perspective_in(space, "user"),
            q_person=F("user_id"),
        )
    )


def evidence(space) -> EvidenceReport:
    """Five GROUP BY queries and two for the first agenda and decision."""
    milestones: dict[str, date] = {}
    published = earliest(Meeting.objects.filter(space=space), "agenda_published_at")
    if published:
        milestones[Milestone.AGENDA_PUBLISHED] = published
    decided = earliest(Decision.objects.filter(meeting__space=space), "created_at")
    if decided:
        milestones[Milestone.FIRST_DECISION] = decided
    return EvidenceReport(
        counts=(
            *tally(_items(space), Measure.AGENDA_ITEMS),
            *tally(_attendances(space), Measure.MEETING_ATTENDANCE),
            *tally(_voices(space, Stance.AGREE), Measure.DECISION_AGREE),
            *tally(_voices(space, Stance.DISAGREE), Measure.DECISION_DISSENT),
            *tally(_needs(space), Measure.ACCESS_NEEDS_STATED),
        ),
        milestones=milestones,
    )


def evidence_records(space, measure, stages, perspectives, *, limit: int) -> list[EvidenceRecord]:
    if measure == Measure.AGENDA_ITEMS:
        items = in_figure(_items(space), stages, perspectives).select_related("meeting__space", "proposed_by")
        return [
            EvidenceRecord(
                title=i.title,
                url=i.meeting.get_absolute_url(),
                stage=i.q_stage,
                perspective=i.q_perspective,
                person=i.proposed_by.display_name,
                when=i.created_at.date(),
            )
            for i in items.order_by("created_at", "id")[:limit]
        ]
    if measure in (Measure.MEETING_ATTENDANCE, Measure.ACCESS_NEEDS_STATED):
        rows = _attendances(space) if measure == Measure.MEETING_ATTENDANCE else _needs(space)
        rows = in_figure(rows, stages, perspectives).select_related("meeting__space", "user")
        return [
            EvidenceRecord(
                title=r.meeting.title,
                url=r.meeting.get_absolute_url(),
                stage=r.q_stage,
                perspective=r.q_perspective,
                person=r.user.display_name if r.user else "",
                when=r.meeting.starts_at.date(),
            )
            for r in rows.order_by("meeting__starts_at", "id")[:limit]
        ]
    if measure in (Measure.DECISION_AGREE, Measure.DECISION_DISSENT):
        # The figures of views in decisions link through DECISION_AGREE: list every view, agreeing or not.
        wanted = [Stance.AGREE, Stance.DISAGREE] if measure == Measure.DECISION_AGREE else [Stance.DISAGREE]
        voices = in_figure(_voices(space, *wanted), stages, perspectives)
        voices = voices.select_related("decision__meeting__space", "user")
        return [
            EvidenceRecord(
                title=f"{v.get_stance_display()}: {v.decision.text[:100]}",
                url=f"{v.decision.meeting.get_absolute_url()}#decision-{v.decision_id}",
                stage=v.q_stage,
                perspective=v.q_perspective,
                person=v.user.display_name,
                when=v.decision.created_at.date(),
            )
            for v in voices.order_by("decision__created_at", "id")[:limit]
        ]
    return []
