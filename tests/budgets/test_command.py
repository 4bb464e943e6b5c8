"""`coproduce pb results | import | export`."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from coproduce.budgets.models import Budget
from coproduce.lib.pb import parse, parse_file, run_rule

FIXTURES = Path(__file__).parent / "fixtures"
APPROVAL = str(FIXTURES / "approval.pb")


def run(*args) -> str:
    out = StringIO()
    call_command("pb", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("rule", ["greedy", "greedy-no-skip", "mes-add1", "phragmen"])
def test_results_as_json(rule):
    output = run("results", APPROVAL, "--rule", rule, "--format", "json")
    answer = json.loads(output)
    assert list(answer) == ["rule", "selected", "cost"]
    outcome = run_rule(parse_file(APPROVAL), rule)
    assert answer == {"rule": rule, "selected": outcome.selected, "cost": float(outcome.cost)}


def test_results_as_json_for_equal_shares_exactly():
    answer = json.loads(run("results", APPROVAL, "--rule", "mes-add1", "--format", "json"))
    assert answer["rule"] == "mes-add1" and answer["cost"] == sum(
        {"a1": 30000, "a2": 30000, "a3": 30000, "b1": 30000, "b2": 30000, "c1": 5000.5}[p]
        for p in answer["selected"]
    )


def test_results_as_text():
    output = run("results", APPROVAL, "--rule", "greedy")
    assert output.startswith("Rule: greedy\n") and "Voters with at least one funded project:" in output


def test_results_of_a_bad_file_name_the_line(tmp_path):
    bad = tmp_path / "bad.pb"
    bad.write_text(
        "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\na;x\nVOTES\n"
        "voter_id;vote\n1;a\n"
    )
    with pytest.raises(CommandError, match="line 7"):
        run("results", str(bad), "--rule", "greedy")


NUL_AND_HUGE = [
    ("a;10;Benches\x00", 7, "the line contains a NUL character"),
    (f"a;{2**64};Benches", 7, "the cost of project 'a' is too large"),
]


def _file_with(tmp_path, project_row: str, points: str = "1"):
    path = tmp_path / "bad.pb"
    path.write_text(
        "META\nkey;value\nbudget;100\nvote_type;cumulative\nPROJECTS\nproject_id;cost;name\n"
        f"{project_row}\nVOTES\nvoter_id;vote;points\n1;a;{points}\n"
    )
    return str(path)


@pytest.mark.parametrize(("row", "line", "words"), NUL_AND_HUGE)
def test_results_and_import_of_a_nul_byte_or_a_huge_cost_name_the_line(space, tmp_path, row, line, words):
    path = _file_with(tmp_path, row)
    with pytest.raises(CommandError, match=f"line {line}: {words}"):
        run("results", path)
    with pytest.raises(CommandError, match=f"Line {line}: {words}.*Nothing was imported"):
        run("import", path, "--space", space.slug)
    assert not Budget.objects.exists()


def test_results_and_import_of_points_beyond_64_bits_name_the_line(space, tmp_path):
    path = _file_with(tmp_path, "a;10;Benches", points=str(2**64))
    with pytest.raises(CommandError, match=f"line 10: points '{2**64}' is too large"):
        run("results", path)
    with pytest.raises(CommandError, match="Line 10: points .* is too large"):
        run("import", path, "--space", space.slug)
    assert not Budget.objects.exists()


def test_results_as_text_names_the_projects():
    output = run("results", APPROVAL, "--rule", "greedy")
    assert "1. a1  Community garden; phase 1  cost 30000" in output


def test_import_and_export(space, tmp_path):
    output = run("import", APPROVAL, "--space", space.slug)
    budget = Budget.objects.get()
    assert f"Imported budget {budget.pk}" in output and "12 ballots" in output
    target = tmp_path / "out.pb"
    run("export", str(budget.pk), str(target))
    exported = parse(target.read_text())
    assert exported.num_voters == 12 and [p.project_id for p in exported.projects] == [
        "a1",
        "a2",
        "a3",
        "b1",
        "b2",
        "c1",
    ]


def test_import_refuses_a_bad_file_and_an_unknown_space(space, tmp_path):
    bad = tmp_path / "bad.pb"
    bad.write_text("META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\na;10\n")
    with pytest.raises(CommandError, match="Line 8: the file has no VOTES section"):
        run("import", str(bad), "--space", space.slug)
    with pytest.raises(CommandError, match="no space"):
        run("import", APPROVAL, "--space", "nowhere")
    with pytest.raises(CommandError, match="no budget"):
        run("export", "999999", str(tmp_path / "x.pb"))
    with pytest.raises(CommandError, match=r"missing.pb: No such file or directory\. Nothing was imported\."):
        run("import", str(tmp_path / "missing.pb"), "--space", space.slug)
    (tmp_path / "utf16.pb").write_bytes("META\nkey;value\ndescription;Łódź\n".encode("utf-16"))
    with pytest.raises(CommandError, match="not a UTF-8 text file"):
        run("import", str(tmp_path / "utf16.pb"), "--space", space.slug)
    assert not Budget.objects.exists()


def test_the_coproduce_command_counts_a_file_without_starting_django():
    # `coproduce pb results` needs no database, so the entry point goes straight to the library.
    import subprocess
    import sys

    probe = (
        "import sys; from coproduce.cli import main\n"
        "try:\n    main(['coproduce', 'pb', 'results', sys.argv[1], '--rule', 'greedy', '--format', 'json'])\n"
        "except SystemExit as stop:\n"
        "    assert 'django.db' not in sys.modules, 'Django was started'\n    raise\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, APPROVAL], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"rule": "greedy", **run_rule(parse_file(APPROVAL), "greedy").as_dict()}
    bad = subprocess.run(
        [sys.executable, "-c", probe, "/no/such/file.pb"], capture_output=True, text=True, check=False
    )
    assert bad.returncode == 2 and "No such file" in bad.stderr
