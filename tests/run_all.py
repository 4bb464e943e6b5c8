"""`make test`: lint (ruff, ruff format, mypy, import-linter), the migrations check (run here only, once),
the suite on SQLite and on PostgreSQL, and the browser tests: side by side, one per core, the longest first.

Locally a missing PostgreSQL or Chromium is reported and skipped; with CI=true it is a failure.
pytest's "no tests ran" (exit 5) is always a failure. The last line sums every pytest run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "test-results"
BIN = Path(sys.executable).parent
CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
POSTGRES_URL = os.environ.get("COPRODUCE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
CHROMIUM = os.environ.get("COPRODUCE_CHROMIUM", "/usr/bin/chromium")


@dataclass
class Job:
    name: str
    command: list[str]
    env: dict[str, str] = field(default_factory=dict)
    pytest: bool = True


class Run:
    def __init__(self) -> None:
        self.failures: list[str] = []
        self.skipped: list[str] = []
        self.counts = {"passed": 0, "failed": 0, "skipped": 0}

    def together(self, jobs: list[Job], slots: int) -> None:
        """Run the jobs `slots` at a time (one per core), in the order given as slots free up: the longest
        first, so that the shorter ones fill in beside it. Each job's output goes to test-results/<name>.log
        and is printed whole when it ends, so that outputs never interleave. The suites share no database
        (SQLite in memory, PostgreSQL its own) and each keeps its own ./var (task queue file, uploads)."""
        RESULTS.mkdir(exist_ok=True)
        started = time.monotonic()
        waiting, running = list(jobs), []
        while waiting or running:
            while waiting and len(running) < slots:
                job = waiting.pop(0)
                print(
                    f"\n=== {job.name} (in parallel, at {time.monotonic() - started:.0f} s): {' '.join(job.command)}",
                    flush=True,
                )
                log = (RESULTS / f"{job.name}.log").open("w", encoding="utf-8")
                own = {"COPRODUCE_VAR_DIR": str(RESULTS / f"var-{job.name}"), **job.env}
                process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                    job.command, cwd=ROOT, env={**os.environ, **own}, stdout=log, stderr=subprocess.STDOUT
                )
                running.append((job, process, log, time.monotonic()))
            time.sleep(0.5)
            for entry in list(running):
                job, process, log, began = entry
                code = process.poll()
                if code is None:
                    continue
                running.remove(entry)
                log.close()
                print(f"\n=== {job.name}: output", flush=True)
                print((RESULTS / f"{job.name}.log").read_text(encoding="utf-8"), flush=True)
                print(
                    f"=== {job.name}: exit {code} in {time.monotonic() - began:.1f} s "
                    f"({time.monotonic() - started:.0f} s since the start)",
                    flush=True,
                )
                if code == 5:
                    self.failures.append(f"{job.name}: no tests ran (pytest exit 5)")
                elif code != 0:
                    self.failures.append(f"{job.name}: exit {code}")
                if job.pytest:
                    self._count(job.name)

    def pytest_command(self, name: str, args: list[str]) -> list[str]:
        RESULTS.mkdir(exist_ok=True)
        report = RESULTS / f"junit-{name}.xml"
        report.unlink(missing_ok=True)
        return [sys.executable, "-m", "pytest", f"--junitxml={report}", *args]

    def _count(self, name: str) -> None:
        report = RESULTS / f"junit-{name}.xml"
        if report.exists():
            suite = ET.parse(report).getroot()  # noqa: S314 - our own pytest's report
            suites = [suite] if suite.tag == "testsuite" else list(suite)
            for s in suites:
                total, failed = int(s.get("tests", 0)), int(s.get("failures", 0)) + int(s.get("errors", 0))
                skipped = int(s.get("skipped", 0))
                self.counts["passed"] += total - failed - skipped
                self.counts["failed"] += failed
                self.counts["skipped"] += skipped

    def unavailable(self, name: str, why: str) -> None:
        if CI:
            print(f"\n=== {name}: FAILED: {why} (CI=true, so this is not skipped)", flush=True)
            self.failures.append(f"{name}: {why}")
        else:
            print(f"\n=== {name}: SKIPPED: {why}", flush=True)
            self.skipped.append(f"{name}: {why}")


def postgres_reachable(url: str) -> str | None:
    """None when a connection works, otherwise the reason."""
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=3) as connection:
            connection.execute("SELECT 1")
    except Exception as error:  # any failure means: not reachable, say why
        return f"PostgreSQL is not reachable at {url}: {str(error).strip().splitlines()[0]}"
    return None


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=["lint", "sqlite", "postgres", "browser"])
    parser.add_argument("pytest_args", nargs="*", help="extra arguments for pytest")
    options = parser.parse_args()
    run = Run()

    def want(part: str) -> bool:
        return options.only in (None, part)

    unit = ["-m", "not browser", *options.pytest_args]
    # Every part is a job; on a machine with more than one core they run side by side, the longest first.
    jobs: list[Job] = []
    if want("postgres"):
        problem = postgres_reachable(POSTGRES_URL)
        if problem:
            run.unavailable("postgres", problem)
        else:
            # The test server need not wait for each commit to reach the disk (a crash of the server, not of
            # the tests, could lose the last commits; nothing is corrupted): libpq hands this to every
            # connection, the suite's and those of the processes it starts.
            env = {"COPRODUCE_DATABASE_URL": POSTGRES_URL, "PGOPTIONS": "-c synchronous_commit=off"}
            # tests/lib is pure Python (no Django, no database): the SQLite run covers it, as it covers the
            # tests marked any_database (tests/conftest.py).
            jobs.append(Job("postgres", run.pytest_command("postgres", [*unit, "--ignore=tests/lib"]), env))
    if want("sqlite"):
        jobs.append(Job("sqlite", run.pytest_command("sqlite", unit), {"COPRODUCE_DATABASE_URL": ""}))
    if want("browser"):
        if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
            run.unavailable("browser", f"Chromium not found at {CHROMIUM} (install Debian's chromium)")
        else:
            browser = ["-m", "browser", *options.pytest_args]
            jobs.append(
                Job("browser", run.pytest_command("browser", browser), {"COPRODUCE_DATABASE_URL": ""})
            )
    if want("lint"):
        source = {"PYTHONPATH": "src"}
        for name, command, env in (
            ("ruff", [str(BIN / "ruff"), "check", "src", "tests", "bench"], {}),
            ("ruff-format", [str(BIN / "ruff"), "format", "--check", "src", "tests", "bench"], {}),
            # Both read src/ as the code under test, whichever copy of the package the virtualenv installed.
            ("mypy", [sys.executable, "-m", "mypy"], source),
            ("import-linter", [str(BIN / "lint-imports")], source),
            (
                "migrations",
                [sys.executable, "-m", "coproduce.cli", "makemigrations", "--check", "--dry-run"],
                {"COPRODUCE_DATABASE_URL": ""},
            ),
        ):
            jobs.append(Job(name, command, env, pytest=False))
    run.together(jobs, slots=max(1, os.cpu_count() or 1))

    print("\n=== summary")
    for line in run.skipped:
        print(f"skipped: {line}")
    for line in run.failures:
        print(f"failed: {line}")
    c = run.counts
    print(f"all test runs: {c['passed']} passed, {c['failed']} failed, {c['skipped']} skipped")
    return 1 if run.failures or c["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
