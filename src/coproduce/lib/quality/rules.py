"""The rules of the quality check, as data: each with its source, its threshold and a small function.

A rule reads an `Evidence` and says MET, NOT_MET or NOT_ENOUGH_EVIDENCE, with a plain-English finding built
from the figures it used; each figure names the records it counted (measure, stages, perspectives) so the app
can link the number to the list behind it.

Each rule supports one step of the Think Local Act Personal ladder (`Step`). A `required` rule must be met for
the space to reach its step (and every step above it); the others count for or against the step and give
suggestions but never move the level. So the level only depends on the required rules, and each of them can
only become easier to meet when people with lived experience or carers do more (more members, more ideas,
more views, more actions): adding their participation never lowers the level.

Thresholds (the constants below; "lived" means people with lived experience and carers, "community side" adds
community members, "professional" is practitioners and commissioners, see `evidence.py`):

| rule | step | required | threshold |
|---|---|---|---|
| community_members | educating | yes | >= 1 member from the community side |
| community_informed | informing | yes | >= 1 community-side person active or at a meeting |
| community_asked | consultation | yes | >= 3 views from the community side (comments, ideas, votes, surveys, agenda items, views in decisions) |
| decisions_published | informing | no | an agenda published and a decision recorded |
| ways_to_take_part | consultation | no | the community side took part in >= 3 different ways |
| community_influence | engagement | yes | >= 1 adopted idea, funded project, agenda item or view in a decision from the community side |
| agenda_concentration | engagement | no | not (>= 5 items, >= 10 members, and <= 3 people wrote >= 80 % of agenda items) |
| ideas_concentration | engagement | no | the same, for ideas |
| lived_in_design | co-design | yes | >= 1 lived person active in co-design |
| lived_adopted | co-design | yes | lived share of authors of adopted ideas and funded projects >= 30 % |
| lived_decide | co-design | yes | lived share of views recorded in decisions >= 25 % |
| plans_not_before | co-design | yes | no decision, budget or agenda before the first lived member joined |
| community_planning | co-design | no | community side >= 3 planning contributions and >= 30 % of them |
| mix_matches_community | co-design | no | each perspective the host names is >= half its stated share of members |
| access_needs_met | co-design | no | >= 90 % of access needs stated for meetings met |
| lived_own_actions | co-production | yes | lived share of action owners >= 20 % |
| lived_evaluate | co-production | yes | >= 1 lived person active in co-assessment |
| professional_planning | co-production | yes | >= 3 planning contributions from professionals |
| professional_delivery | co-production | yes | >= 3 delivery contributions (actions owned in co-delivery) from professionals |
| community_delivery | co-production | no | community side >= 3 delivery contributions and >= 30 % of them |
| lived_set_agenda | co-production | no | lived share of agenda items >= 20 % |
| lived_complete_actions | co-production | no | >= 1 action owned by a lived person completed |
| time_credits_to_community | co-production | no | >= 50 % of time-credit minutes paid to the community side |

Planning contributions are agenda items, ideas and views in decisions in co-commissioning and co-design;
delivery contributions are actions owned in co-delivery. Shares are compared in whole numbers (100 x part >=
percent x whole), so there is no rounding at a threshold.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from coproduce.lib.quality import wording as w
from coproduce.lib.quality.evidence import (
    COMMUNITY_SIDE,
    DELIVERY_STAGES,
    LIVED,
    PERSPECTIVES,
    PLANNING_STAGES,
    PROFESSIONAL,
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


# --- the rules' functions ---------------------------------------------------------------------------------


def community_members(e: Evidence) -> Verdict:
    n = e.member_count(COMMUNITY_SIDE)
    fig = Figure("members from the community side", n, "members", Measure.MEMBERS, (), COMMUNITY_SIDE)
    if n == 0:
        return Verdict(
            Outcome.NOT_MET,
            "Nobody with lived experience, no carer and no community member is a member of the space.",
            (fig,),
        )
    return Verdict(Outcome.MET, f"The space has {n} members from the community side.", (fig,))


def community_informed(e: Evidence) -> Verdict:
    active = e.count(Measure.ACTIVE, perspectives=COMMUNITY_SIDE)
    attended = e.count(Measure.MEETING_ATTENDANCE, perspectives=COMMUNITY_SIDE)
    figures = (
        _fig(
            "community-side people active", active, Measure.ACTIVE, perspectives=COMMUNITY_SIDE, unit="people"
        ),
        _fig(
            "meeting attendances from the community side",
            attended,
            Measure.MEETING_ATTENDANCE,
            perspectives=COMMUNITY_SIDE,
            unit="attendances",
        ),
    )
    if active == 0 and attended == 0:
        return Verdict(
            Outcome.NOT_MET,
            "Nobody from the community side has taken part in any stage or come to a meeting.",
            figures,
        )
    return Verdict(
        Outcome.MET,
        f"People from the community side took part ({active} counted stage by stage), with {attended} meeting "
        "attendances.",
        figures,
    )


_VIEWS = (
    (Measure.COMMENTS, "comments"),
    (Measure.IDEAS_WRITTEN, "ideas written"),
    (Measure.SURVEY_RESPONDENTS, "survey answers"),
    (Measure.BUDGET_VOTERS, "budget voters"),
    (Measure.AGENDA_ITEMS, "agenda items proposed"),
    (Measure.DECISION_AGREE, "views agreeing in decisions"),
    (Measure.DECISION_DISSENT, "views dissenting in decisions"),
)


def community_asked(e: Evidence) -> Verdict:
    views, figures = _sum_figures(e, _VIEWS, COMMUNITY_SIDE, unit="views")
    if views < CONSULTATION_MIN_VIEWS:
        return Verdict(
            Outcome.NOT_MET,
            f"People from the community side have given {w.number(views)} views "
            f"(comments, ideas, votes or survey answers).",
            tuple(figures),
        )
    return Verdict(
        Outcome.MET,
        f"People from the community side gave {views} views (comments, ideas, votes, survey answers and more).",
        tuple(figures),
    )


def decisions_published(e: Evidence) -> Verdict:
    agenda = e.milestones.get(Milestone.AGENDA_PUBLISHED)
    decision = e.milestones.get(Milestone.FIRST_DECISION)
    voices = e.total((Measure.DECISION_AGREE, Measure.DECISION_DISSENT))
    figures = (
        Figure("first agenda published", agenda, "date", milestone=Milestone.AGENDA_PUBLISHED),
        Figure("first decision recorded", decision, "date", milestone=Milestone.FIRST_DECISION),
        _fig("views recorded in decisions", voices, Measure.DECISION_AGREE, unit="views"),
    )
    missing = []
    if agenda is None:
        missing.append("no agenda has been published")
    if decision is None and voices == 0:
        missing.append("no decision has been recorded")
    if missing:
        return Verdict(Outcome.NOT_MET, w.capitalised(w.joined(missing)) + ".", figures)
    return Verdict(
        Outcome.MET, "Agendas are published and decisions are recorded for members to see.", figures
    )


_WAYS = (
    (Measure.MEETING_ATTENDANCE, "meetings"),
    (Measure.IDEAS_WRITTEN, "ideas"),
    (Measure.COMMENTS, "comments"),
    (Measure.BUDGET_VOTERS, "budget votes"),
    (Measure.SURVEY_RESPONDENTS, "surveys"),
    (Measure.AGENDA_ITEMS, "agenda items"),
    (Measure.ACTIONS_OWNED, "actions"),
)


def ways_to_take_part(e: Evidence) -> Verdict:
    used = []
    figures = []
    for measure, label in _WAYS:
        n = e.count(measure, perspectives=COMMUNITY_SIDE)
        figures.append(_fig(label, n, measure, perspectives=COMMUNITY_SIDE))
        if n:
            used.append(label)
    views = e.total((Measure.DECISION_AGREE, Measure.DECISION_DISSENT), perspectives=COMMUNITY_SIDE)
    figures.append(_fig("views in decisions", views, Measure.DECISION_AGREE, perspectives=COMMUNITY_SIDE))
    if views:
        used.append("views in decisions")
    figures.append(Figure("ways used", len(used), "ways", stages=(), perspectives=COMMUNITY_SIDE))
    how = f" ({w.joined(used)})" if used else ""
    finding = f"People from the community side took part in {w.number(len(used))} ways{how}."
    if len(used) == 1:
        finding = f"People from the community side took part in one way only{how}."
    elif not used:
        finding = "People from the community side have not taken part in any way yet."
    return Verdict(Outcome.MET if len(used) >= WAYS_MIN else Outcome.NOT_MET, finding, tuple(figures))


_INFLUENCE = (
    (Measure.IDEAS_ADOPTED, "adopted ideas"),
    (Measure.PROJECTS_FUNDED, "funded projects"),
    (Measure.AGENDA_ITEMS, "agenda items"),
    (Measure.DECISION_AGREE, "views agreeing in decisions"),
    (Measure.DECISION_DISSENT, "views dissenting in decisions"),
)


def community_influence(e: Evidence) -> Verdict:
    n, figures = _sum_figures(e, _INFLUENCE, COMMUNITY_SIDE)
    if n == 0:
        return Verdict(
            Outcome.NOT_MET,
            "No adopted idea, funded project, agenda item or view recorded in a decision comes from the "
            "community side: they gave views, but nothing shows those views changed a decision.",
            tuple(figures),
        )
    parts = [w.items(f.value, f.label) for f in figures if isinstance(f.value, int) and f.value]
    return Verdict(
        Outcome.MET, f"People from the community side are behind {w.joined(parts)}.", tuple(figures)
    )


def _concentration(measure: Measure, what: str) -> Callable[[Evidence], Verdict]:
    def check(e: Evidence) -> Verdict:
        tallies = sorted(e.per_person.get(measure, ()), key=lambda t: -t.count)
        total = sum(t.count for t in tallies)
        members = e.member_count()
        figures: list[Figure] = [
            _fig(what, e.count(measure), measure),
            Figure("members", members, "members", Measure.MEMBERS, ()),
        ]
        if not tallies and e.count(measure):
            return Verdict(
                Outcome.NOT_ENOUGH_EVIDENCE,
                f"How many {what} each person wrote was not counted, so this was not checked.",
                tuple(figures),
            )
        if total < CONCENTRATION_MIN_ITEMS or members < CONCENTRATION_MIN_MEMBERS:
            return Verdict(
                Outcome.NOT_ENOUGH_EVIDENCE,
                f"Too few {what} ({total}) or members ({members}) to tell whether a few people wrote most of them.",
                tuple(figures),
            )
        running = 0
        for k, tally in enumerate(tallies[:CONCENTRATION_MAX_PEOPLE], start=1):
            running += tally.count
            if _at_least(running, total, CONCENTRATION_PERCENT):
                who = w.people_by_perspective([t.perspective for t in tallies[:k]])
                figures.append(_share(f"share of {what} by the {k} people who wrote most", running, total))
                return Verdict(
                    Outcome.NOT_MET,
                    f"{w.capitalised(who)} wrote {w.percent(running, total)} of {what}.",
                    tuple(figures),
                )
        top = min(CONCENTRATION_MAX_PEOPLE, len(tallies))
        share = sum(t.count for t in tallies[:top])
        figures.append(_share(f"share of {what} by the {top} people who wrote most", share, total))
        return Verdict(
            Outcome.MET,
            f"{len(tallies)} people wrote the {total} {what}; the {w.number(top)} who wrote most wrote "
            f"{w.percent(share, total)}.",
            tuple(figures),
        )

    return check


def lived_in_design(e: Evidence) -> Verdict:
    n = e.count(Measure.ACTIVE, stages=("co_design",), perspectives=LIVED)
    figures = (
        _fig(
            f"{w.LIVED_MANY} active in co-design",
            n,
            Measure.ACTIVE,
            stages=("co_design",),
            perspectives=LIVED,
            unit="people",
        ),
    )
    if n == 0:
        return Verdict(
            Outcome.NOT_MET, "No person with lived experience and no carer took part in co-design.", figures
        )
    return Verdict(Outcome.MET, f"{n} {w.LIVED_MANY} took part in co-design.", figures)


def lived_adopted(e: Evidence) -> Verdict:
    return _lived_share(
        e,
        ((Measure.IDEAS_ADOPTED, "adopted ideas"), (Measure.PROJECTS_FUNDED, "funded projects")),
        LIVED_ADOPTED_PERCENT,
        what="adopted ideas and funded projects",
        verb="wrote",
        none_recorded="No idea has been adopted and no project funded yet.",
        none_lived=f"No adopted idea or funded project comes from {w.LIVED_ONE}.",
    )


def lived_decide(e: Evidence) -> Verdict:
    return _lived_share(
        e,
        ((Measure.DECISION_AGREE, "views agreeing"), (Measure.DECISION_DISSENT, "views dissenting")),
        LIVED_DECISION_PERCENT,
        what="views recorded in decisions",
        verb="gave",
        none_recorded="No decision records whose views it took.",
        none_lived=f"No decision records the view of {w.LIVED_ONE}.",
    )


def lived_own_actions(e: Evidence) -> Verdict:
    return _lived_share(
        e,
        ((Measure.ACTIONS_OWNED, "actions owned"),),
        LIVED_ACTION_PERCENT,
        what="actions",
        verb="own",
        none_recorded="No action has been recorded yet.",
        none_lived=f"No action is owned by {w.LIVED_ONE}.",
    )


def lived_set_agenda(e: Evidence) -> Verdict:
    return _lived_share(
        e,
        ((Measure.AGENDA_ITEMS, "agenda items"),),
        LIVED_AGENDA_PERCENT,
        what="agenda items",
        verb="proposed",
        none_recorded="No agenda item has been proposed yet.",
        none_lived=f"No agenda item was proposed by {w.LIVED_ONE}.",
    )


def plans_not_before(e: Evidence) -> Verdict:
    first = e.first_join(LIVED)
    figures: list[Figure] = [
        Figure(f"first of {w.LIVED_MANY} joined", first, "date", Measure.MEMBERS, (), LIVED)
    ]
    for m, when in sorted(e.milestones.items(), key=lambda kv: kv[1]):
        figures.append(Figure(w.MILESTONE_LABELS[m], when, "date", milestone=m))
    if first is None:
        return Verdict(
            Outcome.NOT_MET,
            "No person with lived experience and no carer has joined the space.",
            tuple(figures),
        )
    early = sorted(((when, m) for m, when in e.milestones.items() if when < first), key=lambda x: x[0])
    if early:
        when, m = early[0]
        more = "".join(
            f" Also before them: {w.uncapitalised(w.MILESTONE_WORDS[other])} on {w.day(d)}."
            for d, other in early[1:]
        )
        return Verdict(
            Outcome.NOT_MET,
            f"{w.MILESTONE_WORDS[m]} on {w.day(when)}, before any person with lived experience or carer "
            f"joined (the first joined on {w.day(first)}).{more}",
            tuple(figures),
        )
    return Verdict(
        Outcome.MET,
        "Nothing was decided, opened or published before the first person with lived experience or carer "
        f"joined, on {w.day(first)}.",
        tuple(figures),
    )


_PLANNING = (
    (Measure.AGENDA_ITEMS, "agenda items"),
    (Measure.IDEAS_WRITTEN, "ideas"),
    (Measure.DECISION_AGREE, "views agreeing in decisions"),
    (Measure.DECISION_DISSENT, "views dissenting in decisions"),
)
_DELIVERY = ((Measure.ACTIONS_OWNED, "actions owned"),)


def _professional(
    measures: tuple[tuple[Measure, str], ...], stages: tuple[str, ...], phase: str
) -> Callable[[Evidence], Verdict]:
    def check(e: Evidence) -> Verdict:
        n, figures = _sum_figures(e, measures, PROFESSIONAL, stages=stages)
        if n >= INPUT_MIN:
            return Verdict(
                Outcome.MET,
                f"Practitioners and commissioners made {n} contributions to {phase}.",
                tuple(figures),
            )
        return Verdict(
            Outcome.NOT_MET,
            f"Practitioners and commissioners made {w.number(n)} contributions to {phase}: "
            f"the professional side is hardly involved.",
            tuple(figures),
        )

    return check


def _community(
    measures: tuple[tuple[Measure, str], ...], stages: tuple[str, ...], phase: str
) -> Callable[[Evidence], Verdict]:
    def check(e: Evidence) -> Verdict:
        n, figures = _sum_figures(e, measures, COMMUNITY_SIDE, stages=stages)
        pro, pro_figures = _sum_figures(e, measures, PROFESSIONAL, stages=stages)
        figures += pro_figures
        figures.append(_share(f"community-side share of {phase}", n, n + pro))
        if n >= INPUT_MIN and _at_least(n, n + pro, COMMUNITY_INPUT_PERCENT):
            return Verdict(
                Outcome.MET,
                f"The community side made {n} of {n + pro} contributions to {phase} ({w.percent(n, n + pro)}).",
                tuple(figures),
            )
        if n == 0:
            return Verdict(
                Outcome.NOT_MET, f"The community side made no contribution to {phase}.", tuple(figures)
            )
        return Verdict(
            Outcome.NOT_MET,
            f"The community side made only {n} of {n + pro} contributions to {phase} ({w.percent(n, n + pro)}).",
            tuple(figures),
        )

    return check


professional_planning = _professional(_PLANNING, PLANNING_STAGES, "planning")
professional_delivery = _professional(_DELIVERY, DELIVERY_STAGES, "delivery")
community_planning = _community(_PLANNING, PLANNING_STAGES, "planning")
community_delivery = _community(_DELIVERY, DELIVERY_STAGES, "delivery")


def mix_matches_community(e: Evidence) -> Verdict:
    total = e.member_count()
    figures: list[Figure] = [Figure("members", total, "members", Measure.MEMBERS, ())]
    targets = {p: s for p, s in e.target_mix.items() if s > 0}
    if not targets:
        return Verdict(
            Outcome.NOT_ENOUGH_EVIDENCE, "The space has not said which community it serves.", tuple(figures)
        )
    if total == 0:
        return Verdict(Outcome.NOT_MET, "The space has no members yet.", tuple(figures))
    short = []
    for p in PERSPECTIVES:
        if p not in targets:
            continue
        have = e.members.get(p, 0)
        figures.append(Figure(w.noun(p, 2), have, "members", Measure.MEMBERS, (), (p,)))
        target_pct = round(targets[p] * 100)
        if 100 * have * 100 < MIX_MIN_RATIO_PERCENT * target_pct * total:
            short.append(
                f"{w.capitalised(w.noun(p, 2))} are {w.percent(have, total)} of members; the space says the "
                f"community it serves is {target_pct} % {w.noun(p, 2)}"
            )
    if short:
        return Verdict(Outcome.NOT_MET, "; ".join(short) + ".", tuple(figures))
    return Verdict(
        Outcome.MET,
        "Every perspective the space says it serves has at least half its share among members.",
        tuple(figures),
    )


def access_needs_met(e: Evidence) -> Verdict:
    stated = e.count(Measure.ACCESS_NEEDS_STATED)
    met = e.count(Measure.ACCESS_NEEDS_MET)
    assisted = e.count(Measure.ASSISTED)
    figures = (
        _fig("access needs stated", stated, Measure.ACCESS_NEEDS_STATED),
        _fig("access needs met", met, Measure.ACCESS_NEEDS_MET),
        _share("share of access needs met", met, stated),
        _fig("contributions made with a helper", assisted, Measure.ASSISTED),
    )
    helped = f"; {assisted} contributions were made with a helper" if assisted else ""
    if stated == 0:
        return Verdict(
            Outcome.NOT_ENOUGH_EVIDENCE,
            f"Nobody has stated an access need for a meeting yet{helped}.",
            figures,
        )
    outcome = Outcome.MET if _at_least(met, stated, ACCESS_MET_PERCENT) else Outcome.NOT_MET
    return Verdict(
        outcome,
        f"{met} of {stated} access needs stated for meetings were met ({w.percent(met, stated)}){helped}.",
        figures,
    )


def lived_evaluate(e: Evidence) -> Verdict:
    n = e.count(Measure.ACTIVE, stages=("co_assessment",), perspectives=LIVED)
    answered = e.count(Measure.SURVEY_RESPONDENTS, stages=("co_assessment",), perspectives=LIVED)
    figures = (
        _fig(
            f"{w.LIVED_MANY} active in co-assessment",
            n,
            Measure.ACTIVE,
            stages=("co_assessment",),
            perspectives=LIVED,
            unit="people",
        ),
        _fig(
            f"{w.LIVED_MANY} who answered a survey in co-assessment",
            answered,
            Measure.SURVEY_RESPONDENTS,
            stages=("co_assessment",),
            perspectives=LIVED,
            unit="people",
        ),
    )
    if n == 0:
        also = f" ({answered} answered a survey, which is being asked, not evaluating)" if answered else ""
        return Verdict(
            Outcome.NOT_MET,
            f"No person with lived experience and no carer took part in co-assessment{also}.",
            figures,
        )
    return Verdict(Outcome.MET, f"{n} {w.LIVED_MANY} took part in co-assessment.", figures)


def lived_complete_actions(e: Evidence) -> Verdict:
    owned = e.count(Measure.ACTIONS_OWNED, perspectives=LIVED)
    done = e.count(Measure.ACTIONS_COMPLETED, perspectives=LIVED)
    figures = (
        _fig(f"actions owned by {w.LIVED_MANY}", owned, Measure.ACTIONS_OWNED, perspectives=LIVED),
        _fig(f"actions completed by {w.LIVED_MANY}", done, Measure.ACTIONS_COMPLETED, perspectives=LIVED),
    )
    if owned == 0:
        return Verdict(Outcome.NOT_ENOUGH_EVIDENCE, f"No action is owned by {w.LIVED_ONE}.", figures)
    if done == 0:
        return Verdict(
            Outcome.NOT_MET, f"None of the {owned} actions owned by {w.LIVED_MANY} is completed yet.", figures
        )
    return Verdict(
        Outcome.MET, f"{w.capitalised(w.LIVED_MANY)} completed {done} of their {owned} actions.", figures
    )


def time_credits_to_community(e: Evidence) -> Verdict:
    total = e.count(Measure.TIME_CREDITS_PAID)
    community = e.count(Measure.TIME_CREDITS_PAID, perspectives=COMMUNITY_SIDE)
    figures = (
        _fig("minutes of time credits paid", total, Measure.TIME_CREDITS_PAID, unit="minutes"),
        _fig(
            "minutes paid to the community side",
            community,
            Measure.TIME_CREDITS_PAID,
            perspectives=COMMUNITY_SIDE,
            unit="minutes",
        ),
        _share("share paid to the community side", community, total),
    )
    if total == 0:
        return Verdict(Outcome.NOT_ENOUGH_EVIDENCE, "No time credits have been paid in this space.", figures)
    outcome = Outcome.MET if _at_least(community, total, CREDITS_COMMUNITY_PERCENT) else Outcome.NOT_MET
    return Verdict(
        outcome,
        f"{w.percent(community, total)} of the time credits paid went to the community side.",
        figures,
    )


# --- the rules, as data -----------------------------------------------------------------------------------

RULES: tuple[Rule, ...] = (
    Rule(
        id="community_members",
        step=Step.EDUCATING,
        required=True,
        statement="People from the community the service is for are members of the space.",
        threshold="at least 1 member with lived experience, a carer or a community member",
        sources=(TLAP,),
        advice="Invite people who use the service, carers and community members to join the space.",
        standards=("inclusion",),
        check=community_members,
    ),
    Rule(
        id="community_informed",
        step=Step.INFORMING,
        required=True,
        statement="People from the community side take part or come to meetings, so they know what is happening.",
        threshold="at least 1 community-side person active in a stage or attending a meeting",
        sources=(TLAP, ARNSTEIN),
        advice="Hold a meeting people from the community can come to, and tell members what the space is doing.",
        standards=("communication",),
        check=community_informed,
    ),
    Rule(
        id="decisions_published",
        step=Step.INFORMING,
        required=False,
        statement="Agendas are published and decisions recorded where members can see them.",
        threshold="an agenda published and at least 1 decision recorded",
        sources=(NSCE, TLAP),
        advice="Publish meeting agendas before meetings and record each decision with who took part in it.",
        standards=("communication",),
        check=decisions_published,
    ),
    Rule(
        id="community_asked",
        step=Step.CONSULTATION,
        required=True,
        statement="People from the community side are asked for their views and give them.",
        threshold=f"at least {CONSULTATION_MIN_VIEWS} views (comments, ideas, votes, survey answers, agenda "
        "items or views in decisions) from the community side",
        sources=(TLAP, ARNSTEIN),
        advice="Ask members for their views: open ideas, comments or a short survey.",
        standards=("methods",),
        check=community_asked,
    ),
    Rule(
        id="ways_to_take_part",
        step=Step.CONSULTATION,
        required=False,
        statement="People can take part in several ways, not only one.",
        threshold=f"the community side took part in at least {WAYS_MIN} different ways",
        sources=(NSCE,),
        advice="Offer more than one way to take part: meetings, ideas, comments, votes, surveys, actions.",
        standards=("methods",),
        check=ways_to_take_part,
    ),
    Rule(
        id="community_influence",
        step=Step.ENGAGEMENT,
        required=True,
        statement="What people from the community side say changes something: an idea adopted, a project "
        "funded, an item on the agenda, a view recorded in a decision.",
        threshold="at least 1 adopted idea, funded project, agenda item or view in a decision from the "
        "community side",
        sources=(TLAP, ARNSTEIN),
        advice="Let members propose agenda items and ideas that can be adopted, and record their views in "
        "decisions, instead of asking them to comment on a fixed list.",
        standards=("impact",),
        check=community_influence,
    ),
    Rule(
        id="agenda_concentration",
        step=Step.ENGAGEMENT,
        required=False,
        statement="The agenda is not set by a few people.",
        threshold=f"not: at least {CONCENTRATION_MIN_ITEMS} items and {CONCENTRATION_MIN_MEMBERS} members, and "
        f"{CONCENTRATION_MAX_PEOPLE} people or fewer wrote {CONCENTRATION_PERCENT} % or more of agenda items",
        sources=(SCIE, ARNSTEIN),
        advice="Ask members before each meeting what they want on the agenda, and help them write it.",
        standards=("inclusion", "working_together"),
        check=_concentration(Measure.AGENDA_ITEMS, "agenda items"),
    ),
    Rule(
        id="ideas_concentration",
        step=Step.ENGAGEMENT,
        required=False,
        statement="Ideas come from many people, not a few.",
        threshold=f"not: at least {CONCENTRATION_MIN_ITEMS} ideas and {CONCENTRATION_MIN_MEMBERS} members, and "
        f"{CONCENTRATION_MAX_PEOPLE} people or fewer wrote {CONCENTRATION_PERCENT} % or more of ideas",
        sources=(SCIE,),
        advice="Gather ideas in ways that suit more people: in a meeting, with a helper, by phone or on paper.",
        standards=("inclusion",),
        check=_concentration(Measure.IDEAS_WRITTEN, "ideas"),
    ),
    Rule(
        id="lived_in_design",
        step=Step.CO_DESIGN,
        required=True,
        statement="People with lived experience or carers take part in co-design.",
        threshold="at least 1 person with lived experience or carer active in the co-design stage",
        sources=(TLAP,),
        advice="Bring people with lived experience and carers into the co-design stage, with support if they "
        "need it.",
        standards=("inclusion",),
        check=lived_in_design,
    ),
    Rule(
        id="lived_adopted",
        step=Step.CO_DESIGN,
        required=True,
        statement="A fair share of what is adopted comes from people with lived experience or carers.",
        threshold=f"lived experience/carer share of authors of adopted ideas and funded projects >= "
        f"{LIVED_ADOPTED_PERCENT} %",
        sources=(TLAP, ARNSTEIN),
        advice="Work on ideas from people with lived experience and carers until they can be adopted.",
        standards=("impact",),
        check=lived_adopted,
    ),
    Rule(
        id="lived_decide",
        step=Step.CO_DESIGN,
        required=True,
        statement="People with lived experience or carers are part of decisions, and their views are recorded.",
        threshold=f"lived experience/carer share of views recorded in decisions >= {LIVED_DECISION_PERCENT} %",
        sources=(TLAP, ARNSTEIN),
        advice="Make decisions where people with lived experience and carers are present, and record what "
        "each of them thought, including disagreement.",
        standards=("working_together",),
        check=lived_decide,
    ),
    Rule(
        id="plans_not_before",
        step=Step.CO_DESIGN,
        required=True,
        statement="Plans did not already exist: nothing was decided, opened or published before people with "
        "lived experience or carers joined.",
        threshold="no first decision, budget opening or published agenda dated before the first person with "
        "lived experience or carer joined",
        sources=(TLAP, SCIE),
        advice="Reopen what was decided before people with lived experience joined, and decide it again with "
        "them.",
        standards=("planning",),
        check=plans_not_before,
    ),
    Rule(
        id="community_planning",
        step=Step.CO_DESIGN,
        required=False,
        statement="The community side is highly involved in planning (Bovaird's community co-planning).",
        threshold=f"at least {INPUT_MIN} planning contributions from the community side and >= "
        f"{COMMUNITY_INPUT_PERCENT} % of all of them",
        sources=(BOVAIRD,),
        advice="Plan with the community side: agenda items, ideas and decisions in co-commissioning and "
        "co-design.",
        standards=("planning",),
        check=community_planning,
    ),
    Rule(
        id="mix_matches_community",
        step=Step.CO_DESIGN,
        required=False,
        statement="The members reflect the community the space says it serves.",
        threshold=f"every perspective the host names has at least {MIX_MIN_RATIO_PERCENT} % of its stated "
        "share among members",
        sources=(NSCE,),
        advice="Reach the people who are missing: go where they are, and ask the groups that know them.",
        standards=("inclusion",),
        check=mix_matches_community,
    ),
    Rule(
        id="access_needs_met",
        step=Step.CO_DESIGN,
        required=False,
        statement="People get the support they need to take part: access needs at meetings are met.",
        threshold=f"at least {ACCESS_MET_PERCENT} % of access needs stated for meetings met",
        sources=(NSCE, SCIE),
        advice="Meet the access needs people state before each meeting, and offer a helper to anyone who "
        "wants one.",
        standards=("support",),
        check=access_needs_met,
    ),
    Rule(
        id="lived_own_actions",
        step=Step.CO_PRODUCTION,
        required=True,
        statement="People with lived experience or carers own part of the work of delivery.",
        threshold=f"lived experience/carer share of action owners >= {LIVED_ACTION_PERCENT} %",
        sources=(TLAP, BOVAIRD),
        advice="Share the actions: ask people with lived experience and carers which actions they would own, "
        "with support.",
        standards=("working_together",),
        check=lived_own_actions,
    ),
    Rule(
        id="lived_evaluate",
        step=Step.CO_PRODUCTION,
        required=True,
        statement="People with lived experience or carers take part in judging what was done (co-assessment), "
        "not only in answering surveys.",
        threshold="at least 1 person with lived experience or carer active in the co-assessment stage",
        sources=(TLAP,),
        advice="Bring people with lived experience and carers into co-assessment: deciding what to measure and "
        "what the results mean.",
        standards=("impact",),
        check=lived_evaluate,
    ),
    Rule(
        id="professional_planning",
        step=Step.CO_PRODUCTION,
        required=True,
        statement="Professionals are highly involved in planning too: co-production is not self-help.",
        threshold=f"at least {INPUT_MIN} planning contributions (agenda items, ideas, views in decisions in "
        "co-commissioning and co-design) from practitioners and commissioners",
        sources=(BOVAIRD,),
        advice="Ask the practitioners and commissioners responsible for the service to plan alongside members.",
        standards=("working_together",),
        check=professional_planning,
    ),
    Rule(
        id="professional_delivery",
        step=Step.CO_PRODUCTION,
        required=True,
        statement="Professionals are highly involved in delivery too: co-production is not self-help.",
        threshold=f"at least {INPUT_MIN} actions in co-delivery owned by practitioners and commissioners",
        sources=(BOVAIRD,),
        advice="Ask practitioners and commissioners to own part of the delivery, alongside members.",
        standards=("working_together",),
        check=professional_delivery,
    ),
    Rule(
        id="community_delivery",
        step=Step.CO_PRODUCTION,
        required=False,
        statement="The community side is highly involved in delivery (Bovaird's co-delivery).",
        threshold=f"at least {INPUT_MIN} actions in co-delivery owned by the community side and >= "
        f"{COMMUNITY_INPUT_PERCENT} % of them",
        sources=(BOVAIRD,),
        advice="Share the delivery: let members own actions in co-delivery.",
        standards=("working_together",),
        check=community_delivery,
    ),
    Rule(
        id="lived_set_agenda",
        step=Step.CO_PRODUCTION,
        required=False,
        statement="People with lived experience or carers help set the agenda.",
        threshold=f"lived experience/carer share of agenda items proposed >= {LIVED_AGENDA_PERCENT} %",
        sources=(TLAP, NSCE),
        advice="Ask people with lived experience and carers what should be on the agenda, and put it there.",
        standards=("planning",),
        check=lived_set_agenda,
    ),
    Rule(
        id="lived_complete_actions",
        step=Step.CO_PRODUCTION,
        required=False,
        statement="Actions owned by people with lived experience or carers get done.",
        threshold="at least 1 completed action owned by a person with lived experience or carer",
        sources=(TLAP, NESTA),
        advice="Check what the owners of stalled actions need: time, money, a helper or a decision.",
        standards=("impact",),
        check=lived_complete_actions,
    ),
    Rule(
        id="time_credits_to_community",
        step=Step.CO_PRODUCTION,
        required=False,
        statement="Contributions from the community are recognised: time credits go mostly to the community "
        "side (reciprocity).",
        threshold=f"at least {CREDITS_COMMUNITY_PERCENT} % of time-credit minutes paid to the community side",
        sources=(NESTA, SCIE),
        advice="Pay time credits for the time members give to meetings and actions.",
        standards=("support",),
        check=time_credits_to_community,
    ),
)

RULES_BY_ID: Mapping[str, Rule] = {r.id: r for r in RULES}


def evaluate(evidence: Evidence) -> dict[str, RuleResult]:
    """Every rule's result, by rule id, in the order of `RULES`."""
    return {r.id: r.evaluate(evidence) for r in RULES}
