import datetime as dt

import pytest
from django.utils import timezone

from coproduce.actions import services
from coproduce.ideas import services as idea_services
from coproduce.ideas.models import IdeaStatus


@pytest.fixture
def adopted_idea(space, member, facilitator):
    idea = idea_services.idea_create(
        actor=member, space=space, title="Evening opening", body="Thursdays until 9pm."
    )
    return idea_services.idea_set_status(
        actor=facilitator, idea=idea, status=IdeaStatus.ADOPTED, reason="Agreed."
    )


@pytest.fixture
def action(space, facilitator, member):
    return services.action_create(
        actor=facilitator,
        space=space,
        title="Ask the council about Thursday staffing",
        owner=member,
        due_on=timezone.localdate() + dt.timedelta(days=14),
    )


@pytest.fixture
def private_action(private_space, facilitator, member):
    return services.action_create(
        actor=facilitator, space=private_space, title="Private action", owner=member
    )
