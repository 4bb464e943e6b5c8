"""Ledger throughput against raw PostgreSQL: `python bench/ledger.py [--seconds 10] [--clients 8]`.

On the server at COPRODUCE_TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/test), in the
same run and one after the other:

1. pgbench's built-in TPC-B-like script (three balance updates, one read and one history insert per
   transaction) with 8 clients, on a scratch database `bench_pgbench` initialised with `pgbench -i`
   (scale 1, pgbench's default; `--scale 8` gives every client its own branch row, a harder baseline);
2. 8 client processes making single transfers through coproduce's service layer
   (`services.transfer_create`: idempotency key, limit-checked balance updates, postings, audit event),
   on a scratch database `bench_ledger` migrated from scratch, between random pairs of 1,000 accounts.

Prints both rates and their ratio, then verifies the ledger (every cached balance equals its postings, the
ledger sums to zero, as many transfers as the clients reported). Exits 1 if the ratio is under 0.25 or any
invariant fails. The `test` database itself is never touched; both scratch databases are dropped at the end.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BASE_URL = os.environ.get("COPRODUCE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
LEDGER_DB, PGBENCH_DB = "bench_ledger", "bench_pgbench"
ACCOUNTS = 1000
MIN_RATIO = 0.25


def url_for(database: str) -> str:
    parts = urlsplit(BASE_URL)
    return urlunsplit(parts._replace(path=f"/{database}"))


def recreate(database: str) -> None:
    import psycopg

    with psycopg.connect(BASE_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{database}"')


def drop(database: str) -> None:
    import psycopg

    with psycopg.connect(BASE_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def pgbench_env() -> dict[str, str]:
    parts = urlsplit(BASE_URL)
    env = {
        **os.environ,
        "PGHOST": parts.hostname or "127.0.0.1",
        "PGPORT": str(parts.port or 5432),
        "PGUSER": parts.username or "postgres",
    }
    if parts.password:
        env["PGPASSWORD"] = parts.password
    return env


def run_pgbench(clients: int, seconds: int, scale: int) -> float:
    pgbench = shutil.which("pgbench")
    if pgbench is None:
        raise SystemExit("pgbench not found: it comes with PostgreSQL's client tools")
    recreate(PGBENCH_DB)
    env = pgbench_env()
    subprocess.run(
        [pgbench, "-i", "-q", "-s", str(scale), PGBENCH_DB],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    result = subprocess.run(
        [pgbench, "-b", "tpcb-like", "-c", str(clients), "-T", str(seconds), "-n", PGBENCH_DB],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    match = re.search(
        r"tps = ([\d.]+) \((?:without initial connection time|excluding connections establishing)\)",
        result.stdout,
    )
    if not match:
        raise SystemExit(f"could not read pgbench's rate from:\n{result.stdout}")
    return float(match.group(1))


def django_setup() -> None:
    os.environ["COPRODUCE_DATABASE_URL"] = url_for(LEDGER_DB)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.settings")
    import django

    django.setup()


def prepare_ledger() -> list[int]:
    """Migrate the scratch database and open the accounts (wide limits: the bench measures writes)."""
    recreate(LEDGER_DB)
    env = {**os.environ, "COPRODUCE_DATABASE_URL": url_for(LEDGER_DB)}
    subprocess.run(
        [sys.executable, "-m", "coproduce.cli", "migrate", "-v", "0"], env=env, check=True, cwd=ROOT
    )
    django_setup()
    from coproduce.people.models import User
    from coproduce.timebank.models import Account, AccountKind

    unusable = "!"  # no one signs in as a bench account
    users = User.objects.bulk_create(
        [
            User(email=f"bench{i}@example.org", display_name=f"Bench {i}", password=unusable)
            for i in range(ACCOUNTS)
        ]
    )
    Account.objects.bulk_create(
        [
            Account(
                kind=AccountKind.PERSON,
                user=user,
                min_balance=-(10**12),
                max_balance=10**12,
                custom_limits=True,
            )
            for user in users
        ]
    )
    from django.db import connections

    ids = list(Account.objects.values_list("pk", flat=True))
    connections.close_all()
    return ids


def client(n: int, round_number: int, account_ids: list[int], barrier, seconds: float, results) -> None:
    django_setup()
    from django.core.exceptions import ValidationError

    from coproduce.timebank import services
    from coproduce.timebank.models import Account, TransferKind

    accounts = list(Account.objects.filter(pk__in=account_ids))
    rng = random.Random(n)
    done = refused = 0
    barrier.wait()
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        a, b = rng.sample(accounts, 2)
        minutes = rng.choice([15, 30, 45, 60, 90, 120])
        try:
            services.transfer_create(
                actor=None,
                postings=[(a, -minutes), (b, minutes)],
                kind=TransferKind.EXCHANGE,
                description="bench",
                key=f"bench:{round_number}:{n}:{done + refused}",
            )
            done += 1
        except ValidationError:
            refused += 1
    results.put((n, done, refused))


def run_ledger(clients: int, seconds: int, account_ids: list[int], round_number: int) -> tuple[float, int]:
    ctx = mp.get_context("spawn")
    barrier, results = ctx.Barrier(clients + 1), ctx.Queue()
    processes = [
        ctx.Process(target=client, args=(n, round_number, account_ids, barrier, seconds, results))
        for n in range(clients)
    ]
    for process in processes:
        process.start()
    barrier.wait()
    started = time.perf_counter()
    reports = [results.get(timeout=seconds + 120) for _ in processes]
    elapsed = max(time.perf_counter() - started, seconds)
    for process in processes:
        process.join()
    done = sum(r[1] for r in reports)
    return done / elapsed, done


def verify(expected_transfers: int) -> list[str]:
    from coproduce.timebank import selectors
    from coproduce.timebank.models import Transfer

    problems = selectors.verify()
    stored = Transfer.objects.count()
    if stored != expected_transfers:
        problems.append(f"{stored} transfers stored but the clients reported {expected_transfers}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=5, help="length of each round")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="rounds of each, taken in turn, so both meet the same load on a shared machine",
    )
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument(
        "--scale", type=int, default=1, help="pgbench -i scale factor (default 1, as `pgbench -i`)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch databases")
    options = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    print(
        f"server: {urlsplit(BASE_URL)._replace(path='').geturl()}  clients: {options.clients}  "
        f"rounds: {options.rounds} x {options.seconds} s each  pgbench scale: {options.scale}  "
        f"cpus: {os.cpu_count()}  load average: {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    problems: list[str] = []
    try:
        account_ids = prepare_ledger()
        ledger_rates, pgbench_rates, done = [], [], 0
        for round_number in range(1, options.rounds + 1):
            rate, count = run_ledger(options.clients, options.seconds, account_ids, round_number)
            ledger_rates.append(rate)
            done += count
            pgbench_rates.append(run_pgbench(options.clients, options.seconds, options.scale))
            print(
                f"round {round_number}: ledger {rate:,.0f}/s, pgbench {pgbench_rates[-1]:,.0f}/s", flush=True
            )
        ledger_rate = sum(ledger_rates) / len(ledger_rates)
        pgbench_rate = sum(pgbench_rates) / len(pgbench_rates)
        print(f"coproduce ledger (service layer): {ledger_rate:,.0f} transfers/s ({done:,} transfers)")
        print(f"pgbench tpcb-like:                {pgbench_rate:,.0f} transactions/s")
        ratio = ledger_rate / pgbench_rate
        print(f"ratio: {ratio:.2f} (needs at least {MIN_RATIO})")
        problems = verify(done)
        from django.db import connections

        connections.close_all()
    finally:
        if not options.keep:
            drop(LEDGER_DB)
            drop(PGBENCH_DB)
    for problem in problems:
        print(f"ledger problem: {problem}")
    print(
        "ledger verified: balances equal postings, the ledger sums to zero"
        if not problems
        else "LEDGER FAILED"
    )
    return 1 if problems or ratio < MIN_RATIO else 0


if __name__ == "__main__":
    sys.exit(main())
