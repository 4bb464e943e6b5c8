"""Sessions in the database (through the shared cache when there is one), as Django keeps them, read with
SQL built once (`core.prepared`): every signed-in page reads its session, and building the query cost more
than running it. Only reading changes; sessions are written, expire and are cleared as Django does it, and
the engines keep Django's table, so no session is lost in changing to them."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.sessions.models import Session
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone

from ..prepared import Prepared
from ..shared import Remembered

SESSION = Prepared(lambda key: Session.objects.filter(session_key=key), values=(str,))
# A session's data as stored -> its contents, serialized again once its signature was checked: checking the
# signature of the same text again (two hashes, about 20-40 us a page) tells nothing new.
_checked = Remembered(20_000)


class ReadPrepared:
    """Read the session with SQL built once. The engines' classes must be called `SessionStore`, as Django's are:
    the class's name is part of the key that signs a session's data, and another name would sign everyone out."""

    session_key: str | None
    serializer: Any
    key_salt: str

    def _get_session_from_db(self):
        return self._unexpired(lambda: SESSION.first(self.session_key) if self.session_key else None)

    def decode(self, session_data):
        """Django's, with the signature of each stored text checked once in this process; the contents are
        read afresh from JSON each time (the request may change its own session)."""
        serializer = self.serializer()

        def checked() -> bytes | None:
            found = super(ReadPrepared, self).decode(session_data)  # type: ignore[misc]
            return serializer.dumps(found) if found else None

        text = _checked.get((self.key_salt, session_data), checked)
        return serializer.loads(text) if text is not None else {}

    def _unexpired(self, read):
        """The session `read()` finds, or None (and the key forgotten) when it is missing or expired."""
        try:
            found = read()
        except SuspiciousOperation as error:  # as Django's own engine does
            logging.getLogger(f"django.security.{error.__class__.__name__}").warning(str(error))
            found = None
        if found is None or found.expire_date <= timezone.now():
            self._session_key = None
            return None
        return found
