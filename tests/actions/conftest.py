import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone
from tests.notifications.conftest import tasks_now  # noqa: F401  (emails are sent by a task)

from coproduce.actions import services
from coproduce.core import registry
from coproduce.core.registry import ModuleManifest, Source
from coproduce.ideas import services as idea_services
from coproduce.ideas.models import IdeaStatus


@pytest.fixture
def projects(space):
    """A stand-in budgets module publishing "budgets.project" sources: `projects[pk] = (space, title,
    funded)`. Funded projects are ready; the public space's projects are visible to everyone."""
    known: dict[int, tuple] = {}

    def lookup(user, pk: int) -> Source:
        if pk not in known:
            raise Http404
        where, title, funded = known[pk]
        return Source(kind="budgets.project", pk=pk, space_id=where.pk, title=title, ready=funded)

    registry.register(
        ModuleManifest(
            name="test_budgets_source",
            label="Budgets",
            description="",
            stages=(),
            sources={"budgets.project": lookup},
        )
    )
    yield known
    registry.unregister("test_budgets_source")


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
