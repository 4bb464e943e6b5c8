"""Sessions in the database read with the signed-in person in the same round trip.

Every signed-in page reads its session, then the person it names (with their unread count,
`backends.PERSON`). On PostgreSQL each is a round trip, and a round trip cost a page more of the machine's CPU
than the query's own work (bench/load.py). Which person a session names is in its signed data, which the
database cannot read: so each process remembers whom each session it has read named (`_named`, the most
recent sessions), and asks for the session and that person together (`core.prepared.Together`). The person
read so answers the backend's read of that person (`core.prepared.keep`), so it is used only when the
session, once decoded, names the same person: a guess that is wrong, or missing (the first page a process is asked for by that session, after a restart or when
signing in was answered by another process), costs only the second query, as before.

- `SessionStore` is the engine (`SESSION_ENGINE` without Redis; with Redis the session comes from the shared
  cache, and the person is read on their own).
- `AuthenticationMiddleware` is Django's, with `request.user` read through the session's guess; it also
  opens each request's scope of reading ahead and gives the session what the page will read first
  (core/ahead.py), asked in the same statement when the guess is known.
"""

from __future__ import annotations

from contextlib import suppress

from django.contrib import auth
from django.contrib.auth import SESSION_KEY
from django.contrib.auth import middleware as auth_middleware
from django.utils.functional import SimpleLazyObject

from coproduce.core import ahead, sessions
from coproduce.core.prepared import Together, keep, reading_ahead
from coproduce.core.sessions import db
from coproduce.core.shared import Remembered

from .backends import PERSON

_SESSION_AND_PERSON = Together(sessions.SESSION, PERSON)
_named = Remembered(20_000)  # session key -> the id of the person its data named, as last read here


class SessionStore(db.SessionStore):
    """`core.sessions.db`'s, reading the person its data named last time with the session."""

    ahead = None  # what the page reads first, for the id guessed (core/ahead.py): set by the middleware

    def _get_session_from_db(self):
        guess = _named.get(self.session_key, lambda: None) if self.session_key else None
        if guess is None:
            return super()._get_session_from_db()

        def read():
            also = self.ahead(guess) if self.ahead is not None else None
            session, person = _SESSION_AND_PERSON.first_with(((self.session_key,), (guess,)), also)
            keep(PERSON, person, guess)  # the backend's read of the person the session names, if it is them
            return session

        return self._unexpired(read)

    def load(self):
        data = super().load()
        self._remember(data)
        return data

    def save(self, must_create=False):
        super().save(must_create)
        self._remember(getattr(self, "_session_cache", {}))  # signing in: known from the next page on

    def _remember(self, data) -> None:
        named = data.get(SESSION_KEY)
        if self.session_key and named is not None:
            with suppress(TypeError, ValueError):  # not an id of ours: nothing to guess with
                _named.put(self.session_key, int(named))


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, with the person named by the session taken from the session's own read when it has them, and
    what the page reads first read with them (core/ahead.py)."""

    def __call__(self, request):
        with reading_ahead():
            return super().__call__(request)

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _user(request))

    def process_view(self, request, view_func, view_args, view_kwargs):
        session = getattr(request, "session", None)
        if session is not None and not hasattr(request, "_cached_user"):
            session.ahead = ahead.planned(request)


def _user(request):
    if not hasattr(request, "_cached_user"):
        request._cached_user = auth.get_user(request)
        # From here on `request.user` is the person, not the lazy object standing for them: a page asks for it
        # tens of times, and each question through the lazy object cost about a microsecond more.
        request.user = request._cached_user
    return request._cached_user
