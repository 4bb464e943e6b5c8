"""Command line: ``python -m coproduce.lib.pb results FILE.pb --rule mes-add1 [--format json]``.

Kept free of Django so that it runs anywhere; the ``coproduce pb ...`` management command calls :func:`main`.
Exit status: 0 on success, 2 for a file that cannot be read (the message names the line).
"""

from __future__ import annotations

import argparse
import json
import sys
from fractions import Fraction
from typing import TextIO

from coproduce.lib.pb.election import format_number
from coproduce.lib.pb.pabulib import PabulibError, parse_file
from coproduce.lib.pb.rules import RULES, Outcome, run_rule, voters_with_a_funded_project


def main(
    argv: list[str],
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    prog: str = "python -m coproduce.lib.pb",
) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    args = _parser(prog).parse_args(argv)
    try:
        election = parse_file(args.file)
    except PabulibError as error:
        print(f"{args.file}: {error}", file=stderr)
        return 2
    except OSError as error:
        print(f"{args.file}: {error.strerror or error}", file=stderr)
        return 2
    except UnicodeDecodeError:
        print(f"{args.file}: this is not a UTF-8 text file", file=stderr)
        return 2
    outcome = run_rule(election, args.rule, threshold=args.threshold, completion=not args.no_completion)
    if args.format == "json":
        json.dump({**outcome.as_dict(), "rule": args.rule}, stdout)
        stdout.write("\n")
    else:
        names = {project.project_id: project.name for project in election.projects}
        satisfied = voters_with_a_funded_project(election, outcome.selected)
        stdout.write(_as_text(outcome, satisfied, election.num_voters, names))
    return 0


def _parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description="Participatory budgeting tools.")
    commands = parser.add_subparsers(dest="command", required=True)
    results = commands.add_parser("results", help="which projects a rule funds, from a Pabulib .pb file")
    results.add_argument("file", help="a Pabulib .pb file")
    results.add_argument("--rule", choices=RULES, default="mes-add1")
    results.add_argument("--format", choices=("text", "json"), default="text")
    results.add_argument(
        "--threshold",
        type=Fraction,
        default=Fraction(0),
        help="greedy rules: minimum votes (or points) a project needs to be considered",
    )
    results.add_argument(
        "--no-completion",
        action="store_true",
        help="mes-add1: stop after Equal Shares, without the greedy fill (as e.g. Assen 2024 did)",
    )
    return parser


def _as_text(outcome: Outcome, satisfied: int, voters: int, names: dict[str, str] | None = None) -> str:
    """Each project as its id and, when the file gives one, its name (the PROJECTS ``name`` column)."""
    names = names or {}

    def label(project_id: str) -> str:
        name = " ".join(names.get(project_id, "").split())  # one line, even for a name over several lines
        return f"{project_id}  {name}" if name else project_id

    lines = [f"Rule: {outcome.rule}", f"Budget: {format_number(outcome.budget)}", ""]
    lines.append("Funded, in order of selection:")
    for position, project_id in enumerate(outcome.selected, start=1):
        explanation = outcome.explanations[project_id]
        lines.append(
            f"{position:>4}. {label(project_id)}  cost {format_number(explanation.cost)}  "
            f"votes {format_number(Fraction(explanation.score))}  ({explanation.phase})"
        )
    lines.append(f"Total cost: {format_number(outcome.cost)} of {format_number(outcome.budget)}")
    lines.append(f"Voters with at least one funded project: {satisfied} of {voters}")
    not_funded = [e for e in outcome.explanations.values() if not e.funded]
    if not_funded:
        lines += ["", "Not funded:"]
        for explanation in sorted(not_funded, key=lambda e: e.project_id):
            lines.append(
                f"      {label(explanation.project_id)}  {explanation.reason}  "
                f"cost {format_number(explanation.cost)}"
            )
    return "\n".join(lines) + "\n"
