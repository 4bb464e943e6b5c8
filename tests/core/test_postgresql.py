"""The PostgreSQL backend (core/postgresql): a kept connection is checked before a request without a round
trip, and a connection the server ended is still noticed and opened again, so the request does not fail."""

from __future__ import annotations

import time

import pytest
from django.db import close_old_connections, connection, connections
from django.db.backends.postgresql import base as django_base

pytestmark = [pytest.mark.postgresql_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def kept_connection(settings):
    """The default connection kept between requests and checked at the start of each, as in production."""
    connection.close()
    saved = connection.settings_dict["CONN_MAX_AGE"], connection.settings_dict["CONN_HEALTH_CHECKS"]
    connection.settings_dict["CONN_MAX_AGE"], connection.settings_dict["CONN_HEALTH_CHECKS"] = 60, True
    connection.ensure_connection()
    yield connection
    connection.settings_dict["CONN_MAX_AGE"], connection.settings_dict["CONN_HEALTH_CHECKS"] = saved
    connection.close()


def new_request() -> None:
    """What Django does between two requests: `request_started` closes what is unusable or too old, and the
    first query of the request checks the connection."""
    close_old_connections()


def test_a_healthy_kept_connection_is_not_asked_anything(kept_connection, monkeypatch):
    asked = []
    monkeypatch.setattr(django_base.DatabaseWrapper, "is_usable", lambda self: asked.append(1) or True)
    before = kept_connection.connection
    new_request()
    with kept_connection.cursor() as cursor:
        cursor.execute("SELECT 2")
        assert cursor.fetchone() == (2,)
    assert kept_connection.connection is before, "the same connection, kept"
    assert asked == [], "no SELECT 1 before the request's first query"


def test_a_connection_the_server_ended_is_opened_again_before_the_request(kept_connection):
    with kept_connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:  # until the server has ended it
            with other.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
                if cursor.fetchone() == (0,):
                    break
            time.sleep(0.02)
    finally:
        other.close()
    assert not kept_connection.is_usable()
    new_request()
    with kept_connection.cursor() as cursor:  # the request's first query: on a new connection, no error
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid
