"""Timebank personas on top of the shared cast (tests/conftest.py).

coordinator: approves members and resolves disputes; giver and receiver: approved members who
exchange time; newcomer: asked to join, not yet approved; outsider and anonymous come from the
shared fixtures. `organisation` is administered by `host`, who is also an approved member.
"""

from __future__ import annotations

import pytest
from tests.conftest import make_person

from coproduce.people import services as people_services
from coproduce.timebank import services
from coproduce.timebank.models import MemberStatus, TimebankMember


def approved(user, **extra) -> TimebankMember:
    return TimebankMember.objects.create(user=user, status=MemberStatus.APPROVED, **extra)


@pytest.fixture
def coordinator(db):
    person = make_person("Cora Coordinator")
    approved(person, is_coordinator=True)
    return person


@pytest.fixture
def giver(db):
    person = make_person("Gita Giver")
    approved(person, area="Paisley")
    return person


@pytest.fixture
def receiver(db):
    person = make_person("Rab Receiver")
    approved(person, area="Paisley")
    return person


@pytest.fixture
def newcomer(db):
    person = make_person("Nina Newcomer")
    TimebankMember.objects.create(user=person, status=MemberStatus.PENDING)
    return person


@pytest.fixture
def organisation(host):
    approved(host)
    return people_services.organisation_create(actor=host, name="Riverside Trust", kind="charity")


@pytest.fixture
def accounts(giver, receiver):
    return services.account_for_user(giver), services.account_for_user(receiver)
