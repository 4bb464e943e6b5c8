"""Django's PostgreSQL backend, checking a kept connection before a request without a round trip.

With `CONN_HEALTH_CHECKS` Django asks a kept connection `SELECT 1` at the start of every request, so that a
connection the server ended (a restart, `pg_terminate_backend`, an idle timeout) is opened again instead of
failing the request. That round trip cost a page about a fifth of its throughput under load on a 2-core
machine (bench/load.py: the space page 590 -> 720 requests a second without it). A server that ends a
connection says so on it (an error message, then the end of the stream), and an idle connection is sent
nothing else that this application asks for (no LISTEN): so the connection is first looked at without
asking anything (is its socket readable?), and only when something is waiting is it asked `SELECT 1` as
Django asks it, which reads what waits and tells for sure. A network that drops the connection silently is
noticed, as before, when the query that meets it fails.

Times are read by psycopg's own loader (compiled, with psycopg's binary build) instead of Django's, which
subclasses psycopg's pure-Python one to set each value's time zone: a page's statement brings back tens of
times, and Django's loader took about 5 us each against a fraction of one. Both give the same instant with
`datetime.timezone.utc` when the connection's time zone is UTC, which Django sets when its own is (USE_TZ, no
TIME_ZONE for the database): only then is psycopg's used, and Django's again the moment they would differ.
"""

from __future__ import annotations

import datetime
import select

import psycopg
from django.db.backends.postgresql import base
from django.db.backends.postgresql.psycopg_any import register_tzloader
from psycopg import pq

_TIMESTAMPTZ = psycopg.adapters.types["timestamptz"].oid
# psycopg's loader of times with a time zone: for a connection whose time zone is UTC, `datetime.timezone.utc`.
_PSYCOPG_TIMES = psycopg.adapters.get_loader(_TIMESTAMPTZ, pq.Format.TEXT)


class DatabaseWrapper(base.DatabaseWrapper):
    _psycopg_times = False  # whether this connection reads times with psycopg's loader

    def init_connection_state(self) -> None:
        super().init_connection_state()
        self._psycopg_times = False
        connection = self.connection
        if (
            connection is not None
            and self.timezone is datetime.UTC
            and connection.info.parameter_status("TimeZone") == "UTC"
        ):
            connection.adapters.register_loader(_TIMESTAMPTZ, _PSYCOPG_TIMES)
            self._psycopg_times = True

    def create_cursor(self, name=None):
        if self._psycopg_times:
            if self.timezone is datetime.UTC and not name:
                return self.connection.cursor()
            # Django's loader as Django expects it: a named cursor (with its own copy of it), or a time zone
            # changed since the connection was opened (tests) for good.
            register_tzloader(self.timezone, self.connection)
            if self.timezone is not datetime.UTC:
                self._psycopg_times = False
                return super().create_cursor(name)
            cursor = super().create_cursor(name)
            register_tzloader(self.timezone, cursor)
            self.connection.adapters.register_loader(_TIMESTAMPTZ, _PSYCOPG_TIMES)
            return cursor
        return super().create_cursor(name)

    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        if connection.info.transaction_status not in (
            pq.TransactionStatus.IDLE,
            pq.TransactionStatus.INTRANS,
        ):
            return super().is_usable()
        try:
            waiting, _, _ = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not waiting or super().is_usable()
