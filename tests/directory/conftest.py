"""The directory's cast: Ann mentors on co-design in Renfrewshire, Ben offers peer support on
co-delivery in Glasgow, Cat is a critical friend for co-assessment; Dee asks for help; Eve is a third person.
Their email addresses are long and distinctive so that a test can assert none of them shows anywhere."""

from __future__ import annotations

import pytest
from tests.conftest import make_person

from coproduce.directory import services


@pytest.fixture
def ann(db):
    person = make_person("Ann Mentor", email="ann.private.address@example.org")
    services.listing_save(
        actor=person,
        intro="Peer researcher who has run co-design workshops.",
        skills="facilitation, easy read",
        experience="Ten years in community mental health services.",
        stages=["co_design"],
        offers=["mentoring"],
        place="Renfrewshire",
    )
    return person


@pytest.fixture
def ben(db):
    person = make_person("Ben Peer", email="ben.private.address@example.org")
    services.listing_save(
        actor=person,
        intro="Carer and peer supporter.",
        skills="budgeting, peer support",
        stages=["co_delivery"],
        offers=["peer_support", "lived_experience"],
        lived_experience_of="caring for a parent with dementia",
        perspectives=["carer"],
        place="Glasgow",
    )
    return person


@pytest.fixture
def cat(db):
    person = make_person("Cat Critical", email="cat.private.address@example.org")
    services.listing_save(
        actor=person,
        intro="Evaluator.",
        skills="evaluation, surveys",
        stages=["co_assessment", "co_design"],
        offers=["critical_friend"],
        place="Edinburgh",
    )
    return person


@pytest.fixture
def dee(db):
    return make_person("Dee Asker", email="dee.private.address@example.org")


@pytest.fixture
def eve(db):
    return make_person("Eve Third", email="eve.private.address@example.org")


EMAILS = [
    "ann.private.address",
    "ben.private.address",
    "cat.private.address",
    "dee.private.address",
    "eve.private.address",
]


def assert_no_email(text: str) -> None:
    for address in EMAILS:
        assert address not in text
    assert "@example.org" not in text
