"""Reading and writing the Polis export format; every bad file names the file and the line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from coproduce.lib.opinion.polis import (
    PolisComment,
    PolisExport,
    PolisFormatError,
    PolisVote,
    read_export,
    write_export,
)

DATA = Path(__file__).resolve().parents[4] / "shared" / "data" / "polis"
COMMENTS = (
    "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
    "1000,Mon,0,5,2,0,1,Parks need more benches\n"
    '1001,Mon,1,6,0,1,-1,"A statement\nover two lines"\n'
    "1002,Mon,2,5,1,1,0,Open the library on Sundays\n"
)
VOTES = (
    "timestamp,datetime,comment-id,voter-id,vote\n"
    "2000,Mon,0,1,1\n"
    "2001,Mon,0,2,1\n"
    "2002,Mon,1,1,-1\n"
    "2003,Mon,2,1,-1\n"
    "2004,Mon,2,2,1\n"
    "2005,Mon,2,1,1\n"
)


def export_dir(tmp_path: Path, comments: str = COMMENTS, votes: str = VOTES) -> Path:
    (tmp_path / "comments.csv").write_text(comments, encoding="utf-8")
    (tmp_path / "votes.csv").write_text(votes, encoding="utf-8")
    return tmp_path


def test_reads_comments_votes_and_keeps_the_latest_vote(tmp_path):
    export = read_export(export_dir(tmp_path))
    assert [c.comment_id for c in export.comments] == ["0", "1", "2"]
    assert export.comments[1].body == "A statement\nover two lines"
    assert export.moderated_out() == ["1"]
    assert len(export.votes) == 6
    matrix = export.matrix()
    assert matrix.participants == ("1", "2") and matrix.statements == ("0", "1", "2")
    assert matrix.values[0].tolist() == [1, -1, 1]  # voter 1 changed their mind on comment 2


def test_write_then_read_gives_the_same_export(tmp_path):
    export = PolisExport(
        comments=(PolisComment("0", "Benches, please", author_id="9", moderated=1, timestamp=5),),
        votes=(PolisVote(10, "0", "9", 1), PolisVote(11, "0", "8", -1), PolisVote(12, "0", "9", 0)),
    )
    write_export(tmp_path, export)
    again = read_export(tmp_path)
    assert again.comments[0].body == "Benches, please" and again.comments[0].agrees == 0
    assert again.comments[0].disagrees == 1
    assert again.votes == export.votes
    assert [p.participant_id for p in again.participants] == ["8", "9"]
    assert np.array_equal(again.matrix().values, export.matrix().values, equal_nan=True)


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("votes", "2003,Mon,2,1,-1", "2003,Mon,2,1,x", "votes.csv, line 5: vote must be -1, 0 or 1, not 'x'"),
        ("votes", "2003,Mon,2,1,-1", "2003,Mon,2,1,2", "votes.csv, line 5: vote must be -1, 0 or 1, not '2'"),
        (
            "votes",
            "2001,Mon,0,2,1",
            "2001,Mon,7,2,1",
            "votes.csv, line 3: comment-id 7 is not in comments.csv",
        ),
        ("votes", "2001,Mon,0,2,1", "soon,Mon,0,2,1", "votes.csv, line 3: timestamp must be a whole number"),
        ("votes", "2001,Mon,0,2,1", "2001,Mon,0,,1", "votes.csv, line 3: voter-id is empty"),
        ("votes", "2001,Mon,0,2,1", "2001,Mon,0,2", "votes.csv, line 3: expected 5 fields"),
        (
            "votes",
            "timestamp,datetime,comment-id,voter-id,vote",
            "timestamp,comment-id,voter-id",
            "votes.csv, line 1: ",
        ),
        (
            "comments",
            "1002,Mon,2,5,1,1,0,",
            "1002,Mon,0,5,1,1,0,",
            "comments.csv, line 5: comment-id 0 already",
        ),
        (
            "comments",
            "1002,Mon,2,5,1,1,0,",
            "1002,Mon,2,5,1,1,maybe,",
            "comments.csv, line 5: moderated must be",
        ),
    ],
)
def test_each_bad_input_names_the_file_and_line(tmp_path, file, old, new, message):
    comments, votes = COMMENTS, VOTES
    if file == "votes":
        assert old in votes
        votes = votes.replace(old, new)
    else:
        assert old in comments
        comments = comments.replace(old, new)
    with pytest.raises(PolisFormatError) as caught:
        read_export(export_dir(tmp_path, comments, votes))
    assert str(caught.value).startswith(message)
    assert caught.value.file in ("votes.csv", "comments.csv") and caught.value.line is not None


def test_line_numbers_count_multi_line_comments(tmp_path):
    # Line 1 header, lines 2 and 3-4 (a two-line body), line 5 the bad one.
    comments = COMMENTS.replace("1002,Mon,2,5,1,1,0,", "1002,Mon,2,5,1,1,9,")
    with pytest.raises(
        PolisFormatError, match=r"^comments.csv, line 5: moderated must be -1, 0 or 1, not '9'$"
    ):
        read_export(export_dir(tmp_path, comments))


def test_missing_files_and_bad_encoding(tmp_path):
    (tmp_path / "comments.csv").write_text(COMMENTS)
    with pytest.raises(PolisFormatError, match=r"^votes.csv: file not found$"):
        read_export(tmp_path)
    (tmp_path / "votes.csv").write_bytes(
        VOTES.replace("2005,Mon,2,1,1", "2005,Mon,2,caf\xe9,1").encode("latin-1")
    )
    with pytest.raises(PolisFormatError, match=r"^votes.csv, line 7: this is not UTF-8 text$"):
        read_export(tmp_path)
    (tmp_path / "votes.csv").write_text("")
    with pytest.raises(PolisFormatError, match="line 1: the file is empty"):
        read_export(tmp_path)
    with pytest.raises(PolisFormatError, match="not a directory"):
        read_export(tmp_path / "nowhere")


def test_participants_file_is_checked(tmp_path):
    export_dir(tmp_path)
    (tmp_path / "participants-votes.csv").write_text(
        "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1,2\n1,0,2,3,2,1,1,-1,1\n2,1,0,2,2,0,1,,y\n"
    )
    with pytest.raises(
        PolisFormatError, match=r"^participants-votes.csv, line 3: the vote on comment 2 must be"
    ):
        read_export(tmp_path)


@pytest.mark.skipif(not DATA.is_dir(), reason="no shared Polis data")
def test_reads_the_published_exports():
    for folder in sorted(p for p in DATA.iterdir() if (p / "votes.csv").exists()):
        export = read_export(folder)
        assert export.comments and export.votes, folder
        agrees = {c.comment_id: c.agrees for c in export.comments}
        counted: dict[str, int] = {}
        for v in export.votes:
            counted[v.comment_id] = counted.get(v.comment_id, 0) + (v.vote == 1)
        # comments.csv counts each agree vote row, as votes.csv lists them
        assert sum(counted.values()) == sum(agrees[c] for c in counted), folder
