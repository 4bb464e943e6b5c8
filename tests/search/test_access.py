"""Never what the searcher may not see: private spaces' documents only for their members (and staff), a space
made private gone at once, documents that are not public only for people signed in."""

from __future__ import annotations

import pytest

from coproduce.search.query import search
from coproduce.spaces import services as space_services

from .conftest import KIND


def found(user, q="allotment"):
    return {hit.object_id for hit in search(user, q).hits}


@pytest.fixture
def placed(notes, space, private_space):
    notes.add(1, "Allotment in the public space", space_id=space.pk)
    notes.add(2, "Allotment in the private space", space_id=private_space.pk)
    notes.add(3, "Allotment for the whole network")
    notes.add(4, "Allotment helper (listed for members)", public=False)
    return notes


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", {1, 3}),
        ("outsider", {1, 3, 4}),
        ("member", {1, 2, 3, 4}),
        ("host", {1, 2, 3, 4}),
        ("staff", {1, 2, 3, 4}),
    ],
)
def test_who_finds_what(placed, persona, who, expected):
    from django.contrib.auth.models import AnonymousUser

    user = persona(who) or AnonymousUser()
    assert found(user) == expected
    results = search(user, "allotment")
    assert results.total == len(expected) and sum(results.counts.values()) == len(expected)


def test_a_space_made_private_disappears_at_once(placed, space, host, outsider):
    from django.contrib.auth.models import AnonymousUser

    assert 1 in found(outsider)
    # Without waiting for anything to be reindexed: the search asks the space when it is asked.
    space_services.space_update(actor=host, space=space, visibility="private")
    assert 1 not in found(outsider) and 1 not in found(AnonymousUser())
    assert 1 in found(host)


def test_a_person_who_leaves_a_private_space_stops_finding_it(placed, private_space, member):
    assert 2 in found(member)
    private_space.memberships.filter(user=member).delete()
    assert 2 not in found(member)


def test_documents_of_a_deleted_space_go_with_it(placed, private_space, host):
    from coproduce.search.models import Document

    private_space.delete()
    assert not Document.objects.filter(kind=KIND, object_id=2).exists()
    assert 2 not in found(host)
