"""Sessions in the database (see the package)."""

from django.contrib.sessions.backends import db

from . import ReadPrepared


class SessionStore(ReadPrepared, db.SessionStore):
    """`django.contrib.sessions.backends.db`, read with SQL built once."""
