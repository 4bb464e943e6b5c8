"""A request that met SQLite's "database is locked" is tried again, never shown to the person as an error.

The SQLite backend (`coproduce.core.sqlite3`) already waits for the write lock at the start of every
transaction. What can still meet the lock is a single write outside a transaction (autocommit) that waited
longer than `busy_timeout`. The view is then run again, a few times with a growing pause — but only when the
request has committed nothing yet on that connection, so that a retried request never writes twice.
On PostgreSQL nothing here applies: the error never has that message.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.utils import OperationalError
from django.http import HttpRequest, HttpResponse

from coproduce.core.sqlite3.base import is_locked

ATTEMPTS = 5
FIRST_PAUSE = 0.05  # seconds, doubled after each attempt


class RetryWhenLockedMiddleware:
    """Last in MIDDLEWARE: it calls the view itself (from `process_view`) so that it can call it again."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: tuple, kwargs: dict[str, Any]
    ) -> Any:
        pause = FIRST_PAUSE
        for attempt in range(1, ATTEMPTS + 1):
            commits = getattr(connection, "commit_count", 0)
            try:
                return view(request, *args, **kwargs)
            except OperationalError as error:
                wrote = getattr(connection, "commit_count", 0) != commits
                if attempt == ATTEMPTS or wrote or not is_locked(error) or connection.in_atomic_block:
                    raise
            time.sleep(pause)
            pause *= 2
        return None  # not reached
