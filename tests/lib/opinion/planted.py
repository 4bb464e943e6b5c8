"""Synthetic conversations with planted opinion groups, for the tests."""

from __future__ import annotations

import numpy as np

from coproduce.lib.opinion import VoteMatrix, build_matrix_from_arrays


def planted(
    sizes: tuple[int, ...] = (120, 80, 50),
    statements: int = 40,
    missing: float = 0.3,
    noise: float = 0.1,
    seed: int = 7,
    prefix: str = "p",
) -> tuple[VoteMatrix, dict[str, int]]:
    """Each group has its own view (agree or disagree) of each statement; people follow it except for
    ``noise`` of their votes (then they pass or vote at random); ``missing`` of the votes are not cast."""
    rng = np.random.default_rng(seed)
    views = rng.choice([-1, 1], size=(len(sizes), statements))
    same = (views == views[0]).all(axis=0)
    views[0, same] = -views[0, same]  # every other statement divides the groups
    views[:, :3] = 1  # three statements everyone agrees with
    people, truth, pids, sids, values = [], {}, [], [], []
    for g, size in enumerate(sizes):
        for _ in range(size):
            pid = f"{prefix}{len(people)}"
            people.append(pid)
            truth[pid] = g
            for s in range(statements):
                if rng.random() < missing and s >= 3:
                    continue
                vote = views[g, s] if rng.random() >= noise else rng.choice([-1, 0, 1])
                pids.append(pid)
                sids.append(f"s{s}")
                values.append(int(vote))
    matrix = build_matrix_from_arrays(
        np.array(pids), np.array(sids), np.array(values), statements=[f"s{s}" for s in range(statements)]
    )
    return matrix, truth


def votes_of(matrix: VoteMatrix) -> list[tuple[str, str, int, float]]:
    rows, cols = np.nonzero(~np.isnan(matrix.values))
    return [
        (matrix.participants[r], matrix.statements[c], int(matrix.values[r, c]), 0.0)
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True)
    ]
