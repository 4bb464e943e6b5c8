"""The evidence shape (coproduce.lib.quality.evidence) and the words findings are built from (wording)."""

from __future__ import annotations

from datetime import date

import pytest

from coproduce.lib.quality import wording as w
from coproduce.lib.quality.evidence import (
    CARER,
    CO_DELIVERY,
    CO_DESIGN,
    LIVED,
    LIVED_EXPERIENCE,
    PRACTITIONER,
    Evidence,
    Measure,
    Tally,
    build_evidence,
)


def test_tallies_add_up_and_counts_filter_by_stage_and_perspective():
    e = build_evidence(
        [
            Tally(Measure.IDEAS_WRITTEN, CO_DESIGN, LIVED_EXPERIENCE, 2),
            Tally(Measure.IDEAS_WRITTEN, CO_DESIGN, LIVED_EXPERIENCE, 3),
            Tally(Measure.IDEAS_WRITTEN, CO_DELIVERY, CARER),
            Tally(Measure.IDEAS_WRITTEN, CO_DESIGN, PRACTITIONER, 4),
        ]
    )
    assert e.count(Measure.IDEAS_WRITTEN) == 10
    assert e.count(Measure.IDEAS_WRITTEN, perspectives=LIVED) == 6
    assert e.count(Measure.IDEAS_WRITTEN, stages=(CO_DESIGN,), perspectives=LIVED) == 5
    assert e.count(Measure.ACTIONS_OWNED) == 0
    assert e.total((Measure.IDEAS_WRITTEN, Measure.ACTIONS_OWNED), perspectives=(PRACTITIONER,)) == 4


def test_members_today_default_to_the_largest_stage_count():
    e = build_evidence(
        [Tally(Measure.MEMBERS, CO_DESIGN, CARER, 3), Tally(Measure.MEMBERS, CO_DELIVERY, CARER, 5)]
    )
    assert e.members == {CARER: 5}
    assert build_evidence(members={CARER: 1}).member_count() == 1


def test_moved_and_with_count_return_changed_copies():
    e = build_evidence([Tally(Measure.ACTIONS_OWNED, CO_DELIVERY, LIVED_EXPERIENCE, 2)])
    moved = e.moved(Measure.ACTIONS_OWNED, CO_DELIVERY, LIVED_EXPERIENCE, PRACTITIONER)
    assert moved.count(Measure.ACTIONS_OWNED, perspectives=LIVED) == 1
    assert moved.count(Measure.ACTIONS_OWNED, perspectives=(PRACTITIONER,)) == 1
    assert e.count(Measure.ACTIONS_OWNED, perspectives=LIVED) == 2
    assert (
        e.with_count(Measure.ACTIONS_OWNED, CO_DELIVERY, LIVED_EXPERIENCE, -5).count(Measure.ACTIONS_OWNED)
        == 0
    )
    with pytest.raises(ValueError):
        e.moved(Measure.ACTIONS_OWNED, CO_DELIVERY, LIVED_EXPERIENCE, PRACTITIONER, 3)


def test_first_join_is_the_earliest_of_the_perspectives_asked():
    e = build_evidence(first_joined={CARER: date(2025, 3, 1), LIVED_EXPERIENCE: date(2025, 2, 1)})
    assert e.first_join(LIVED) == date(2025, 2, 1)
    assert e.first_join((PRACTITIONER,)) is None


@pytest.mark.parametrize(
    "make",
    [
        lambda: build_evidence([Tally(Measure.ACTIVE, "co_dreaming", CARER)]),
        lambda: build_evidence([Tally(Measure.ACTIVE, CO_DESIGN, "volunteer")]),
        lambda: build_evidence([Tally(Measure.ACTIVE, CO_DESIGN, CARER, -1)]),
        lambda: build_evidence(target_mix={CARER: 1.5}),
        lambda: build_evidence(members={"volunteer": 2}),
        lambda: Evidence(counts={"nonsense": {}}),  # type: ignore[dict-item]
    ],
)
def test_unknown_stages_perspectives_and_impossible_numbers_are_refused(make):
    with pytest.raises(ValueError):
        make()


def test_words():
    assert w.people_by_perspective([PRACTITIONER] * 3) == "three practitioners"
    assert w.people_by_perspective([LIVED_EXPERIENCE]) == "one person with lived experience"
    assert w.people_by_perspective([PRACTITIONER, CARER, PRACTITIONER]) == (
        "three people (two practitioners and one carer)"
    )
    assert w.percent(2, 3) == "66 %" and w.percent(0, 0) == "0 %"
    assert w.day(date(2025, 3, 3)) == "3 March 2025"
    assert w.items(1, "views agreeing in decisions") == "1 view agreeing in decisions"
    assert w.items(2, "adopted ideas") == "2 adopted ideas"
    assert w.number(12) == "12"
