"""Many threads moving time between a few accounts at once: no lost update, no double spend, and no
transfer both reported as failed and applied. Runs on SQLite, and on PostgreSQL when the suite runs
with COPRODUCE_DATABASE_URL set.
"""

from __future__ import annotations

import random
import sqlite3
import threading
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from tests.conftest import make_person

from coproduce.timebank import selectors, services
from coproduce.timebank.models import Account, Posting, Transfer, TransferKind

THREADS = 8
PER_THREAD = 25
HOUR = 60


@pytest.fixture
def shared_database(transactional_db, tmp_path):
    """A database that threads share the way the running app does.

    Django tests SQLite in memory with a shared cache, where concurrent writers get "table is locked"
    at once instead of waiting (busy_timeout does not apply). The app itself uses a WAL file with
    BEGIN IMMEDIATE, so for this test the in-memory database is copied to a file and every thread's
    connection opens that file with the app's own options.
    """
    connection = connections["default"]
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    connection.ensure_connection()
    path = tmp_path / "ledger.sqlite3"
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    memory, name = connection.connection, connection.settings_dict["NAME"]
    connection.connection = None
    connection.settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
        connection.connection = memory


def run_threads(work) -> None:
    errors = []

    def wrapped(n):
        try:
            work(n)
        except BaseException as error:  # surfaced in the main thread below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=wrapped, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors


def test_concurrent_transfers_keep_every_invariant(shared_database):
    people = [make_person(f"Concurrent {i}") for i in range(4)]
    accounts = [services.account_for_user(person) for person in people]
    # Tight limits so that many transfers are refused: refusals are where double spends hide.
    Account.objects.update(min_balance=-2 * HOUR, max_balance=2 * HOUR, custom_limits=True)
    outcomes: dict[str, str] = {}
    lock = threading.Lock()

    def work(n: int) -> None:
        rng = random.Random(n)
        for i in range(PER_THREAD):
            a, b = rng.sample(accounts, 2)
            amount = rng.choice([15, 30, 45, 60, 90])
            key = f"t{n}-{i}"
            try:
                services.transfer_create(
                    actor=None,
                    postings=[(a, -amount), (b, amount)],
                    kind=TransferKind.ADJUSTMENT,
                    description="concurrent",
                    key=key,
                )
                result = "applied"
            except ValidationError:
                result = "refused"
            with lock:
                outcomes[key] = result

    run_threads(work)
    assert len(outcomes) == THREADS * PER_THREAD
    counts = Counter(outcomes.values())
    assert counts["applied"] > 0 and counts["refused"] > 0, counts
    stored = set(Transfer.objects.values_list("key", flat=True))
    assert {k for k, v in outcomes.items() if v == "applied"} == stored
    assert not {k for k, v in outcomes.items() if v == "refused"} & stored
    assert selectors.verify() == []
    for account in Account.objects.all():
        assert -2 * HOUR <= account.balance <= 2 * HOUR
    assert Posting.objects.count() == 2 * len(stored)


def test_the_same_request_made_at_once_pays_once(shared_database):
    host, receiver = make_person("Org Admin"), make_person("Attendee")
    from coproduce.people import services as people_services

    organisation = people_services.organisation_create(actor=host, name="Parallel Trust", kind="charity")
    results = []

    def work(n: int) -> None:
        transfer = services.participation_reward(
            actor=host,
            organisation=organisation,
            recipients=[receiver],
            hours_minutes=HOUR,
            description="Meeting",
            key="meeting:42",
        )
        results.append(transfer.pk)

    run_threads(work)
    assert len(set(results)) == 1
    assert Transfer.objects.count() == 1
    assert Account.objects.get(user=receiver).balance == HOUR
    assert selectors.verify() == []
