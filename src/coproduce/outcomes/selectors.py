"""Reads for personal outcomes: a person's conversations and chart of change, their plan with its history,
and a space's anonymised summary. Never writes; callers have asked `access` first."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.spaces.models import Membership, Perspective, Role, Space

from . import access
from .models import (
    OUTCOME_SETS,
    Consent,
    Conversation,
    Helper,
    OutcomeSet,
    PersonalOutcome,
    Plan,
    PlanChange,
    Rating,
)

# The chart's drawing area, in SVG units (it scales to the width of the page).
CHART_WIDTH, CHART_HEIGHT = 320, 140
LEFT, RIGHT, TOP, BOTTOM = 36, 12, 12, 28


def label(outcome: str) -> str:
    return str(PersonalOutcome(outcome).label)


def sets_for(person, space: Space) -> list[tuple[str, str, tuple[str, ...]]]:
    """The outcome sets to ask about, as (key, heading, outcomes): the carers' set for carers only."""
    membership = Membership.objects.filter(space=space, user=person).only("perspective").first()
    is_carer = membership is not None and membership.perspective == Perspective.CARER
    return [
        (key, str(OutcomeSet(key).label), outcomes)
        for key, outcomes in OUTCOME_SETS.items()
        if key != OutcomeSet.CARERS or is_carer
    ]


def conversations(person, space: Space) -> list[Conversation]:
    return list(
        Conversation.objects.filter(person=person, space=space)
        .select_related("recorded_by")
        .prefetch_related("ratings")
        .order_by("held_on", "id")
    )


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    score: int
    day: dt.date


@dataclass
class Line:
    """One outcome's scores over time, with what the chart needs to draw it to scale."""

    outcome: str
    label: str
    points: list[Point] = field(default_factory=list)

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def description(self) -> str:
        return "; ".join(
            _("%(score)s on %(day)s") % {"score": p.score, "day": date_format(p.day, "j M Y")}
            for p in self.points
        )

    @property
    def change(self) -> int:
        return self.points[-1].score - self.points[0].score if self.points else 0


@dataclass(frozen=True)
class Chart:
    lines: list[Line]
    days: list[dt.date]  # the conversations' days, for the table's columns
    table: list[tuple[str, list[int | None]]]  # outcome label, score per conversation (None: not rated)
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    # Gridlines: (y, score) for 1..5.
    grid: tuple[tuple[float, int], ...] = ()
    left: int = LEFT
    right_edge: int = CHART_WIDTH - RIGHT
    axis_y: int = CHART_HEIGHT - BOTTOM


def _y(score: int) -> float:
    return TOP + (5 - score) / 4 * (CHART_HEIGHT - TOP - BOTTOM)


def _x(day: dt.date, first: dt.date, last: dt.date) -> float:
    """Time to scale: the first conversation at the left, the last at the right."""
    span = (last - first).days
    inner = CHART_WIDTH - LEFT - RIGHT
    if span == 0:
        return LEFT + inner / 2
    return LEFT + (day - first).days / span * inner


def chart(found: list[Conversation]) -> Chart:
    """The person's chart of change: one small line chart per outcome they rated, drawn to scale (scores 1
    to 5 up the side, time along the bottom), and the same numbers as a table."""
    if not found:
        return Chart(lines=[], days=[], table=[])
    first, last = found[0].held_on, found[-1].held_on
    by_outcome: dict[str, Line] = {}
    columns: dict[str, list[int | None]] = defaultdict(lambda: [None] * len(found))
    for index, conversation in enumerate(found):
        for rating in conversation.ratings.all():
            line = by_outcome.setdefault(rating.outcome, Line(rating.outcome, label(rating.outcome)))
            line.points.append(
                Point(
                    _x(conversation.held_on, first, last),
                    _y(rating.score),
                    rating.score,
                    conversation.held_on,
                )
            )
            columns[rating.outcome][index] = rating.score
    order = [o for outcomes in OUTCOME_SETS.values() for o in outcomes]
    lines = [by_outcome[o] for o in order if o in by_outcome]
    return Chart(
        lines=lines,
        days=[c.held_on for c in found],
        table=[(line.label, columns[line.outcome]) for line in lines],
        grid=tuple((_y(score), score) for score in range(1, 6)),
    )


def helpers(person, space: Space) -> QuerySet[Helper]:
    return Helper.objects.filter(person=person, space=space).select_related("helper")


def helper_choices(person, space: Space) -> list[Membership]:
    """Who the person may choose: facilitators, hosts and practitioners of the space, not themself."""
    return list(
        Membership.objects.filter(space=space)
        .filter(Q(role__in=[Role.FACILITATOR, Role.HOST]) | Q(perspective=Perspective.PRACTITIONER))
        .exclude(user=person)
        .select_related("user")
        .order_by("user__display_name")
    )


def people_i_help(user, space: Space) -> list[Helper]:
    """The people who allow `user` to see their outcomes in this space (while `user` may still help)."""
    if not user.is_authenticated or not access.may_help(user, space):
        return []
    return list(
        Helper.objects.filter(helper=user, space=space)
        .select_related("person")
        .order_by("person__display_name")
    )


def plan(person, space: Space) -> Plan | None:
    return Plan.objects.filter(person=person, space=space).first()


def plan_history(found: Plan | None) -> list[PlanChange]:
    """The latest changes first, each with `parts`: what changed, in words ("what I will do, next review")."""
    if found is None:
        return []
    changes = list(found.changes.order_by("-at", "-id")[:100])
    for change in changes:
        change.parts = audit.field_names(Plan, change.fields)  # type: ignore[attr-defined]
    return changes


def plans_to_review(user, *, within_days: int = 14) -> list[Plan]:
    """Plans with a review due within `within_days` (or overdue) that `user` works on: their own, and those
    of people who chose them as a helper while they may still help in that space. One query."""
    if not user.is_authenticated:
        return []
    soon = timezone.localdate() + dt.timedelta(days=within_days)
    helping = Helper.objects.filter(person=OuterRef("person"), space=OuterRef("space"), helper=user)
    still_helping = Membership.objects.filter(space=OuterRef("space"), user=user).filter(
        Q(role__in=[Role.FACILITATOR, Role.HOST]) | Q(perspective=Perspective.PRACTITIONER)
    )
    return list(
        Plan.objects.filter(next_review_on__lte=soon)
        .filter(Q(person=user) | (Exists(helping) & Exists(still_helping)))
        .select_related("space", "person")
        .order_by("next_review_on", "id")[:50]
    )


def consent_history(person, space: Space) -> QuerySet[Consent]:
    return Consent.objects.filter(person=person, space=space).select_related("given_by", "withdrawn_by")


# --- The space's anonymised summary ---------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryRow:
    outcome: str
    label: str
    people: int
    first_average: float
    latest_average: float
    better: int
    same: int
    worse: int


@dataclass(frozen=True)
class Summary:
    people: int  # people with consent and at least one conversation
    shown: bool  # False: too few people to show anything
    rows: list[SummaryRow]
    hidden_outcomes: int  # outcomes rated by too few people to show


def summary(space: Space) -> Summary:
    """Per outcome, for people who consent in this space: how many rated it, the average of their first
    and latest scores, and how many are better, the same or worse. Never shown for fewer than
    `access.SMALLEST_GROUP` people, as a whole or for one outcome; worked out when read, so a person who
    withdraws or is erased leaves nothing behind. One query."""
    consenting = Consent.objects.filter(space=space, withdrawn_at__isnull=True).values("person_id")
    found = (
        Rating.objects.filter(conversation__space=space, conversation__person_id__in=consenting)
        .values_list(
            "conversation__person_id", "outcome", "conversation__held_on", "conversation_id", "score"
        )
        .order_by("conversation__held_on", "conversation_id")
    )
    series: dict[tuple[int, str], list[int]] = defaultdict(list)
    people: set[int] = set()
    for person_id, outcome, _day, _conversation, score in found:
        series[(person_id, outcome)].append(score)
        people.add(person_id)
    if len(people) < access.SMALLEST_GROUP:
        return Summary(people=len(people), shown=False, rows=[], hidden_outcomes=0)
    by_outcome: dict[str, list[list[int]]] = defaultdict(list)
    for (_person, outcome), scores in series.items():
        by_outcome[outcome].append(scores)
    rows, hidden = [], 0
    order = [o for outcomes in OUTCOME_SETS.values() for o in outcomes]
    for outcome in order:
        runs = by_outcome.get(outcome)
        if not runs:
            continue
        if len(runs) < access.SMALLEST_GROUP:
            hidden += 1
            continue
        rows.append(
            SummaryRow(
                outcome=outcome,
                label=label(outcome),
                people=len(runs),
                first_average=sum(r[0] for r in runs) / len(runs),
                latest_average=sum(r[-1] for r in runs) / len(runs),
                better=sum(1 for r in runs if r[-1] > r[0]),
                same=sum(1 for r in runs if r[-1] == r[0]),
                worse=sum(1 for r in runs if r[-1] < r[0]),
            )
        )
    return Summary(people=len(people), shown=True, rows=rows, hidden_outcomes=hidden)
