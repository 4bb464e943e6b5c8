"""Spaces built by hand for the quality-check tests: co-production, consultation dressed up, self-help."""

from __future__ import annotations

from datetime import date

from coproduce.lib.quality.evidence import (
    CARER,
    CO_ASSESSMENT,
    CO_COMMISSIONING,
    CO_DELIVERY,
    CO_DESIGN,
    COMMISSIONER,
    COMMUNITY,
    FACILITATOR,
    LIVED_EXPERIENCE,
    PRACTITIONER,
    Evidence,
    Measure,
    Milestone,
    PersonTally,
    Tally,
    build_evidence,
)

M = Measure
LE, CA, CO, PR, CM, FA = LIVED_EXPERIENCE, CARER, COMMUNITY, PRACTITIONER, COMMISSIONER, FACILITATOR


def coproduction_tallies() -> list[Tally]:
    """People with lived experience propose, decide, own actions and evaluate, beside strong professional input."""
    rows = [
        (M.ACTIVE, CO_COMMISSIONING, {LE: 3, CA: 1, PR: 2, CM: 2}),
        (M.ACTIVE, CO_DESIGN, {LE: 4, CA: 2, CO: 2, PR: 3}),
        (M.ACTIVE, CO_DELIVERY, {LE: 3, CO: 1, PR: 3}),
        (M.ACTIVE, CO_ASSESSMENT, {LE: 2, CA: 1, PR: 1}),
        (M.MEETING_ATTENDANCE, CO_DESIGN, {LE: 10, CA: 4, PR: 8, CM: 3, FA: 4}),
        (M.AGENDA_ITEMS, CO_DESIGN, {LE: 3, CA: 1, PR: 3, CM: 1}),
        (M.IDEAS_WRITTEN, CO_DESIGN, {LE: 6, CA: 2, CO: 3, PR: 4}),
        (M.IDEAS_ADOPTED, CO_DESIGN, {LE: 3, CA: 1, PR: 2}),
        (M.COMMENTS, CO_DESIGN, {LE: 8, CO: 4, PR: 5}),
        (M.DECISION_AGREE, CO_DESIGN, {LE: 4, CA: 2, PR: 3, CM: 2}),
        (M.DECISION_DISSENT, CO_DESIGN, {LE: 1}),
        (M.BUDGET_VOTERS, CO_COMMISSIONING, {LE: 5, CA: 3, CO: 5, PR: 2}),
        (M.PROJECTS_FUNDED, CO_COMMISSIONING, {LE: 1, CO: 1, PR: 1}),
        (M.ACTIONS_OWNED, CO_DELIVERY, {LE: 2, CO: 1, PR: 3, CM: 1}),
        (M.ACTIONS_COMPLETED, CO_DELIVERY, {LE: 1, PR: 2}),
        (M.SURVEY_RESPONDENTS, CO_ASSESSMENT, {LE: 5, CA: 2, CO: 4}),
        (M.TIME_CREDITS_PAID, CO_DELIVERY, {LE: 600, CA: 120}),
        (M.ACCESS_NEEDS_STATED, CO_DESIGN, {LE: 4}),
        (M.ACCESS_NEEDS_MET, CO_DESIGN, {LE: 4}),
        (M.ASSISTED, CO_DESIGN, {LE: 3}),
    ]
    return [Tally(m, s, p, n) for m, s, by in rows for p, n in by.items()]


MEMBERS = {LE: 6, CA: 3, CO: 5, PR: 4, CM: 2, FA: 1}
JOINED = {PR: date(2025, 1, 5), CM: date(2025, 1, 5), FA: date(2025, 1, 5), LE: date(2025, 1, 10)}
JOINED |= {CA: date(2025, 1, 12), CO: date(2025, 1, 20)}
MILESTONES = {
    Milestone.AGENDA_PUBLISHED: date(2025, 2, 1),
    Milestone.FIRST_DECISION: date(2025, 2, 15),
    Milestone.BUDGET_OPENED: date(2025, 3, 1),
}
AGENDA_AUTHORS = (
    PersonTally(LE, 2),
    PersonTally(LE, 1),
    PersonTally(CA, 1),
    PersonTally(PR, 2),
    PersonTally(PR, 1),
    PersonTally(CM, 1),
)


def coproduction_space(**changes: object) -> Evidence:
    kwargs: dict[str, object] = {
        "members": MEMBERS,
        "target_mix": {LE: 0.4, CA: 0.2, CO: 0.3},
        "first_joined": JOINED,
        "milestones": MILESTONES,
        "per_person": {M.AGENDA_ITEMS: AGENDA_AUTHORS},
    }
    kwargs.update(changes)
    return build_evidence(coproduction_tallies(), **kwargs)  # type: ignore[arg-type]


def consultation_space() -> Evidence:
    """Professionals propose and decide; members come, comment, answer a survey and vote on a fixed list."""
    pro = {PR: 3, CM: 2}
    rows = [
        (M.ACTIVE, CO_DESIGN, {LE: 4, CA: 2, CO: 6, **pro}),
        (M.MEETING_ATTENDANCE, CO_DESIGN, {LE: 6, CA: 2, CO: 8, PR: 6, CM: 4}),
        (M.COMMENTS, CO_DESIGN, {LE: 9, CA: 3, CO: 12}),
        (M.BUDGET_VOTERS, CO_COMMISSIONING, {LE: 5, CA: 2, CO: 10}),
        (M.SURVEY_RESPONDENTS, CO_ASSESSMENT, {LE: 3, CO: 5}),
        (M.AGENDA_ITEMS, CO_DESIGN, {PR: 7, CM: 3}),
        (M.IDEAS_WRITTEN, CO_DESIGN, {PR: 6, CM: 2}),
        (M.IDEAS_ADOPTED, CO_DESIGN, {PR: 4}),
        (M.PROJECTS_FUNDED, CO_COMMISSIONING, {PR: 2, CM: 1}),
        (M.DECISION_AGREE, CO_DESIGN, pro),
        (M.ACTIONS_OWNED, CO_DELIVERY, {PR: 6, CM: 2}),
    ]
    return build_evidence(
        [Tally(m, s, p, n) for m, s, by in rows for p, n in by.items()],
        members={LE: 8, CA: 3, CO: 15, PR: 4, CM: 2},
        first_joined={PR: date(2025, 1, 1), LE: date(2025, 3, 1), CA: date(2025, 3, 2), CO: date(2025, 3, 1)},
        milestones={Milestone.FIRST_DECISION: date(2025, 2, 1), Milestone.BUDGET_OPENED: date(2025, 2, 10)},
    )


def self_help_space() -> Evidence:
    """The community plans and delivers with no professional input at all."""
    rows = [
        (M.ACTIVE, CO_DESIGN, {LE: 5, CA: 2, CO: 4}),
        (M.ACTIVE, CO_DELIVERY, {LE: 4, CO: 3}),
        (M.ACTIVE, CO_ASSESSMENT, {LE: 2}),
        (M.MEETING_ATTENDANCE, CO_DESIGN, {LE: 12, CA: 4, CO: 9}),
        (M.AGENDA_ITEMS, CO_DESIGN, {LE: 4, CA: 1, CO: 3}),
        (M.IDEAS_WRITTEN, CO_DESIGN, {LE: 7, CO: 5}),
        (M.IDEAS_ADOPTED, CO_DESIGN, {LE: 3, CO: 2}),
        (M.DECISION_AGREE, CO_DESIGN, {LE: 5, CA: 2, CO: 4}),
        (M.ACTIONS_OWNED, CO_DELIVERY, {LE: 4, CO: 3}),
        (M.ACTIONS_COMPLETED, CO_DELIVERY, {LE: 2, CO: 2}),
    ]
    return build_evidence(
        [Tally(m, s, p, n) for m, s, by in rows for p, n in by.items()],
        members={LE: 6, CA: 2, CO: 5},
        first_joined={LE: date(2025, 1, 1), CA: date(2025, 1, 3), CO: date(2025, 1, 2)},
        milestones={Milestone.FIRST_DECISION: date(2025, 2, 1)},
    )
