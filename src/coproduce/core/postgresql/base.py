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
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
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
