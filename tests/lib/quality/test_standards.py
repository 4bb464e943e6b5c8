"""Scotland's National Standards for Community Engagement and the self-assessment compared with the records
(coproduce.lib.quality.standards)."""

from __future__ import annotations

import pytest

from coproduce.lib.quality import rules, standards
from coproduce.lib.quality.evidence import (
    CO_DESIGN,
    LIVED_EXPERIENCE,
    PRACTITIONER,
    Measure,
    Tally,
    build_evidence,
)
from coproduce.lib.quality.standards import STANDARDS, Direction, compare


def test_the_seven_standards_in_their_order_each_with_indicators_and_evidence():
    assert [s.id for s in STANDARDS] == [
        "inclusion",
        "support",
        "planning",
        "working_together",
        "methods",
        "communication",
        "impact",
    ]
    for s in STANDARDS:
        assert len(s.indicators) >= 3 and all(i.endswith(".") for i in s.indicators)
        assert s.rule_ids, f"{s.id} has no rule as evidence"
    assert standards.SOURCE == rules.NSCE


def practitioners_only():
    """Practitioners design; a person with lived experience is a member but did not take part in co-design."""
    return rules.evaluate(
        build_evidence(
            [
                Tally(Measure.ACTIVE, CO_DESIGN, PRACTITIONER, 4),
                Tally(Measure.IDEAS_WRITTEN, CO_DESIGN, PRACTITIONER, 6),
            ],
            members={LIVED_EXPERIENCE: 3, PRACTITIONER: 4},
        )
    )


def test_a_high_rating_the_records_contradict_is_named():
    (found,) = compare({"inclusion": 6}, practitioners_only())
    assert found.direction is Direction.RATED_HIGHER
    assert found.message.startswith(
        "Members rate inclusion 6 but no person with lived experience and no carer took part in co-design."
    )
    assert "lived_in_design" in {r.rule_id for r in found.results}


def test_middling_ratings_and_unrated_standards_say_nothing():
    assert compare({"inclusion": 4, "planning": 3}, practitioners_only()) == ()
    assert compare({}, practitioners_only()) == ()


def test_a_low_rating_the_records_contradict_is_named():
    results = rules.evaluate(
        build_evidence(
            [
                Tally(Measure.ACCESS_NEEDS_STATED, CO_DESIGN, LIVED_EXPERIENCE, 5),
                Tally(Measure.ACCESS_NEEDS_MET, CO_DESIGN, LIVED_EXPERIENCE, 5),
            ]
        )
    )
    (found,) = compare({"support": 1}, results)
    assert found.direction is Direction.RATED_LOWER
    assert found.message == (
        "Members rate support 1, but the records show more: 5 of 5 access needs stated for meetings were met "
        "(100 %)."
    )


@pytest.mark.parametrize("ratings", [{"inclusion": 0}, {"inclusion": 7}, {"inclusion": 5.5}, {"kindness": 3}])
def test_bad_ratings_are_refused(ratings):
    with pytest.raises(ValueError):
        compare(ratings, practitioners_only())
