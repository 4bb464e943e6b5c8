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
    assert re.search(r"a3\s+shares-ran-out", out)


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
