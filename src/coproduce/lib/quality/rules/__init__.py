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

from collections.abc import Mapping

from coproduce.lib.quality.evidence import Evidence, Measure
from coproduce.lib.quality.rules.base import (
    ACCESS_MET_PERCENT,
    ARNSTEIN,
    BOVAIRD,
    COMMUNITY_INPUT_PERCENT,
    CONCENTRATION_MAX_PEOPLE,
    CONCENTRATION_MIN_ITEMS,
    CONCENTRATION_MIN_MEMBERS,
    CONCENTRATION_PERCENT,
    CONSULTATION_MIN_VIEWS,
    CREDITS_COMMUNITY_PERCENT,
    INPUT_MIN,
    LIVED_ACTION_PERCENT,
    LIVED_ADOPTED_PERCENT,
    LIVED_AGENDA_PERCENT,
    LIVED_DECISION_PERCENT,
    MIX_MIN_RATIO_PERCENT,
    NESTA,
    NSCE,
    SCIE,
    STEP_LABELS,
    TLAP,
    WAYS_MIN,
    Figure,
    Outcome,
    Rule,
    RuleResult,
    Step,
    Verdict,
)
from coproduce.lib.quality.rules.participation import (
    _concentration,
    community_asked,
    community_influence,
    community_informed,
    community_members,
    decisions_published,
    ways_to_take_part,
)
from coproduce.lib.quality.rules.power import (
    access_needs_met,
    community_delivery,
    community_planning,
    lived_adopted,
    lived_complete_actions,
    lived_decide,
    lived_evaluate,
    lived_in_design,
    lived_own_actions,
    lived_set_agenda,
    mix_matches_community,
    plans_not_before,
    professional_delivery,
    professional_planning,
    time_credits_to_community,
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


__all__ = [
    "ACCESS_MET_PERCENT",
    "ARNSTEIN",
    "BOVAIRD",
    "COMMUNITY_INPUT_PERCENT",
    "CONCENTRATION_MAX_PEOPLE",
    "CONCENTRATION_MIN_ITEMS",
    "CONCENTRATION_MIN_MEMBERS",
    "CONCENTRATION_PERCENT",
    "CONSULTATION_MIN_VIEWS",
    "CREDITS_COMMUNITY_PERCENT",
    "Figure",
    "INPUT_MIN",
    "LIVED_ACTION_PERCENT",
    "LIVED_ADOPTED_PERCENT",
    "LIVED_AGENDA_PERCENT",
    "LIVED_DECISION_PERCENT",
    "MIX_MIN_RATIO_PERCENT",
    "NESTA",
    "NSCE",
    "Outcome",
    "RULES",
    "RULES_BY_ID",
    "Rule",
    "RuleResult",
    "SCIE",
    "STEP_LABELS",
    "Step",
    "TLAP",
    "Verdict",
    "WAYS_MIN",
    "access_needs_met",
    "community_asked",
    "community_delivery",
    "community_influence",
    "community_informed",
    "community_members",
    "community_planning",
    "decisions_published",
    "evaluate",
    "lived_adopted",
    "lived_complete_actions",
    "lived_decide",
    "lived_evaluate",
    "lived_in_design",
    "lived_own_actions",
    "lived_set_agenda",
    "mix_matches_community",
    "plans_not_before",
    "professional_delivery",
    "professional_planning",
    "time_credits_to_community",
    "ways_to_take_part",
]
