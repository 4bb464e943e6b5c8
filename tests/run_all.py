"""`make test`: lint (ruff, ruff format, mypy, import-linter), the migrations check (run here only, once),
the suite on SQLite, on PostgreSQL, then the browser tests.

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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "test-results"
BIN = Path(sys.executable).parent
CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
POSTGRES_URL = os.environ.get("COPRODUCE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
CHROMIUM = os.environ.get("COPRODUCE_CHROMIUM", "/usr/bin/chromium")


class Run:
    def __init__(self) -> None:
        self.failures: list[str] = []
        self.skipped: list[str] = []
        self.counts = {"passed": 0, "failed": 0, "skipped": 0}

    def step(self, name: str, command: list[str], env: dict[str, str] | None = None) -> bool:
        print(f"\n=== {name}: {' '.join(command)}", flush=True)
        started = time.monotonic()
        code = subprocess.call(command, cwd=ROOT, env={**os.environ, **(env or {})})
        print(f"=== {name}: exit {code} in {time.monotonic() - started:.1f} s", flush=True)
        if code == 5:
            self.failures.append(f"{name}: no tests ran (pytest exit 5)")
        elif code != 0:
            self.failures.append(f"{name}: exit {code}")
        return code == 0

    def pytest(self, name: str, args: list[str], env: dict[str, str] | None = None) -> None:
        self.step(name, self._pytest_command(name, args), env)
        self._count(name)

    def pytest_together(self, runs: list[tuple[str, list[str], dict[str, str]]]) -> None:
        """Several pytest runs at once, one per core (SQLite and PostgreSQL share no database, so they do not
        disturb each other); each one's output goes to test-results/<name>.log and is printed whole when it
        ends, so the two never interleave. Keeps CI well under its 20 minutes."""
        started = time.monotonic()
        running = []
        for name, args, env in runs:
            command = self._pytest_command(name, args)
            print(f"\n=== {name} (in parallel): {' '.join(command)}", flush=True)
            log = (RESULTS / f"{name}.log").open("w", encoding="utf-8")
            # Each run keeps its own ./var (task queue file, uploads, secret) so that neither sees the other's.
            own = {"COPRODUCE_VAR_DIR": str(RESULTS / f"var-{name}"), **env}
            process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                command, cwd=ROOT, env={**os.environ, **own}, stdout=log, stderr=subprocess.STDOUT
            )
            running.append((name, process, log))
        for name, process, log in running:
            code = process.wait()
            log.close()
            print(f"\n=== {name}: output", flush=True)
            print((RESULTS / f"{name}.log").read_text(encoding="utf-8"), flush=True)
            print(f"=== {name}: exit {code} after {time.monotonic() - started:.1f} s", flush=True)
            if code == 5:
                self.failures.append(f"{name}: no tests ran (pytest exit 5)")
            elif code != 0:
                self.failures.append(f"{name}: exit {code}")
            self._count(name)

    def _pytest_command(self, name: str, args: list[str]) -> list[str]:
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

    if want("lint"):
        run.step("ruff", [str(BIN / "ruff"), "check", "src", "tests", "bench"])
        run.step("ruff format", [str(BIN / "ruff"), "format", "--check", "src", "tests", "bench"])
        # Both read src/ as the code under test, whichever copy of the package the virtualenv installed.
        run.step("mypy", [sys.executable, "-m", "mypy"], {"PYTHONPATH": "src"})
        run.step("import-linter", [str(BIN / "lint-imports")], {"PYTHONPATH": "src"})
        run.step(
            "migrations",
            [sys.executable, "-m", "coproduce.cli", "makemigrations", "--check", "--dry-run"],
            {"COPRODUCE_DATABASE_URL": ""},
        )
    suites: list[tuple[str, list[str], dict[str, str]]] = []
    if want("sqlite"):
        suites.append(("sqlite", unit, {"COPRODUCE_DATABASE_URL": ""}))
    if want("postgres"):
        problem = postgres_reachable(POSTGRES_URL)
        if problem:
            run.unavailable("postgres", problem)
        else:
            # The test server need not wait for each commit to reach the disk (a crash of the server, not of
            # the tests, could lose the last commits; nothing is corrupted): libpq hands this to every
            # connection, the suite's and those of the processes it starts.
            env = {"COPRODUCE_DATABASE_URL": POSTGRES_URL, "PGOPTIONS": "-c synchronous_commit=off"}
            # tests/lib is pure Python (no Django, no database): the SQLite run covers it.
            suites.append(("postgres", [*unit, "--ignore=tests/lib"], env))
    if len(suites) > 1 and (os.cpu_count() or 1) > 1:
        run.pytest_together(suites)
    else:
        for name, args, env in suites:
            run.pytest(name, args, env)
    if want("browser"):
        if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
            run.unavailable("browser", f"Chromium not found at {CHROMIUM} (install Debian's chromium)")
        else:
            run.pytest("browser", ["-m", "browser", *options.pytest_args], {"COPRODUCE_DATABASE_URL": ""})

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
