"""The scoring of suggestions (coproduce/lib/matching.py): pure, no database."""

from __future__ import annotations

from coproduce.lib import matching
from coproduce.lib.matching import Candidate, Need, Reason, suggest

ANN = Candidate(
    1, "Ann", offers=frozenset({"mentoring"}), stages=frozenset({"co_design"}), place="Renfrewshire"
)
BEN = Candidate(
    2,
    "Ben",
    offers=frozenset({"peer_support", "lived_experience"}),
    stages=frozenset({"co_delivery"}),
    place="Glasgow",
    about="budgets, peer support",
    lived_experience_of="caring for a parent with dementia",
)
CAT = Candidate(
    3, "Cat", offers=frozenset({"critical_friend"}), stages=frozenset({"co_design"}), place="Edinburgh"
)
NEARBY = Candidate(4, "Nina", place="Renfrewshire", about="co-design workshops")


def test_the_reasons_name_the_stage_the_offer_and_the_place():
    need = Need(kind="mentoring", asker_id=9, stage="co_design", place="renfrewshire ")
    [first, second] = suggest(need, [ANN, BEN, CAT, NEARBY])
    assert first.person_id == 1 and first.score == matching.STAGE + matching.OFFER + matching.PLACE
    assert first.reasons == (
        Reason("stage", "co_design"),
        Reason("offer", "mentoring"),
        Reason("place", "Renfrewshire"),
    )
    assert second.person_id == 3 and second.score == matching.STAGE  # knows the stage, offers otherwise


def test_a_place_or_words_alone_are_not_enough():
    need = Need(kind="mentoring", asker_id=9, place="Renfrewshire", text="co-design workshops")
    assert [s.person_id for s in suggest(need, [NEARBY])] == []


def test_lived_experience_counts_shared_words():
    need = Need(
        kind="lived_experience", asker_id=9, lived_experience_of="dementia", text="budgets for carers"
    )
    [found] = suggest(need, [ANN, BEN])
    assert found.person_id == 2
    assert Reason("lived", "dementia") in found.reasons and Reason("words", "budget") in found.reasons
    assert found.score == matching.OFFER + matching.LIVED + matching.WORD


def test_the_asker_and_the_excluded_are_never_suggested():
    need = Need(kind="mentoring", asker_id=1, stage="co_design")
    assert [s.person_id for s in suggest(need, [ANN, CAT])] == [3]
    assert suggest(Need(kind="mentoring", asker_id=9, stage="co_design"), [ANN, CAT], exclude=[1, 3]) == []


def test_ties_are_ordered_by_name_and_the_limit_holds():
    twins = [
        Candidate(i, name, offers=frozenset({"mentoring"})) for i, name in [(5, "zoe"), (6, "Al"), (7, "bo")]
    ]
    found = suggest(Need(kind="mentoring", asker_id=9), twins, limit=2)
    assert [s.name for s in found] == ["Al", "bo"]


def test_words_ignore_case_short_words_and_plurals():
    assert matching.words("The Budgets and a BUDGET, for co-design!") == {"budget", "co-design"}
    assert matching.same_place("Paisley", "paisley, Renfrewshire") and not matching.same_place("", "Paisley")
