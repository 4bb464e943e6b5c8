"""Who supports which project, derived once from the ballots for every rule.

How each vote type counts (the rules only ever see this):

- approval, choose-1: a voter supports every project on the ballot; a project's score is its number of votes.
- ordinal: a voter supports every project they ranked. The score is Borda-like within each ballot, as Pabulib
  computes its ``score`` column: on a ballot ranking k projects, the first gets k points, the last 1.
- cumulative, scoring: a voter supports every project they gave more than 0 points; the score is the sum of
  points.

Greedy orders projects by score. Equal Shares and Phragmén treat every ballot as an approval ballot of the
projects it supports, with cost satisfaction (a voter values a project at its cost), because both rules are
defined on approvals and the points on real ballots are small whole numbers that say "yes" more than "how much".
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from coproduce.lib.pb.election import POINTS_VOTE_TYPES, Election, row_sums


@dataclass(frozen=True, eq=False)
class Support:
    """Approvals both ways round: per voter (CSR) and per project (CSC), as int32 positions."""

    num_voters: int
    num_projects: int
    # ballot of voter v: voter_projects[voter_indptr[v]:voter_indptr[v + 1]]
    voter_indptr: np.ndarray
    voter_projects: np.ndarray
    # supporters of project p: project_voters[project_indptr[p]:project_indptr[p + 1]]
    project_indptr: np.ndarray
    project_voters: np.ndarray
    scores: list[Fraction | int]  # per project, exact, used by greedy

    @property
    def approvals(self) -> np.ndarray:
        """How many voters support each project."""
        return np.diff(self.project_indptr)

    def supporters(self, project: int) -> np.ndarray:
        return self.project_voters[self.project_indptr[project] : self.project_indptr[project + 1]]

    def ballot(self, voter: int) -> np.ndarray:
        return self.voter_projects[self.voter_indptr[voter] : self.voter_indptr[voter + 1]]


def support_of(election: Election) -> Support:
    """Build the :class:`Support` of an election (one pass over all ballots, vectorised)."""
    ballots = election.ballots
    num_voters, num_projects = len(ballots), len(election.projects)
    lengths = ballots.lengths
    voter_of_mark = np.repeat(np.arange(num_voters, dtype=np.int32), lengths)
    marks = ballots.projects
    scores = _scores(election, voter_of_mark)
    if ballots.points is not None and election.vote_type in POINTS_VOTE_TYPES:
        keep = np.array([x > 0 for x in ballots.points.tolist()], dtype=bool)
        marks, voter_of_mark = marks[keep], voter_of_mark[keep]
        lengths = np.bincount(voter_of_mark, minlength=num_voters)
    voter_indptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    order = np.argsort(marks, kind="stable")
    project_voters = voter_of_mark[order]
    counts = np.bincount(marks, minlength=num_projects)
    project_indptr = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    return Support(
        num_voters=num_voters,
        num_projects=num_projects,
        voter_indptr=voter_indptr,
        voter_projects=np.ascontiguousarray(marks, dtype=np.int32),
        project_indptr=project_indptr,
        project_voters=np.ascontiguousarray(project_voters, dtype=np.int32),
        scores=scores,
    )


def _scores(election: Election, voter_of_mark: np.ndarray) -> list[Fraction | int]:
    ballots = election.ballots
    num_projects = len(election.projects)
    if election.vote_type in POINTS_VOTE_TYPES and ballots.points is not None:
        points = ballots.points
        if points.dtype != object:
            return [int(x) for x in _int_sums(ballots.projects, points, num_projects)]
        totals: list[Fraction | int] = [0] * num_projects
        for project, value in zip(ballots.projects.tolist(), points.tolist(), strict=True):
            totals[project] += value
        return totals
    if election.vote_type == "ordinal":
        starts = ballots.indptr[:-1][voter_of_mark]
        rank = np.arange(len(ballots.projects)) - starts  # 0 for the first-ranked project
        borda = ballots.lengths[voter_of_mark] - rank
        return [int(x) for x in _int_sums(ballots.projects, borda, num_projects)]
    return [int(x) for x in np.bincount(ballots.projects, minlength=num_projects)]


def _int_sums(projects: np.ndarray, values: np.ndarray, num_projects: int) -> np.ndarray:
    """Exact per-project sums of integer values (np.add.at keeps int64, unlike bincount's float weights)."""
    totals = np.zeros(num_projects, dtype=np.int64)
    np.add.at(totals, projects, values)
    return totals


@dataclass(frozen=True, eq=False)
class VoterGroups:
    """Voters who support exactly the same projects, merged into one group with a weight.

    Equal Shares and Phragmén treat such voters identically at every step (same money, same load), so they
    can run on groups: a city's 90,000 ballots are typically 20,000 distinct ones.
    """

    weights: np.ndarray  # voters per group (int64)
    group_of_voter: np.ndarray
    indptr: np.ndarray  # projects supported by group g: projects[indptr[g]:indptr[g + 1]]
    projects: np.ndarray
    project_indptr: np.ndarray  # groups supporting project p: project_groups[project_indptr[p]:...]
    project_groups: np.ndarray

    @property
    def num_groups(self) -> int:
        return len(self.weights)

    def supporters(self, project: int) -> np.ndarray:
        return self.project_groups[self.project_indptr[project] : self.project_indptr[project + 1]]


def group_voters(support: Support) -> VoterGroups:
    """Merge voters with identical sets of supported projects.

    The key of a ballot is its exact bitmask of projects (one uint64 word per 64 projects); sorting the keys
    and cutting where they change gives the groups.
    """
    num_voters = support.num_voters
    lengths = np.diff(support.voter_indptr)
    marks = support.voter_projects.astype(np.int64)
    words = []
    for word in range(max(1, (support.num_projects + 63) // 64)):
        flags = np.where(marks // 64 == word, np.left_shift(np.uint64(1), (marks % 64).astype(np.uint64)), 0)
        words.append(row_sums(flags.astype(np.uint64), support.voter_indptr))
    order = np.lexsort(words[::-1]) if num_voters else np.zeros(0, dtype=np.int64)
    starts_group = np.ones(num_voters, dtype=bool)
    for key in words:
        starts_group[1:] &= key[order][1:] == key[order][:-1]
    starts_group = ~starts_group
    starts_group[:1] = True
    group_in_order = np.cumsum(starts_group) - 1
    group_of_voter = np.empty(num_voters, dtype=np.int32)
    group_of_voter[order] = group_in_order
    weights = np.bincount(group_in_order).astype(np.int64)
    first_voter = order[starts_group]
    group_lengths = lengths[first_voter]
    indptr = np.concatenate(([0], np.cumsum(group_lengths))).astype(np.int64)
    offsets = np.arange(int(indptr[-1])) - np.repeat(indptr[:-1], group_lengths)
    projects = support.voter_projects[np.repeat(support.voter_indptr[first_voter], group_lengths) + offsets]
    group_of_mark = np.repeat(np.arange(len(first_voter), dtype=np.int32), group_lengths)
    by_project = np.argsort(projects, kind="stable")
    counts = np.bincount(projects, minlength=support.num_projects)
    return VoterGroups(
        weights=weights,
        group_of_voter=group_of_voter,
        indptr=indptr,
        projects=projects.astype(np.int32),
        project_indptr=np.concatenate(([0], np.cumsum(counts))).astype(np.int64),
        project_groups=group_of_mark[by_project],
    )
