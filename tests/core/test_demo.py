"""The demo network loads once, through the services, with spaces at different stages."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from coproduce.core.models import AuditEvent
from coproduce.people.models import Organisation, User
from coproduce.spaces.models import JoinRequest, Space, StageStatus


@pytest.fixture
def fast_passwords(settings):
    """Argon2 is slow on purpose; the demo's admin password is hashed quickly here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]


@pytest.fixture
def migrations(monkeypatch):
    """The test database is migrated already; the command's own `migrate` is noted, not run (it takes seconds)."""
    from coproduce.core.management.commands import demo

    calls = []
    monkeypatch.setattr(demo, "call_command", lambda name, *args, **options: calls.append(name))
    return calls


def test_demo_loads_a_small_network_once(db, fast_passwords, migrations):
    out = StringIO()
    call_command("demo", stdout=out)
    assert migrations == ["migrate"]  # an empty database gets its tables first

    people, organisations, spaces = User.objects.count(), Organisation.objects.count(), Space.objects.count()
    assert 35 <= people <= 45
    assert (organisations, spaces) == (5, 4)
    assert f"Demo loaded: {people} people, 5 organisations, 4 spaces." in out.getvalue()

    open_kinds = []
    for space in Space.objects.prefetch_related("stages"):
        stages = list(space.stages.order_by("position"))
        assert len(stages) == 4
        opened = [s.kind for s in stages if s.status == StageStatus.OPEN]
        assert len(opened) == 1, space.title
        open_kinds += opened
        assert all(s.starts_on and s.ends_on and s.starts_on <= s.ends_on for s in stages)
        assert space.memberships.filter(role="host").count() == 1
        assert space.memberships.count() >= 8
    assert sorted(open_kinds) == sorted(["co_commissioning", "co_design", "co_delivery", "co_assessment"])
    assert {s.status for s in Space.objects.get(title__startswith="Review").stages.all()} == {"closed", "open"}
    assert JoinRequest.objects.filter(status="pending").count() == 8  # something for hosts to answer
    assert User.objects.filter(email__isnull=True).count() == 1  # someone who takes part with help
    assert User.objects.filter(is_superuser=True).count() == 1
    assert AuditEvent.objects.filter(action="space.created").count() == 4  # made through the services

    again = StringIO()
    call_command("demo", stdout=again)
    assert "already has data" in again.getvalue()
    assert (User.objects.count(), Organisation.objects.count(), Space.objects.count()) == (people, 5, 4)


def test_demo_is_not_loaded_over_existing_data(host, migrations):
    out = StringIO()
    call_command("demo", stdout=out)
    assert "already has data" in out.getvalue()
    assert not Space.objects.exists() and User.objects.count() == 1
