"""Personal outcomes fixtures on top of the shared cast: `member` agrees in the public space and allows the
facilitator; `practitioner` is a member who is not allowed; one conversation recorded."""

from __future__ import annotations

import datetime as dt

import pytest

from coproduce.outcomes import services
from coproduce.outcomes.services import RatingIn


@pytest.fixture
def consent(space, member):
    return services.consent_give(actor=member, person=member, space=space)


@pytest.fixture
def allowed(consent, space, member, facilitator):
    services.helpers_set(actor=member, person=member, space=space, helpers=[facilitator])
    return facilitator


@pytest.fixture
def conversation(allowed, space, member):
    return services.conversation_record(
        actor=allowed,
        person=member,
        space=space,
        held_on=dt.date(2026, 1, 10),
        ratings=[
            RatingIn("feeling_safe", 2, "I don't go out after dark"),
            RatingIn("seeing_people", 3, ""),
        ],
    )
