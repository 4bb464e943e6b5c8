"""Opinion groups, stable labels, representative/consensus/divisive statements and the stored form."""

from __future__ import annotations

import json

import numpy as np
import pytest
from tests.lib.opinion.planted import planted, votes_of

from coproduce.lib.opinion import (
    Analysis,
    adjusted_rand_index,
    analyse,
    build_matrix,
    priorities,
)


@pytest.fixture(scope="module")
def conversation():
    matrix, truth = planted()
    return matrix, truth, analyse(matrix)


def test_planted_groups_are_recovered(conversation):
    matrix, truth, analysis = conversation
    assert analysis.k == 3
    people = list(analysis.labels)
    assert adjusted_rand_index([analysis.labels[p] for p in people], [truth[p] for p in people]) >= 0.95
    assert [len(g) for g in analysis.groups] == [120, 80, 50]  # group 0 is the largest
    assert "3 groups" in analysis.why_k and analysis.silhouettes[3] == max(analysis.silhouettes.values())
    assert set(analysis.silhouettes) == {2, 3, 4, 5}
    assert set(analysis.coordinates) == set(analysis.labels)


def test_consensus_and_representative_statements(conversation):
    matrix, truth, analysis = conversation
    assert set(analysis.consensus[:3]) == {"s0", "s1", "s2"}
    assert set(analysis.group_consensus[:3]) == {"s0", "s1", "s2"}
    assert not {"s0", "s1", "s2"} & set(analysis.divisive)
    for g, reps in enumerate(analysis.representative):
        assert 1 <= len(reps) <= 5
        for r in reps:
            assert r.direction in ("agree", "disagree")
            assert 0 < r.probability < 1 and 0 <= r.p_value <= 1
            if not r.best_agree:
                assert r.z > 1.2815 and r.ratio > 1
            # the statement really is what this group thinks
            counts = analysis.stats[r.statement].groups[g]
            share = (counts.agree if r.direction == "agree" else counts.disagree) / counts.seen
            assert share > 0.5
    stats = analysis.stats["s0"]
    assert stats.seen == 250 and stats.agree + stats.disagree + stats.passed == stats.seen
    assert sum(g.seen for g in stats.groups) == 250


def test_divisive_statements_split_the_groups(conversation):
    _, _, analysis = conversation
    top = analysis.stats[analysis.divisive[0]]
    rates = [g.agree_probability for g in top.groups]
    assert max(rates) - min(rates) > 0.6


def test_labels_are_stable_when_voters_join(conversation):
    matrix, truth, first = conversation
    # Pretend the last analysis numbered the groups differently: the new one must follow it.
    previous = {p: (g + 1) % first.k for p, g in first.labels.items()}
    more, _ = planted(sizes=(10, 10, 10), seed=99, prefix="new")
    combined = build_matrix(votes_of(matrix) + votes_of(more), statements=matrix.statements)
    second = analyse(combined, previous=previous)
    kept = sum(second.labels[p] == previous[p] for p in previous)
    assert kept / len(previous) >= 0.99
    assert analyse(combined).labels != second.labels  # without `previous`, numbering is by size


def test_people_with_too_few_votes_are_reported_not_placed():
    matrix, _ = planted(sizes=(30, 30), statements=20, missing=0.0)
    votes = votes_of(matrix) + [("late", "s1", 1, 1.0), ("late", "s2", -1, 1.0)]
    analysis = analyse(build_matrix(votes), min_votes=7)
    assert analysis.excluded == ["late"] and "late" not in analysis.labels
    assert analysis.stats["s1"].seen == 61  # still counted overall
    assert sum(g.seen for g in analysis.stats["s1"].groups) == 60


def test_few_statements_lower_the_vote_threshold():
    votes = [(f"p{i}", f"s{s}", 1 if (i < 3) == (s == 0) else -1, 0.0) for i in range(6) for s in range(3)]
    analysis = analyse(build_matrix(votes), min_votes=7)
    assert analysis.excluded == [] and len(analysis.labels) == 6


@pytest.mark.parametrize("people", [0, 1, 3])
def test_very_few_people_make_one_group_or_none(people):
    votes = [(f"p{i}", f"s{s}", 1, 0.0) for i in range(people) for s in range(8)]
    analysis = analyse(build_matrix(votes, statements=[f"s{s}" for s in range(8)]))
    assert analysis.k == (1 if people else 0)
    assert len(analysis.groups) == analysis.k
    assert analysis.divisive == [] and "group" in analysis.why_k.lower() or "nobody" in analysis.why_k.lower()
    json.dumps(analysis.to_json())


def test_everyone_voting_alike_is_one_group():
    votes = [(f"p{i}", f"s{s}", 1, 0.0) for i in range(10) for s in range(8)]
    analysis = analyse(build_matrix(votes))
    assert analysis.k == 1 and "same way" in analysis.why_k


def test_excluded_statements_are_never_selected(conversation):
    matrix, _, _ = conversation
    analysis = analyse(matrix, excluded_statements={"s0", "s5"})
    chosen = set(analysis.consensus + analysis.group_consensus + analysis.divisive)
    chosen |= {r.statement for reps in analysis.representative for r in reps}
    assert not chosen & {"s0", "s5"}
    assert analysis.excluded_statements == ["s0", "s5"]
    assert analysis.stats["s0"].seen == 250  # still counted


def test_json_round_trip(conversation):
    _, _, analysis = conversation
    data = json.loads(json.dumps(analysis.to_json()))
    assert {"groups", "consensus", "representative", "divisive"} <= set(data)
    assert all(isinstance(s, str) for reps in data["representative"] for s in reps)
    assert Analysis.from_json(data) == analysis


def test_priorities_favour_new_and_separating_statements(conversation):
    matrix, _, analysis = conversation
    counts = {"seen-by-all": (100, 100, 250), "new": (0, 0, 0), "half": (50, 50, 120)}
    weights = priorities(counts)
    assert weights["new"] > weights["half"] > weights["seen-by-all"]
    weights = priorities(matrix, analysis, excluded_statements={"s7"})
    assert "s7" not in weights and all(w >= 0 for w in weights.values())
    divisive, consensus = analysis.divisive[0], analysis.consensus[0]
    same_counts = {divisive: (50, 50, 120), consensus: (50, 50, 120)}
    ranked = priorities(same_counts, analysis)
    assert ranked[divisive] > ranked[consensus]


def test_adjusted_rand_index():
    assert adjusted_rand_index([0, 0, 1, 1], [1, 1, 0, 0]) == 1.0
    assert adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx(-0.5)
    # scikit-learn's documented example: adjusted_rand_score([0, 0, 1, 2], [0, 0, 1, 1]) == 0.57...
    assert adjusted_rand_index([0, 0, 1, 2], [0, 0, 1, 1]) == pytest.approx(0.5714285714)
    rng = np.random.default_rng(1)
    assert abs(adjusted_rand_index(rng.integers(0, 3, 3000), rng.integers(0, 3, 3000))) < 0.02
