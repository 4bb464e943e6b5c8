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


# --- Times read by psycopg's loader --------------------------------------------------------------------


TIMES = [
    "2026-12-05 18:30:00.123456+00",
    "2026-03-29 01:00:00+00",  # the hour the clocks go forward in the UK
    "0001-01-01 00:00:00+00",
    "9999-12-31 23:59:59.999999+00",
    "2026-06-01 12:00:00+05:30",  # another zone: the same instant in UTC
]


def _times(cursor, times=TIMES) -> list:
    cursor.execute("SELECT " + ", ".join(f"%s::timestamptz AS t{n}" for n in range(len(times))), times)
    return list(cursor.fetchone())


def test_times_read_by_psycopg_s_loader_are_django_s_times():
    """The same instants, each with `datetime.timezone.utc` as Django's loader gives them."""
    import datetime

    from django.db.backends.postgresql.psycopg_any import register_tzloader

    connection.ensure_connection()
    assert connection._psycopg_times, "the connection's time zone is UTC: psycopg's loader reads its times"
    with connection.cursor() as cursor:
        fast = _times(cursor)
    with connection.cursor() as cursor:
        register_tzloader(connection.timezone, cursor.cursor)  # Django's, for this cursor only
        django = _times(cursor)
    assert fast == django
    assert all(value.tzinfo is datetime.UTC for value in fast + django)


def test_a_named_cursor_reads_times_as_django_does_and_the_connection_keeps_psycopg_s():
    from django.db import transaction

    from coproduce.core.models import AuditEvent
    from coproduce.people.models import User

    person = User.objects.create_user(email="t@example.org", password="x-long-enough-1", display_name="T")
    for n in range(3):
        AuditEvent.objects.create(actor=person, action=f"test.{n}", target_type="test", summary="")
    with transaction.atomic():
        streamed = [event.at for event in AuditEvent.objects.order_by("pk").iterator(chunk_size=2)]
    assert streamed == list(AuditEvent.objects.order_by("pk").values_list("at", flat=True))
    assert connection._psycopg_times


def test_times_follow_a_change_of_django_s_time_zone(settings):
    settings.USE_TZ = False  # Django then reads times without a zone: its own loader again, for good
    with connection.cursor() as cursor:
        naive = _times(cursor, TIMES[:2])  # the year 1 is BC in local mean time
    assert all(value.tzinfo is None for value in naive) and not connection._psycopg_times
