"""Plain data for one participatory-budgeting election: its projects, its budget and its ballots.

Ballots are stored column-wise in compressed sparse rows (CSR): one array of project positions for all voters
and an ``indptr`` array saying where each voter's ballot starts. A city-wide vote has around 100,000 ballots;
one Python set per voter would cost ~10x the memory and make every rule loop over Python objects.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Any

import numpy as np

VOTE_TYPES = ("approval", "choose-1", "ordinal", "cumulative", "scoring")
POINTS_VOTE_TYPES = ("cumulative", "scoring")

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def parse_number(text: str) -> Fraction | None:
    """The exact value of a decimal number as Pabulib writes it (a decimal comma is accepted), else None."""
    text = text.strip().replace(",", ".")
    if not _NUMBER.fullmatch(text):
        return None
    return Fraction(text)


def format_number(value: Fraction | int) -> str:
    """Write an exact number in decimal notation, without a trailing ``.0`` for whole numbers."""
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    denominator, twos, fives = value.denominator, 0, 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    if denominator != 1:
        raise ValueError(f"{value} has no finite decimal form")
    digits = max(twos, fives)
    scaled = abs(value.numerator) * (10**digits // value.denominator)
    whole, fraction = divmod(scaled, 10**digits)
    sign = "-" if value < 0 else ""
    return f"{sign}{whole}.{str(fraction).rjust(digits, '0').rstrip('0')}"


@dataclass(frozen=True)
class Project:
    """A project on the ballot paper. ``fields`` keeps every other PROJECTS column as text (name, votes, ...)."""

    project_id: str
    cost: Fraction
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.fields.get("name", "")


@dataclass(frozen=True)
class Ballot:
    """One voter's ballot, for reading one at a time (the rules use :class:`Ballots` directly)."""

    voter_id: str
    projects: tuple[str, ...]
    points: tuple[Fraction, ...] | None
    fields: dict[str, str]


class Ballots:
    """Every ballot of an election, stored as compressed sparse rows.

    ``projects[indptr[v]:indptr[v + 1]]`` are the positions (in ``Election.projects``) of the projects on voter
    ``v``'s ballot, in the order the voter wrote them, which is the ranking for ordinal ballots.
    ``points`` runs alongside ``projects`` for cumulative and scoring ballots (int64, or Fractions when a
    ballot gives a non-whole number of points). ``voter_fields`` holds the other VOTES columns (age, sex,
    voting_method, ...) as one list of strings per column, in column order.
    """

    def __init__(
        self,
        voter_ids: list[str],
        indptr: np.ndarray,
        projects: np.ndarray,
        points: np.ndarray | None = None,
        voter_fields: dict[str, list[str]] | None = None,
    ) -> None:
        self.voter_ids = voter_ids
        self.indptr = np.asarray(indptr, dtype=np.int64)
        self.projects = np.asarray(projects, dtype=np.int32)
        self.points = points
        self.voter_fields = voter_fields if voter_fields is not None else {}
        if len(self.indptr) != len(voter_ids) + 1 or self.indptr[-1] != len(self.projects):
            raise ValueError("indptr does not match voter_ids and projects")
        if points is not None and len(points) != len(self.projects):
            raise ValueError("points must run alongside projects")

    def __len__(self) -> int:
        return len(self.voter_ids)

    @property
    def lengths(self) -> np.ndarray:
        """How many projects each ballot names."""
        return np.diff(self.indptr)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Ballots):
            return NotImplemented
        same_points = (self.points is None and other.points is None) or (
            self.points is not None
            and other.points is not None
            and len(self.points) == len(other.points)
            and all(a == b for a, b in zip(self.points.tolist(), other.points.tolist(), strict=True))
        )
        return (
            self.voter_ids == other.voter_ids
            and np.array_equal(self.indptr, other.indptr)
            and np.array_equal(self.projects, other.projects)
            and same_points
            and self.voter_fields == other.voter_fields
        )

    def __repr__(self) -> str:
        return f"Ballots({len(self)} voters, {len(self.projects)} marks)"

    @classmethod
    def from_lists(
        cls,
        ballots: Sequence[Sequence[int]],
        points: Sequence[Sequence[Any]] | None = None,
        voter_ids: list[str] | None = None,
        voter_fields: dict[str, list[str]] | None = None,
    ) -> Ballots:
        """Build from one list of project positions per voter (and, for points ballots, their points)."""
        lengths = np.fromiter((len(b) for b in ballots), dtype=np.int64, count=len(ballots))
        indptr = np.concatenate(([0], np.cumsum(lengths)))
        flat = np.fromiter((p for b in ballots for p in b), dtype=np.int32, count=int(indptr[-1]))
        flat_points = None
        if points is not None:
            flat_points = points_array([x for row in points for x in row])
        ids = voter_ids if voter_ids is not None else [str(i + 1) for i in range(len(ballots))]
        return cls(ids, indptr, flat, flat_points, voter_fields)


def row_sums(values: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """Sum of ``values[indptr[i]:indptr[i + 1]]`` for every row i of a CSR layout, empty rows included.

    ``np.add.reduceat`` alone gets empty rows wrong (it returns the next value, and an empty last row
    needs an index past the end), so it is only given the rows that have values.
    """
    sums = np.zeros(len(indptr) - 1, dtype=values.dtype)
    filled = indptr[1:] > indptr[:-1]
    if filled.any():
        sums[filled] = np.add.reduceat(values, indptr[:-1][filled])
    return sums


def points_array(values: Iterable[Any]) -> np.ndarray:
    """Points as int64 when all are whole numbers (the usual case), else as exact Fractions."""
    exact = [Fraction(v) for v in values]
    if all(v.denominator == 1 for v in exact):
        return np.array([int(v) for v in exact], dtype=np.int64)
    return np.array(exact, dtype=object)


@dataclass(eq=True)
class Election:
    """One election: Pabulib META (as text), its projects in file order, and its ballots."""

    meta: dict[str, str]
    projects: list[Project]
    ballots: Ballots

    @property
    def budget(self) -> Fraction:
        value = parse_number(self.meta.get("budget", ""))
        if value is None:
            raise ValueError("META has no numeric budget")
        return value

    @property
    def vote_type(self) -> str:
        return self.meta.get("vote_type", "approval")

    @property
    def num_voters(self) -> int:
        return len(self.ballots)

    @cached_property
    def position(self) -> dict[str, int]:
        """Where each project id sits in ``projects``."""
        return {p.project_id: i for i, p in enumerate(self.projects)}

    def ballot(self, voter: int) -> Ballot:
        """Voter number ``voter``'s ballot, with project ids rather than positions."""
        ballots = self.ballots
        start, end = int(ballots.indptr[voter]), int(ballots.indptr[voter + 1])
        ids = tuple(self.projects[i].project_id for i in ballots.projects[start:end].tolist())
        points = None
        if ballots.points is not None:
            points = tuple(Fraction(x) for x in ballots.points[start:end].tolist())
        fields = {name: values[voter] for name, values in ballots.voter_fields.items()}
        return Ballot(ballots.voter_ids[voter], ids, points, fields)


def make_election(
    budget: Fraction | int | str,
    costs: Mapping[str, Fraction | int | str],
    ballots: Sequence[Sequence[str]] | Sequence[Mapping[str, Fraction | int]],
    *,
    vote_type: str = "approval",
    meta: Mapping[str, str] | None = None,
) -> Election:
    """Build an election from plain Python values, e.g. for the web layer or tests.

    ``ballots`` are lists of project ids (approval, choose-1, ordinal: in ranking order) or, for cumulative and
    scoring, mappings from project id to points.
    """
    if vote_type not in VOTE_TYPES:
        raise ValueError(f"unknown vote type {vote_type!r}")
    projects = [Project(str(pid), Fraction(cost)) for pid, cost in costs.items()]
    position = {p.project_id: i for i, p in enumerate(projects)}
    rows: list[list[int]] = []
    points: list[list[Fraction | int]] | None = [] if vote_type in POINTS_VOTE_TYPES else None
    for ballot in ballots:
        if points is not None:
            if not isinstance(ballot, Mapping):
                raise ValueError(f"{vote_type} ballots map project ids to points")
            rows.append([position[str(pid)] for pid in ballot])
            points.append(list(ballot.values()))
        else:
            rows.append([position[str(pid)] for pid in ballot])
    all_meta = {
        "budget": format_number(Fraction(budget)),
        "vote_type": vote_type,
        "num_projects": str(len(projects)),
        "num_votes": str(len(rows)),
    }
    all_meta.update(meta or {})
    return Election(all_meta, projects, Ballots.from_lists(rows, points))
