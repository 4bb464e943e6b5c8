"""Races on the last place, on PostgreSQL (where rows are really locked; SQLite serialises writers anyway and
its test database lives in one connection's memory, so these run only on PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from coproduce.meetings import services
from coproduce.meetings.models import Registration, RegistrationStatus
from coproduce.people.models import User
from coproduce.spaces import services as space_services
from coproduce.spaces.models import Perspective, Role

from .conftest import when

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks (PostgreSQL)")


def run_at_once(*calls):
    """Run each call in its own thread and connection, released together; return what each raised."""
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException | None] = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            call()
        except BaseException as error:  # noqa: BLE001 - reported to the test
            errors[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.fixture
def setting(transactional_db):
    host = User.objects.create_user("host@example.org", "x" * 20, display_name="Host")
    space = space_services.space_create(actor=host, title="Race", purpose="Races.")
    people = []
    for i in range(4):
        person = User.objects.create_user(f"p{i}@example.org", "x" * 20, display_name=f"Person {i}")
        space_services._membership_add(
            actor=host, space=space, user=person, role=Role.MEMBER, perspective=Perspective.COMMUNITY
        )
        people.append(person)
    meeting = services.meeting_create(
        actor=host, space=space, title="One place", format="online", capacity=1, **when()
    )
    return meeting, people


def test_two_people_asking_for_the_last_place_at_once_do_not_both_get_it(setting):
    meeting, people = setting
    errors = run_at_once(
        *[(lambda p=p: services.registration_create(actor=p, meeting=meeting)) for p in people]
    )
    assert errors == [None] * len(people)
    statuses = sorted(Registration.objects.filter(meeting=meeting).values_list("status", flat=True))
    assert statuses == [RegistrationStatus.REGISTERED] + [RegistrationStatus.WAITING] * (len(people) - 1)


def test_a_cancellation_racing_a_new_registration_gives_the_place_to_the_queue(setting):
    meeting, (first, second, third, _fourth) = setting
    registered = services.registration_create(actor=first, meeting=meeting)
    services.registration_create(actor=second, meeting=meeting)  # waiting
    errors = run_at_once(
        lambda: services.registration_cancel(actor=first, registration=registered),
        lambda: services.registration_create(actor=third, meeting=meeting),
    )
    assert errors == [None, None]
    places = dict(Registration.objects.filter(meeting=meeting).values_list("user__display_name", "status"))
    assert places["Person 1"] == RegistrationStatus.REGISTERED  # the person who waited longest
    assert places["Person 2"] == RegistrationStatus.WAITING
    assert list(places.values()).count(RegistrationStatus.REGISTERED) == 1
