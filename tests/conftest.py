"""Shared fixtures: a fixed cast of personas around one public and one private space, and the clients.

host (runs the space), facilitator, member (lived experience), practitioner (member), outsider
(signed in, not a member) and anonymous — the alice/bob/charlie pattern of Healthchecks; also staff (a network
admin, `admin_user`) and the assisted member (`margaret`, who takes part with help and cannot sign in).
`client_for(user)` is a signed-in web client, `api_for(user)` an API client sending the person's token.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test import Client
from tests.api_client import Api

from coproduce.notifications.models import Notification
from coproduce.people.models import User
from coproduce.spaces import services as space_services
from coproduce.spaces.models import Perspective, Role, Space

PASSWORD = "a-long-test-password-1"


# --- Running the suite once per database ----------------------------------------------------------


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "any_database: what the test checks does not depend on the database engine (it starts its own "
        "processes on a SQLite file, or reads settings and files): the SQLite run covers it and the "
        "PostgreSQL run leaves it out",
    )
    config.addinivalue_line(
        "markers",
        "postgresql_only: needs the suite's database to be PostgreSQL; the SQLite run leaves it out",
    )


def _suite_database_is_postgresql() -> bool:
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def pytest_collection_modifyitems(config, items):
    leave_out = "any_database" if _suite_database_is_postgresql() else "postgresql_only"
    kept, left = [], []
    for item in items:
        (left if item.get_closest_marker(leave_out) else kept).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


def sqlite_process_environment(var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment for a `coproduce` process the tests start: SQLite in a private var directory whatever the
    suite runs on, no inherited COPRODUCE_ settings (but `extra`), and this checkout's src/ on the path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COPRODUCE_")}
    env.update({"COPRODUCE_VAR_DIR": str(var_dir), "PYTHONUNBUFFERED": "1", **extra})
    env.pop("DJANGO_SETTINGS_MODULE", None)
    src = str(Path(__file__).resolve().parents[1] / "src")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [src, env.get("PYTHONPATH", "")]))
    return env


_MIGRATED: dict[str, Path] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory):
    """pytest-django's test database; on SQLite, also a copy of it as a file the moment it is migrated (tables
    and what the migrations seed, nothing a test wrote): `migrated_sqlite_file` hands that copy to tests that
    start their own processes, instead of migrating again in each (which takes half a minute)."""
    # pytest-django sets up only the databases the session's tests ask for: none, when no test uses one.
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        with django_db_blocker.unblock():
            connection.ensure_connection()
            path = tmp_path_factory.mktemp("migrated") / "coproduce.sqlite3"
            copy = sqlite3.connect(path)
            with copy:
                connection.connection.backup(copy)
            copy.close()
            _MIGRATED["default"] = path
    return django_db_setup


@pytest.fixture(scope="session")
def migrated_sqlite_file(django_db_setup, tmp_path_factory) -> Path:
    """A migrated SQLite database file, as `coproduce migrate` leaves it (copy it before writing to it). A copy
    of the suite's test database when it is SQLite; otherwise (the suite runs on PostgreSQL, or no test in this
    session uses a database) `coproduce migrate` makes one, which is slower."""
    if "default" not in _MIGRATED:
        var_dir = tmp_path_factory.mktemp("migrated-by-command")
        subprocess.run(  # noqa: S603 - our own interpreter and command
            [sys.executable, "-m", "coproduce.cli", "migrate", "--verbosity", "0"],
            env=sqlite_process_environment(var_dir),
            check=True,
            timeout=600,
        )
        _MIGRATED["default"] = var_dir / "coproduce.sqlite3"
    return _MIGRATED["default"]


@pytest.fixture(autouse=True)
def _rate_limits_off(settings):
    """The limits on voting, posting and API tokens (core/ratelimit.py) are off, as with
    COPRODUCE_DISABLE_RATE_LIMITS, so that counting them adds no queries to the tests that count queries and
    no test that sends many requests meets them. tests/core/test_rate_limits.py turns them on and tests them;
    allauth's limits on sign-in stay on everywhere."""
    settings.RATE_LIMITS = {}


@pytest.fixture(autouse=True)
def _nothing_kept(settings):
    """Pages build what many people see alike every time (core/shared.py keeps it a few seconds in
    production): tests write through the services and read at once as someone else. tests/core/test_shared.py
    turns keeping on, and checks that it never changes what anyone sees."""
    from coproduce.core import shared

    settings.SHARED_SECONDS = 0
    shared.forget_all()


@pytest.fixture
def keeping(settings):
    """Keeping on, as in production (5 s), from nothing kept; nothing kept is left for the next test."""
    from coproduce.core import shared

    settings.SHARED_SECONDS = 5
    shared.forget_all()
    yield
    shared.forget_all()


# What the migrations seed (timebank categories, SROI unit costs, the hub's categories). pytest-django empties
# every table after a transactional test (and a live-server test), these rows with them; later tests, the
# demo and the journeys need them.
MIGRATION_SEEDS = (
    ("coproduce.timebank.migrations.0002_categories", "add"),
    ("coproduce.sroi.migrations.0002_seed_unit_costs", "seed"),
    ("coproduce.hub.migrations.0002_seed_categories", "seed"),
)


def put_back_migration_seeds() -> None:
    """Run the seeding migrations' functions again (get_or_create: safe to run twice)."""
    from importlib import import_module

    from django.apps import apps

    for module, function in MIGRATION_SEEDS:
        getattr(import_module(module), function)(apps, None)


def _empties_the_database(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a test whose teardown emptied every table (pytest-django's transactional database, a live-server
    test), put back what the migrations seeded, once every fixture is torn down (the flush is the last)."""
    result = yield
    if nextitem is not None and _empties_the_database(item):  # after the last, the database is gone
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            put_back_migration_seeds()
    return result


_HASH = None


def _password_hash() -> str:
    global _HASH
    if _HASH is None:
        _HASH = make_password(PASSWORD)  # Argon2 is slow on purpose: hash once per run
    return _HASH


def make_person(name: str, email: str | None = None, **extra) -> User:
    email = email if email is not None else f"{name.lower().replace(' ', '.')}@example.org"
    return User.objects.create(email=email, password=_password_hash(), display_name=name, **extra)


def make_members(space: Space, host: User, count: int, name: str = "Person") -> list[User]:
    """`count` people with distinct names ("Person 0", ...) who are members of `space`, their perspectives in
    turn: the distinct authors and owners a query-count test needs, so that one query per row shows."""
    perspectives = [
        Perspective.LIVED_EXPERIENCE,
        Perspective.CARER,
        Perspective.PRACTITIONER,
        Perspective.COMMUNITY,
    ]
    people = []
    for i in range(count):
        person = make_person(f"{name} {i}")
        space_services._membership_add(
            actor=host,
            space=space,
            user=person,
            role=Role.MEMBER,
            perspective=perspectives[i % len(perspectives)],
        )
        people.append(person)
    return people


@pytest.fixture
def host(db):
    return make_person("Hana Host")


@pytest.fixture
def facilitator(db):
    return make_person("Fergus Facilitator")


@pytest.fixture
def member(db):
    return make_person("Lena Lived")


@pytest.fixture
def practitioner(db):
    return make_person("Pat Practitioner")


@pytest.fixture
def outsider(db):
    return make_person("Otto Outsider")


@pytest.fixture
def admin_user(db):
    return make_person("Ada Admin", is_staff=True, is_superuser=True)


def _populate(space: Space, host, facilitator, member, practitioner) -> Space:
    """The cast joins as memberships made directly (the way a host adds someone): the join-request journey,
    with its notices and audit entries, is tested where it is the subject, and costs a tenth of a second per
    test here (the suite makes this cast some two thousand times)."""
    for person, role, perspective in (
        (facilitator, Role.FACILITATOR, Perspective.FACILITATOR),
        (member, Role.MEMBER, Perspective.LIVED_EXPERIENCE),
        (practitioner, Role.MEMBER, Perspective.PRACTITIONER),
    ):
        space_services._membership_add(
            actor=host, space=space, user=person, role=role, perspective=perspective
        )
    # Setting up the cast tells people things (a new member, a new role); tests start with none.
    Notification.objects.filter(space=space).delete()
    return space


@pytest.fixture
def space(host, facilitator, member, practitioner):
    """A public space with the full cast as members."""
    created = space_services.space_create(
        actor=host,
        title="Drop-in redesign",
        purpose="Decide together what replaces the drop-in.",
        place="Paisley",
    )
    return _populate(created, host, facilitator, member, practitioner)


@pytest.fixture
def private_space(host, facilitator, member, practitioner):
    created = space_services.space_create(
        actor=host,
        title="Peer review",
        purpose="Look at what changed.",
        place="Johnstone",
        visibility="private",
    )
    return _populate(created, host, facilitator, member, practitioner)


@pytest.fixture
def client_for(db):
    """`client_for(user)` is a test client signed in as `user`; `client_for(None)` is anonymous."""

    def make(user):
        client = Client()
        if user is not None:
            client.force_login(user, backend="coproduce.people.backends.ModelBackend")
        return client

    return make


@pytest.fixture
def api_for(db):
    """`api_for(user)` is an API client sending a fresh bearer token of `user`; `api_for(None)` is anonymous;
    `api_for(raw="cp_...")` sends that token as it is. See tests/api_client.py."""
    return Api


PERSONAS = ["host", "facilitator", "member", "practitioner", "outsider", "anonymous"]
# The cast with the two who stand apart: staff (network admin) and the assisted member (in `space`).
EVERYONE = [*PERSONAS, "staff", "assisted"]


@pytest.fixture
def persona(request, host, facilitator, member, practitioner, outsider):
    """Resolve a persona name (for parametrised access matrices) to a user or None.

    "staff" and "assisted" are made only when asked for (the assisted member joins `space`)."""

    def resolve(name: str):
        if name == "staff":
            return request.getfixturevalue("admin_user")
        if name == "assisted":
            return request.getfixturevalue("margaret")
        return {
            "host": host,
            "facilitator": facilitator,
            "member": member,
            "practitioner": practitioner,
            "outsider": outsider,
            "anonymous": None,
        }[name]

    return resolve


@pytest.fixture
def margaret(space, facilitator):
    """A member of `space` who takes part with help: no email, no way to sign in yet."""
    return space_services.assisted_person_add(
        actor=facilitator, space=space, display_name="Margaret Brown", perspective=Perspective.CARER
    ).user


@pytest.fixture
def elsewhere(private_space, facilitator):
    """Someone who takes part with help, but in another space."""
    return space_services.assisted_person_add(
        actor=facilitator, space=private_space, display_name="Ewan Elsewhere", perspective=Perspective.CARER
    ).user
