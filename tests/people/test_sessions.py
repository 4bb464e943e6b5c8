"""The session read with the person it names in one query (people/sessions.py): the person is the one the
session names, read fresh on every request, whatever the process remembered."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coproduce.people import sessions
from coproduce.people.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def engine(settings):
    settings.SESSION_ENGINE = "coproduce.people.sessions"
    sessions._named.clear()


def home_as(client) -> tuple[int, object]:
    """Ask a signed-in page; the queries it asked and the person it was for."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/notifications/")
    assert response.status_code == 200
    return len(queries.captured_queries), response.wsgi_request.user


def test_the_person_comes_with_their_session_once_the_process_has_read_it(client, member):
    client.force_login(member)
    signed_in_here, person = home_as(client)
    assert person.pk == member.pk
    sessions._named.clear()  # as in another process, or after a restart
    first, person = home_as(client)
    assert person.pk == member.pk and first == signed_in_here + 1, "the session, then the person"
    second, person = home_as(client)
    assert person.pk == member.pk and person.display_name == member.display_name
    assert second == first - 1, "the session and the person in one query"
    User.objects.filter(pk=member.pk).update(display_name="Lena Renamed")
    _, person = home_as(client)
    assert person.display_name == "Lena Renamed", "read fresh with the session, not remembered"


def test_a_wrong_guess_gives_the_person_the_session_names(client, member, outsider):
    client.force_login(member)
    home_as(client)
    key = client.cookies["sessionid"].value
    sessions._named.put(key, outsider.pk)  # as if the process remembered someone else for this session
    _, person = home_as(client)
    assert person.pk == member.pk
    assert sessions._named.get(key, lambda: None) == member.pk, "the guess is mended"


def test_a_person_deleted_meanwhile_is_signed_out(client, member):
    client.force_login(member)
    home_as(client)
    User.objects.filter(pk=member.pk).delete()
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert response.wsgi_request.user.is_anonymous


def test_a_session_signed_out_elsewhere_is_not_read_from_memory(client, member):
    client.force_login(member)
    home_as(client)
    Session.objects.all().delete()  # signed out by another process
    response = client.get("/notifications/")
    assert response.status_code == 302
    assert response.wsgi_request.user.is_anonymous
