"""Check coproduce.lib.pb against pabutools 1.2.3 on every approval file in ../shared/data/pabulib.

For each approval (or choose-1) file, with cost satisfaction and pabutools' default (lexicographic) tie-breaking:

- greedy:    ``greedy_utilitarian_welfare``
- mes-add1:  ``method_of_equal_shares(..., voter_budget_increment=1)`` completed by ``greedy_utilitarian_welfare``
             (what ``completion_by_rule_combination`` does: run greedy from the Equal Shares outcome unless
             that outcome is already exhaustive); the Equal Shares phase alone is compared too (``mes-only``)
- phragmen:  ``sequential_phragmen``
- mes-single: one ``method_of_equal_shares`` run at budget / voters (no Add1), which pabutools can finish on
             the large files where its Add1 loop cannot
- mes-add1-tail: pabutools' own Add1 loop (``method_of_equal_shares_scheme`` with increment 1, completed by
             greedy) started one increment below the voter budget where our Add1 stopped: pabutools must make
             at least one run, find the same stopping point and the same outcome. Where pabutools' whole loop
             is too slow (tens of thousands of runs), this and the add1 self-check (our Add1 with and without
             skipping runs) together stand in for it; the report says which files those are.

and, for files whose ``rule`` says Equal Shares was used for real (Swiecie 2023, Assen 2024), the file's own
``selected`` column against our Equal Shares phase.

pabutools is slow on large files, so each reference run happens in its own subprocess with a time limit and
its answer is cached (``--cache``); a run over the limit is reported as "not verified", never as a match.

    PYTHONPATH=src python bench/pb_verify.py [--timeout 600] [--jobs 2] [--cache /tmp/pb_verify_cache] \
        [--self-check 1800] [--rules greedy phragmen ...] [--cached-only]

For a long run, do the quick rules first and the whole Add1 loop last, then report from the cache:

    pb_verify.py --cache C --rules greedy phragmen mes-single mes-add1-tail
    pb_verify.py --cache C --rules mes-add1 --timeout 5400
    pb_verify.py --cache C --cached-only --self-check 1800

Exit status: 0 when everything that could be verified matched, 1 on any mismatch.
pabutools is GPL-3.0: only bench/ and tests/ may import it, never src/.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "pabulib"
REFERENCE_RULES = ("greedy", "mes-add1", "phragmen", "mes-single", "mes-add1-tail")
FILE_SELECTED_RULES = ("equalshares/add1",)


def pabutools_reference(path: str, rule: str) -> dict[str, object]:
    """Run pabutools on one file; return the selected project ids (sorted) and the time it took."""
    from pabutools.election import Cost_Sat, parse_pabulib
    from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares, sequential_phragmen

    instance, profile = parse_pabulib(path)
    started = time.perf_counter()
    result: dict[str, object] = {}
    if rule == "greedy":
        outcome = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
        result["selected"] = sorted(p.name for p in outcome)
    elif rule == "phragmen":
        outcome = sequential_phragmen(instance, profile)
        result["selected"] = sorted(p.name for p in outcome)
    elif rule == "mes-single":  # one run of Equal Shares at budget / voters, no Add1: feasible on every file
        outcome = method_of_equal_shares(instance, profile, sat_class=Cost_Sat)
        result["selected"] = sorted(p.name for p in outcome)
    elif rule in ("mes-add1", "mes-add1-tail"):
        if rule == "mes-add1":
            equal_shares = method_of_equal_shares(
                instance, profile, sat_class=Cost_Sat, voter_budget_increment=1
            )
        else:
            equal_shares = _pabutools_add1_tail(path, instance, profile)
        result["mes_only"] = sorted(p.name for p in equal_shares)
        # Same steps as completion_by_rule_combination([method_of_equal_shares, greedy_utilitarian_welfare]),
        # without paying for the slow Equal Shares run twice.
        if instance.is_exhaustive(equal_shares):
            completed = equal_shares
        else:
            completed = greedy_utilitarian_welfare(
                instance, profile, sat_class=Cost_Sat, initial_budget_allocation=equal_shares
            )
        result["selected"] = sorted(p.name for p in completed)
    else:
        raise ValueError(rule)
    result["seconds"] = time.perf_counter() - started
    return result


def _pabutools_add1_tail(path: str, instance, profile):  # noqa: ANN001, ANN202
    """pabutools' Add1 loop from one increment below the voter budget our Add1 stopped at (or from the start)."""
    from pabutools.election import Cost_Sat
    from pabutools.fractions import frac
    from pabutools.rules.budgetallocation import BudgetAllocation
    from pabutools.rules.mes.mes_rule import method_of_equal_shares_scheme
    from pabutools.tiebreaking import lexico_tie_breaking

    from coproduce.lib.pb import equal_shares, parse_file

    election = parse_file(path)
    ours = equal_shares(election, completion=False)
    start = max(election.budget / election.num_voters, ours.voter_budget - 1)
    return method_of_equal_shares_scheme(
        instance,
        profile,
        profile.as_sat_profile(sat_class=Cost_Sat),
        frac(start.numerator, start.denominator),
        BudgetAllocation(),
        lexico_tie_breaking,
        voter_budget_increment=1,
        binary_sat=True,
    )


def cached_reference(
    path: Path, rule: str, cache: Path | None, timeout: float, cached_only: bool = False
) -> dict[str, object] | None:
    """The pabutools answer for (file, rule), from the cache or a time-limited subprocess; None on timeout
    (or, with ``cached_only``, when it is not in the cache)."""
    cache_file = cache / f"{path.stem}.{rule}.json" if cache else None
    if cache_file and cache_file.exists():
        return json.loads(cache_file.read_text())
    if cached_only:
        return None
    command = [sys.executable, __file__, "--reference", str(path), rule]
    try:
        completed = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return None
    except subprocess.CalledProcessError as error:
        return {"error": error.stderr.strip().splitlines()[-1] if error.stderr.strip() else "failed"}
    answer = json.loads(completed.stdout)
    if cache_file:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        cache_file.write_text(json.dumps(answer))
    return answer


def approval_files(data: Path) -> list[Path]:
    """Every approval or choose-1 file, smallest first so that quick answers come early."""
    found = []
    for path in data.glob("*.pb"):
        with path.open(encoding="utf-8-sig") as handle:
            head = handle.read(4096)
        vote_type = next(
            (line.split(";", 1)[1].strip() for line in head.splitlines() if line.startswith("vote_type;")), ""
        )
        if vote_type in ("approval", "choose-1"):
            found.append(path)
    return sorted(found, key=lambda p: p.stat().st_size)


def our_answers(path: Path, rules: set[str]) -> dict[str, object]:
    """Our selected sets for the rules asked for, plus the file's own `selected` column and rule."""
    from coproduce.lib.pb import Phase, equal_shares, greedy, parse_file, phragmen
    from coproduce.lib.pb.rules import support_of
    from coproduce.lib.pb.rules.mes.run import Engine

    election = parse_file(path)
    answers: dict[str, object] = {
        "file_rule": election.meta.get("rule", ""),
        "file_selected": sorted(p.project_id for p in election.projects if p.fields.get("selected") == "1"),
    }
    if "greedy" in rules:
        answers["greedy"] = sorted(greedy(election).selected)
    if "phragmen" in rules:
        answers["phragmen"] = sorted(phragmen(election).selected)
    if "mes-single" in rules:
        support = support_of(election)
        run = Engine(election, support).run(election.budget / max(1, election.num_voters), [])
        answers["mes-single"] = sorted(election.projects[p].project_id for p in run.selected)
    if rules & {"mes-add1", "mes-add1-tail"} or answers["file_rule"] in FILE_SELECTED_RULES:
        started = time.perf_counter()
        mes = equal_shares(election, completion=True)
        answers["mes_seconds"] = time.perf_counter() - started
        answers["mes-add1"] = answers["mes-add1-tail"] = sorted(mes.selected)
        answers["mes-only"] = sorted(mes.selected_in(Phase.EQUAL_SHARES))
    return answers


def compare_file(
    path: Path,
    cache: Path | None,
    timeout: float,
    self_check: float,
    rules: tuple[str, ...] = REFERENCE_RULES,
    cached_only: bool = False,
) -> list[tuple[str, str, str]]:
    """Rows (file, check, outcome) for one file; outcome is 'match ...', 'MISMATCH ...' or 'not verified ...'.

    Our answer is only computed for the rules pabutools answered (and for a file whose `selected` column came
    from Equal Shares).
    """
    references = {rule: cached_reference(path, rule, cache, timeout, cached_only) for rule in rules}
    answered = {rule for rule, reference in references.items() if reference and "selected" in reference}
    ours = our_answers(path, answered)
    rows = []
    for rule, reference in references.items():
        if reference is None:
            why = "no pabutools answer in the cache" if cached_only else f"pabutools over {timeout:.0f} s"
            rows.append((path.name, rule, f"not verified ({why})"))
            continue
        if "error" in reference:
            rows.append((path.name, rule, f"not verified (pabutools failed: {reference['error']})"))
            continue
        note = f"pabutools {reference['seconds']:.1f} s"
        if rule in ("mes-add1", "mes-add1-tail"):
            note += f", ours {ours['mes_seconds']:.2f} s"
        rows.append((path.name, rule, _verdict(ours[rule], reference["selected"], note)))
        if rule in ("mes-add1", "mes-add1-tail"):
            only = "mes-only" if rule == "mes-add1" else "mes-only-tail"
            rows.append((path.name, only, _verdict(ours["mes-only"], reference["mes_only"], note)))
    if ours["file_rule"] in FILE_SELECTED_RULES:
        rows.append(
            (path.name, "file selected", _verdict(ours["mes-only"], ours["file_selected"], "Equal Shares"))
        )
    if self_check and "mes-add1" not in answered and "mes-add1" in rules:
        rows.append((path.name, "add1 self-check", _self_check(path, self_check)))
    for row in rows:
        print(f"{row[0]}  {row[1]}  {row[2]}", flush=True)
    return rows


def _self_check(path: Path, timeout: float) -> str:
    """Where pabutools cannot answer: our Add1 that skips runs against our Add1 that does every run.

    This is not a check against pabutools, only that skipping never changes the outcome.
    """
    command = [sys.executable, __file__, "--add1-both-ways", str(path)]
    try:
        completed = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return f"not checked (every-run Add1 over {timeout:.0f} s)"
    answer = json.loads(completed.stdout)
    note = f"every run: {answer['every_seconds']:.1f} s, skipping: {answer['skipping_seconds']:.2f} s"
    same = answer["skipping"] == answer["every"]
    return f"same as every-run Add1 ({note})" if same else f"MISMATCH {answer}"


def add1_both_ways(path: str) -> dict[str, object]:
    from coproduce.lib.pb import parse_file
    from coproduce.lib.pb.rules import support_of
    from coproduce.lib.pb.rules.mes import add1

    election = parse_file(path)
    support = support_of(election)
    answer: dict[str, object] = {}
    for name, skip in (("skipping", True), ("every", False)):
        started = time.perf_counter()
        run = add1(election, support, skip=skip)
        answer[f"{name}_seconds"] = time.perf_counter() - started
        answer[name] = [sorted(election.projects[p].project_id for p in run.selected), str(run.voter_budget)]
    return answer


def _verdict(ours: object, theirs: object, note: str) -> str:
    if ours == theirs:
        return f"match ({note})"
    return f"MISMATCH ours={ours} theirs={theirs}"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cache", type=Path, default=None, help="directory to keep pabutools answers in")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per pabutools run")
    parser.add_argument("--jobs", type=int, default=max(1, (os.cpu_count() or 1)))
    parser.add_argument("--only", nargs="*", default=None, help="file names (stems) to check")
    parser.add_argument(
        "--self-check",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="where pabutools gave no Equal Shares answer, compare our Add1 with and without skipping runs "
        "(every-run Add1 limited to SECONDS)",
    )
    parser.add_argument(
        "--rules",
        nargs="+",
        choices=REFERENCE_RULES,
        default=list(REFERENCE_RULES),
        help="pabutools rules to check",
    )
    parser.add_argument(
        "--cached-only",
        action="store_true",
        help="report from the cache; run no pabutools rule that is not in it",
    )
    parser.add_argument("--reference", nargs=2, metavar=("FILE", "RULE"), help=argparse.SUPPRESS)
    parser.add_argument("--add1-both-ways", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.reference:
        print(json.dumps(pabutools_reference(*args.reference)))
        return 0
    if args.add1_both_ways:
        print(json.dumps(add1_both_ways(args.add1_both_ways)))
        return 0
    if not args.data.is_dir():
        print(f"{args.data} not found: nothing to verify")
        return 0
    files = approval_files(args.data)
    if args.only:
        files = [f for f in files if f.stem in args.only or f.name in args.only]
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = pool.map(
            lambda path: compare_file(
                path, args.cache, args.timeout, args.self_check, tuple(args.rules), args.cached_only
            ),
            files,
        )
        rows = [row for rows in results for row in rows]
    print("\nSummary")
    width = max(len(name) for name, _, _ in rows)
    for name, check, outcome in rows:
        print(f"{name:<{width}}  {check:<13}  {outcome}", flush=True)
    mismatches = sum(1 for _, _, outcome in rows if outcome.startswith("MISMATCH"))
    unverified = sum(1 for _, _, outcome in rows if outcome.startswith("not "))
    matched = sum(1 for _, _, outcome in rows if outcome.startswith("match"))
    consistent = sum(1 for _, _, outcome in rows if outcome.startswith("same as"))
    print(
        f"\n{matched} matched (pabutools or the file), {consistent} self-consistent only, "
        f"{mismatches} mismatched, {unverified} not verified"
    )
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
