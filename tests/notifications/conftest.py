import pytest
from huey.contrib.djhuey import HUEY
from huey.storage import MemoryStorage

from coproduce.notifications import services
from coproduce.notifications.kinds import Delivery
from coproduce.notifications.models import Preference


@pytest.fixture
def tasks_now():
    """Run huey tasks at once, in memory (never a developer's real queue in var/)."""
    was_immediate, was_storage = HUEY.immediate, HUEY.storage
    HUEY.storage = MemoryStorage("notifications-test")
    HUEY.immediate = True
    yield HUEY
    HUEY.immediate, HUEY.storage = was_immediate, was_storage


@pytest.fixture
def approve(space, host):
    """`approve(person, n)`: tell `person` their request to join `space` was approved (event n)."""

    def make(person, n=1, *, about=None, text=""):
        return services.notify(
            kind="join_request_approved",
            recipients=[person],
            params={},
            url=(about or space).get_absolute_url(),
            space=about or space,
            actor=host,
            text=text,
            key=f"join_request_approved:{(about or space).pk}:{n}",
        )

    return make


@pytest.fixture
def choose(db):
    """`choose(user, kind, delivery)`: the person's choice for one kind, set directly."""

    def make(user, kind: str, delivery: Delivery) -> None:
        Preference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": delivery})

    return make
