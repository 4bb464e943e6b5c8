"""Read and write the Polis export format (the files published in compdemocracy/openData).

A conversation is a directory holding:

- ``comments.csv``: ``timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body``;
  ``moderated`` is 1 (accepted), 0 (not yet moderated) or -1 (moderated out).
- ``votes.csv``: ``timestamp,datetime,comment-id,voter-id,vote``; vote is 1 agree, -1 disagree, 0 pass. A voter
  may appear more than once for a comment (a changed vote): the latest timestamp counts.
- ``participants-votes.csv`` (optional when reading): ``participant[,xid],group-id,n-comments,n-votes,n-agree,
  n-disagree`` then one column per comment id holding the participant's latest vote (blank: none).

Everything is checked; the first problem raises :class:`PolisFormatError` naming the file and line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from coproduce.lib.opinion.matrix import VoteMatrix, build_matrix_from_arrays

COMMENT_COLUMNS = ("timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees", "moderated")
COMMENT_BODY = "comment-body"
VOTE_COLUMNS = ("timestamp", "datetime", "comment-id", "voter-id", "vote")
PARTICIPANT_COLUMNS = ("participant", "group-id")
MODERATED_OUT = -1


class PolisFormatError(ValueError):
    """A file of a Polis export that cannot be read; ``str()`` reads "votes.csv, line 12: <problem>"."""

    def __init__(self, file: str, line: int | None, problem: str) -> None:
        self.file, self.line, self.problem = file, line, problem
        where = f"{file}, line {line}" if line is not None else file
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class PolisComment:
    comment_id: str
    body: str
    author_id: str = ""
    moderated: int = 1
    timestamp: int = 0
    datetime: str = ""
    agrees: int = 0
    disagrees: int = 0


@dataclass(frozen=True)
class PolisVote:
    timestamp: int
    comment_id: str
    voter_id: str
    vote: int
    datetime: str = ""


@dataclass(frozen=True)
class PolisParticipant:
    participant_id: str
    group_id: str = ""  # Polis's own group, blank when not grouped
    xid: str = ""


@dataclass(frozen=True)
class PolisExport:
    comments: tuple[PolisComment, ...]
    votes: tuple[PolisVote, ...]
    participants: tuple[PolisParticipant, ...] = ()
    metadata: dict[str, str] = field(default_factory=dict)  # summary.csv, when present

    def comment_text(self) -> dict[str, str]:
        return {c.comment_id: c.body for c in self.comments}

    def moderated_out(self) -> list[str]:
        return [c.comment_id for c in self.comments if c.moderated == MODERATED_OUT]

    def matrix(self) -> VoteMatrix:
        """Votes as a matrix (latest vote kept), one column per comment, in comment-id order."""
        ids = [c.comment_id for c in self.comments]
        ordered = sorted(ids, key=int) if all(i.isdigit() for i in ids) else sorted(ids)
        return build_matrix_from_arrays(
            np.array([v.voter_id for v in self.votes], dtype=str),
            np.array([v.comment_id for v in self.votes], dtype=str),
            np.array([v.vote for v in self.votes], dtype=np.int64),
            np.array([v.timestamp for v in self.votes], dtype=np.int64),
            statements=ordered,
        )


def _rows(path: Path, required: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Each data row with the number of the line it starts on, after checking the header."""
    name = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise PolisFormatError(name, None, "file not found") from None
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise PolisFormatError(name, line, "this is not UTF-8 text") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise PolisFormatError(name, 1, "the file is empty (expected a header line)") from None
    header = [h.strip() for h in header]
    for column in required:
        if column not in header:
            raise PolisFormatError(name, 1, f"missing column {column!r}")
    start = reader.line_num + 1
    try:
        for record in reader:
            if not record or (len(record) == 1 and not record[0].strip()):
                start = reader.line_num + 1
                continue
            if len(record) != len(header):
                raise PolisFormatError(
                    name, start, f"expected {len(header)} fields as in the header, found {len(record)}"
                )
            yield start, dict(zip(header, record, strict=True))
            start = reader.line_num + 1
    except csv.Error as error:
        raise PolisFormatError(name, reader.line_num, f"not valid CSV ({error})") from None


def _integer(value: str, file: str, line: int, what: str, allowed: Sequence[int] | None = None) -> int:
    text = value.strip()
    try:
        number = int(text)
    except ValueError:
        number = None
    if number is None or (allowed is not None and number not in allowed):
        if allowed is not None:
            choices = ", ".join(str(a) for a in allowed[:-1]) + f" or {allowed[-1]}"
            raise PolisFormatError(file, line, f"{what} must be {choices}, not {value!r}")
        raise PolisFormatError(file, line, f"{what} must be a whole number, not {value!r}")
    return number


def _identifier(value: str, file: str, line: int, what: str) -> str:
    text = value.strip()
    if not text:
        raise PolisFormatError(file, line, f"{what} is empty")
    return text


def read_export(directory: str | Path) -> PolisExport:
    """Read ``comments.csv``, ``votes.csv`` and (when present) ``participants-votes.csv`` and ``summary.csv``."""
    folder = Path(directory)
    if not folder.is_dir():
        raise PolisFormatError(str(folder), None, "not a directory")
    comments: list[PolisComment] = []
    seen: dict[str, int] = {}
    for line, row in _rows(folder / "comments.csv", (*COMMENT_COLUMNS[2:3], COMMENT_BODY)):
        f = "comments.csv"
        cid = _identifier(row["comment-id"], f, line, "comment-id")
        if cid in seen:
            raise PolisFormatError(f, line, f"comment-id {cid} already appears on line {seen[cid]}")
        seen[cid] = line
        comments.append(
            PolisComment(
                comment_id=cid,
                body=row[COMMENT_BODY],
                author_id=row.get("author-id", "").strip(),
                moderated=_integer(row.get("moderated", "1"), f, line, "moderated", (-1, 0, 1)),
                timestamp=_integer(row.get("timestamp", "0") or "0", f, line, "timestamp"),
                datetime=row.get("datetime", ""),
                agrees=_integer(row.get("agrees", "0") or "0", f, line, "agrees"),
                disagrees=_integer(row.get("disagrees", "0") or "0", f, line, "disagrees"),
            )
        )
    votes: list[PolisVote] = []
    for line, row in _rows(folder / "votes.csv", ("timestamp", "comment-id", "voter-id", "vote")):
        f = "votes.csv"
        cid = _identifier(row["comment-id"], f, line, "comment-id")
        if cid not in seen:
            raise PolisFormatError(f, line, f"comment-id {cid} is not in comments.csv")
        votes.append(
            PolisVote(
                timestamp=_integer(row["timestamp"], f, line, "timestamp"),
                comment_id=cid,
                voter_id=_identifier(row["voter-id"], f, line, "voter-id"),
                vote=_integer(row["vote"], f, line, "vote", (-1, 0, 1)),
                datetime=row.get("datetime", ""),
            )
        )
    participants: list[PolisParticipant] = []
    if (folder / "participants-votes.csv").exists():
        known: set[str] = set()
        for line, row in _rows(folder / "participants-votes.csv", PARTICIPANT_COLUMNS):
            f = "participants-votes.csv"
            pid = _identifier(row["participant"], f, line, "participant")
            if pid in known:
                raise PolisFormatError(f, line, f"participant {pid} appears twice")
            known.add(pid)
            for column, value in row.items():
                if column in seen and value.strip():
                    _integer(value, f, line, f"the vote on comment {column}", (-1, 0, 1))
            participants.append(PolisParticipant(pid, row["group-id"].strip(), row.get("xid", "").strip()))
    metadata: dict[str, str] = {}
    if (folder / "summary.csv").exists():
        with open(folder / "summary.csv", encoding="utf-8-sig", newline="") as handle:
            metadata = {r[0]: r[1] for r in csv.reader(handle) if len(r) >= 2}
    return PolisExport(tuple(comments), tuple(votes), tuple(participants), metadata)


def write_export(directory: str | Path, export: PolisExport) -> None:
    """Write the three files (and ``summary.csv`` when there is metadata) so that Polis tools can read them."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    matrix = export.matrix()
    agrees = np.nansum(matrix.values == 1, axis=0)
    disagrees = np.nansum(matrix.values == -1, axis=0)
    column = {s: j for j, s in enumerate(matrix.statements)}
    with open(folder / "comments.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow((*COMMENT_COLUMNS, COMMENT_BODY))
        for c in export.comments:
            j = column[c.comment_id]
            writer.writerow(
                (c.timestamp, c.datetime, c.comment_id, c.author_id, int(agrees[j]), int(disagrees[j]),
                 c.moderated, c.body)
            )  # fmt: skip
    with open(folder / "votes.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(VOTE_COLUMNS)
        for v in export.votes:
            writer.writerow((v.timestamp, v.datetime, v.comment_id, v.voter_id, v.vote))
    groups = {p.participant_id: p for p in export.participants}
    authored: dict[str, int] = {}
    for c in export.comments:
        authored[c.author_id] = authored.get(c.author_id, 0) + 1
    with_xid = any(p.xid for p in export.participants)
    with open(folder / "participants-votes.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        head = ["participant", *(["xid"] if with_xid else []), "group-id", "n-comments", "n-votes", "n-agree"]
        writer.writerow([*head, "n-disagree", *matrix.statements])
        for i, pid in enumerate(matrix.participants):
            row = matrix.values[i]
            person = groups.get(pid, PolisParticipant(pid))
            cells = ["" if np.isnan(v) else str(int(v)) for v in row.tolist()]
            writer.writerow(
                [pid, *([person.xid] if with_xid else []), person.group_id, authored.get(pid, 0),
                 int((~np.isnan(row)).sum()), int((row == 1).sum()), int((row == -1).sum()), *cells]
            )  # fmt: skip
    if export.metadata:
        with open(folder / "summary.csv", "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(export.metadata.items())
