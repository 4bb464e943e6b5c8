"""Greedy by votes: the rule most cities use.

Projects are taken from the highest score down; a project that costs more than what is left is skipped (or,
with ``skip=False``, ends the count: "greedy-no-skip"). Ties go to the project whose id sorts first, which is
pabutools' default (lexicographic) tie-breaking, so the funded set equals pabutools'
``greedy_utilitarian_welfare`` with cost satisfaction on approval ballots. Projects nobody voted for are still
funded if money is left, as pabutools does; set ``threshold=1`` to prevent that.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from coproduce.lib.pb.election import Election
from coproduce.lib.pb.rules.outcome import Explanation, Outcome, Phase, Reason
from coproduce.lib.pb.rules.support import Support, support_of


def greedy(
    election: Election,
    *,
    skip: bool = True,
    threshold: Fraction | int = 0,
    support: Support | None = None,
) -> Outcome:
    """Fund projects by score until the budget runs out.

    ``threshold`` is the minimum score (votes, or points for cumulative ballots) a project needs to be
    considered at all, as in cities with a "greedy-threshold" rule.
    """
    support = support or support_of(election)
    budget = election.budget
    explanations: dict[str, Explanation] = {}
    eligible = []
    for p in by_score(election, support, range(len(election.projects))):
        if support.scores[p] < threshold:
            explanations[election.projects[p].project_id] = explain(
                election, support, p, Reason.BELOW_THRESHOLD, phase=Phase.GREEDY, threshold=threshold
            )
        else:
            eligible.append(p)
    selected, left = fill(election, support, eligible, budget, Phase.GREEDY, explanations, skip=skip)
    rule = "greedy" if skip else "greedy-no-skip"
    return Outcome(rule, budget, selected, budget - left, explanations)


def by_score(election: Election, support: Support, projects: Iterable[int]) -> list[int]:
    """Highest score first; equal scores in the order of their ids as strings (pabutools' tie-breaking)."""
    return sorted(projects, key=lambda p: (-support.scores[p], election.projects[p].project_id))


def fill(
    election: Election,
    support: Support,
    ordered: list[int],
    left: Fraction,
    phase: Phase,
    explanations: dict[str, Explanation],
    *,
    skip: bool = True,
    position: int = 0,
) -> tuple[list[str], Fraction]:
    """Walk ``ordered`` and fund each project that fits what is ``left``; record why each was (not) funded.

    Returns the funded ids in order and what is left. Without ``skip`` the first project that does not fit
    stops the count and the rest are ``NOT_REACHED``.
    """
    selected: list[str] = []
    stopped = False
    for p in ordered:
        project = election.projects[p]
        if stopped:
            explanations[project.project_id] = explain(
                election, support, p, Reason.NOT_REACHED, phase=phase, left=left
            )
        elif project.cost <= left:
            left -= project.cost
            selected.append(project.project_id)
            explanations[project.project_id] = explain(
                election, support, p, Reason.FUNDED, phase=phase, position=position + len(selected), left=left
            )
        else:
            explanations[project.project_id] = explain(
                election, support, p, Reason.DID_NOT_FIT, phase=phase, left=left
            )
            stopped = not skip
    return selected, left


def explain(election: Election, support: Support, p: int, reason: Reason, **numbers: object) -> Explanation:
    project = election.projects[p]
    return Explanation(
        project_id=project.project_id,
        reason=reason,
        cost=project.cost,
        score=support.scores[p],
        supporters=int(support.project_indptr[p + 1] - support.project_indptr[p]),
        **numbers,  # type: ignore[arg-type]
    )
