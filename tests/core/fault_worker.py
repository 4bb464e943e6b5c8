"""One write, made by a separate process so that a test can kill it, or cut its database connection, while
the write's transaction is open. Run by tests/core/test_faults.py:

    python tests/core/fault_worker.py '{"write": "ballot", "pause": true, ...}'

With "pause", the worker stops half way through the write — after the first rows are written, before the
rest — prints `PAUSED <database backend id>` and waits for a line on stdin before going on. It prints `DONE`
when the write committed. The database is the one the environment names (COPRODUCE_DATABASE_URL, or the
SQLite file in COPRODUCE_VAR_DIR), as for the real server.
"""

from __future__ import annotations

import functools
import json
import os
import sys


def pause_before(module, name: str) -> None:
    """Replace `module.name` by a version that stops (inside the caller's transaction) before doing its work."""
    from django.db import connection

    original = getattr(module, name)

    @functools.wraps(original)
    def paused(*args, **kwargs):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                backend = cursor.fetchone()[0]
        else:
            backend = os.getpid()
        print("PAUSED", backend, flush=True)
        sys.stdin.readline()
        return original(*args, **kwargs)

    setattr(module, name, paused)


def main() -> None:
    job = json.loads(sys.argv[1])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.settings")
    import django

    django.setup()
    from coproduce.people.models import User

    write = job["write"]
    if write == "ballot":
        from coproduce.budgets import selectors
        from coproduce.budgets.models import Budget
        from coproduce.budgets.services import ballots

        if job["pause"]:
            pause_before(ballots, "_store_ballot")  # the voter row is written, the ballot not yet
        budget = Budget.objects.get(pk=job["budget"])
        first = next(iter(selectors.on_ballot(budget)))
        ballots.ballot_submit(actor=User.objects.get(pk=job["voter"]), budget=budget, choices=[(first, 1)])
    elif write == "transfer":
        from coproduce.timebank.models import Account, TransferKind
        from coproduce.timebank.services import ledger

        if job["pause"]:
            pause_before(ledger, "_insert_postings")  # the transfer row and both balances moved, no postings
        giver, receiver = Account.objects.get(pk=job["giver"]), Account.objects.get(pk=job["receiver"])
        ledger.transfer_create(
            actor=None,
            postings=[(giver, -job["minutes"]), (receiver, job["minutes"])],
            kind=TransferKind.ADJUSTMENT,
            description="Gardening at the drop-in",
            key=job["key"],
        )
    elif write == "survey":
        from coproduce.surveys.models import Survey
        from coproduce.surveys.services import answering

        if job["pause"]:
            pause_before(answering, "_finish")  # the response and its answers written, not yet sent
        answering.response_create(
            actor=User.objects.get(pk=job["respondent"]),
            survey=Survey.objects.get(pk=job["survey"]),
            sent={int(k): v for k, v in job["sent"].items()},
        )
    else:
        raise SystemExit(f"unknown write {write!r}")
    print("DONE", flush=True)


if __name__ == "__main__":
    main()
