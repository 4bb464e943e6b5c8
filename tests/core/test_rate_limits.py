"""The limits on voting, posting and API tokens (coproduce.core.ratelimit), turned on here (tests/conftest.py
turns them off elsewhere): every page and API operation that votes or posts is limited, a page over a limit
answers a plain 429 page (or, to htmx, a message and a refresh), the API a 429 with `{"detail": ...}`, both
with Retry-After; per person and per address; wrong API tokens from one address stop at their limit."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from coproduce.api import api
from coproduce.core import ratelimit
from coproduce.ideas import services as idea_services

# Every page (URL name) and API operation (function name) that votes or posts, and what it counts as. A new
# one goes here and gets `@limited(...)` (core/ratelimit.py).
PAGES = {
    "budgets:vote": "vote",
    "conversations:vote": "vote",
    "conversations:statement_add": "post",
    "directory:thread": "post",
    "directory:write": "post",
    "hub:comment": "post",
    "hub:write": "post",
    "ideas:comment": "post",
    "ideas:create": "post",
    "ideas:support": "vote",
    "meetings:dot": "vote",
    "meetings:propose": "post",
}
OPERATIONS = {
    "cast_ballot": "vote",
    "statement_add": "post",
    "vote": "vote",
    "post_create": "post",
    "comment_create": "post",
    "idea_create": "post",
    "support_add": "vote",
    "propose": "post",
    "dot_add": "vote",
    "directory_reply": "post",
    "directory_write": "post",
}


def _pages(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _pages(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.callback


def test_every_vote_and_post_is_limited():
    pages = {name: view.rate_limit_scope for name, view in _pages() if hasattr(view, "rate_limit_scope")}
    assert pages == PAGES
    operations = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                scope = getattr(operation.view_func, "rate_limit_scope", None)
                if scope:
                    operations[operation.view_func.__name__] = scope
    assert operations == OPERATIONS


@pytest.fixture
def limits(settings):
    """Tight limits, to meet them in a few requests."""
    settings.RATE_LIMITS = {
        "post": "2/m/user,3/m/ip",
        "vote": "60/m/user",
        "token": "3/m/user",
        "token_failed": "2/m/ip",
    }
    return settings.RATE_LIMITS


@pytest.fixture
def idea(space, member):
    return idea_services.idea_create(actor=member, space=space, title="A quiet room", body="For calls.")


def test_a_page_over_the_limit_answers_a_plain_429(limits, client_for, space, member, practitioner, idea):
    url = f"/spaces/{space.slug}/ideas/{idea.pk}/comments/"
    client = client_for(member)
    for n in range(2):
        assert client.post(url, {"body": f"Comment {n}"}).status_code == 302
    over = client.post(url, {"body": "One more"})
    assert over.status_code == 429
    page = over.content.decode()
    assert "Please wait a moment" in page and re.search(r"Wait \d+ seconds and try again\.", page)
    assert 0 < int(over["Retry-After"]) <= 60
    assert idea.comments.count() == 2  # nothing written
    # Reading is never counted or refused.
    assert client.get(f"/spaces/{space.slug}/ideas/{idea.pk}/").status_code == 200

    # htmx shows nothing of an error: the message waits for the page, which htmx refreshes.
    htmx = client.post(url, {"body": "Again"}, headers={"HX-Request": "true"})
    assert htmx.status_code == 429 and htmx["HX-Refresh"] == "true"
    assert (
        "have done this many times" in client.get(f"/spaces/{space.slug}/ideas/{idea.pk}/").content.decode()
    )

    # Another person has their own limit, but the address's (3 a minute) is shared.
    other = client_for(practitioner)
    assert other.post(url, {"body": "Mine"}).status_code == 302
    assert other.post(url, {"body": "Mine again"}).status_code == 429


def test_the_api_answers_429_with_a_detail(limits, api_for, member, idea):
    client = api_for(member)
    for n in range(2):
        assert client.post(f"/ideas/{idea.pk}/comments", {"body": f"Comment {n}"}).status_code == 201
    over = client.post(f"/ideas/{idea.pk}/comments", {"body": "One more"})
    assert over.status_code == 429 and "Wait" in over.json()["detail"] and int(over["Retry-After"]) > 0


def test_token_use_and_wrong_tokens_are_limited(limits, api_for, member, practitioner):
    client = api_for(member)
    for _ in range(3):
        assert client.get("/me").status_code == 200
    assert client.get("/me").status_code == 429
    assert api_for(practitioner).get("/me").status_code == 200  # a limit per token's owner

    wrong = api_for(raw="cp_wrong")
    assert [wrong.get("/me").status_code for _ in range(2)] == [401, 401]
    assert wrong.get("/me").status_code == 429
    # Guessing from this address has stopped, whatever is sent next, before any lookup.
    assert api_for(practitioner).get("/me").status_code == 429


def test_rates_and_addresses():
    assert ratelimit.parse("10/m/user, 300/5m/ip") == (
        ratelimit.Rate(10, 60, "user"),
        ratelimit.Rate(300, 300, "ip"),
    )
    for wrong in ("10/m", "10/m/key", "10/w/user"):
        with pytest.raises(ValueError):
            ratelimit.parse(wrong)

    class Request:
        META = {"REMOTE_ADDR": "2001:db8:1:2:3:4:5:6"}

    assert ratelimit.client_address(Request()) == "2001:db8:1:2::"  # one /64 counts as one address
    assert "Wait 3 minutes" in ratelimit.message(150)
