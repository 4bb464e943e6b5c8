"""Scotland's National Standards for Community Engagement (2016), as data, and how a self-assessment compares
with the records.

Members rate each of the seven standards together from 1 (not at all) to 6 (fully), with notes, the way the
VOiCE tool does. The indicators below are a short paraphrase of the published ones, to help people rate.

A rating disagrees with the records when:
- it is high (`HIGH_RATING` or more) and a rule that is evidence for the standard is not met: "Members rate
  inclusion 6 but no person with lived experience and no carer took part in co-design.";
- it is low (`LOW_RATING` or less) and every rule for the standard with enough evidence is met (and at least one
  is): the records show more than the members give themselves credit for.
Rules without enough evidence never count as disagreeing. Which rules are evidence for which standard is
written on each rule (`Rule.standards`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from coproduce.lib.quality import wording as w
from coproduce.lib.quality.rules import NSCE, RULES, Outcome, RuleResult

RATING_MIN = 1
RATING_MAX = 6
HIGH_RATING = 5
LOW_RATING = 2
SOURCE = NSCE


@dataclass(frozen=True)
class Standard:
    id: str
    name: str
    aim: str
    indicators: tuple[str, ...]

    @property
    def rule_ids(self) -> tuple[str, ...]:
        """The rules whose results are evidence for this standard."""
        return tuple(r.id for r in RULES if self.id in r.standards)


STANDARDS: tuple[Standard, ...] = (
    Standard(
        id="inclusion",
        name="Inclusion",
        aim="The people and groups affected are found and involved.",
        indicators=(
            "We know who is affected, including people who are seldom heard.",
            "The people taking part reflect the community the work is for.",
            "We have removed what stops people from taking part.",
            "Everyone's view is valued, including views that disagree.",
        ),
    ),
    Standard(
        id="support",
        name="Support",
        aim="Barriers to taking part are found and overcome.",
        indicators=(
            "We asked people what they need to take part, and provided it.",
            "Meetings are at times and places, and in formats, that suit people.",
            "People can take part with a helper, and costs are covered or rewarded.",
        ),
    ),
    Standard(
        id="planning",
        name="Planning",
        aim="The purpose is clear and based on a shared understanding of the community's needs.",
        indicators=(
            "We agreed the purpose together before plans were made.",
            "Community members helped decide what the work is about.",
            "Everyone knows what can and cannot change, and the resources there are.",
        ),
    ),
    Standard(
        id="working_together",
        name="Working together",
        aim="People work together well to reach the aims.",
        indicators=(
            "Roles, responsibilities and how decisions are made are clear and agreed.",
            "Community members share decisions and the work, not only give views.",
            "Professionals and community members treat each other as equals.",
        ),
    ),
    Standard(
        id="methods",
        name="Methods",
        aim="The ways of taking part fit the purpose and the people.",
        indicators=(
            "We offer more than one way to take part.",
            "The methods suit the people we want to involve.",
            "People can influence the decisions through the methods used.",
        ),
    ),
    Standard(
        id="communication",
        name="Communication",
        aim="Communication with the people affected is clear and regular.",
        indicators=(
            "Information is clear, accessible and on time.",
            "Agendas and decisions are shared with everyone involved.",
            "People hear what happened to what they said.",
        ),
    ),
    Standard(
        id="impact",
        name="Impact",
        aim="The impact of engagement is assessed and what is learned is used to improve.",
        indicators=(
            "We can show what changed because of what people said.",
            "Community members help judge what difference the work made.",
            "What we learn changes how we work next time.",
        ),
    ),
)

STANDARDS_BY_ID: Mapping[str, Standard] = {s.id: s for s in STANDARDS}


class Direction(StrEnum):
    RATED_HIGHER = "rated_higher"  # the rating claims more than the records show
    RATED_LOWER = "rated_lower"  # the records show more than the rating claims


@dataclass(frozen=True)
class Disagreement:
    standard: str
    rating: int
    direction: Direction
    message: str
    results: tuple[RuleResult, ...]  # the rule results that disagree with the rating


def check_ratings(ratings: Mapping[str, int]) -> None:
    """Raise ValueError for an unknown standard or a rating outside 1-6."""
    for standard, rating in ratings.items():
        if standard not in STANDARDS_BY_ID:
            raise ValueError(f"unknown standard {standard!r}")
        if isinstance(rating, bool) or not isinstance(rating, int) or not RATING_MIN <= rating <= RATING_MAX:
            raise ValueError(f"a rating is a whole number from {RATING_MIN} to {RATING_MAX}, not {rating!r}")


def compare(ratings: Mapping[str, int], results: Mapping[str, RuleResult]) -> tuple[Disagreement, ...]:
    """Where a self-assessment (standard id -> 1..6; standards not rated are skipped) disagrees with the rule
    results (`rules.evaluate(evidence)` or `judge(evidence).results`), in the order of `STANDARDS`."""
    check_ratings(ratings)
    found = []
    for standard in STANDARDS:
        rating = ratings.get(standard.id)
        if rating is None:
            continue
        mine = [results[i] for i in standard.rule_ids]
        unmet = [r for r in mine if r.outcome is Outcome.NOT_MET]
        met = [r for r in mine if r.outcome is Outcome.MET]
        name = standard.name.lower()
        if rating >= HIGH_RATING and unmet:
            rest = "".join(f" Also: {w.uncapitalised(r.finding)}" for r in unmet[1:])
            found.append(
                Disagreement(
                    standard=standard.id,
                    rating=rating,
                    direction=Direction.RATED_HIGHER,
                    message=f"Members rate {name} {rating} but {w.uncapitalised(unmet[0].finding)}{rest}",
                    results=tuple(unmet),
                )
            )
        elif rating <= LOW_RATING and met and not unmet:
            shown = " ".join(r.finding for r in met)
            found.append(
                Disagreement(
                    standard=standard.id,
                    rating=rating,
                    direction=Direction.RATED_LOWER,
                    message=f"Members rate {name} {rating}, but the records show more: {shown}",
                    results=tuple(met),
                )
            )
    return tuple(found)
