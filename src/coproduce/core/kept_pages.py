"""Whole pages kept per audience (core/shared.py), with each person's values put in per request.

`shared.kept` keeps the part of a page that many people see alike (a list, a timeline), and the page around
it is rendered for each request. On the busiest pages (the voting evening's) that page around the kept part
cost more than the rest of the request. `page(...)` keeps the whole page instead:

    html = kept_pages.page(request, "ideas.list", audience=..., parts=..., template="ideas/list.html",
                           build=lambda: {...context...}, mine={"you": lambda: ...})

- The page is rendered for the audience with a marker for every value that is the person's own, cut at the
  markers and kept (`shared.kept`: the same freshness rules; your own changes show at once). Each request
  joins the pieces with its own values in one pass: the CSRF token, the site's header and footer
  (`core/shell.py`), and what the view names in `mine` (a function per marker, called only when the page
  has that marker: `{{ mine.you }}` in the template).
- While a page is rendered to be kept, the template is given a stand-in for the person (`user` and
  `request.user`) that tells only whether someone is signed in: anything else it is asked (a name, an id, a
  role) stops the rendering with `PersonalInKeptPage`. Whatever the audience does not hold must be in `mine`.
- A page with messages to show (after a change) is rendered for the request and not kept.
- The view then puts in anything else it marks in its own way (`ideas.selectors.mark_supported`) and answers
  `HttpResponse(html)`, as `render` would.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from django.contrib.messages import get_messages
from django.template import engines
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from . import shared, shell


class PersonalInKeptPage(RuntimeError):
    """A kept page's template asked for something about the person that its audience does not hold. Not an
    AttributeError: the template engine would swallow that and render nothing in its place."""


class _KeptPerson:
    """Who the page is rendered for while it is rendered to be kept: signed in or not, nothing else."""

    def __init__(self, signed_in: bool) -> None:
        self.is_authenticated = signed_in
        self.is_anonymous = not signed_in

    def __getattr__(self, name: str) -> Any:
        raise PersonalInKeptPage(
            f"A kept page asked for user.{name}: give it through `mine`, or add it to the page's audience."
        )


class _KeptRequest:
    """The request, with the stand-in person (`request.user`)."""

    def __init__(self, request, person: _KeptPerson) -> None:
        self._request = request
        self.user = person

    def __getattr__(self, name: str) -> Any:
        return getattr(self._request, name)


marker = shell.marker  # the same markers as the header and footer, cut and joined alike


def mine(name: str, argument: int | None = None) -> SafeString:
    """The marker for the person's own value NAME (given to `page` in `mine`), for a view to put in its
    context; a template can also write `{{ mine.NAME }}`. With an `argument` (an id), the marker of one of a
    family of values: the function NAME is called with it, as a string (whether a box is ticked, per project)."""
    return marker(f"mine_{name}" if argument is None else f"mine_{name}__{int(argument)}")


class _Mine(dict):
    """`{{ mine.NAME }}` in a kept page's template: the marker for NAME."""

    def __missing__(self, name: str) -> SafeString:
        return mine(name)


def _render(request, template: str, context: dict[str, Any], *, keeping: bool) -> tuple[str, ...]:
    person = _KeptPerson(bool(request.user.is_authenticated))
    values = {
        **context,
        "csrf_token": marker("csrf"),
        "kept_page": True,  # core/shell.py: the header and footer are markers too
        "header_marker": marker("header"),
        "footer_marker": marker("footer"),
        "mine": _Mine(),
    }
    if keeping:
        values |= {"user": person, "request": _KeptRequest(request, person), "messages": ()}
    return shell.cut(render_to_string(template, values, request=request))


def page(
    request,
    name: str,
    *,
    audience: Hashable,
    parts: tuple[Hashable, ...] = (),
    template: str,
    build: Callable[[], dict[str, Any]],
    mine: dict[str, Callable[..., str]] | None = None,
) -> SafeString:
    """The page, kept for the audience (or rendered now), with this request's own values put in."""
    if len(get_messages(request)):  # shown once, to this person: never kept
        pieces = _render(request, template, build(), keeping=False)
    else:
        pieces = shared.kept(
            request,
            f"page:{name}",
            audience=audience,
            parts=parts,
            build=lambda: _render(request, template, build(), keeping=True),
        )
    own = mine or {}
    filled: dict[str, str] = {}

    def value(key: str) -> str:
        if key not in filled:
            if key == "csrf":
                filled[key] = shell.csrf_token(request)
            elif key in ("header", "footer"):
                filled[key] = _shell(request, key)
            elif key.startswith("mine_") and (family := key[5:].partition("__"))[0] in own:
                name, of_family, argument = family
                filled[key] = str(own[name](argument) if of_family else own[name]())
            else:
                raise PersonalInKeptPage(
                    f"The page has a marker for {key!r} and the view gave no value for it."
                )
        return filled[key]

    return shell.join(pieces, value)


def _shell(request, which: str) -> str:
    """The site's header or footer for this request, from the same context processors a page has (asked once
    for both)."""
    context: dict[str, Any] | None = getattr(request, "_coproduce_shell_context", None)
    if context is None:
        context = {}
        for processor in engines["django"].engine.template_context_processors:  # type: ignore[attr-defined]
            context.update(processor(request))
        request._coproduce_shell_context = context
    return shell.header(context) if which == "header" else shell.footer(context)
