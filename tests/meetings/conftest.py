import datetime as dt

import pytest
from django.utils import timezone
from tests.notifications.conftest import tasks_now  # noqa: F401  (emails are sent by a task)

from coproduce.meetings import services


def when(days: float = 7, hours: float = 2):
    starts = timezone.now().replace(microsecond=0) + dt.timedelta(days=days)
    return {"starts_at": starts, "ends_at": starts + dt.timedelta(hours=hours)}


@pytest.fixture
def meeting(space, facilitator):
    return services.meeting_create(
        actor=facilitator,
        space=space,
        title="Design workshop",
        format="in_person",
        place_name="Town Hall",
        address="1 High Street\nPaisley",
        step_free=True,
        hearing_loop=True,
        **when(),
    )


@pytest.fixture
def private_meeting(private_space, facilitator):
    return services.meeting_create(
        actor=facilitator,
        space=private_space,
        title="Peer review session",
        format="online",
        online_url="https://meet.example.org/peer",
        **when(),
    )


@pytest.fixture
def reward_hook(monkeypatch):
    """`reward_hook(fn)`: the timebank's "reward_participation" hook is `fn` for the test (None: a site
    without the timebank). Replaces the registry's answer whatever the installed modules offer."""
    from coproduce.core import registry

    real = registry.hook

    def use(fn):
        monkeypatch.setattr(
            registry, "hook", lambda name: fn if name == "reward_participation" else real(name)
        )

    return use
