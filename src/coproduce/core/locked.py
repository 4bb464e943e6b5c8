"""A request that met SQLite's "database is locked" is tried again, never shown to the person as an error.

The SQLite backend (`coproduce.core.sqlite3`) already waits for the write lock at the start of every
transaction. What can still meet the lock is a single write outside a transaction (autocommit) that waited
longer than `busy_timeout`. The view is then run again, a few times with a growing pause — but only when the
request has committed nothing yet on that connection, so that a retried request never writes twice.
On PostgreSQL nothing here applies: the error never has that message.

The normal path is Django's own: `process_view` only notes the view and the commit count, and the retry
happens in `process_exception` (this middleware is last in MIDDLEWARE, so it is asked first).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse

from coproduce.core.sqlite3.base import is_locked

ATTEMPTS = 5  # in all, the first one included
FIRST_PAUSE = 0.05  # seconds, doubled after each attempt


class RetryWhenLockedMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: tuple, kwargs: dict[str, Any]
    ) -> None:
        request._locked_retry = (view, args, kwargs, getattr(connection, "commit_count", 0))  # type: ignore[attr-defined]

    def process_exception(self, request: HttpRequest, exception: Exception) -> Any:
        noted = getattr(request, "_locked_retry", None)
        if noted is None or not self._may_retry(exception, noted[3]):
            return None  # Django (and the other middleware) handle it as usual
        view, args, kwargs, commits = noted
        pause = FIRST_PAUSE
        for attempt in range(2, ATTEMPTS + 1):
            time.sleep(pause)
            pause *= 2
            try:
                return view(request, *args, **kwargs)
            except Exception as error:
                if attempt == ATTEMPTS or not self._may_retry(error, commits):
                    raise
        return None  # not reached

    @staticmethod
    def _may_retry(error: BaseException, commits: int) -> bool:
        return (
            is_locked(error)
            and getattr(connection, "commit_count", 0) == commits  # nothing written: safe to run again
            and not connection.in_atomic_block  # an outer transaction (ATOMIC_REQUESTS) cannot be redone
        )
