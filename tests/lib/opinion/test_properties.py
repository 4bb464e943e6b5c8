"""Property tests of the matrix and the statistics (Hypothesis)."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coproduce.lib.opinion import analyse, build_matrix, build_matrix_from_arrays

vote = st.tuples(
    st.sampled_from([f"p{i}" for i in range(12)]),
    st.sampled_from([f"s{i}" for i in range(9)]),
    st.sampled_from([-1, 0, 1]),
    st.integers(0, 50).map(float),
)
votes = st.lists(vote, min_size=1, max_size=160)
fast = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@fast
@given(votes)
def test_the_latest_vote_wins(rows):
    matrix = build_matrix(rows)
    expected: dict[tuple[str, str], tuple[float, int, int]] = {}
    for order, (p, s, v, t) in enumerate(rows):
        key = (p, s)
        if key not in expected or (t, order) >= expected[key][:2]:
            expected[key] = (t, order, v)
    assert int(np.isfinite(matrix.values).sum()) == len(expected)
    for (p, s), (_, _, v) in expected.items():
        assert matrix.values[matrix.participants.index(p), matrix.statements.index(s)] == v


@fast
@given(votes)
def test_array_and_tuple_builders_agree(rows):
    a = build_matrix(rows)
    b = build_matrix_from_arrays(*(np.array(column) for column in zip(*rows, strict=True)))
    assert a.participants == b.participants and a.statements == b.statements
    assert np.array_equal(a.values, b.values, equal_nan=True)


@fast
@given(votes)
def test_statistics_are_probabilities_and_counts_add_up(rows):
    analysis = analyse(build_matrix(rows), min_votes=2)
    for stats in analysis.stats.values():
        assert stats.agree + stats.disagree + stats.passed == stats.seen
        assert 0 < stats.agree_probability < 1
        assert 0 <= stats.group_consensus <= 1 and stats.divisiveness >= 0 and stats.extremity >= 0
        assert sum(g.seen for g in stats.groups) <= stats.seen
    for reps in analysis.representative:
        for r in reps:
            assert 0 < r.probability < 1 and 0 <= r.p_value <= 1 and r.ratio > 0
            assert 0 <= r.n_success <= r.n_trials
    assert sorted(p for g in analysis.groups for p in g) == sorted(analysis.labels)
    assert set(analysis.labels.values()) == set(range(analysis.k))
    assert set(analysis.excluded).isdisjoint(analysis.labels)


def _close(a, b) -> bool:
    """Equal, floats up to a relative 1e-6: the same numbers summed in another order differ in the last bits,
    and the PCA behind `extremity` converges to about 1e-7."""
    if dataclasses.is_dataclass(a) and dataclasses.is_dataclass(b):
        return type(a) is type(b) and _close(dataclasses.astuple(a), dataclasses.astuple(b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)
    return a == b


@fast
@given(votes, st.randoms(use_true_random=False))
def test_participant_order_does_not_matter(rows, random):
    unique = {(p, s): (p, s, v, 0.0) for p, s, v, _ in rows}  # one vote each: order cannot pick a winner
    first = analyse(build_matrix(list(unique.values())), min_votes=2)
    shuffled = list(unique.values())
    random.shuffle(shuffled)
    rename = {f"p{i}": f"q{11 - i:02d}" for i in range(12)}  # reverses the participants' order
    second = analyse(build_matrix([(rename[p], s, v, t) for p, s, v, t in shuffled]), min_votes=2)
    assert _close(first.stats, second.stats), (first.stats, second.stats)
    assert first.k == second.k and _close(first.silhouettes, second.silhouettes)
    assert sorted(sorted(rename[p] for p in g) for g in first.groups) == sorted(
        sorted(g) for g in second.groups
    )
    assert (first.consensus, first.divisive) == (second.consensus, second.divisive)


@fast
@given(votes)
def test_swapping_agree_and_disagree_mirrors_the_counts_and_the_map(rows):
    mirrored = [(p, s, -v, t) for p, s, v, t in rows]
    a = analyse(build_matrix(rows), min_votes=2)
    b = analyse(build_matrix(mirrored), min_votes=2)
    for s, stats in a.stats.items():
        other = b.stats[s]
        assert (stats.agree, stats.disagree, stats.passed) == (other.disagree, other.agree, other.passed)
    for p, (x, y) in a.coordinates.items():
        assert np.allclose(np.abs([x, y]), np.abs(b.coordinates[p]), atol=1e-6)


def test_mirrored_planted_conversation_has_the_same_groups():
    from tests.lib.opinion.planted import planted, votes_of

    matrix, _ = planted(sizes=(40, 30), statements=20)
    a = analyse(matrix)
    b = analyse(build_matrix([(p, s, -v, t) for p, s, v, t in votes_of(matrix)]))
    assert sorted(sorted(g) for g in a.groups) == sorted(sorted(g) for g in b.groups)
