"""Django's SQLite backend, with "database is locked" absorbed where it can safely be.

SQLite lets one writer in at a time. The settings open every write transaction with `BEGIN IMMEDIATE`, so a
writer takes the lock before it reads or writes anything, and `busy_timeout` makes it wait for the lock. A
writer that still finds the database locked when the timeout runs out gets "database is locked" from that
`BEGIN`, before its transaction did anything: so `BEGIN` is tried again here, with a growing, jittered pause,
until `SQLITE_LOCKED_RETRY_SECONDS` (default 30 s) have passed. A write can therefore never half happen
because of the lock; at worst it waits. `commit_count` counts this connection's commits, so that a whole
request may be tried again only when it wrote nothing (see `coproduce.core.locked`).
"""

from __future__ import annotations

import random
import sqlite3
import time

from django.conf import settings
from django.db.backends.sqlite3 import base
from django.db.utils import OperationalError

RETRY_SECONDS = 30.0
FIRST_PAUSE = 0.005  # seconds; doubles after each try, up to MAX_PAUSE
MAX_PAUSE = 0.25


def is_locked(error: BaseException) -> bool:
    """SQLite's "database is locked" (another connection holds the write lock), whatever wrapped it."""
    return isinstance(error, OperationalError | sqlite3.OperationalError) and "database is locked" in str(
        error
    )


class DatabaseWrapper(base.DatabaseWrapper):
    commit_count = 0
    locked_retries = 0  # how often BEGIN found the database locked and tried again (read by tests)

    def _start_transaction_under_autocommit(self) -> None:
        deadline = time.monotonic() + getattr(settings, "SQLITE_LOCKED_RETRY_SECONDS", RETRY_SECONDS)
        pause = FIRST_PAUSE
        while True:
            try:
                super()._start_transaction_under_autocommit()  # type: ignore[misc]  # not in the stubs
                return
            except (OperationalError, sqlite3.OperationalError) as error:
                if not is_locked(error) or time.monotonic() + pause > deadline:
                    raise
            DatabaseWrapper.locked_retries += 1
            time.sleep(pause * random.uniform(0.5, 1.5))  # noqa: S311 - jitter, not a secret
            pause = min(pause * 2, MAX_PAUSE)

    def _commit(self) -> None:
        super()._commit()  # type: ignore[misc]  # Django's, not in its stubs
        self.commit_count += 1
