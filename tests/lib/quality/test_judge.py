"""The quality check on constructed spaces (coproduce.lib.quality.judge): where each kind of space lands, how one
changed record moves it, and the properties that always hold."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.lib.quality.spaces import (
    MILESTONES,
    consultation_space,
    coproduction_space,
    self_help_space,
)

from coproduce.lib.quality import judge as j
from coproduce.lib.quality.evidence import (
    CARER,
    CO_ASSESSMENT,
    CO_DELIVERY,
    CO_DESIGN,
    COMMISSIONER,
    COMMUNITY,
    COMMUNITY_SIDE,
    FACILITATOR,
    LIVED,
    LIVED_EXPERIENCE,
    PERSPECTIVES,
    PRACTITIONER,
    PROFESSIONAL,
    STAGES,
    Evidence,
    Measure,
    Milestone,
    PersonTally,
    Tally,
    build_evidence,
)
from coproduce.lib.quality.rules import Outcome, Step

M = Measure
LE, CA, CO, PR, CM, FA = LIVED_EXPERIENCE, CARER, COMMUNITY, PRACTITIONER, COMMISSIONER, FACILITATOR

# Measures by which a community-side person gains influence: in a consultation-only space, they are all zero.
INFLUENCE = (
    M.AGENDA_ITEMS,
    M.IDEAS_WRITTEN,
    M.IDEAS_ADOPTED,
    M.PROJECTS_FUNDED,
    M.DECISION_AGREE,
    M.DECISION_DISSENT,
    M.ACTIONS_OWNED,
    M.ACTIONS_COMPLETED,
)


# --- constructed spaces -----------------------------------------------------------------------------------


def test_lived_experience_with_strong_professional_input_is_co_production():
    judgement = j.judge(coproduction_space())
    assert judgement.level is Step.CO_PRODUCTION
    assert judgement.arnstein is j.Band.CITIZEN_POWER
    assert judgement.bovaird.cell == "full_co_production"
    assert not judgement.self_help
    assert all(s.reached for s in judgement.steps)
    assert not [r for r in judgement.results.values() if r.outcome is Outcome.NOT_MET]
    assert judgement.suggestions == ()


def test_consultation_only_space_is_consultation_and_says_what_is_missing():
    judgement = j.judge(consultation_space())
    assert judgement.level is Step.CONSULTATION
    assert judgement.arnstein is j.Band.TOKENISM
    assert judgement.bovaird.cell == "traditional"
    first = judgement.suggestions[0]
    assert first.rule_id == "community_influence" and first.step is Step.ENGAGEMENT
    findings = [s.finding for s in judgement.suggestions]
    assert "No action is owned by a person with lived experience or a carer." in findings
    assert (
        "The first decision was recorded on 1 February 2025, before any person with lived experience or carer "
        "joined (the first joined on 1 March 2025). Also before them: the budget opened on 10 February 2025."
        in findings
    )
    engagement = judgement.steps[Step.ENGAGEMENT.rank]
    assert not engagement.reached
    assert [r.rule_id for r in engagement.against] == ["community_influence"]


def test_no_professional_input_is_named_self_help_not_co_production():
    judgement = j.judge(self_help_space())
    assert judgement.self_help
    assert judgement.bovaird.cell == "self_help"
    assert judgement.bovaird.planning.role is j.Role.COMMUNITY
    assert judgement.bovaird.delivery.role is j.Role.COMMUNITY
    assert judgement.level is Step.CO_DESIGN
    missing = {s.rule_id for s in judgement.suggestions if s.step is Step.CO_PRODUCTION and s.required}
    assert missing == {"professional_planning", "professional_delivery"}


def test_empty_space_stands_at_coercion_with_non_participation():
    judgement = j.judge(build_evidence())
    assert judgement.level is Step.COERCION
    assert judgement.arnstein is j.Band.NON_PARTICIPATION
    assert judgement.bovaird.cell == "not_enough_evidence"
    assert judgement.suggestions[0].rule_id == "community_members"


# --- one changed record moves the result the documented way ------------------------------------------------


def test_the_lived_experience_action_owner_becoming_a_practitioner_drops_co_production():
    space = coproduction_space().moved(M.ACTIONS_OWNED, CO_DELIVERY, LE, PR, 2)
    judgement = j.judge(space)
    assert judgement.level is Step.CO_DESIGN
    assert (
        judgement.suggestions[0].finding == "No action is owned by a person with lived experience or a carer."
    )
    assert judgement.bovaird.delivery.role is j.Role.PROFESSIONALS


def test_a_budget_opened_before_any_lived_member_joined_drops_below_co_design():
    early = dict(MILESTONES) | {Milestone.BUDGET_OPENED: date(2025, 1, 8)}
    judgement = j.judge(coproduction_space(milestones=early))
    assert judgement.level is Step.ENGAGEMENT
    assert judgement.suggestions[0].finding == (
        "The budget opened on 8 January 2025, before any person with lived experience or carer joined "
        "(the first joined on 10 January 2025)."
    )
    # the same day is not before
    same_day = dict(MILESTONES) | {Milestone.BUDGET_OPENED: date(2025, 1, 10)}
    assert j.judge(coproduction_space(milestones=same_day)).level is Step.CO_PRODUCTION


def test_without_lived_experience_in_co_assessment_it_is_co_design():
    space = coproduction_space()
    space = space.with_count(M.ACTIVE, CO_ASSESSMENT, LE, -2).with_count(M.ACTIVE, CO_ASSESSMENT, CA, -1)
    judgement = j.judge(space)
    assert judgement.level is Step.CO_DESIGN
    assert judgement.results["lived_evaluate"].finding == (
        "No person with lived experience and no carer took part in co-assessment (7 answered a survey, which "
        "is being asked, not evaluating)."
    )


def test_without_professional_delivery_it_is_not_co_production():
    space = coproduction_space().with_count(M.ACTIONS_OWNED, CO_DELIVERY, PR, -3)
    judgement = j.judge(space)
    assert judgement.level is Step.CO_DESIGN
    assert judgement.bovaird.delivery.role is j.Role.COMMUNITY
    assert judgement.bovaird.cell == "community_delivery_co_planned"


def test_three_practitioners_writing_most_of_the_agenda_is_a_suggestion_not_a_level():
    authors = (
        PersonTally(PR, 5),
        PersonTally(PR, 2),
        PersonTally(PR, 1),
        PersonTally(LE, 1),
        PersonTally(CA, 1),
    )
    judgement = j.judge(coproduction_space(per_person={M.AGENDA_ITEMS: authors}))
    assert judgement.level is Step.CO_PRODUCTION
    assert [s.finding for s in judgement.suggestions] == ["Three practitioners wrote 80 % of agenda items."]


def test_a_missing_perspective_is_named_against_the_stated_community():
    judgement = j.judge(coproduction_space(target_mix={CA: 0.5}))
    assert judgement.results["mix_matches_community"].finding == (
        "Carers are 14 % of members; the space says the community it serves is 50 % carers."
    )


def test_no_lived_experience_in_design_is_never_co_design():
    space = (
        coproduction_space().with_count(M.ACTIVE, CO_DESIGN, LE, -4).with_count(M.ACTIVE, CO_DESIGN, CA, -2)
    )
    assert j.judge(space).level is Step.ENGAGEMENT


# --- properties -------------------------------------------------------------------------------------------

small = st.integers(min_value=0, max_value=12)
some_date = st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31))


@st.composite
def consultation_only(draw: st.DrawFn) -> Evidence:
    """Any space of the consultation-only shape: professionals (and facilitators) do anything; the community
    side only joins, attends, comments, answers surveys and votes."""
    tallies = []
    for measure in Measure:
        for stage in STAGES:
            for p in PERSPECTIVES:
                if p in COMMUNITY_SIDE and measure in INFLUENCE:
                    continue
                n = draw(small)
                if n:
                    tallies.append(Tally(measure, stage, p, n))
    members = {p: draw(small) for p in PERSPECTIVES}
    joined = {p: draw(some_date) for p in PERSPECTIVES if draw(st.booleans())}
    milestones = {m: draw(some_date) for m in Milestone if draw(st.booleans())}
    per_person = {
        M.AGENDA_ITEMS: tuple(
            PersonTally(draw(st.sampled_from((PR, CM, FA))), draw(st.integers(1, 9)))
            for _ in range(draw(small))
        )
    }
    mix = {p: draw(st.floats(0, 1)) for p in COMMUNITY_SIDE if draw(st.booleans())}
    return build_evidence(
        tallies,
        members=members,
        target_mix=mix,
        first_joined=joined,
        milestones=milestones,
        per_person=per_person,
    )


@settings(max_examples=150, deadline=None)
@given(consultation_only())
def test_consultation_only_never_scores_above_consultation(space):
    judgement = j.judge(space)
    assert judgement.level.rank <= Step.CONSULTATION.rank
    assert judgement.arnstein is not j.Band.CITIZEN_POWER


@st.composite
def any_space(draw: st.DrawFn) -> Evidence:
    tallies = [
        Tally(
            draw(st.sampled_from(list(Measure))),
            draw(st.sampled_from(STAGES)),
            draw(st.sampled_from(PERSPECTIVES)),
            draw(st.integers(1, 8)),
        )
        for _ in range(draw(st.integers(0, 60)))
    ]
    return build_evidence(
        tallies,
        members={p: draw(small) for p in PERSPECTIVES},
        first_joined={p: draw(some_date) for p in PERSPECTIVES if draw(st.booleans())},
        milestones={m: draw(some_date) for m in Milestone if draw(st.booleans())},
    )


@st.composite
def near_co_production(draw: st.DrawFn) -> Evidence:
    """The co-production space with a few counts changed either way, so the upper steps are in play."""
    space = coproduction_space()
    for _ in range(draw(st.integers(0, 6))):
        space = space.with_count(
            draw(st.sampled_from(list(Measure))),
            draw(st.sampled_from(STAGES)),
            draw(st.sampled_from(PERSPECTIVES)),
            draw(st.integers(-6, 6)),
        )
    return space


more_lived = st.lists(
    st.tuples(
        st.sampled_from(list(Measure)), st.sampled_from(STAGES), st.sampled_from(LIVED), st.integers(1, 40)
    ),
    min_size=1,
    max_size=10,
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(any_space(), near_co_production()), more_lived, st.integers(0, 5))
def test_more_lived_experience_participation_never_lowers_the_level(space, additions, new_members):
    before = j.judge(space).level
    more = space
    for measure, stage, perspective, n in additions:
        more = more.with_count(measure, stage, perspective, n)
    members = dict(more.members)
    members[LE] = members.get(LE, 0) + new_members
    more = Evidence(
        counts=more.counts,
        members=members,
        target_mix=more.target_mix,
        first_joined=more.first_joined,
        milestones=more.milestones,
        per_person=more.per_person,
    )
    assert j.judge(more).level.rank >= before.rank


@settings(max_examples=100, deadline=None)
@given(any_space())
def test_levels_are_a_ladder_and_bands_follow_the_level(space):
    judgement = j.judge(space)
    reached = [s.reached for s in judgement.steps]
    assert reached == sorted(reached, reverse=True)  # reached steps are the bottom of the ladder, no gaps
    assert sum(reached) == judgement.level.rank + 1
    assert judgement.arnstein is j.ARNSTEIN_BAND[judgement.level]
    if not space.count(M.ACTIVE, stages=(CO_DESIGN,), perspectives=LIVED):
        assert judgement.level.rank < Step.CO_DESIGN.rank
    if not space.total((M.ACTIONS_OWNED,), stages=(CO_DELIVERY,), perspectives=PROFESSIONAL):
        assert judgement.level is not Step.CO_PRODUCTION
    for s in judgement.suggestions:
        assert s.finding and s.advice
        assert s.result.outcome is not Outcome.MET
