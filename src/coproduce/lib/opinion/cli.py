"""Command line: ``python -m coproduce.lib.opinion analyse DIR [--format text|json]``.

DIR is a Polis export (``comments.csv``, ``votes.csv``...). No Django and no database: ``coproduce conversation
analyse`` calls :func:`main` directly. Exit status: 0 on success, 2 for a file that cannot be read (the message
names the file and line).
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from typing import TextIO

from coproduce.lib.opinion.analysis import Analysis, analyse
from coproduce.lib.opinion.polis import PolisFormatError, read_export


def main(
    argv: list[str],
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    prog: str = "python -m coproduce.lib.opinion",
) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    args = _parser(prog).parse_args(argv)
    try:
        export = read_export(args.directory)
    except PolisFormatError as error:
        print(f"{args.directory}: {error}", file=stderr)
        return 2
    except OSError as error:
        print(f"{args.directory}: {error.strerror or error}", file=stderr)
        return 2
    analysis = analyse(export.matrix(), min_votes=args.min_votes, excluded_statements=export.moderated_out())
    if args.format == "json":
        json.dump(analysis.to_json() if args.full else _summary(analysis), stdout, ensure_ascii=False)
        stdout.write("\n")
    else:
        stdout.write(as_text(analysis, export.comment_text()))
    return 0


def _summary(analysis: Analysis) -> dict[str, object]:
    return {
        "groups": analysis.groups,
        "consensus": analysis.consensus,
        "representative": [[r.statement for r in reps] for reps in analysis.representative],
        "divisive": analysis.divisive,
        "group_consensus": analysis.group_consensus,
        "k": analysis.k,
        "why_k": analysis.why_k,
        "excluded": analysis.excluded,
    }


def as_text(analysis: Analysis, text: dict[str, str]) -> str:
    """A plain report: groups with their sizes and statements, then consensus and divisive statements."""

    def line(statement: str, note: str = "") -> str:
        body = " ".join(text.get(statement, "").split())
        wrapped = textwrap.shorten(body, 100, placeholder="...") if body else "(no text)"
        return f"  - [{statement}]{note} {wrapped}\n"

    placed = sum(len(g) for g in analysis.groups)
    out = [
        f"{placed} people placed in {analysis.k} group{'s' if analysis.k != 1 else ''}; "
        f"{len(analysis.excluded)} voted on fewer than {analysis.min_votes} statements and are not placed.\n",
        f"{analysis.why_k}\n",
    ]
    for g, members in enumerate(analysis.groups):
        out.append(f"\nGroup {g + 1} ({len(members)} people) stands out for:\n")
        for r in analysis.representative[g]:
            out.append(line(r.statement, f" {r.direction}s {r.probability:.0%} (x{r.ratio:.1f} the rest)"))
    for title, statements in (
        ("Consensus (most people agree; those every group leans towards first)", analysis.consensus),
        ("Group-aware consensus", analysis.group_consensus[:5]),
        ("Divisive", analysis.divisive[:5]),
    ):
        out.append(f"\n{title}:\n")
        out.extend(line(s) for s in statements) if statements else out.append("  (none)\n")
    return "".join(out)


def _parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description="Opinion groups from a Polis-style conversation.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("analyse", help="groups, representative, consensus and divisive statements")
    run.add_argument("directory", help="a Polis export directory (comments.csv, votes.csv)")
    run.add_argument("--format", choices=("text", "json"), default="text")
    run.add_argument("--min-votes", type=int, default=7, help="votes needed to be placed in a group (7)")
    run.add_argument("--full", action="store_true", help="with --format json: the whole stored analysis")
    return parser
