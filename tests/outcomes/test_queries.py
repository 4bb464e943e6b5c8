"""A person's page and the space's summary ask a bounded number of queries, however many conversations,
ratings and people there are."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.conftest import make_members

from coproduce.outcomes import services
from coproduce.outcomes.services import RatingIn


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _talk(person, space, day, actor=None):
    services.conversation_record(
        actor=actor or person,
        person=person,
        space=space,
        held_on=day,
        ratings=[RatingIn("skills", 3, "x"), RatingIn("confidence", 2), RatingIn("feeling_safe", 4)],
    )


def test_a_persons_page_does_not_ask_per_conversation(client_for, space, member, allowed):
    client, url = client_for(member), reverse("outcomes:person", args=[space.slug, member.pk])
    _talk(member, space, dt.date(2025, 1, 1))
    few = _count(client, url)
    for month in range(2, 12):
        _talk(member, space, dt.date(2025, month, 1), actor=allowed)
    assert _count(client, url) == few


def test_the_summary_does_not_ask_per_person(client_for, space, host, member):
    client, url = client_for(member), reverse("outcomes:summary", args=[space.slug])
    people = make_members(space, host, 12)
    for person in people[:5]:
        services.consent_give(actor=person, person=person, space=space)
        _talk(person, space, dt.date(2025, 1, 1))
    few = _count(client, url)
    for person in people[5:]:
        services.consent_give(actor=person, person=person, space=space)
        _talk(person, space, dt.date(2025, 1, 1))
        _talk(person, space, dt.date(2025, 3, 1))
    assert _count(client, url) == few
