"""Limits on how often one person, and one address, may do something: vote, post, use an API token.

One mechanism for the whole site (sign-in and registration are allauth's own, `ACCOUNT_RATE_LIMITS`). A view
says what it counts with `@limited("vote")`; the API's token check counts every use of a token ("token") and
every wrong token ("token_failed"). The rates are in `settings.RATE_LIMITS`, in allauth's notation: "10/m/user,
300/m/ip" is at most 10 a minute from one person and 300 a minute from one address (`s`, `m`, `h`, `d`; a number
before the unit multiplies it: "5/300s/user"). The address limits are high: a whole room at an in-person session
shares one address. `COPRODUCE_DISABLE_RATE_LIMITS=1` turns them off (the test suite does, except where it tests
them: tests/core/test_rate_limits.py).

Counts are kept in Django's cache (the database, or Redis), so every process shares them and a restart keeps
them, in fixed windows: one cache key per scope, person or address and window, read and written once per
request. Two requests at the same instant may both pass the last place (read, then write): the limits are
against floods, not exact. `@limited` counts only changes (POST, PUT, PATCH, DELETE), never a page being read;
"token" counts every request with a token.

Over a limit, `RateLimited` is raised: pages answer 429 with a plain page (core/429.html) or, to htmx, a
message and a refresh (`RateLimitMiddleware`); the API answers 429 with `{"detail": ...}` (core/api.py).
Both send `Retry-After`.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import inspect
import ipaddress
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class RateLimited(Exception):
    """Over a limit: nothing was done. `retry_after` is in whole seconds."""

    def __init__(self, scope: str, retry_after: int) -> None:
        super().__init__(scope)
        self.scope = scope
        self.retry_after = max(1, retry_after)

    @property
    def message(self) -> str:
        return message(self.retry_after)


def message(seconds: int) -> str:
    wait = (
        _("Wait %(n)s seconds and try again.") % {"n": seconds}
        if seconds < 120
        else _("Wait %(n)s minutes and try again.") % {"n": math.ceil(seconds / 60)}
    )
    return (
        _("You have done this many times in a short while, so we have paused it for a moment.") + " " + wait
    )


@dataclass(frozen=True)
class Rate:
    amount: int
    seconds: int
    per: str  # "user" or "ip"


@functools.cache
def parse(rates: str) -> tuple[Rate, ...]:
    """ "10/m/user,300/5m/ip" -> the rates; a wrong one stops the site at the first request that uses it."""
    out = []
    for part in filter(None, (p.strip() for p in rates.split(","))):
        amount, duration, per = part.split("/")
        if per not in ("user", "ip") or duration[-1] not in UNITS:
            raise ValueError(f"Not a rate: {part!r} (write it as 10/m/user or 300/5m/ip)")
        out.append(Rate(int(amount), int(duration[:-1] or 1) * UNITS[duration[-1]], per))
    return tuple(out)


def client_address(request: HttpRequest) -> str:
    """The visitor's address (set by coproduce.core.proxies behind a trusted proxy); an IPv6 address is
    counted by its /64 network, which one household or phone usually has whole."""
    address = request.META.get("REMOTE_ADDR") or "unknown"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.IPv6Network(f"{parsed}/64", strict=False).network_address)
    return address


def _who(request: HttpRequest, rate: Rate, user: Any) -> str | None:
    if rate.per == "ip":
        return "ip:" + hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    if user is None:
        user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None  # a per-person limit does not apply to someone not signed in
    return f"user:{user.pk}"


def consume(request: HttpRequest, scope: str, *, user: Any = None, dry_run: bool = False) -> None:
    """Count one `scope` for the person (`user`, or the request's) and the address, or raise `RateLimited`
    if that would pass a limit (nothing is counted then). `dry_run` only checks."""
    rates = parse(settings.RATE_LIMITS.get(scope) or "") if settings.RATE_LIMITS else ()
    if not rates:
        return
    now = time.time()
    keys: dict[str, tuple[Rate, float]] = {}
    for rate in rates:
        who = _who(request, rate, user)
        if who is not None:
            window = int(now // rate.seconds)
            ends = (window + 1) * rate.seconds
            keys[f"rl:{scope}:{rate.amount}/{rate.seconds}:{who}:{window}"] = (rate, ends)
    if not keys:
        return
    counts = cache.get_many(list(keys))
    full = [ends for key, (rate, ends) in keys.items() if counts.get(key, 0) >= rate.amount]
    if full:
        raise RateLimited(scope, math.ceil(max(full) - now))
    if not dry_run:
        longest = max(rate.seconds for rate, _ends in keys.values())
        cache.set_many({key: counts.get(key, 0) + 1 for key in keys}, timeout=longest)


def limited(scope: str) -> Callable:
    """A view (page or API operation) whose changes count towards `scope`'s limits; reading is not counted.
    Put it below `login_required` / `require_POST` (or the router's decorator), so that only what the view
    would really do is counted."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if request.method not in SAFE_METHODS:
                consume(request, scope)
            return view(request, *args, **kwargs)

        wrapped.rate_limit_scope = scope  # type: ignore[attr-defined]
        # django-ninja reads an operation's parameters from its signature, resolving the annotations (strings,
        # under `from __future__ import annotations`) in the function's module: resolve them here, where the
        # wrapper's own module would not know them. (A page view may name a type imported only for type
        # checking: ninja never reads a page view.)
        with contextlib.suppress(NameError, AttributeError, TypeError):
            wrapped.__signature__ = inspect.signature(view, eval_str=True)  # type: ignore[attr-defined]
        return wrapped

    return decorate


def too_many(request: HttpRequest, error: RateLimited) -> HttpResponse:
    """The 429 a page answers: the plain page, or to htmx (which shows nothing of an error) the message and a
    refresh of the page it came from, which shows it."""
    if request.headers.get("HX-Request"):
        messages.error(request, error.message)
        response = HttpResponse(status=429)
        response["HX-Refresh"] = "true"
    else:
        response = render(request, "core/429.html", {"message": error.message}, status=429)
    response["Retry-After"] = str(error.retry_after)
    return response


class RateLimitMiddleware:
    """Turns `RateLimited` from a page's view into the 429 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, RateLimited):
            return too_many(request, exception)
        return None
