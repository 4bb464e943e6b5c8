"""Rule functions about taking part: are people from the community there, informed, asked, heard, and is
the talking spread beyond a few people? (The ladder's lower steps, up to engagement.)"""

from __future__ import annotations

from collections.abc import Callable

from coproduce.lib.quality import wording as w
from coproduce.lib.quality.evidence import (
    COMMUNITY_SIDE,
    Evidence,
    Measure,
    Milestone,
)
from coproduce.lib.quality.rules.base import (
    CONCENTRATION_MAX_PEOPLE,
    CONCENTRATION_MIN_ITEMS,
    CONCENTRATION_MIN_MEMBERS,
    CONCENTRATION_PERCENT,
    CONSULTATION_MIN_VIEWS,
    WAYS_MIN,
    Figure,
    Outcome,
    Verdict,
    _at_least,
    _fig,
    _share,
    _sum_figures,
)


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
