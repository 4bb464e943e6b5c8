"""The ``results`` command, and the rules the library must keep about what it imports."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from coproduce.lib.pb import make_election, write_file
from coproduce.lib.pb.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
LIBRARY = Path(__file__).resolve().parents[3] / "src" / "coproduce" / "lib" / "pb"


def run(*argv: str) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    status = main(list(argv), stdout=stdout, stderr=stderr)
    return status, stdout.getvalue(), stderr.getvalue()


@pytest.mark.parametrize(
    ("rule", "selected"),
    [
        ("greedy", ["a1", "a2", "a3", "c1"]),
        ("greedy-no-skip", ["a1", "a2", "a3"]),
        ("mes-add1", ["a1", "a2", "b1", "c1"]),
        ("phragmen", ["c1", "a1", "b1", "a2"]),
    ],
)
def test_json_output_is_exactly_rule_selected_cost(rule, selected):
    status, out, err = run("results", str(FIXTURES / "approval.pb"), "--rule", rule, "--format", "json")
    assert (status, err) == (0, "")
    answer = json.loads(out)
    assert list(answer) == ["rule", "selected", "cost"]
    assert answer["rule"] == rule
    assert answer["selected"] == selected


def test_cost_is_a_number_even_when_it_has_cents():
    _, out, _ = run("results", str(FIXTURES / "approval.pb"), "--rule", "greedy", "--format", "json")
    assert json.loads(out)["cost"] == 95000.5


def test_text_output_explains_the_result():
    status, out, _ = run("results", str(FIXTURES / "approval.pb"), "--rule", "mes-add1")
    assert status == 0
    assert "1. a1" in out
    assert "Voters with at least one funded project: 11 of 12" in out
    assert re.search(r"a3  The \"big\" clean-up\s+shares-ran-out", out)


def test_text_output_names_each_project_beside_its_id():
    status, out, _ = run("results", str(FIXTURES / "approval.pb"), "--rule", "mes-add1")
    assert status == 0
    assert "   1. a1  Community garden; phase 1  cost 30000  votes 6  (equal-shares)" in out
    assert "   4. c1  Bench by the river  cost 5000.5" in out
    assert "      b2  Peer support group  shares-ran-out  cost 30000" in out


def test_text_output_of_projects_without_names_shows_their_ids(tmp_path):
    path = tmp_path / "nameless.pb"
    write_file(make_election(100, {"x": 40, "y": 70}, [["x"], ["y"], ["y"]]), path)
    _, out, _ = run("results", str(path), "--rule", "greedy")
    assert "   1. y  cost 70  votes 2  (greedy)" in out and "      x  did-not-fit  cost 40" in out


def test_threshold_and_no_completion_options(tmp_path):
    _, out, _ = run(
        "results", str(FIXTURES / "approval.pb"), "--rule", "greedy", "--threshold", "5", "--format", "json"
    )
    assert json.loads(out)["selected"] == ["a1", "a2", "a3"]
    path = tmp_path / "completion.pb"
    write_file(make_election(100, {"wanted": 40, "unwanted": 10}, [["wanted"], ["wanted"]]), path)
    _, out, _ = run("results", str(path), "--rule", "mes-add1", "--format", "json")
    assert json.loads(out)["selected"] == ["wanted", "unwanted"]
    _, out, _ = run("results", str(path), "--rule", "mes-add1", "--no-completion", "--format", "json")
    assert json.loads(out) == {"rule": "mes-add1", "selected": ["wanted"], "cost": 40}


def test_a_bad_file_prints_the_line_and_exits_2(tmp_path):
    bad = tmp_path / "bad.pb"
    bad.write_text((FIXTURES / "choose1.pb").read_text().replace("p2;25;2", "p2;twenty;2"))
    status, out, err = run("results", str(bad), "--rule", "greedy", "--format", "json")
    assert (status, out) == (2, "")
    assert "line 11:" in err and "'twenty', is not a number" in err


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("p2;25;2\x00", "line 11: the line contains a NUL character"),
        (f"p2;{2**64};2", "line 11: the cost of project 'p2' is too large"),
    ],
)
def test_a_nul_byte_or_a_number_beyond_64_bits_exits_2_naming_the_line(tmp_path, line, words):
    bad = tmp_path / "bad.pb"
    bad.write_text((FIXTURES / "choose1.pb").read_text().replace("p2;25;2", line))
    status, out, err = run("results", str(bad), "--rule", "mes-add1")
    assert (status, out) == (2, "")
    assert words in err and "Traceback" not in err


def test_points_beyond_64_bits_exit_2_naming_the_line(tmp_path):
    bad = tmp_path / "bad.pb"
    text = (FIXTURES / "cumulative.pb").read_text()
    first_vote = text.index("\n", text.index("voter_id")) + 1
    line = text.count("\n", 0, first_vote) + 1
    row = text[first_vote : text.index("\n", first_vote)].split(";")
    row[2] = ",".join([str(2**64)] + row[2].split(",")[1:])
    bad.write_text(text[:first_vote] + ";".join(row) + text[text.index("\n", first_vote) :])
    status, out, err = run("results", str(bad))
    assert (status, out) == (2, "")
    assert f"line {line}: points '{2**64}' is too large" in err


def test_a_file_that_is_not_utf8_exits_2(tmp_path):
    bad = tmp_path / "latin1.pb"
    bad.write_bytes(
        (FIXTURES / "choose1.pb").read_text().replace("p2;25;2", "p2;25;caf\u00e9").encode("latin-1")
    )
    status, out, err = run("results", str(bad))
    assert (status, out) == (2, "") and "not a UTF-8 text file" in err


def test_a_missing_file_exits_2(tmp_path):
    status, _, err = run("results", str(tmp_path / "nowhere.pb"))
    assert status == 2 and "nowhere.pb" in err


def test_runs_as_a_module():
    env = {**os.environ, "PYTHONPATH": str(LIBRARY.parents[2])}
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "coproduce.lib.pb",
            "results",
            str(FIXTURES / "choose1.pb"),
            "--rule",
            "mes-add1",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout) == {"rule": "mes-add1", "selected": ["p1", "p3"], "cost": 50}


def test_the_library_imports_neither_django_nor_pabutools():
    # pabutools is GPL-3.0 and only tests and benchmarks may use it; the library must run without Django.
    for path in LIBRARY.rglob("*.py"):
        source = path.read_text()
        assert not re.search(r"^\s*(import|from)\s+(django|pabutools)\b", source, re.MULTILINE), path
