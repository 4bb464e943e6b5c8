"""``python -m coproduce.lib.opinion analyse`` and ``coproduce conversation analyse``."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from tests.lib.opinion.planted import planted

from coproduce.lib.opinion.cli import main
from coproduce.lib.opinion.polis import PolisComment, PolisExport, PolisVote, write_export

SRC = Path(__file__).resolve().parents[3] / "src"
LIBRARY = SRC / "coproduce" / "lib" / "opinion"


@pytest.fixture(scope="module")
def conversation(tmp_path_factory):
    matrix, _ = planted(sizes=(40, 30), statements=15, prefix="")
    rows, cols = (matrix.values == matrix.values).nonzero()
    votes = tuple(
        PolisVote(i, matrix.statements[c][1:], matrix.participants[r], int(matrix.values[r, c]))
        for i, (r, c) in enumerate(zip(rows.tolist(), cols.tolist(), strict=True))
    )
    comments = tuple(PolisComment(s[1:], f"Statement number {s[1:]}") for s in matrix.statements)
    folder = tmp_path_factory.mktemp("export")
    write_export(folder, PolisExport(comments, votes))
    return folder


def run(*argv: str) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    status = main(list(argv), stdout=stdout, stderr=stderr)
    return status, stdout.getvalue(), stderr.getvalue()


def test_json_has_the_documented_shape(conversation):
    status, out, err = run("analyse", str(conversation), "--format", "json")
    assert (status, err) == (0, "")
    data = json.loads(out)
    assert list(data)[:4] == ["groups", "consensus", "representative", "divisive"]
    assert [len(g) for g in data["groups"]] == [40, 30]
    assert all(isinstance(p, str) for g in data["groups"] for p in g)
    assert len(data["representative"]) == 2 and all(
        isinstance(s, str) for r in data["representative"] for s in r
    )
    assert set(data["consensus"]) >= {"0", "1", "2"}


def test_full_json_can_be_stored(conversation):
    from coproduce.lib.opinion import Analysis

    status, out, _ = run("analyse", str(conversation), "--format", "json", "--full")
    assert status == 0 and Analysis.from_json(json.loads(out)).k == 2


def test_text_report_names_groups_and_statements(conversation):
    status, out, _ = run("analyse", str(conversation))
    assert status == 0
    assert "70 people placed in 2 groups" in out
    assert "Group 1 (40 people)" in out and "Group 2 (30 people)" in out
    assert re.search(r"\[\d+\] (agrees|disagrees) \d+% \(x[\d.]+ the rest\) Statement number \d+", out)
    assert "Consensus" in out and "Statement number 0" in out


def test_a_malformed_file_exits_2_naming_file_and_line(tmp_path, conversation):
    for name in ("comments.csv", "votes.csv"):
        (tmp_path / name).write_text((conversation / name).read_text())
    lines = (tmp_path / "votes.csv").read_text().splitlines()
    lines[3] = lines[3].rsplit(",", 1)[0] + ",agree"
    (tmp_path / "votes.csv").write_text("\n".join(lines) + "\n")
    status, out, err = run("analyse", str(tmp_path), "--format", "json")
    assert (status, out) == (2, "")
    assert "votes.csv, line 4: vote must be -1, 0 or 1, not 'agree'" in err


def test_a_missing_directory_exits_2(tmp_path):
    status, _, err = run("analyse", str(tmp_path / "nowhere"))
    assert status == 2 and "not a directory" in err


def test_coproduce_conversation_analyse_runs_without_django(conversation):
    code = (
        "import sys; from coproduce.cli import main\n"
        "try:\n    main(['coproduce', 'conversation', 'analyse', sys.argv[1], '--format', 'json'])\n"
        "except SystemExit as e:\n    assert 'django' not in sys.modules, 'Django was loaded'\n    raise\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run(
        [sys.executable, "-c", code, str(conversation)], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["groups"]) == 2
    bad = subprocess.run(
        [sys.executable, "-m", "coproduce.lib.opinion", "analyse", str(conversation / "nowhere")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert bad.returncode == 2 and "nowhere" in bad.stderr


def test_the_library_imports_only_numpy():
    for path in LIBRARY.rglob("*.py"):
        source = path.read_text()
        assert not re.search(
            r"^\s*(import|from)\s+(django|sklearn|scipy|pandas|reddwarf)\b", source, re.MULTILINE
        ), path
