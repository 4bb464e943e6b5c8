"""Every URL of the site, generated from the URL configuration, requested as anonymous, outsider (signed in, not
a member) and member of a private space, with its parameters filled from one object of each kind in that space
(tests/core/url_access_data.py). Nothing may answer a server error; what belongs to the private space is a 404
to the outsider and never shown to anonymous; a page is for signed-in people unless listed in PUBLIC; an API
operation needs a token unless listed in API_PUBLIC; STAFF pages are never shown to a non-staff person.

A new URL whose parameter this test cannot fill fails with the place to add it (FILL); one that answers
anonymous without asking to sign in fails unless it is listed in PUBLIC or API_PUBLIC. Django's admin (its own
staff check, tested once here) and allauth's pages (tested by allauth) are listed wholesale in OWN_RULES.

One test for each persona, each looping over every URL (GET; a page that answers GET with 405 is sent an empty
POST instead, except as member, which could change the data the other requests read)."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from tests.core.url_access_data import build

MISSING = 999_999_999  # an id nothing has: the page must answer 404, never fail
WRONG_TOKEN = "not-a-real-token"

# What each path parameter is filled with: "namespace:parameter" (or "namespace:url_name:parameter" where one
# namespace uses a name for two things), then "parameter". A value from the data set (d) of the private space
# makes the URL the private space's: the outsider must get 404. A new parameter goes here.
FILL: dict[str, Callable[[dict], object]] = {
    "slug": lambda d: d["space"].slug,
    "space_slug": lambda d: d["space"].slug,
    "idea_id": lambda d: d["idea"].pk,
    "comment_id": lambda d: d["comment"].pk,
    "meeting_id": lambda d: d["meeting"].pk,
    "item_id": lambda d: d["item"].pk,
    "decision_id": lambda d: MISSING,  # a decision needs a meeting that has begun
    "budget_id": lambda d: d["budget"].pk,
    "project_id": lambda d: d["project"].pk,
    "action_id": lambda d: d["action"].pk,
    "statement_id": lambda d: d["statement"].pk,
    "conversation_id": lambda d: d["conversation"].pk,
    "survey_id": lambda d: d["survey"].pk,
    "member_id": lambda d: d["membership"].pk,
    "person_id": lambda d: d["member"].pk,
    "user_id": lambda d: d["member"].pk,
    "surveys:pk": lambda d: d["survey"].pk,
    "conversations:pk": lambda d: d["conversation"].pk,
    "actions:from_idea:pk": lambda d: d["idea"].pk,
    "actions:from_project:pk": lambda d: d["project"].pk,
    "actions:from_decision:pk": lambda d: MISSING,
    "impact:kind": lambda d: "ideas.idea",
    "impact:pk": lambda d: d["idea"].pk,
    "api:kind": lambda d: "ideas.idea",
    "api:pk": lambda d: d["idea"].pk,
    "spaces:kind": lambda d: "co_design",
    "fmt": lambda d: "json",
    "api:stage_update:kind": lambda d: "co_design",
    "api:*organisation*:slug": lambda d: "no-such-organisation",
    "api:partner_request*:slug": lambda d: "no-such-organisation",
    "spaces:invitation_id": lambda d: MISSING,
    "timebank:member_id": lambda d: MISSING,
    "api:member_decide:member_id": lambda d: MISSING,
    "page": lambda d: 1,
    "token": lambda d: WRONG_TOKEN,
    # The network's own pages, not the space's: a missing one (404 for everyone, never a failure).
    "hub:slug": lambda d: "no-such-category",
    "people:slug": lambda d: "no-such-organisation",
    "casestudies:generate:slug": lambda d: d["space"].slug,
    "people:partnership_end:slug": lambda d: "no-such-organisation",
    "people:partnership_end:space_slug": lambda d: d["space"].slug,
    "question_id": lambda d: MISSING,
    "answer_id": lambda d: MISSING,
    "outcome_id": lambda d: MISSING,
    "request_id": lambda d: MISSING,
    "event_id": lambda d: MISSING,
    "thread_id": lambda d: MISSING,
    "message_id": lambda d: MISSING,
    "report_id": lambda d: MISSING,
    "post_id": lambda d: MISSING,
    "hub:comment_id": lambda d: MISSING,
    "api:comment_id": lambda d: d["comment"].pk,
    "case_study_id": lambda d: MISSING,
    "resource_id": lambda d: MISSING,
    "notification_id": lambda d: MISSING,
    "account_id": lambda d: MISSING,
    "transfer_id": lambda d: MISSING,
    "listing_id": lambda d: MISSING,
    "exchange_id": lambda d: MISSING,
    "unit_cost_id": lambda d: MISSING,
    "membership_id": lambda d: MISSING,
    "token_id": lambda d: MISSING,
}
# Values that are not the private space's (a URL with only these is the network's).
NOT_PRIVATE = {
    MISSING,
    WRONG_TOKEN,
    1,
    "json",
    "co_design",
    "ideas.idea",
    "no-such-category",
    "no-such-organisation",
}

# Pages anyone may see without signing in (fnmatch patterns of URL names).
PUBLIC = [
    "home",
    "spaces:directory",
    "spaces:invitation",
    "people:organisations",
    "people:organisation",
    "people:claim",
    "people:claim_code",
    "people:claim_code_continue",
    "people:person",
    "events:list",
    "events:calendar",
    "events:detail",
    "events:ics",
    "my_calendar:feed",
    "hub:home",
    "hub:feed",
    "hub:category",
    "hub:category_feed",
    "hub:post",
    "hub:unsubscribe",
    "notifications:unsubscribe",
    "search:search",
    "casestudies:list",
    "casestudies:detail",
    "resources:list",
    "resources:detail",
    "resources:download",
    "timebank:home",
    "sroi_costs:list",
    "impact:network",
    "directory:list",
    "people:privacy",
    "healthz",
]
# API operations anyone may call without a token (auth=PUBLIC in the app's api.py).
API_PUBLIC = [
    "api:openapi-json",
    "api:openapi-view",
    "api:api-root",
    "api:organisation_list",
    "api:space_list",
    "api:categories",
    "api:event_list",
    "api:framework",
    "api:search",
    "api:category_list",
    "api:post_list",
    "api:case_study_list",
    "api:resource_list",
]
# Pages for network staff only.
STAFF = ["people:network*"]
# URL prefixes with rules of their own, tested elsewhere.
OWN_RULES = {
    "admin/": "Django's admin: staff only (test_the_admin_is_for_staff below)",
    "accounts/": "allauth's sign-in, registration and account pages (allauth's own tests; tests/people)",
}


@dataclass(frozen=True)
class Url:
    name: str
    path: str
    private: bool
    api: bool


def _patterns(resolver=None, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, object]]:
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", prefix + str(entry.pattern), entry


def _filler(name: str, param: str) -> Callable[[dict], object] | None:
    namespace = name.split(":")[0] if ":" in name else ""
    for key, filler in FILL.items():  # "namespace:url_name:parameter", which may have wildcards
        if key.count(":") == 2 and fnmatch.fnmatchcase(f"{name}:{param}", key):
            return filler
    for key in (f"{namespace}:{param}", param):
        if key in FILL:
            return FILL[key]
    return None


def _reads(pattern_callback) -> bool:
    """Whether an API route has a GET operation (django-ninja's view closes over its PathView)."""
    for cell in getattr(pattern_callback, "__closure__", None) or ():
        operations = getattr(cell.cell_contents, "operations", None)
        if operations is not None:
            return any("GET" in operation.methods for operation in operations)
    return True


def urls(data: dict) -> tuple[list[Url], list[str]]:
    found: dict[str, Url] = {}
    problems = []
    for name, route, entry in _patterns():
        if route.startswith(tuple(OWN_RULES)) or (name.startswith("api:") and not _reads(entry.callback)):
            continue  # API operations that only change things: tests/core/test_api.py checks each refuses
        if not isinstance(entry.pattern, RoutePattern) and "(?P<" in route:
            problems.append(f"{name} ({route}): a regular expression; give it a rule in OWN_RULES")
            continue
        path, private = "/" + route, False
        for match in re.finditer(r"<(?:\w+:)?(\w+)>", route):
            param = match.group(1)
            filler = _filler(name, param)
            if filler is None:
                problems.append(
                    f"{name} ({route}): no way to fill <{param}>: add it to FILL in {__name__.replace('.', '/')}.py"
                )
                break
            value = filler(data)
            private = private or value not in NOT_PRIVATE
            path = path.replace(match.group(0), str(value))
        else:
            path = path.replace("^", "").replace("$", "")
            found.setdefault(path, Url(name, path, private, name.startswith("api:")))
    return list(found.values()), problems


def _listed(name: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


@pytest.fixture
def data(private_space, host, facilitator, member):
    return build(private_space, host, facilitator, member)


def request(client: Client, url: Url, *, may_post: bool):
    response = client.get(url.path)
    if response.status_code == 405 and may_post and not url.api:
        response = client.post(url.path, {})
    return response


def signs_in(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def check(client: Client, persona: str, data: dict, only_private: bool = False) -> list[str]:
    found, problems = urls(data)
    for url in found:
        if only_private and not url.private:
            continue
        response = request(client, url, may_post=persona != "member")
        status = response.status_code
        where = f"{url.name} {url.path} as {persona}: {status}"
        if status >= 500:
            problems.append(f"{where} (a server error)")
        elif persona == "outsider" and url.private and status not in (404, 422):
            # (422: the API refused the request's own values before looking anything up.)
            problems.append(f"{where} (the private space's: must be 404 to an outsider)")
        elif (
            persona == "anonymous"
            and url.private
            and status not in (401, 404, 422)
            and not signs_in(response)
        ):
            problems.append(f"{where} (the private space's: must ask to sign in, or 404)")
        elif persona == "anonymous" and not url.private and status == 200:
            listed = API_PUBLIC if url.api else PUBLIC
            if not _listed(url.name, listed):
                problems.append(
                    f"{where} (shown without signing in: if it is public, add it to "
                    f"{'API_PUBLIC' if url.api else 'PUBLIC'} in {__name__.replace('.', '/')}.py)"
                )
        elif persona != "anonymous" and _listed(url.name, STAFF) and status == 200:
            problems.append(f"{where} (for network staff only)")
    return problems


def test_as_anonymous(data):
    problems = check(Client(), "anonymous", data)
    assert not problems, "\n".join(problems)


def test_as_an_outsider(data, client_for, outsider):
    problems = check(client_for(outsider), "outsider", data)
    assert not problems, "\n".join(problems)


def test_as_a_member(data, client_for, member):
    problems = check(client_for(member), "member", data, only_private=True)
    assert not problems, "\n".join(problems)


def test_the_admin_is_for_staff(client_for, outsider, admin_user):
    assert Client().get("/admin/").status_code == 302
    assert client_for(outsider).get("/admin/").status_code == 302
    assert client_for(admin_user).get("/admin/").status_code == 200


def test_public_lists_name_real_urls(db):
    names = {name for name, _route, _entry in _patterns()}
    stale = [p for p in PUBLIC + API_PUBLIC + STAFF if not any(fnmatch.fnmatchcase(n, p) for n in names)]
    assert not stale, f"No URL is named {stale}: remove them from the lists"
