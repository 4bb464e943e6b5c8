"""The participant x statement vote matrix, keeping each voter's latest vote on each statement."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

AGREE, DISAGREE, PASS = 1, -1, 0
VALID_VOTES = (AGREE, DISAGREE, PASS)


@dataclass(frozen=True, eq=False)
class VoteMatrix:
    """Votes as a dense float32 array: rows are participants, columns statements.

    ``nan`` means "not voted"; +1 agree, -1 disagree, 0 pass. Participants and statements are kept in the order
    given (``build_matrix`` sorts them: numerically when every id is a whole number, else as text).
    """

    participants: tuple[str, ...]
    statements: tuple[str, ...]
    values: npt.NDArray[np.float32]

    def __post_init__(self) -> None:
        if self.values.shape != (len(self.participants), len(self.statements)):
            raise ValueError(
                f"values has shape {self.values.shape}, expected "
                f"({len(self.participants)}, {len(self.statements)})"
            )

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.participants), len(self.statements))

    def votes_per_participant(self) -> npt.NDArray[np.int64]:
        """How many statements each participant voted on (pass included)."""
        return _count_rows(self.values)

    def subset(self, participants: Sequence[str]) -> VoteMatrix:
        """The rows of these participants, in this order."""
        index = {p: i for i, p in enumerate(self.participants)}
        rows = np.fromiter((index[p] for p in participants), dtype=np.int64, count=len(participants))
        return VoteMatrix(tuple(participants), self.statements, self.values[rows])


CHUNK_ROWS = 8192


def _count_rows(values: npt.NDArray[np.float32]) -> npt.NDArray[np.int64]:
    counts = np.empty(values.shape[0], dtype=np.int64)
    for start in range(0, values.shape[0], CHUNK_ROWS):
        block = values[start : start + CHUNK_ROWS]
        counts[start : start + len(block)] = block.shape[1] - np.isnan(block).sum(axis=1)
    return counts


def _sort_key(ids: Iterable[str]) -> list[str]:
    unique = sorted(set(ids))
    if all(i.isdigit() for i in unique):
        return sorted(unique, key=int)
    return unique


def build_matrix(
    votes: Iterable[tuple[str, str, int, float]], *, statements: Sequence[str] | None = None
) -> VoteMatrix:
    """The matrix from ``(participant, statement, value, timestamp)`` rows; each voter's latest vote is kept.

    Of two votes with the same timestamp the one given later wins. ``statements`` fixes the columns (and their
    order): statements nobody voted on get an empty column; a vote on a statement not listed is a ``ValueError``.
    """
    rows = list(votes)
    pids = [str(r[0]) for r in rows]
    sids = [str(r[1]) for r in rows]
    values = np.fromiter((r[2] for r in rows), dtype=np.int64, count=len(rows))
    times = np.fromiter((r[3] for r in rows), dtype=np.float64, count=len(rows))
    return build_matrix_from_arrays(pids, sids, values, times, statements=statements)


def build_matrix_from_arrays(
    participants: Sequence[str] | npt.ArrayLike,
    statements_of_votes: Sequence[str] | npt.ArrayLike,
    values: npt.ArrayLike,
    times: npt.ArrayLike | None = None,
    *,
    statements: Sequence[str] | None = None,
    participant_order: Sequence[str] | None = None,
) -> VoteMatrix:
    """Vectorised :func:`build_matrix`: one array per field (ids may be strings or integers).

    Without ``times`` the last vote in array order wins. No Python loop over votes: ids are factorised with
    ``np.unique``, the latest vote per (participant, statement) found with one stable ``lexsort``.
    """
    vote_values = np.asarray(values)
    if vote_values.size and not np.isin(vote_values, VALID_VOTES).all():
        bad = vote_values[~np.isin(vote_values, VALID_VOTES)][0]
        raise ValueError(f"a vote must be -1, 0 or 1, not {bad!r}")
    p_codes, p_ids = _factorise(participants, participant_order)
    s_codes, s_ids = _factorise(statements_of_votes, statements)
    n_p, n_s = len(p_ids), len(s_ids)
    matrix = np.full((n_p, n_s), np.nan, dtype=np.float32)
    if vote_values.size:
        key = p_codes.astype(np.int64) * n_s + s_codes
        # Latest first: a stable sort by time (linear when the votes already come in time order), reversed;
        # np.unique's first index of each (participant, statement) is then the vote that counts.
        order = np.arange(len(key)) if times is None else np.argsort(np.asarray(times), kind="stable")
        newest_first = order[::-1]
        _, first = np.unique(key[newest_first], return_index=True)
        keep = newest_first[first]
        matrix.reshape(-1)[key[keep]] = vote_values[keep].astype(np.float32)
    return VoteMatrix(tuple(p_ids), tuple(s_ids), matrix)


def _factorise(
    ids: Sequence[str] | npt.ArrayLike, order: Sequence[str] | None
) -> tuple[npt.NDArray[np.int64], list[str]]:
    """Integer codes for ``ids`` and the list of distinct ids (sorted, or ``order`` when given)."""
    array = np.asarray(ids)
    if array.size == 0:
        return np.zeros(0, dtype=np.int64), [str(i) for i in order or ()]
    if (
        order is None
        and array.dtype.kind in "iu"
        and array.min() >= 0
        and array.max() < 4 * len(array) + 1024
    ):
        # Small non-negative integers (the usual case for Polis ids): a linear pass, no sort.
        present = np.zeros(int(array.max()) + 1, dtype=bool)
        present[array] = True
        rank = np.cumsum(present) - 1
        return rank[array].astype(np.int64), [str(i) for i in np.flatnonzero(present).tolist()]
    uniques, codes = np.unique(array, return_inverse=True)
    names = [str(u) for u in uniques.tolist()]
    if order is None:
        if array.dtype.kind in "iu":
            return codes.astype(np.int64), names
        sorted_names = _sort_key(names)
        if sorted_names == names:
            return codes.astype(np.int64), names
        position = {name: i for i, name in enumerate(sorted_names)}
        remap = np.fromiter((position[n] for n in names), dtype=np.int64, count=len(names))
        return remap[codes], sorted_names
    wanted = [str(o) for o in order]
    position = {name: i for i, name in enumerate(wanted)}
    if len(position) != len(wanted):
        raise ValueError("the list of statements or participants has a repeated id")
    missing = [n for n in names if n not in position]
    if missing:
        raise ValueError(f"votes on {missing[0]!r}, which is not in the list given")
    remap = np.fromiter((position[n] for n in names), dtype=np.int64, count=len(names))
    return remap[codes], wanted
