"""How many voters got something they voted for: the first question people ask of a PB result."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from coproduce.lib.pb.election import Election, row_sums
from coproduce.lib.pb.rules.support import Support, support_of


def voters_with_a_funded_project(
    election: Election, selected: Iterable[str], *, support: Support | None = None
) -> int:
    """Count voters whose ballot supports at least one of the ``selected`` project ids."""
    support = support or support_of(election)
    funded = np.zeros(support.num_projects + 1, dtype=np.int64)
    for project_id in selected:
        funded[election.position[project_id]] = 1
    hits = row_sums(funded[support.voter_projects], support.voter_indptr)
    return int(np.count_nonzero(hits))
