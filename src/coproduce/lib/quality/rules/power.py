"""Rule functions about power: do people with lived experience or carers design, decide, own the work and
judge it, were plans already made before they came, and are professionals involved too (Bovaird)? (The
ladder's upper steps, co-design and co-production.)"""

from __future__ import annotations

from collections.abc import Callable

from coproduce.lib.quality import wording as w
from coproduce.lib.quality.evidence import (
    COMMUNITY_SIDE,
    DELIVERY_STAGES,
    LIVED,
    PERSPECTIVES,
    PLANNING_STAGES,
    PROFESSIONAL,
    Evidence,
    Measure,
)
from coproduce.lib.quality.rules.base import (
    ACCESS_MET_PERCENT,
    COMMUNITY_INPUT_PERCENT,
    CREDITS_COMMUNITY_PERCENT,
    INPUT_MIN,
    LIVED_ACTION_PERCENT,
    LIVED_ADOPTED_PERCENT,
    LIVED_AGENDA_PERCENT,
    LIVED_DECISION_PERCENT,
    MIX_MIN_RATIO_PERCENT,
    Figure,
    Outcome,
    Verdict,
    _at_least,
    _fig,
    _lived_share,
    _share,
    _sum_figures,
)


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
    if met == 0:
        # Nothing records a need as met (meetings do not yet keep it): say so, rather than "0 % were met".
        return Verdict(
            Outcome.NOT_ENOUGH_EVIDENCE,
            f"{stated} access needs were stated for meetings; none is recorded as met yet{helped}.",
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
