import datetime as dt

import pytest
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from huey.storage import MemoryStorage
from tests.conftest import make_person

from coproduce.hub import services
from coproduce.hub.models import Category, Post, PostStatus
from coproduce.hub.selectors import recount


@pytest.fixture
def tasks_now():
    was_immediate, was_storage = HUEY.immediate, HUEY.storage
    HUEY.storage = MemoryStorage("hub-test")
    HUEY.immediate = True
    yield HUEY
    HUEY.immediate, HUEY.storage = was_immediate, was_storage


@pytest.fixture
def general(db):
    return Category.objects.get(slug="general-chat")


@pytest.fixture
def housing(db):
    return Category.objects.get(slug="housing")


def trusted(person):
    """Make `person` a long-standing member with two published posts (no longer "new")."""
    person.date_joined = timezone.now() - dt.timedelta(days=60)
    person.save(update_fields=["date_joined"])
    category = Category.objects.get(slug="general-chat")
    for i in range(2):
        Post.objects.create(
            category=category,
            author=person,
            kind="discussion",
            title=f"Earlier post {i}",
            body="Hello",
            status=PostStatus.PUBLISHED,
            published_at=timezone.now() - dt.timedelta(days=30),
        )
    recount()  # the posts above bypass the services that keep the categories' counts
    return person


@pytest.fixture
def writer(db):
    """A trusted member: their posts are public at once."""
    return trusted(make_person("Wanda Writer"))


@pytest.fixture
def reader(db):
    return trusted(make_person("Rory Reader"))


@pytest.fixture
def newcomer(db):
    return make_person("Nina Newcomer")


@pytest.fixture
def post(writer, general):
    return services.post_create(
        actor=writer, category=general, kind="discussion", title="Paying people for their time", body="How?"
    )
