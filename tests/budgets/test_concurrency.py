"""Simultaneous ballots: one person sending several at once still has one ballot (the last one written, whole),
and many people voting at once each get theirs. Runs on a SQLite file the way the app does, and on PostgreSQL
when the suite runs with COPRODUCE_DATABASE_URL set.
"""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from tests.conftest import make_person

from coproduce.budgets import keys, selectors, services
from coproduce.budgets.models import Ballot, Phase, Voter
from coproduce.core.models import AuditEvent
from coproduce.spaces import services as space_services
from coproduce.spaces.models import Perspective, Role

THREADS = 8


@pytest.fixture
def shared_database(transactional_db, tmp_path):
    """A database that threads share the way the running app does.

    Django tests SQLite in memory with a shared cache, where concurrent writers get "table is locked" at once
    instead of waiting (busy_timeout does not apply). The app uses a WAL file with BEGIN IMMEDIATE, so for this
    test the in-memory database is copied to a file and every thread's connection opens that file with the
    app's own options.
    """
    connection = connections["default"]
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    connection.ensure_connection()
    path = tmp_path / "ballots.sqlite3"
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


def run_threads(work) -> list:
    errors, barrier = [], threading.Barrier(THREADS)

    def wrapped(n):
        try:
            barrier.wait(timeout=30)  # start together, so the writes really overlap
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
    return errors


def test_one_person_sending_ballots_at_once_still_has_one_ballot(shared_database, voting, member):
    projects = list(selectors.on_ballot(voting))
    # Every submission is a different, valid ballot (1 or 2 projects of 3).
    options = [[p] for p in projects] + [[a, b] for i, a in enumerate(projects) for b in projects[i + 1 :]]
    submitted = [[[pid, 1] for pid in options[n % len(options)]] for n in range(THREADS)]

    errors = run_threads(lambda n: services.ballot_submit(actor=member, budget=voting, choices=submitted[n]))

    assert not errors, errors
    assert Voter.objects.filter(budget=voting, user=member).count() == 1
    ballots = list(Ballot.objects.filter(budget=voting))
    assert len(ballots) == 1 and ballots[0].choices in submitted  # one whole ballot, never a mix
    actions = list(AuditEvent.objects.filter(action__startswith="ballot.").values_list("action", flat=True))
    assert sorted(actions) == ["ballot.cast"] + ["ballot.changed"] * (THREADS - 1)


def test_many_people_voting_at_once_each_get_one_ballot(shared_database, voting, host):
    people = [make_person(f"Voter {n}") for n in range(THREADS)]
    for person in people:
        space_services._membership_add(
            actor=host, space=voting.space, user=person, role=Role.MEMBER, perspective=Perspective.COMMUNITY
        )
    first = next(iter(selectors.on_ballot(voting)))

    def vote(n):
        person = people[n]
        services.ballot_submit(actor=person, budget=voting, choices=[[first, 1]])
        services.ballot_submit(
            actor=person, budget=voting, choices=[[first, 1]]
        )  # and again, at once with others

    errors = run_threads(vote)

    assert not errors, errors
    assert Voter.objects.filter(budget=voting).count() == THREADS
    assert Ballot.objects.filter(budget=voting).count() == THREADS
    stored = set(Ballot.objects.filter(budget=voting).values_list("voter_key", flat=True))
    assert stored == {keys.voter_key(voting.pk, f"user:{p.pk}") for p in people}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks (PostgreSQL)")
def test_ballots_are_written_side_by_side_yet_closing_waits_for_them_and_refuses_later_ones(
    transactional_db, voting, host, member, practitioner
):
    """Two people's ballots hold the budget's lock at the same time (with an exclusive lock the second would
    wait for the first, which waits for it: the barrier breaks). Closing the vote waits until both are
    stored; a ballot sent before the close is done is stored before it, so it is counted; once the vote is
    closed a ballot is refused."""
    first = next(iter(selectors.on_ballot(voting)))
    both_in, release = threading.Barrier(3, timeout=20), threading.Event()
    closed, outcomes = threading.Event(), {}

    def ballot(person):
        with transaction.atomic():
            services.ballot_submit(actor=person, budget=voting, choices=[[first, 1]])
            both_in.wait()
            release.wait(30)

    def close():
        services.budget_advance_phase(actor=host, budget=voting, to=Phase.CLOSED, confirm=True)
        closed.set()

    def just_in_time():
        services.ballot_submit(actor=host, budget=voting, choices=[[first, 1]])
        outcomes["just in time"] = closed.is_set()

    def thread(target, *args):
        def run():
            try:
                target(*args)
            finally:
                connections.close_all()

        started = threading.Thread(target=run)
        started.start()
        return started

    threads = [thread(ballot, member), thread(ballot, practitioner)]
    try:
        both_in.wait()  # both ballots written, neither committed
        threads.append(thread(close))
        time.sleep(1.0)  # the close is now waiting for the ballots' locks
        threads.append(thread(just_in_time))
        assert not closed.wait(1.0), "the vote closed while ballots were still being written"
    finally:
        release.set()
        for started in threads:
            started.join(60)
    assert closed.is_set()
    assert outcomes == {"just in time": False}  # stored while the close waited, before it
    assert Ballot.objects.filter(budget=voting).count() == 3  # all three in the count queued by the close
    late = make_person("Late voter")
    space_services._membership_add(
        actor=host, space=voting.space, user=late, role=Role.MEMBER, perspective=Perspective.COMMUNITY
    )
    with pytest.raises(ValidationError, match="Voting is not open."):
        services.ballot_submit(actor=late, budget=voting, choices=[[first, 1]])
