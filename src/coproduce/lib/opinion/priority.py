"""The order in which statements are shown to a voter (Polis's comment priority)."""

from __future__ import annotations

from collections.abc import Collection, Mapping

import numpy as np

from coproduce.lib.opinion.analysis import Analysis
from coproduce.lib.opinion.matrix import VoteMatrix

NEW_STATEMENT_BOOST = 8.0  # a statement nobody has seen counts 1 + 8 = 9 times as much
HALF_LIFE_VOTES = 5.0  # the boost halves with every 5 votes


def priorities(
    source: VoteMatrix | Mapping[str, tuple[int, int, int]],
    analysis: Analysis | None = None,
    *,
    excluded_statements: Collection[str] = (),
) -> dict[str, float]:
    """A weight per statement; show a person the highest-weighted statement they have not voted on.

    ``source`` is the vote matrix or, per statement, ``(agree, disagree, seen)`` counts (cheap to keep in a
    database). Following Polis (``conversation.clj``, ``comment-priority``)::

        importance = P(agree) * (1 - P(pass)) * (1 + extremity)
        priority   = (importance * (1 + 8 * 2 ** (-seen / 5))) ** 2

    with Laplace priors ((count + 1) / (seen + 2)). ``extremity`` comes from the last analysis: how far from the
    centre of the opinion map someone lands who agrees with only this statement, i.e. how much the statement
    separates groups (0 without an analysis, or for a statement added since). The newness factor makes
    statements few have seen come first. Statements in ``excluded_statements`` are left out.
    """
    if isinstance(source, VoteMatrix):
        values = source.values
        agree = (values == 1).sum(axis=0)
        disagree = (values == -1).sum(axis=0)
        seen = (~np.isnan(values)).sum(axis=0)
        counts = {
            s: (int(a), int(d), int(n))
            for s, a, d, n in zip(source.statements, agree, disagree, seen, strict=True)
        }
    else:
        counts = {str(s): (int(c[0]), int(c[1]), int(c[2])) for s, c in source.items()}
    skip = {str(s) for s in excluded_statements}
    if analysis is not None:
        skip |= set(analysis.excluded_statements)
    result = {}
    for statement, (n_agree, n_disagree, n_seen) in counts.items():
        if statement in skip:
            continue
        n_pass = n_seen - n_agree - n_disagree
        p_agree = (n_agree + 1) / (n_seen + 2)
        p_pass = (n_pass + 1) / (n_seen + 2)
        stats = analysis.stats.get(statement) if analysis is not None else None
        extremity = stats.extremity if stats is not None else 0.0
        importance = p_agree * (1 - p_pass) * (1 + extremity)
        newness = 1 + NEW_STATEMENT_BOOST * 2 ** (-n_seen / HALF_LIFE_VOTES)
        result[statement] = float((importance * newness) ** 2)
    return result
