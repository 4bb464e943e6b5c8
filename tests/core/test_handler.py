"""The WSGI handler (core/handler.py): each path's view is remembered once resolved, for that path only,
and a path that resolves to nothing is never remembered."""

from __future__ import annotations

from wsgiref.util import setup_testing_defaults

import pytest
from django.core import signals
from django.db import close_old_connections
from django.test import RequestFactory
from django.urls import Resolver404, get_resolver

from coproduce.core import handler


@pytest.fixture
def app(monkeypatch):
    handler._resolved.clear()
    asked = []
    resolver = get_resolver()
    resolve = resolver.resolve
    monkeypatch.setattr(resolver, "resolve", lambda path: asked.append(path) or resolve(path))
    yield handler.WSGIHandler(), asked
    handler._resolved.clear()


def test_a_path_is_resolved_once_and_each_path_to_its_own_arguments(app):
    wsgi, asked = app
    factory = RequestFactory()
    first = wsgi.resolve_request(factory.get("/spaces/tea-club/ideas/"))
    again = wsgi.resolve_request(request := factory.get("/spaces/tea-club/ideas/"))
    other = wsgi.resolve_request(factory.get("/spaces/allotment/ideas/"))
    assert asked == ["/spaces/tea-club/ideas/", "/spaces/allotment/ideas/"]
    assert again is first and request.resolver_match is first
    assert first.kwargs == {"slug": "tea-club"} and other.kwargs == {"slug": "allotment"}
    assert first.func is other.func and first.url_name == "list"


def test_a_path_that_resolves_to_nothing_is_asked_every_time_and_not_remembered(app):
    wsgi, asked = app
    for _ in range(2):
        with pytest.raises(Resolver404):
            wsgi.resolve_request(RequestFactory().get("/nowhere/at/all"))
    assert asked == ["/nowhere/at/all"] * 2
    assert handler._resolved.get("/nowhere/at/all", lambda: None) is None


def test_the_served_application_answers_through_it(app, settings):
    wsgi, asked = app
    settings.ALLOWED_HOSTS = ["testserver"]
    answers = []
    # As Django's test client does: no closing of the test's database connections between requests.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        for _ in range(2):
            environ: dict = {}
            setup_testing_defaults(environ)
            environ.update(PATH_INFO="/healthz", HTTP_HOST="testserver")
            statuses: list[str] = []
            body = b"".join(
                wsgi(environ, lambda status, headers, exc_info=None, to=statuses: to.append(status))
            )
            answers.append((statuses[0], body))
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    assert answers[0] == answers[1] and answers[0][0].startswith("200")
    assert asked == ["/healthz"]
