"""Read and write Pabulib ``.pb`` files (https://pabulib.org/format).

A file has three ``;``-separated sections, each a marker line (``META``, ``PROJECTS``, ``VOTES``) followed by a
header row and data rows. Fields may be quoted CSV-style. Reading is all-or-nothing: the first problem raises a
:class:`PabulibError` that names the line, so an import either brings in every ballot or none.

The VOTES section is the bulk of a file (90,000 lines for a city), so ballots are converted to arrays in one
pass over all of them rather than one Python object per voter.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from itertools import repeat
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np

from coproduce.lib.pb.election import (
    POINTS_VOTE_TYPES,
    VOTE_TYPES,
    Ballots,
    Election,
    Project,
    format_number,
    parse_number,
    points_array,
)
from coproduce.lib.pb.limits import LIMIT_KEYS, first_broken_ballot

SECTIONS = ("meta", "projects", "votes")
# The largest budget or cost a file may give: a signed 64-bit integer, the most that any program reading
# Pabulib files (or a database column) is sure to hold.
MAX_MONEY = 2**63 - 1
# The most points one ballot may give one project, so that the sum of every ballot's points for a project
# stays exact in a 64-bit integer even for millions of ballots.
MAX_POINTS = 10**9


class PabulibError(ValueError):
    """A ``.pb`` file that cannot be read; ``line`` is the 1-based line of the problem."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(f"line {line}: {problem}")
        self.line = line
        self.problem = problem


class _Section:
    """The rows of one section as read, before they are checked and converted."""

    def __init__(self, line: int) -> None:
        self.line = line
        self.header: list[str] = []
        self.header_line = line
        self.rows: list[list[str]] = []
        self.columns: list[list[str]] | None = None  # set instead of rows when read in bulk
        self.row_lines: list[int] = []


def parse_file(path: str | PathLike[str]) -> Election:
    """Read a ``.pb`` file (UTF-8, with or without a byte-order mark)."""
    return parse(Path(path).read_text(encoding="utf-8-sig"))


def parse(text: str) -> Election:
    """Read the text of a ``.pb`` file; raise :class:`PabulibError` naming the line of the first problem."""
    nul = text.find("\x00")
    if nul != -1:
        raise PabulibError(
            text.count("\n", 0, nul) + 1, "the line contains a NUL character (byte 0), which is not text"
        )
    sections = _split_sections(text)
    last_line = text.count("\n") + 1
    for name in SECTIONS:
        if name not in sections:
            raise PabulibError(last_line, f"the file has no {name.upper()} section")
    meta = _read_meta(sections["meta"])
    projects = _read_projects(sections["projects"])
    ballots = _read_votes(sections["votes"], meta, projects)
    return Election(meta, projects, ballots)


def _split_sections(text: str) -> dict[str, _Section]:
    sections: dict[str, _Section] = {}
    head, votes = _votes_in_bulk(text)
    for number, fields in _rows(head):
        _add_row(sections, number, fields)
    if votes is not None:
        marker_line, header_line, header, columns = votes
        _add_row(sections, marker_line, ["VOTES"])
        _add_row(sections, header_line, header)
        section = sections["votes"]
        section.columns = columns
        section.row_lines = list(range(header_line + 1, header_line + 1 + len(columns[0])))
    for name, section in sections.items():
        if not section.header:
            raise PabulibError(section.line, f"the {name.upper()} section has no header row")
    return sections


_SECTION_LINE = re.compile(r"^[ \t]*(meta|projects|votes)[ \t;]*\r?$", re.IGNORECASE | re.MULTILINE)


def _votes_in_bulk(text: str) -> tuple[str, tuple[int, int, list[str], list[list[str]]] | None]:
    """Split off a plain VOTES section to read it column by column with a few string operations.

    It applies when VOTES comes last, has no quotes, no blank lines, and every row has as many fields as the
    header: then the whole section is one ``split`` and each column a slice. Returns the text left for the
    careful row-by-row reader and, when the fast path applies, the VOTES marker's line, the header's line, the
    header and the columns. Anything unusual goes to the careful reader, which explains the problem.
    """
    markers = list(_SECTION_LINE.finditer(text))
    if not markers or markers[-1].group(1).lower() != "votes":
        return text, None
    marker = markers[-1]
    after = text[marker.end() :]
    body = after.lstrip("\r\n").rstrip()
    if "\r" in body:
        body = body.replace("\r\n", "\n")  # Windows line ends; line numbers stay the same
    if '"' in body or "\n\n" in body or "\r" in body or "\t" in body:
        return text, None
    lines = body.split("\n")
    header = [name.strip() for name in lines[0].split(";")]
    width = len(header)
    if len(lines) < 2 or set(map(str.count, lines, repeat(";"))) != {width - 1}:
        return text, None
    flat = body.replace("\n", ";").split(";")[width:]
    if any(padding in body for padding in ("; ", " ;", "\n ", " \n")) or body[-1] == " ":
        flat = [v.strip() for v in flat]
    if not all(
        flat[0::width]
    ):  # a blank line, or a ballot without voter_id: let the careful reader say which
        return text, None
    marker_line = text.count("\n", 0, marker.start()) + 1
    header_line = marker_line + after[: len(after) - len(after.lstrip("\r\n"))].count("\n")
    return text[: marker.start()], (marker_line, header_line, header, [flat[k::width] for k in range(width)])


def _add_row(sections: dict[str, _Section], number: int, fields: list[str]) -> None:
    if len(fields) == 1 and not fields[0]:
        return
    marker = fields[0].lower()
    if marker in SECTIONS and not any(fields[1:]):
        if marker in sections:
            raise PabulibError(number, f"a second {marker.upper()} section")
        sections[marker] = _Section(number)
        return
    if not sections:
        raise PabulibError(number, "data before the first META, PROJECTS or VOTES line")
    current = sections[next(reversed(sections))]
    if not current.header:
        _check_header(number, fields)
        current.header, current.header_line = fields, number
        return
    current.rows.append(fields)
    current.row_lines.append(number)


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, stripped fields) per row; a quoted field may run over several lines."""
    lines = text.split("\n")
    count = len(lines)
    index = 0
    while index < count:
        number = index + 1
        line = lines[index].rstrip("\r")
        index += 1
        if '"' not in line:
            yield number, [field.strip() for field in line.split(";")]
            continue
        while line.count('"') % 2 and index < count:
            line += "\n" + lines[index].rstrip("\r")
            index += 1
        if line.count('"') % 2:
            raise PabulibError(number, "a quoted field is never closed")
        yield number, [field.strip() for field in next(csv.reader([line], delimiter=";", strict=True))]


def _check_header(number: int, header: list[str]) -> None:
    if any(not name for name in header):
        raise PabulibError(number, "the header row has an empty column name")
    if len(set(header)) != len(header):
        raise PabulibError(number, "the header row names a column twice")


def _fit_row(section: _Section, row_number: int) -> list[str]:
    """The row padded to the header's width; extra non-empty fields are an error."""
    row = section.rows[row_number]
    width = len(section.header)
    if len(row) > width:
        if any(row[width:]):
            raise PabulibError(
                section.row_lines[row_number], f"{len(row)} fields but the header has {width} columns"
            )
        return row[:width]
    return row + [""] * (width - len(row))


def _read_meta(section: _Section) -> dict[str, str]:
    meta: dict[str, str] = {}
    lines: dict[str, int] = {}
    for k, row in enumerate(section.rows):
        number = section.row_lines[k]
        if len(row) < 2 or not row[0]:
            raise PabulibError(number, "a META row needs a key and a value")
        if row[0] in meta:
            raise PabulibError(number, f"META key {row[0]!r} given twice")
        meta[row[0]] = ";".join(row[1:]).rstrip(";") if len(row) > 2 else row[1]
        lines[row[0]] = number
    for key in ("budget", "vote_type"):
        if key not in meta:
            raise PabulibError(section.line, f"META has no {key}")
    budget = parse_number(meta["budget"])
    if budget is None or budget < 0:
        raise PabulibError(lines["budget"], f"budget {meta['budget']!r} is not a number of at least 0")
    if budget > MAX_MONEY:
        raise PabulibError(lines["budget"], f"budget {meta['budget']!r} is too large (at most {MAX_MONEY})")
    if meta["vote_type"] not in VOTE_TYPES:
        raise PabulibError(
            lines["vote_type"], f"vote_type {meta['vote_type']!r} is not one of {', '.join(VOTE_TYPES)}"
        )
    for key in LIMIT_KEYS:
        if key in meta and meta[key] and parse_number(meta[key]) is None:
            raise PabulibError(lines[key], f"{key} {meta[key]!r} is not a number")
    return meta


def _read_projects(section: _Section) -> list[Project]:
    header = section.header
    for column in ("project_id", "cost"):
        if column not in header:
            raise PabulibError(section.header_line, f"the PROJECTS header has no {column} column")
    id_column, cost_column = header.index("project_id"), header.index("cost")
    other_columns = [(k, name) for k, name in enumerate(header) if k not in (id_column, cost_column)]
    projects: list[Project] = []
    seen: set[str] = set()
    for k in range(len(section.rows)):
        row, number = _fit_row(section, k), section.row_lines[k]
        project_id = row[id_column]
        if not project_id:
            raise PabulibError(number, "a project with no project_id")
        if "," in project_id:
            raise PabulibError(number, f"project_id {project_id!r} contains a comma, which votes cannot name")
        if project_id in seen:
            raise PabulibError(number, f"project {project_id!r} is listed twice")
        seen.add(project_id)
        cost = parse_number(row[cost_column])
        if cost is None:
            raise PabulibError(
                number, f"the cost of project {project_id!r}, {row[cost_column]!r}, is not a number"
            )
        if cost < 0:
            raise PabulibError(number, f"project {project_id!r} has a negative cost")
        if cost > MAX_MONEY:
            raise PabulibError(
                number, f"the cost of project {project_id!r} is too large (at most {MAX_MONEY})"
            )
        projects.append(Project(project_id, cost, {name: row[i] for i, name in other_columns}))
    return projects


def _read_votes(section: _Section, meta: dict[str, str], projects: list[Project]) -> Ballots:
    header = section.header
    vote_type = meta["vote_type"]
    needed = ("voter_id", "vote", "points") if vote_type in POINTS_VOTE_TYPES else ("voter_id", "vote")
    for column in needed:
        if column not in header:
            raise PabulibError(section.header_line, f"the VOTES header has no {column} column")
    columns = section.columns
    if columns is None:
        rows = [_fit_row(section, k) for k in range(len(section.rows))]
        columns = [list(values) for values in zip(*rows, strict=True)] if rows else [[] for _ in header]
    by_name = dict(zip(header, columns, strict=True))
    voter_ids = by_name.pop("voter_id")
    votes = by_name.pop("vote")
    points_texts = by_name.pop("points", None) if vote_type in POINTS_VOTE_TYPES else None
    lines = section.row_lines

    _check_voter_ids(voter_ids, lines)
    position = {p.project_id: i for i, p in enumerate(projects)}
    indptr, marks = _split_votes(votes, position, lines)
    points = None
    if points_texts is not None:
        points = _split_points(points_texts, indptr, lines)
    ballots = Ballots(voter_ids, indptr, marks, points, by_name)
    _check_duplicates(ballots, projects, lines)
    _check_limits(ballots, meta, projects, lines)
    return ballots


def _check_voter_ids(voter_ids: list[str], lines: list[int]) -> None:
    if len(set(voter_ids)) == len(voter_ids) and all(voter_ids):
        return
    seen: set[str] = set()
    for k, voter_id in enumerate(voter_ids):
        if not voter_id:
            raise PabulibError(lines[k], "a ballot with no voter_id")
        if voter_id in seen:
            raise PabulibError(lines[k], f"voter {voter_id!r} has a second ballot")
        seen.add(voter_id)


def _token_counts(texts: list[str]) -> np.ndarray:
    commas = np.fromiter(map(str.count, texts, repeat(",")), dtype=np.int64, count=len(texts))
    counts: np.ndarray = commas + np.fromiter(map(bool, texts), dtype=bool, count=len(texts))
    return counts


def _all_tokens(texts: list[str], total: int) -> list[str]:
    if total == 0:
        return []
    joined = ",".join(filter(None, texts))
    tokens = joined.split(",")
    if " " in joined or "\t" in joined:
        tokens = [t.strip() for t in tokens]
    return tokens


def _voter_at(indptr: np.ndarray, token: int) -> int:
    return int(np.searchsorted(indptr, token, side="right")) - 1


def _split_votes(
    votes: list[str], position: dict[str, int], lines: list[int]
) -> tuple[np.ndarray, np.ndarray]:
    """CSR arrays for the vote column; empty names (``1,,2``) are dropped as pabutools drops them."""
    counts = _token_counts(votes)
    indptr = np.concatenate(([0], np.cumsum(counts)))
    tokens = _all_tokens(votes, int(indptr[-1]))
    lookup = dict(position)
    lookup[""] = -1
    try:
        marks = np.array([lookup[t] for t in tokens], dtype=np.int32)
    except KeyError:
        token = next(k for k, t in enumerate(tokens) if t not in lookup)
        raise PabulibError(
            lines[_voter_at(indptr, token)],
            f"the vote names project {tokens[token]!r}, which is not in PROJECTS",
        ) from None
    empty = marks == -1
    if empty.any():
        voter_of_mark = np.repeat(np.arange(len(votes)), counts)
        kept = np.bincount(voter_of_mark[~empty], minlength=len(votes))
        indptr = np.concatenate(([0], np.cumsum(kept)))
        marks = marks[~empty]
    return indptr, marks


def _split_points(texts: list[str], indptr: np.ndarray, lines: list[int]) -> np.ndarray:
    counts = _token_counts(texts)
    mismatch = np.flatnonzero(counts != np.diff(indptr))
    if len(mismatch):
        k = int(mismatch[0])
        raise PabulibError(
            lines[k],
            f"the ballot names {int(indptr[k + 1] - indptr[k])} projects but gives {counts[k]} points",
        )
    tokens = _all_tokens(texts, int(counts.sum()))
    if not tokens:
        return np.zeros(0, dtype=np.int64)
    try:
        whole = np.array(tokens, dtype=np.str_).astype(np.int64)
    except (ValueError, OverflowError):  # decimals, or a number beyond 64 bits: read one by one below
        pass
    else:
        too_large = np.flatnonzero(np.abs(whole) > MAX_POINTS)
        if not len(too_large):
            return whole
    values = []
    for k, token in enumerate(tokens):
        value = parse_number(token)
        if value is None:
            raise PabulibError(lines[_voter_at(indptr, k)], f"points {token!r} is not a number")
        if abs(value) > MAX_POINTS:
            raise PabulibError(
                lines[_voter_at(indptr, k)], f"points {token!r} is too large (at most {MAX_POINTS} a project)"
            )
        values.append(value)
    return points_array(values)


def _check_duplicates(ballots: Ballots, projects: list[Project], lines: list[int]) -> None:
    voter_of_mark = np.repeat(np.arange(len(ballots), dtype=np.int64), ballots.lengths)
    keys = voter_of_mark * max(1, len(projects)) + ballots.projects
    order = np.argsort(keys, kind="stable")
    repeated = np.flatnonzero(keys[order][1:] == keys[order][:-1])
    if len(repeated):
        mark = int(order[repeated[0] + 1])
        voter = int(voter_of_mark[mark])
        project_id = projects[int(ballots.projects[mark])].project_id
        raise PabulibError(lines[voter], f"the vote names project {project_id!r} twice")


def _check_limits(ballots: Ballots, meta: dict[str, str], projects: list[Project], lines: list[int]) -> None:
    broken = first_broken_ballot(ballots, meta, projects)
    if broken is not None:
        raise PabulibError(lines[broken[0]], broken[1])


def write(election: Election) -> str:
    """The election as ``.pb`` text; ``parse(write(election)) == election``."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    out.write("META\n")
    writer.writerow(["key", "value"])
    writer.writerows(election.meta.items())
    out.write("PROJECTS\n")
    field_names = list(dict.fromkeys(name for p in election.projects for name in p.fields))
    writer.writerow(["project_id", "cost", *field_names])
    for project in election.projects:
        values = [project.fields.get(name, "") for name in field_names]
        writer.writerow([project.project_id, format_number(project.cost), *values])
    out.write("VOTES\n")
    _write_votes(writer, election)
    return out.getvalue()


def write_file(election: Election, path: str | PathLike[str]) -> None:
    Path(path).write_text(write(election), encoding="utf-8")


def _write_votes(writer: Any, election: Election) -> None:
    ballots = election.ballots
    ids = [p.project_id for p in election.projects]
    for project_id in ids:
        if "," in project_id:
            raise ValueError(f"project_id {project_id!r} contains a comma, which votes cannot name")
    with_points = election.vote_type in POINTS_VOTE_TYPES
    names = list(ballots.voter_fields)
    writer.writerow(["voter_id", "vote", *(["points"] if with_points else []), *names])
    marks = ballots.projects.tolist()
    points = ballots.points.tolist() if ballots.points is not None else None
    indptr = ballots.indptr.tolist()
    columns = [ballots.voter_fields[name] for name in names]
    for voter, voter_id in enumerate(ballots.voter_ids):
        start, end = indptr[voter], indptr[voter + 1]
        row = [voter_id, ",".join(ids[m] for m in marks[start:end])]
        if with_points:
            row.append(",".join(format_number(x) for x in points[start:end]) if points is not None else "")
        row.extend(column[voter] for column in columns)
        writer.writerow(row)
