"""Sessions in the database, read through the shared cache, for several app processes (see the package)."""

from django.contrib.sessions.backends import cached_db

from . import ReadPrepared


class SessionStore(ReadPrepared, cached_db.SessionStore):
    """`django.contrib.sessions.backends.cached_db`, read with SQL built once on a miss."""
