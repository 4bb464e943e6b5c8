"""The site's header and footer, rendered once per process and filled in for each request.

Every page shows the same header and footer, which differ between people only in a few values: the CSRF
token of the sign-out and language forms, the unread count, the address to come back to after signing in,
and the page's own address for the language switcher. Rendering them from the template cost 0.8 ms of the
2.3-3 ms of CPU of a busy page (bench/load.py): a dozen `{% url %}`s and translations that come out the same
for everyone.

`header(context)` and `footer(context)` (the `{% site_header %}` and `{% site_footer %}` tags of base.html)
render `core/_header.html` and `core/_footer.html` once for each combination of what they depend on (the
language, the network's name, whether someone is signed in, the part of the site the page is in), with a
marker where each person's own value goes, and keep the result cut at the markers. Each request joins the
pieces with its own values: one pass, so a value (a path someone typed) is never searched for markers.

Nothing personal is kept: the kept pieces are rendered from markers, never from a person's values. When
templates are reloaded (DEBUG), nothing is kept either.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token
from django.template.defaultfilters import urlencode
from django.template.loader import render_to_string
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

# Letters, digits and hyphens only: escaping leaves them as they are, wherever the template puts them.
_MARK = f"shell{secrets.token_hex(8)}"
_SPLIT = re.compile(rf"{_MARK}-(\w+)-")

_kept: dict[tuple, tuple[str, ...]] = {}
_lock = threading.Lock()


def marker(name: str) -> SafeString:
    """Where a value named NAME goes in a template rendered to be kept (here, and in core/kept_pages.py)."""
    return mark_safe(f"{_MARK}-{name}-")  # noqa: S308 - letters, digits and hyphens


def cut(html: str) -> tuple[str, ...]:
    """HTML rendered with markers, cut at them: literal, name, literal, name, ..., literal."""
    return tuple(_SPLIT.split(html))


def join(pieces: tuple[str, ...], value: Callable[[str], str]) -> SafeString:
    """The pieces with each marker's value put in, in one pass: a value (a path someone typed) is never
    searched for markers."""
    return mark_safe(  # noqa: S308 - kept pieces are rendered templates; the values are escaped where made
        "".join(value(p) if i % 2 else p for i, p in enumerate(pieces))
    )


_MARKERS = {name: marker(name) for name in ("csrf", "unread", "return_to", "next")}


def csrf_token(request) -> str:
    """The request's CSRF token, masked once for all its forms (Django masks it anew on each `get_token`, 32
    random characters each time)."""
    secret = request.META.get("CSRF_COOKIE")
    found = getattr(request, "_coproduce_csrf_token", None)
    if found is None or found[0] != secret:  # none yet, or a new secret since (signing in rotates it)
        if secret is not None and len(secret) == CSRF_SECRET_LENGTH:
            request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # as `get_token` does: the cookie is renewed
            token = masked(secret)
        else:
            token = get_token(request)  # no secret yet: Django makes one, and its cookie
        found = request._coproduce_csrf_token = (request.META.get("CSRF_COOKIE"), token)
    return found[1]


_ALLOWED = CSRF_ALLOWED_CHARS
_FAIR = 256 - 256 % len(_ALLOWED)  # bytes below this map to each allowed character equally often


def masked(secret: str) -> str:
    """The secret masked as Django masks it (`django.middleware.csrf._mask_cipher_secret`: a random mask of 32
    allowed characters, then the secret shifted by it), the mask drawn from one read of random bytes where
    Django reads once for each of its characters (40 us a page, a twentieth of a page's time)."""
    mask: list[int] = []
    while len(mask) < CSRF_SECRET_LENGTH:
        mask += [byte % len(_ALLOWED) for byte in secrets.token_bytes(2 * CSRF_SECRET_LENGTH) if byte < _FAIR]
    mask = mask[:CSRF_SECRET_LENGTH]
    cipher = (
        _ALLOWED[(_ALLOWED.index(char) + shift) % len(_ALLOWED)]
        for char, shift in zip(secret, mask, strict=True)
    )
    return "".join(_ALLOWED[shift] for shift in mask) + "".join(cipher)


def _section(request) -> tuple[str, bool]:
    """What the header's "you are here" (aria-current) depends on."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "", False
    return match.namespace, match.url_name == "directory"


def _languages() -> tuple:
    """The languages offered (the switcher lists them; a test may offer another)."""
    return tuple(tuple(pair) for pair in settings.LANGUAGES)


def _unread(context) -> str:
    n = context.get("notifications_unread")
    count = n.count if n is not None else 0
    if not count:
        return ""
    return format_html(' ({})<span class="visually-hidden"> {}</span>', count, _("unread"))


def _return_to(context) -> str:
    wanted = context.get("return_to") or ""
    return f"?next={conditional_escape(urlencode(wanted))}" if wanted else ""


def _pieces(template: str, key: tuple, values: dict[str, Any]) -> tuple[str, ...]:
    """The template rendered with markers, cut at them: literal, name, literal, name, ..., literal."""
    found = None if settings.DEBUG else _kept.get(key)
    if found is None:
        found = cut(render_to_string(template, values))
        if not settings.DEBUG:
            with _lock:
                _kept[key] = found
    return found


def header(context) -> SafeString:
    request = context.get("request")
    user = context.get("user")
    signed_in = bool(user is not None and user.is_authenticated)
    namespace, directory = _section(request)
    key = ("header", get_language(), _languages(), settings.NETWORK_NAME, signed_in, namespace, directory)
    pieces = _pieces(
        "core/_header.html",
        key,
        {
            "network_name": settings.NETWORK_NAME,
            "signed_in": signed_in,
            "namespace": namespace,
            "directory": directory,
            "csrf_token": _MARKERS["csrf"],
            "unread": _MARKERS["unread"],
            "return_to": _MARKERS["return_to"],
        },
    )
    if signed_in:
        values = {"csrf": csrf_token(request) if request is not None else "", "unread": _unread(context)}
    else:
        values = {"return_to": _return_to(context)}
    return join(pieces, values.__getitem__)


def footer(context) -> SafeString:
    request = context.get("request")
    key = ("footer", get_language(), _languages(), settings.NETWORK_NAME)
    pieces = _pieces(
        "core/_footer.html",
        key,
        {
            "network_name": settings.NETWORK_NAME,
            "csrf_token": _MARKERS["csrf"],
            "next": _MARKERS["next"],
        },
    )
    if len(pieces) == 1:  # one language: no switcher, nothing to fill in
        return mark_safe(pieces[0])  # noqa: S308 - a rendered template
    if request is None:  # rendered outside a request (nothing to post from)
        return join(pieces, {"csrf": "", "next": "/"}.__getitem__)
    values = {"csrf": csrf_token(request), "next": conditional_escape(request.get_full_path())}
    return join(pieces, values.__getitem__)


def forget_all() -> None:
    """Drop what is kept (tests that change templates or translations in a running process)."""
    with _lock:
        _kept.clear()
