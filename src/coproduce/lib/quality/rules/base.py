"""The shapes the rules share (steps, outcomes, figures, results, the rule itself), their thresholds and
sources, and the small helpers the rule functions are built from. The table of rules is in the package's
docstring (`coproduce.lib.quality.rules`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from coproduce.lib.quality import wording as w
from coproduce.lib.quality.evidence import (
    LIVED,
    PERSPECTIVES,
    STAGES,
    Evidence,
    Measure,
    Milestone,
)

# --- thresholds -------------------------------------------------------------------------------------------
CONSULTATION_MIN_VIEWS = 3
WAYS_MIN = 3
CONCENTRATION_MAX_PEOPLE = 3
CONCENTRATION_PERCENT = 80
CONCENTRATION_MIN_ITEMS = 5
CONCENTRATION_MIN_MEMBERS = 10
LIVED_ADOPTED_PERCENT = 30
LIVED_DECISION_PERCENT = 25
LIVED_ACTION_PERCENT = 20
LIVED_AGENDA_PERCENT = 20
INPUT_MIN = 3  # contributions for "high" involvement in Bovaird's matrix, either side
COMMUNITY_INPUT_PERCENT = 30
MIX_MIN_RATIO_PERCENT = 50
ACCESS_MET_PERCENT = 90
CREDITS_COMMUNITY_PERCENT = 50

# --- sources ----------------------------------------------------------------------------------------------
TLAP = 'Think Local Act Personal (2015), "Ladder of co-production"'
ARNSTEIN = (
    'Arnstein, S. R. (1969), "A ladder of citizen participation", Journal of the American Institute of '
    "Planners 35(4): 216-224"
)
BOVAIRD = (
    'Bovaird, T. (2007), "Beyond engagement and participation: user and community coproduction of public '
    'services", Public Administration Review 67(5): 846-860'
)
NSCE = "Scottish Community Development Centre (2016), National Standards for Community Engagement"
SCIE = (
    'Social Care Institute for Excellence (2013), "Co-production in social care: what it is and how to do it"'
)
NESTA = 'Boyle, D. and Harris, M. (2009), "The challenge of co-production", NESTA'


class Step(StrEnum):
    """The Think Local Act Personal ladder of co-production, lowest first."""

    COERCION = "coercion"
    EDUCATING = "educating"
    INFORMING = "informing"
    CONSULTATION = "consultation"
    ENGAGEMENT = "engagement"
    CO_DESIGN = "co_design"
    CO_PRODUCTION = "co_production"

    @property
    def rank(self) -> int:
        return list(Step).index(self)

    @property
    def label(self) -> str:
        return STEP_LABELS[self]


STEP_LABELS: Mapping[Step, str] = {
    Step.COERCION: "Coercion",
    Step.EDUCATING: "Educating",
    Step.INFORMING: "Informing",
    Step.CONSULTATION: "Consultation",
    Step.ENGAGEMENT: "Engagement",
    Step.CO_DESIGN: "Co-design",
    Step.CO_PRODUCTION: "Co-production",
}


class Outcome(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NOT_ENOUGH_EVIDENCE = "not_enough_evidence"


@dataclass(frozen=True)
class Figure:
    """One number a finding rests on, and the records it counted: `measure` (or `milestone`) over `stages`
    and `perspectives`. A derived figure (unit "percent" or "ways") has neither: it is made of the figures
    before it. Views in decisions are linked through `Measure.DECISION_AGREE` (the app lists the decision with
    every view, agreeing and dissenting)."""

    label: str
    value: int | date | None
    unit: str  # "people", "items", "views", "minutes", "percent", "date", "ways", "members"
    measure: Measure | None = None
    stages: tuple[str, ...] = STAGES
    perspectives: tuple[str, ...] = PERSPECTIVES
    milestone: Milestone | None = None


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    finding: str
    figures: tuple[Figure, ...] = ()


@dataclass(frozen=True)
class RuleResult:
    rule_id: str
    outcome: Outcome
    finding: str  # a plain-English sentence built from the figures
    figures: tuple[Figure, ...]

    @property
    def met(self) -> bool:
        return self.outcome is Outcome.MET

    @property
    def records(self) -> tuple[Measure, ...]:
        """The records categories this result counted, for the app to link to."""
        seen: list[Measure] = []
        for f in self.figures:
            if f.measure is not None and f.measure not in seen:
                seen.append(f.measure)
        return tuple(seen)


@dataclass(frozen=True)
class Rule:
    id: str
    step: Step
    required: bool
    statement: str  # what good looks like, in plain words
    threshold: str  # the threshold, as a person would write it
    sources: tuple[str, ...]
    advice: str  # what to do when it is not met
    standards: tuple[str, ...]  # the National Standards for Community Engagement it is evidence for
    check: Callable[[Evidence], Verdict]

    def evaluate(self, evidence: Evidence) -> RuleResult:
        v = self.check(evidence)
        return RuleResult(self.id, v.outcome, v.finding, v.figures)


# --- helpers ----------------------------------------------------------------------------------------------


def _at_least(part: int, whole: int, pct: int) -> bool:
    return 100 * part >= pct * whole


def _fig(
    label: str,
    value: int,
    measure: Measure,
    *,
    stages: Iterable[str] = STAGES,
    perspectives: Iterable[str] = PERSPECTIVES,
    unit: str = "items",
) -> Figure:
    return Figure(label, value, unit, measure, tuple(stages), tuple(perspectives))


def _share(label: str, part: int, whole: int) -> Figure:
    return Figure(label, 100 * part // whole if whole else 0, "percent", stages=(), perspectives=())


def _sum_figures(
    e: Evidence,
    measures: Iterable[tuple[Measure, str]],
    perspectives: tuple[str, ...],
    *,
    stages: Iterable[str] = STAGES,
    unit: str = "items",
) -> tuple[int, list[Figure]]:
    stages = tuple(stages)
    total, figures = 0, []
    for measure, label in measures:
        n = e.count(measure, stages=stages, perspectives=perspectives)
        total += n
        figures.append(_fig(label, n, measure, stages=stages, perspectives=perspectives, unit=unit))
    return total, figures


def _lived_share(
    e: Evidence,
    measures: tuple[tuple[Measure, str], ...],
    pct: int,
    *,
    what: str,
    verb: str,
    none_recorded: str,
    none_lived: str,
    stages: Iterable[str] = STAGES,
) -> Verdict:
    """Share of `measures` by lived people against a percentage threshold."""
    stages = tuple(stages)
    lived, lived_figs = _sum_figures(e, measures, LIVED, stages=stages)
    total, total_figs = _sum_figures(e, measures, PERSPECTIVES, stages=stages)
    figures = (*lived_figs, *total_figs, _share(f"share of {what} by {w.LIVED_MANY}", lived, total))
    if total == 0:
        return Verdict(Outcome.NOT_ENOUGH_EVIDENCE, none_recorded, figures)
    if lived == 0:
        return Verdict(Outcome.NOT_MET, none_lived, figures)
    outcome = Outcome.MET if _at_least(lived, total, pct) else Outcome.NOT_MET
    return Verdict(
        outcome,
        f"{w.capitalised(w.LIVED_MANY)} {verb} {lived} of {total} {what} ({w.percent(lived, total)}).",
        figures,
    )
