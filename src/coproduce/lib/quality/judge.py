"""Where a space stands: the Think Local Act Personal ladder, Arnstein's bands and Bovaird's matrix.

**The ladder** (Think Local Act Personal 2015): coercion, educating, informing, consultation, engagement,
co-design, co-production. A space reaches a step when every *required* rule of that step and of every step
below it is met (`rules.RULES`); a rule with not enough evidence is not met, because a step is claimed only on
evidence. Coercion is the floor: records cannot show coercion, so a space stands there until they show more.
Each step lists the rules for it (met), against it (not met) and not yet known.

**Arnstein's bands** (1969), read from the ladder: coercion and educating are non-participation (her
manipulation and therapy); informing, consultation and engagement are tokenism (informing, consultation,
placation); co-design and co-production are citizen power (partnership and above), since by then people with
lived experience author what is adopted and share the decisions.

**Bovaird's matrix** (2007, table 1): who plans (co-commissioning and co-design) and who delivers
(co-delivery), each as professionals alone, professionals with users and communities, or users and communities
alone. Involvement is "high" on a side when its rule is met: professionals, at least `rules.INPUT_MIN`
contributions; the community side, at least `rules.INPUT_MIN` contributions and `rules.COMMUNITY_INPUT_PERCENT`
% of the two sides' together. Both high: shared. Only one: that side alone. Neither: not enough evidence. The
nine cells are named after Bovaird's; community planning and delivery with no professional input is self-help
(self-organised community provision), not co-production.

**Suggestions** come from the rules not met, most useful first: the required rules of the next step up, then
the other required rules above the level (including those with not enough evidence: record it), then the
other unmet rules, lowest step first. Each is the rule's finding, built from the figures, and its advice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from coproduce.lib.quality.evidence import Evidence
from coproduce.lib.quality.rules import RULES, RULES_BY_ID, Outcome, RuleResult, Step, evaluate


@dataclass(frozen=True)
class StepFinding:
    step: Step
    reached: bool
    supporting: tuple[RuleResult, ...]  # rules of this step that are met
    against: tuple[RuleResult, ...]  # rules of this step that are not met
    unknown: tuple[RuleResult, ...]  # rules of this step without enough evidence


class Band(StrEnum):
    """Arnstein's three bands."""

    NON_PARTICIPATION = "non_participation"
    TOKENISM = "tokenism"
    CITIZEN_POWER = "citizen_power"

    @property
    def label(self) -> str:
        return {"non_participation": "Non-participation", "tokenism": "Tokenism"}.get(
            self.value, "Citizen power"
        )


ARNSTEIN_BAND: Mapping[Step, Band] = {
    Step.COERCION: Band.NON_PARTICIPATION,
    Step.EDUCATING: Band.NON_PARTICIPATION,
    Step.INFORMING: Band.TOKENISM,
    Step.CONSULTATION: Band.TOKENISM,
    Step.ENGAGEMENT: Band.TOKENISM,
    Step.CO_DESIGN: Band.CITIZEN_POWER,
    Step.CO_PRODUCTION: Band.CITIZEN_POWER,
}


class Role(StrEnum):
    """Who carries one phase (planning or delivery) in Bovaird's matrix."""

    PROFESSIONALS = "professionals"  # professionals alone
    SHARED = "shared"  # professionals with users and communities
    COMMUNITY = "community"  # users and communities alone
    UNKNOWN = "unknown"  # neither side shows high involvement


@dataclass(frozen=True)
class Phase:
    professional_high: bool
    community_high: bool
    professional: RuleResult
    community: RuleResult

    @property
    def role(self) -> Role:
        if self.professional_high and self.community_high:
            return Role.SHARED
        if self.professional_high:
            return Role.PROFESSIONALS
        if self.community_high:
            return Role.COMMUNITY
        return Role.UNKNOWN


# (planning, delivery) -> (cell id, label), paraphrasing Bovaird's (2007) table 1.
BOVAIRD_CELLS: Mapping[tuple[Role, Role], tuple[str, str]] = {
    (Role.PROFESSIONALS, Role.PROFESSIONALS): ("traditional", "Traditional professional service"),
    (Role.SHARED, Role.PROFESSIONALS): (
        "professional_delivery_co_planned",
        "Professionals deliver what users and communities helped to plan",
    ),
    (Role.COMMUNITY, Role.PROFESSIONALS): (
        "professional_delivery_community_planned",
        "Professionals deliver what users and communities planned",
    ),
    (Role.PROFESSIONALS, Role.SHARED): (
        "co_delivery_professionally_planned",
        "Users and communities help deliver what professionals planned",
    ),
    (Role.SHARED, Role.SHARED): (
        "full_co_production",
        "Full co-production by users, communities and professionals",
    ),
    (Role.COMMUNITY, Role.SHARED): (
        "co_delivery_community_planned",
        "Professionals help deliver what users and communities planned with little professional planning",
    ),
    (Role.PROFESSIONALS, Role.COMMUNITY): (
        "community_delivery_professionally_planned",
        "Users and communities deliver what professionals planned",
    ),
    (Role.SHARED, Role.COMMUNITY): (
        "community_delivery_co_planned",
        "Users and communities deliver what they planned with professionals",
    ),
    (Role.COMMUNITY, Role.COMMUNITY): (
        "self_help",
        "Self-help: community provision with no professional input",
    ),
}
UNKNOWN_CELL = ("not_enough_evidence", "Not enough evidence of who plans or who delivers")


@dataclass(frozen=True)
class Bovaird:
    planning: Phase
    delivery: Phase
    cell: str  # a key of BOVAIRD_CELLS' values, or "not_enough_evidence"
    label: str


@dataclass(frozen=True)
class Suggestion:
    rule_id: str
    step: Step
    required: bool
    finding: str  # what the records show, from the figures ("No action is owned by ...")
    advice: str  # what to do about it
    result: RuleResult


@dataclass(frozen=True)
class Judgement:
    level: Step
    steps: tuple[StepFinding, ...]  # every step, lowest first
    arnstein: Band
    bovaird: Bovaird
    results: Mapping[str, RuleResult]  # every rule, by id
    suggestions: tuple[Suggestion, ...]

    @property
    def self_help(self) -> bool:
        return self.bovaird.cell == "self_help"


def place(results: Mapping[str, RuleResult]) -> Step:
    """The highest step whose required rules, and those of every step below it, are all met."""
    level = Step.COERCION
    for step in list(Step)[1:]:
        needed = [r for r in RULES if r.step is step and r.required]
        if not all(results[r.id].met for r in needed):
            break
        level = step
    return level


def steps(results: Mapping[str, RuleResult], level: Step) -> tuple[StepFinding, ...]:
    found = []
    for step in Step:
        mine = [results[r.id] for r in RULES if r.step is step]
        found.append(
            StepFinding(
                step=step,
                reached=step.rank <= level.rank,
                supporting=tuple(r for r in mine if r.outcome is Outcome.MET),
                against=tuple(r for r in mine if r.outcome is Outcome.NOT_MET),
                unknown=tuple(r for r in mine if r.outcome is Outcome.NOT_ENOUGH_EVIDENCE),
            )
        )
    return tuple(found)


def bovaird(results: Mapping[str, RuleResult]) -> Bovaird:
    planning = Phase(
        professional_high=results["professional_planning"].met,
        community_high=results["community_planning"].met,
        professional=results["professional_planning"],
        community=results["community_planning"],
    )
    delivery = Phase(
        professional_high=results["professional_delivery"].met,
        community_high=results["community_delivery"].met,
        professional=results["professional_delivery"],
        community=results["community_delivery"],
    )
    cell, label = BOVAIRD_CELLS.get((planning.role, delivery.role), UNKNOWN_CELL)
    return Bovaird(planning=planning, delivery=delivery, cell=cell, label=label)


def suggestions(results: Mapping[str, RuleResult], level: Step) -> tuple[Suggestion, ...]:
    def priority(rule_id: str) -> tuple[int, int]:
        rule = RULES_BY_ID[rule_id]
        if rule.required and rule.step.rank == level.rank + 1:
            group = 0
        elif rule.required and rule.step.rank > level.rank:
            group = 1
        else:
            group = 2
        return group, rule.step.rank

    chosen = []
    for rule in RULES:
        result = results[rule.id]
        above = rule.step.rank > level.rank
        if result.outcome is Outcome.NOT_MET or (
            result.outcome is Outcome.NOT_ENOUGH_EVIDENCE and rule.required and above
        ):
            chosen.append(rule.id)
    chosen.sort(key=priority)  # stable: within a group and step, the order of RULES
    return tuple(
        Suggestion(
            rule_id=i,
            step=RULES_BY_ID[i].step,
            required=RULES_BY_ID[i].required,
            finding=results[i].finding,
            advice=RULES_BY_ID[i].advice,
            result=results[i],
        )
        for i in chosen
    )


def judge(evidence: Evidence) -> Judgement:
    """The whole quality check of one space, from its evidence."""
    results = evaluate(evidence)
    level = place(results)
    return Judgement(
        level=level,
        steps=steps(results, level),
        arnstein=ARNSTEIN_BAND[level],
        bovaird=bovaird(results),
        results=results,
        suggestions=suggestions(results, level),
    )
