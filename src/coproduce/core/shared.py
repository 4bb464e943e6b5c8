"""What many people see alike, built once and kept for a few seconds: a list of offers, a space's ideas, a
budget's ballot paper.

A busy page (a voting evening: hundreds of people on the same few pages) spends most of its time building the
same list again for each of them. `kept(...)` builds it once per audience and keeps it in the process for
`settings.SHARED_SECONDS` (5 by default; 0 turns keeping off, as the test suite does except where it tests
this):

    found = shared.kept(request, "timebank.listings", audience=access.listings_audience(request.user),
                        parts=(request.GET.urlencode(),), build=lambda: render_to_string(...))

- **Audience.** Everyone given the same `audience` is given the same value, so it must hold everything the
  value depends on about the person: it comes from the module's `access.py`, where who may see what is
  decided. What is the person's own (their support of an idea, their ballot, their name in the header) is
  never in a kept value: pages build it for each request and put it beside or into the shared part.
- **Fresh enough, and always fresh for the writer.** Someone else's change shows within `SHARED_SECONDS`.
  Your own shows at once: after you change anything (a POST, PUT, PATCH or DELETE that succeeds) nothing
  kept is used for you for `SHARED_SECONDS` (`WroteRecentlyMiddleware`: a cookie that expires with them, or,
  for an API token, the time of its last change, kept on the token), so a page you are sent to after posting never misses what you
  posted. The cookie only ever makes pages fresher: setting it by hand gains nothing but slower pages.
  A change that can show in nothing kept (a secret ballot: it is counted only when voting closes, and the
  voter's own ballot is never kept) says so with `only_own_changed(request)`, and its author goes on being
  given kept values: on a voting evening most pages asked for come straight after a ballot.
- **Per process.** Values are kept in the process's memory (at most `MAX_KEPT`, the least recently used
  dropped first): no cache round trip on a hit, nothing to serialise; each process builds its own copy.
- Access is never kept: pages check it on every request before asking for the kept part.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from ninja.renderers import JSONRenderer

if TYPE_CHECKING:
    from pydantic import BaseModel

T = TypeVar("T")

MAX_KEPT = 2_000

_kept: OrderedDict[str, tuple[float, Any]] = OrderedDict()
_lock = threading.Lock()


def seconds() -> float:
    return float(getattr(settings, "SHARED_SECONDS", 0))


def kept(
    request,
    name: str,
    *,
    audience: Hashable,
    parts: tuple[Hashable, ...] = (),
    build: Callable[[], T],
) -> T:
    """`build()`, or what it gave for the same name, audience, parts and language in the last few seconds."""
    keep_for = seconds()
    if keep_for <= 0 or wrote_recently(request):
        return build()
    key = hashlib.blake2b(repr((name, audience, parts, get_language())).encode(), digest_size=16).hexdigest()
    now = time.monotonic()
    with _lock:
        found = _kept.get(key)
        if found is not None and found[0] > now:
            _kept.move_to_end(key)
            return found[1]
    value = build()
    with _lock:
        _kept[key] = (now + keep_for, value)
        _kept.move_to_end(key)
        while len(_kept) > MAX_KEPT:
            _kept.popitem(last=False)
    return value


def written_json(request, value: Any, schema: type[BaseModel]) -> str:
    """`value` checked against `schema` and written as the API writes every answer: django-ninja's JSON
    renderer, which `core.api.CoproduceAPI` keeps. A list is checked row by row."""
    if isinstance(value, list):
        checked: Any = [schema.model_validate(row).model_dump() for row in value]
    else:
        checked = schema.model_validate(value).model_dump()
    return JSONRenderer().render(request, checked, response_status=200)


def json_response(text: str) -> HttpResponse:
    """An API answer already written (`written_json`)."""
    renderer = JSONRenderer()
    return HttpResponse(text, content_type=f"{renderer.media_type}; charset={renderer.charset}")


def kept_json(
    request,
    name: str,
    *,
    audience: Hashable,
    parts: tuple[Hashable, ...] = (),
    schema: type[BaseModel],
    build: Callable[[], list[Any]],
    own: tuple[str, Callable[[list[int]], set[int]]] | None = None,
) -> HttpResponse:
    """`kept`, for an API endpoint answering a list: the rows are checked against `schema` and written as
    JSON once, and the same bytes are answered to everyone in the audience. Checking and writing a hundred
    rows cost more than reading them (the offers list: about 1.5 ms a request).

    `own=(field, mine)`: one true-or-false field of each row is the person's own (`supported_by_me`). Each
    row is then kept written both ways, and each request answers, row by row, the one `mine(ids)` says
    (the ids of the rows for which it is true), joined as the renderer joins a list."""
    if own is None:
        text = kept(
            request,
            name,
            audience=audience,
            parts=parts,
            build=lambda: written_json(request, build(), schema),
        )
        return json_response(text)
    field, mine = own

    def both_ways() -> list[tuple[int, str, str]]:
        rows = []
        for row in build():
            no, yes = (written_json(request, {**row, field: flag}, schema) for flag in (False, True))
            rows.append((row["id"], no, yes))
        return rows

    rows = kept(request, name, audience=audience, parts=parts, build=both_ways)
    chosen = mine([row_id for row_id, _no, _yes in rows])
    return json_response("[" + ", ".join(yes if i in chosen else no for i, no, yes in rows) + "]")


# --- What never changes under its key ------------------------------------------------------------------
# A value whose key names its version (a count's time, a budget's last change) is never stale: it is kept in
# the process while there is room (the least recently used dropped first), with no time limit and no cache
# round trip. The shared cache behind it, if any, is the builder's business.


class Remembered:
    """At most `size` values by key in this process, the least recently used dropped first; safe across the
    server's threads. A value made as None is not kept (nothing was found: ask again next time)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        with self._lock:  # one request changes the order while another reads
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = make()
        if value is not None:
            self.put(key, value)
        return value

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


MAX_VERSIONED = 500

_versioned = Remembered(MAX_VERSIONED)


def versioned(key: str, build: Callable[[], T]) -> T:
    """What `build()` gave for `key` in this process, or `build()`. Only for keys that change whenever the
    value would: the time of what it was built from, and everything else it depends on (the language)."""
    return _versioned.get(key, build)


def forget_all() -> None:
    """Drop everything kept in this process (tests)."""
    with _lock:
        _kept.clear()
    _versioned.clear()


# --- Your own changes show at once ----------------------------------------------------------------------
# A browser is given a cookie that expires with the kept values (nothing to write on the server); an API
# client, which keeps no cookies, has the time of its last change written on its token (people.ApiToken),
# which every request reads anyway: the client that made a change is answered fresh values, whichever
# process answers. (Another token of the same person is another client: it may be answered kept values.)
# A token looked up another way (COPRODUCE_API_TOKEN_LOOKUP) falls back to a flag in the shared cache.

FRESH_COOKIE = "coproduce_fresh"


def _token_key(user_id: int) -> str:
    return f"shared:wrote:{user_id}"


def wrote_recently(request) -> bool:
    if FRESH_COOKIE in request.COOKIES:
        return True
    user = getattr(request, "user", None)
    if getattr(request, "auth_by_token", False) and user is not None and user.is_authenticated:
        token = getattr(user, "api_token", None)
        if token is not None:  # read with the token: no cache round trip
            return (
                token.wrote_at is not None and (timezone.now() - token.wrote_at).total_seconds() < seconds()
            )
        return bool(cache.get(_token_key(user.pk)))
    return False


def only_own_changed(request) -> None:
    """Say that what this request changed shows in no kept value, only in what is built for its author alone:
    its author need not be given fresh pages after it. tests/demo/test_demo_shared.py checks each such
    change against every kept page."""
    request._only_own_changed = True


def note_write(request, response) -> None:
    keep_for = seconds()
    if keep_for <= 0 or getattr(request, "_only_own_changed", False):
        return
    user = getattr(request, "user", None)
    if getattr(request, "auth_by_token", False):
        token = getattr(user, "api_token", None)
        if token is not None:
            token.note_write()
        elif user is not None and user.is_authenticated:  # a token looked up elsewhere (settings)
            cache.set(_token_key(user.pk), 1, timeout=math.ceil(keep_for))
        return
    response.set_cookie(
        FRESH_COOKIE,
        "1",
        max_age=math.ceil(keep_for),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


class WroteRecentlyMiddleware:
    """After a change that succeeded, the person who made it sees nothing kept for `SHARED_SECONDS`."""

    UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method in self.UNSAFE and response.status_code < 400:
            note_write(request, response)
        return response
