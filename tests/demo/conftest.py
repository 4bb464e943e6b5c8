"""The demo, loaded once for the whole of tests/demo (it takes seconds): `demo` is the loaded network, shared.

The load happens inside a transaction opened for the package and rolled back at its end; each test runs inside
it in a savepoint of its own (pytest-django's `db`), so what one test changes the next never sees, exactly as
with a fresh load. Tests that need an empty database (loading the demo themselves) are run before the first
test that uses the shared demo (`pytest_collection_modifyitems` below), so they never see it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import transaction
from django.test import override_settings

from coproduce.budgets.models import Budget, Phase
from coproduce.budgets.tasks import count_budget
from coproduce.demo.loader import load_demo
from coproduce.spaces.models import Space

HERE = Path(__file__).resolve().parent
# Argon2 is slow on purpose; the demo's people get quick hashes here. Each test client would scan every
# static file without the second setting.
QUICK = {
    "PASSWORD_HASHERS": [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ],
    "WHITENOISE_USE_FINDERS": False,
}


def pytest_collection_modifyitems(config, items):
    """In this package, tests that do not use the shared demo first (stable otherwise)."""
    ours = [i for i, item in enumerate(items) if HERE in Path(item.path).resolve().parents]
    if not ours:
        return
    block = [items[i] for i in ours]
    block.sort(key=lambda item: "demo" in getattr(item, "fixturenames", ()))
    for i, item in zip(ours, block, strict=True):
        items[i] = item


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = QUICK["PASSWORD_HASHERS"]


@pytest.fixture(scope="package")
def _demo_loaded(django_db_setup, django_db_blocker) -> Iterator[int]:
    quick = override_settings(**QUICK)
    outer = transaction.atomic()
    with django_db_blocker.unblock():
        quick.enable()
        outer.__enter__()
        try:
            load_demo()
            for budget in Budget.objects.filter(phase__in=[Phase.CLOSED, Phase.RESULTS]):
                count_budget.call_local(budget.pk)  # as the task queued when its voting closed does
            redesign = Space.objects.get(title__startswith="Redesign").pk
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            quick.disable()
            raise
    yield redesign
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
        quick.disable()


@pytest.fixture
def demo(_demo_loaded, db, settings) -> Space:
    """The demo network (loaded once for the package), and its drop-in redesign space."""
    settings.PASSWORD_HASHERS = QUICK["PASSWORD_HASHERS"]
    settings.WHITENOISE_USE_FINDERS = False
    return Space.objects.get(pk=_demo_loaded)
