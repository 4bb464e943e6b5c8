"""What a space's records say about who took part and who held power: plain data, no Django.

A Django app counts the records (ideas, agenda items, decisions, actions, ballots, surveys, the timebank) and
builds one `Evidence`; the rules in `rules/` read only this. Everything is a count of whole numbers, kept in
one flat shape: for each `Measure`, a dict keyed by `(stage, perspective)`.

Perspectives are the strings of `spaces.Perspective`; stages those of `spaces.StageKind` (the four stages of
the Co-production Star). The groups the rules compare:

- `LIVED`: people with lived experience and carers or family (the people who use the service). When the rules
  speak of "people with lived experience" they mean this group.
- `COMMUNITY_SIDE`: `LIVED` and community members, the community side of Bovaird's matrix.
- `PROFESSIONAL`: practitioners and commissioners, the professional side.
- Facilitators are on neither side: they hold the process, and counting them on either side would let a
  facilitator's work look like community or professional power.

`PLANNING_STAGES` are co-commissioning and co-design; `DELIVERY_STAGES` is co-delivery (Bovaird's two axes);
co-assessment is read on its own (did people with lived experience evaluate?).

Units: `Measure.UNITS` says what each number counts (people, items, attendances, minutes). "Members" per stage
are the people who were members while that stage was open; `members` on `Evidence` are the members today.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

LIVED_EXPERIENCE = "lived_experience"
CARER = "carer"
COMMUNITY = "community"
PRACTITIONER = "practitioner"
COMMISSIONER = "commissioner"
FACILITATOR = "facilitator"
PERSPECTIVES: tuple[str, ...] = (
    LIVED_EXPERIENCE,
    CARER,
    COMMUNITY,
    PRACTITIONER,
    COMMISSIONER,
    FACILITATOR,
)

CO_COMMISSIONING = "co_commissioning"
CO_DESIGN = "co_design"
CO_DELIVERY = "co_delivery"
CO_ASSESSMENT = "co_assessment"
STAGES: tuple[str, ...] = (CO_COMMISSIONING, CO_DESIGN, CO_DELIVERY, CO_ASSESSMENT)

LIVED: tuple[str, ...] = (LIVED_EXPERIENCE, CARER)
COMMUNITY_SIDE: tuple[str, ...] = (LIVED_EXPERIENCE, CARER, COMMUNITY)
PROFESSIONAL: tuple[str, ...] = (PRACTITIONER, COMMISSIONER)

PLANNING_STAGES: tuple[str, ...] = (CO_COMMISSIONING, CO_DESIGN)
DELIVERY_STAGES: tuple[str, ...] = (CO_DELIVERY,)
ASSESSMENT_STAGES: tuple[str, ...] = (CO_ASSESSMENT,)


class Measure(StrEnum):
    """One kind of count. The value is also the records category: the app links a number to the list of
    records it counted by (measure, stages, perspectives)."""

    MEMBERS = "members"
    ACTIVE = "active"
    AGENDA_ITEMS = "agenda_items"
    IDEAS_WRITTEN = "ideas_written"
    IDEAS_ADOPTED = "ideas_adopted"
    COMMENTS = "comments"
    BUDGET_VOTERS = "budget_voters"
    PROJECTS_FUNDED = "projects_funded"
    MEETING_ATTENDANCE = "meeting_attendance"
    DECISION_AGREE = "decision_agree"
    DECISION_DISSENT = "decision_dissent"
    ACTIONS_OWNED = "actions_owned"
    ACTIONS_COMPLETED = "actions_completed"
    SURVEY_RESPONDENTS = "survey_respondents"
    TIME_CREDITS_PAID = "time_credits_paid"
    ASSISTED = "assisted_participations"
    ACCESS_NEEDS_STATED = "access_needs_stated"
    ACCESS_NEEDS_MET = "access_needs_met"


# What each count counts, and by whose perspective (the perspective a person had when they acted).
MEASURE_MEANING: Mapping[Measure, str] = {
    Measure.MEMBERS: "people who were members while the stage was open",
    Measure.ACTIVE: "members who took part in the stage in any recorded way",
    Measure.AGENDA_ITEMS: "agenda items, by the perspective of who proposed them",
    Measure.IDEAS_WRITTEN: "ideas, by the perspective of their author",
    Measure.IDEAS_ADOPTED: "adopted ideas, by the perspective of their author",
    Measure.COMMENTS: "comments on ideas, projects and agenda items, by their author",
    Measure.BUDGET_VOTERS: "people who voted in a participatory budget",
    Measure.PROJECTS_FUNDED: "funded budget projects, by the perspective of who proposed them",
    Measure.MEETING_ATTENDANCE: "attendances at meetings (one per person per meeting)",
    Measure.DECISION_AGREE: "views recorded in decisions as agreeing, by perspective",
    Measure.DECISION_DISSENT: "views recorded in decisions as dissenting, by perspective",
    Measure.ACTIONS_OWNED: "actions, by the perspective of their owner",
    Measure.ACTIONS_COMPLETED: "completed actions, by the perspective of their owner",
    Measure.SURVEY_RESPONDENTS: "people who answered a survey",
    Measure.TIME_CREDITS_PAID: "minutes of time credits paid, by the perspective of who was paid",
    Measure.ASSISTED: "contributions made with a helper (on someone's behalf)",
    Measure.ACCESS_NEEDS_STATED: "access needs stated for meetings",
    Measure.ACCESS_NEEDS_MET: "access needs stated for meetings that were recorded as met",
}


class Milestone(StrEnum):
    """Moments that show plans being made: if they came before anyone with lived experience joined, the plans
    already existed."""

    FIRST_DECISION = "first_decision"
    BUDGET_OPENED = "budget_opened"
    AGENDA_PUBLISHED = "agenda_published"


Key = tuple[str, str]  # (stage, perspective)
Counts = Mapping[Key, int]


@dataclass(frozen=True)
class PersonTally:
    """How many of something one person made, without saying who: enough to see when a few people wrote most
    of it."""

    perspective: str
    count: int


@dataclass(frozen=True)
class Evidence:
    """Everything the rules read about one space. Build it with `build_evidence` (or `Evidence(...)`); treat it
    as immutable (`with_count` and `moved` return changed copies)."""

    counts: Mapping[Measure, Counts] = field(default_factory=dict)
    # Members today, by perspective (the community mix).
    members: Mapping[str, int] = field(default_factory=dict)
    # The mix the host says the space serves: share (0..1) by perspective. Empty: not stated.
    target_mix: Mapping[str, float] = field(default_factory=dict)
    # When the first member of each perspective joined (absent: nobody of it has joined).
    first_joined: Mapping[str, date] = field(default_factory=dict)
    # When plans were first made visible (absent: not yet).
    milestones: Mapping[Milestone, date] = field(default_factory=dict)
    # Per-person counts for the measures where a few people may dominate (agenda items, ideas).
    per_person: Mapping[Measure, tuple[PersonTally, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for measure, counts in self.counts.items():
            Measure(measure)
            for (stage, perspective), n in counts.items():
                _check(stage, perspective, n)
        for perspective, n in self.members.items():
            _check(STAGES[0], perspective, n)
        for perspective, share in self.target_mix.items():
            _check(STAGES[0], perspective, 0)
            if not 0 <= share <= 1:
                raise ValueError(f"a target share is between 0 and 1, not {share!r}")
        for perspective in self.first_joined:
            _check(STAGES[0], perspective, 0)
        for milestone in self.milestones:
            Milestone(milestone)
        for tallies in self.per_person.values():
            for tally in tallies:
                _check(STAGES[0], tally.perspective, tally.count)

    def count(
        self,
        measure: Measure,
        *,
        stages: Iterable[str] = STAGES,
        perspectives: Iterable[str] = PERSPECTIVES,
    ) -> int:
        """The total of one measure over some stages and perspectives (all of them by default)."""
        counts = self.counts.get(measure, {})
        wanted = set(perspectives)
        return sum(counts.get((stage, p), 0) for stage in set(stages) for p in wanted)

    def total(
        self,
        measures: Iterable[Measure],
        *,
        stages: Iterable[str] = STAGES,
        perspectives: Iterable[str] = PERSPECTIVES,
    ) -> int:
        stages, perspectives = tuple(stages), tuple(perspectives)
        return sum(self.count(m, stages=stages, perspectives=perspectives) for m in measures)

    def member_count(self, perspectives: Iterable[str] = PERSPECTIVES) -> int:
        return sum(self.members.get(p, 0) for p in set(perspectives))

    def first_join(self, perspectives: Iterable[str]) -> date | None:
        dates = [self.first_joined[p] for p in perspectives if p in self.first_joined]
        return min(dates) if dates else None

    def with_count(self, measure: Measure, stage: str, perspective: str, delta: int) -> Evidence:
        """A copy with one count changed by `delta` (never below zero)."""
        counts = {m: dict(c) for m, c in self.counts.items()}
        row = counts.setdefault(measure, {})
        row[(stage, perspective)] = max(0, row.get((stage, perspective), 0) + delta)
        return dataclasses.replace(self, counts=counts)

    def moved(
        self, measure: Measure, stage: str, from_perspective: str, to_perspective: str, n: int = 1
    ) -> Evidence:
        """A copy where `n` records of a measure belong to another perspective, as when one action's owner
        changes."""
        have = self.count(measure, stages=(stage,), perspectives=(from_perspective,))
        if have < n:
            raise ValueError(f"only {have} {measure} by {from_perspective} in {stage}")
        return self.with_count(measure, stage, from_perspective, -n).with_count(
            measure, stage, to_perspective, n
        )


def _check(stage: str, perspective: str, n: int) -> None:
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}")
    if perspective not in PERSPECTIVES:
        raise ValueError(f"unknown perspective {perspective!r}")
    if n < 0:
        raise ValueError("counts are never negative")


@dataclass(frozen=True)
class Tally:
    """One line of a simple record list: `n` of `measure` by `perspective` in `stage`."""

    measure: Measure
    stage: str
    perspective: str
    n: int = 1


def build_evidence(
    tallies: Iterable[Tally] = (),
    *,
    members: Mapping[str, int] | None = None,
    target_mix: Mapping[str, float] | None = None,
    first_joined: Mapping[str, date] | None = None,
    milestones: Mapping[Milestone, date] | None = None,
    per_person: Mapping[Measure, Iterable[PersonTally]] | None = None,
) -> Evidence:
    """Add up simple record lines into one `Evidence` (repeated lines add up).

    If `members` is not given, members today are taken as the largest stage count of `Measure.MEMBERS` for
    each perspective.
    """
    counts: dict[Measure, dict[Key, int]] = {}
    for t in tallies:
        _check(t.stage, t.perspective, t.n)
        row = counts.setdefault(Measure(t.measure), {})
        row[(t.stage, t.perspective)] = row.get((t.stage, t.perspective), 0) + t.n
    if members is None:
        by_stage = counts.get(Measure.MEMBERS, {})
        members = {
            p: max(by_stage.get((s, p), 0) for s in STAGES)
            for p in PERSPECTIVES
            if any(by_stage.get((s, p), 0) for s in STAGES)
        }
    return Evidence(
        counts=counts,
        members=dict(members),
        target_mix=dict(target_mix or {}),
        first_joined=dict(first_joined or {}),
        milestones=dict(milestones or {}),
        per_person={Measure(m): tuple(t) for m, t in (per_person or {}).items()},
    )
