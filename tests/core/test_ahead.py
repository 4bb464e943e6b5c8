"""Reading ahead (core/prepared.py `first_with`, core/ahead.py): what a request's page reads first is asked
with the statement that says who is asking, and answers only the same query with the same values, once,
within that request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

from coproduce.core import ahead, prepared
from coproduce.core.prepared import Prepared, Together, reading_ahead
from coproduce.people.models import User
from coproduce.spaces import access as space_access
from coproduce.timebank import access as timebank_access

pytestmark = pytest.mark.django_db

PERSON = Prepared(lambda pk: User.objects.filter(pk=pk), values=(int,))
NAMED = Prepared(lambda name: User.objects.filter(display_name=name), values=(str,))
WHO = Together(PERSON, NAMED)  # stands for the session and its person


def asked(action) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        found = action()
    return len(queries.captured_queries), found


def test_what_was_read_ahead_answers_the_same_query_with_the_same_values_once(space, member):
    query, values = space_access.space_read(member, space.slug)
    with reading_ahead():
        count, (person, _named) = asked(
            lambda: WHO.first_with(((member.pk,), (member.display_name,)), (query, values))
        )
        assert count == 1 and person.pk == member.pk
        count, (found, membership) = asked(lambda: query.first(*values))
        assert count == 0, "answered from what was read ahead"
        assert found.pk == space.pk and membership.user_id == member.pk
        count, again = asked(lambda: query.first(*values))
        assert count == 1 and again[0].pk == space.pk, "once: asked again, it is asked of the database"
    assert prepared._kept.get() is None, "nothing is kept past the request"


def test_what_was_read_for_one_person_is_not_given_for_another(space, member, outsider):
    """A session guessed to name `member` but naming `outsider`: the page asks with the outsider's id, and
    gets the outsider's answer (no membership), not the member's."""
    guessed, values = space_access.space_read(member, space.slug)
    with reading_ahead():
        WHO.first_with(((member.pk,), (member.display_name,)), (guessed, values))
        query, theirs = space_access.space_read(outsider, space.slug)
        assert query is guessed and theirs != values
        count, (found, membership) = asked(lambda: query.first(*theirs))
        assert count == 1 and found.pk == space.pk and membership is None


def test_a_single_query_is_read_ahead_too(member):
    approved = timebank_access.member_read(member)
    with reading_ahead():
        WHO.first_with(((member.pk,), (member.display_name,)), approved)
        count, found = asked(lambda: approved[0].first(*approved[1]))
        assert count == 0 and found is None, "read ahead: the member has no timebank record"


def test_outside_a_request_nothing_is_read_ahead(space, member):
    query, values = space_access.space_read(member, space.slug)
    count, (person, _named) = asked(
        lambda: WHO.first_with(((member.pk,), (member.display_name,)), (query, values))
    )
    assert count == 1 and person.pk == member.pk
    count, _found = asked(lambda: query.first(*values))
    assert count == 1


def test_only_reading_requests_read_ahead():
    factory = RequestFactory()
    for method, expected in (("get", True), ("head", True), ("post", False)):
        request = getattr(factory, method)("/spaces/a-space/budgets/1/vote/")
        request.resolver_match = get_resolver().resolve(request.path_info)
        assert (ahead.planned(request) is not None) is expected, method
    request = factory.get("/spaces/a-space/members/")
    request.resolver_match = get_resolver().resolve(request.path_info)
    assert ahead.planned(request) is None, "a page without a plan reads nothing ahead"


def test_arguments_the_view_will_refuse_read_nothing_ahead():
    request = RequestFactory().get("/api/v1/budgets/abc/results")
    request.resolver_match = get_resolver().resolve(request.path_info)
    assert ahead.planned(request)(1) is None


def test_a_view_has_one_plan():
    def other(person):
        return None

    with pytest.raises(ValueError, match="already has a plan"):
        ahead.reads("budgets:vote")(other)


def _names(resolver: URLResolver, prefix: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names |= _names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(prefix + pattern.name)
    return names


def test_every_plan_names_a_page_that_exists():
    """A page renamed would silently lose its plan (and its statement saved): each plan's name must be a URL."""
    plans = set(ahead._plans)
    assert {"spaces:detail", "budgets:vote", "budgets:results", "api:get_results"} <= plans
    assert plans <= _names(get_resolver())
