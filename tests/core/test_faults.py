"""Faults in the middle of a write: the process killed (SIGKILL), or its database connection cut, while a
ballot, a timebank transfer or a survey answer is half written. After a restart nothing half written exists,
the same write made again lands once, and `coproduce timebank verify` passes. And SQLite's "database is
locked" under many concurrent writers is absorbed: no writer sees an error, every write lands.

The write runs in a separate process (tests/core/fault_worker.py) on the same database as the test: on
SQLite the test database is copied to a file that both open, as the real server does; on PostgreSQL the
worker connects to the test database. The worker stops inside its transaction, half way through the write,
and says so; the test then kills it or, on PostgreSQL, ends its connection with `pg_terminate_backend`.
On SQLite the connection is the process itself, so killing the process is the connection cut.
"""

from __future__ import annotations

import json
import os
import queue
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.db.utils import OperationalError
from django.http import HttpResponse
from django.test import RequestFactory
from huey.contrib.djhuey import HUEY
from huey.storage import MemoryStorage
from tests.budgets.conftest import add_projects, make_budget, move_to
from tests.conftest import make_person
from tests.surveys.conftest import answers, build_survey

from coproduce.budgets import selectors as budget_selectors
from coproduce.budgets.models import Ballot, Phase, Voter
from coproduce.budgets.services import ballots
from coproduce.core.locked import RetryWhenLockedMiddleware
from coproduce.core.models import AuditEvent
from coproduce.core.sqlite3 import base as sqlite_backend
from coproduce.spaces import services as space_services
from coproduce.spaces.models import Perspective, Role
from coproduce.surveys.models import Answer, Participation, Response
from coproduce.timebank import selectors as timebank_selectors
from coproduce.timebank import services as timebank
from coproduce.timebank.models import Account, Posting, Transfer, TransferKind

REPO = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("fault_worker.py")
WAIT = 90.0  # seconds: generous, for a loaded machine; every wait polls and returns as soon as it can
HOUR = 60

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shared_database(tmp_path):
    """The test database, where another process can open it too: yields that process's environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COPRODUCE_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(
        {
            "COPRODUCE_VAR_DIR": str(tmp_path),
            "PYTHONUNBUFFERED": "1",
            "PYTHONPATH": os.pathsep.join(
                filter(None, [str(REPO / "src"), str(REPO), env.get("PYTHONPATH")])
            ),
        }
    )
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
        env["COPRODUCE_DATABASE_URL"] = (
            f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
        )
        yield env
        return
    assert connection.vendor == "sqlite" and connection.is_in_memory_db()
    connection.ensure_connection()
    path = tmp_path / "coproduce.sqlite3"  # where settings put it for COPRODUCE_VAR_DIR
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    memory, name = connection.connection, connection.settings_dict["NAME"]
    connection.connection = None
    connection.settings_dict["NAME"] = str(path)
    try:
        yield env
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
        connection.connection = memory


@pytest.fixture
def tasks_in_memory():
    was_immediate, was_storage = HUEY.immediate, HUEY.storage
    HUEY.storage, HUEY.immediate = MemoryStorage("faults-test"), True
    yield
    HUEY.immediate, HUEY.storage = was_immediate, was_storage


@pytest.fixture
def world(shared_database, tasks_in_memory):
    """A space with a budget open for voting, an open survey and two timebank accounts; `world.env` is
    the environment in which a worker process opens the same database."""
    host = make_person("Hana Host")
    voter = make_person("Lena Lived")
    space = space_services.space_create(
        actor=host, title="Drop-in redesign", purpose="Decide together.", place="Paisley"
    )
    space_services._membership_add(
        actor=host, space=space, user=voter, role=Role.MEMBER, perspective=Perspective.LIVED_EXPERIENCE
    )
    budget = make_budget(space, host)
    add_projects(budget, voter, host, ["100", "200"])
    budget = move_to(budget, host, Phase.VOTE)
    survey = build_survey(space, host)
    giver, receiver = timebank.account_for_user(host), timebank.account_for_user(voter)
    Account.objects.update(min_balance=-10 * HOUR, max_balance=10 * HOUR, custom_limits=True)

    class World:
        pass

    found = World()
    found.host, found.env, found.budget, found.survey, found.voter = (
        host,
        shared_database,
        budget,
        survey,
        voter,
    )
    found.giver, found.receiver = giver, receiver
    found.jobs = {
        "ballot": {"write": "ballot", "budget": budget.pk, "voter": voter.pk},
        "transfer": {
            "write": "transfer",
            "giver": giver.pk,
            "receiver": receiver.pk,
            "minutes": 90,
            "key": "fault:1",
        },
        "survey": {"write": "survey", "survey": survey.pk, "respondent": voter.pk, "sent": answers(survey)},
    }
    return found


class Worker:
    """fault_worker.py in a subprocess, its output read line by line on a thread (so waits can time out)."""

    def __init__(self, job: dict, env: dict[str, str]) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER), json.dumps(job)],
            env=env,
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)
            self.lines.put(line)

    def wait_for(self, word: str) -> str:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.process.poll() is not None and self.lines.empty():
                    break
                continue
            if line.startswith(word):
                return line
        self.process.kill()
        pytest.fail(f"the worker never said {word}:\n{''.join(self.output)}")

    def go_on(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("go\n")
        self.process.stdin.flush()

    def finish(self) -> int:
        try:
            return self.process.wait(WAIT)
        finally:
            if self.process.poll() is None:
                self.process.kill()


def cut_connection(backend: int) -> None:
    """End the worker's PostgreSQL session from another connection, and wait until it is gone."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [backend])
        assert cursor.fetchone()[0], "the worker's session was not found"
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [backend])
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.05)
    pytest.fail("the worker's session did not end")


def written(world) -> dict[str, int]:
    """Every row the three writes make; a half-written write shows as some of them without the rest."""
    return {
        "voters": Voter.objects.filter(budget=world.budget).count(),
        "ballots": Ballot.objects.filter(budget=world.budget).count(),
        "ballot audit": AuditEvent.objects.filter(action="ballot.cast").count(),
        "transfers": Transfer.objects.filter(key="fault:1").count(),
        "postings": Posting.objects.count(),
        "balance moved": sum(abs(b) for b in Account.objects.values_list("balance", flat=True)),
        "transfer audit": AuditEvent.objects.filter(action__startswith="timebank.transfer").count(),
        "responses": Response.objects.filter(survey=world.survey).count(),
        "answers": Answer.objects.filter(response__survey=world.survey).count(),
        "participations": Participation.objects.filter(survey=world.survey).count(),
        "survey audit": AuditEvent.objects.filter(action="survey.answered").count(),
    }


NOTHING = dict.fromkeys(
    [
        "voters",
        "ballots",
        "ballot audit",
        "transfers",
        "postings",
        "balance moved",
        "transfer audit",
        "responses",
        "answers",
        "participations",
        "survey audit",
    ],
    0,
)
ONCE = {
    "ballot": {"voters": 1, "ballots": 1, "ballot audit": 1},
    "transfer": {"transfers": 1, "postings": 2, "balance moved": 180, "transfer audit": 1},
    "survey": {"responses": 1, "answers": 3, "participations": 1, "survey audit": 1},
}


def ledger_verified() -> None:
    call_command("timebank", "verify", stdout=open(os.devnull, "w"))  # noqa: SIM115 - raises when unsound
    assert timebank_selectors.verify() == []


@pytest.mark.parametrize("fault", ["kill", "cut"])
@pytest.mark.parametrize("write", ["ballot", "transfer", "survey"])
def test_a_fault_mid_write_leaves_nothing_half_written(world, write, fault):
    if fault == "cut" and connection.vendor != "postgresql":
        pytest.skip("on SQLite the connection is the process: the kill case cuts it")
    job = world.jobs[write]
    worker = Worker({**job, "pause": True}, world.env)
    backend = int(worker.wait_for("PAUSED").split()[1])
    # The worker is inside its transaction, some rows written and the rest not yet.
    if fault == "kill":
        worker.process.kill()  # SIGKILL: no cleanup, no rollback sent
        assert worker.finish() == -9
    else:
        cut_connection(backend)
        worker.go_on()
        assert worker.finish() != 0
        said = "".join(worker.output)
        assert "OperationalError" in said or "InterfaceError" in said, said
        assert "DONE" not in said
    assert written(world) == NOTHING
    ledger_verified()

    # Restarted, the same write is made again, and lands once.
    again = Worker({**job, "pause": False}, world.env)
    assert again.finish() == 0, "".join(again.output)
    assert written(world) == {**NOTHING, **ONCE[write]}
    ledger_verified()
    if write == "survey":
        response = Response.objects.get(survey=world.survey)
        assert response.submitted_at is not None
        assert set(response.answers.values_list("counted", flat=True)) == {True}


# --- SQLite: "database is locked" absorbed ---------------------------------------------------------

WRITERS = 8
EACH = 6


@pytest.fixture
def impatient_sqlite(shared_database):
    """Every new connection waits only 1 ms for the write lock (the app waits 5 s), so that concurrent
    writers meet "database is locked" all the time, and what absorbs it is what is tested."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's write lock")

    def impatient(sender, connection, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout = 1")

    from django.db.backends.signals import connection_created

    connection_created.connect(impatient)
    connection.close()
    yield
    connection_created.disconnect(impatient)


def test_concurrent_writers_never_see_database_is_locked(world, impatient_sqlite):
    budget = world.budget
    voters = [make_person(f"Voter {n}") for n in range(WRITERS)]
    for person in voters:
        space_services._membership_add(
            actor=world.host,
            space=budget.space,
            user=person,
            role=Role.MEMBER,
            perspective=Perspective.COMMUNITY,
        )
    accounts = [timebank.account_for_user(person) for person in voters]
    Account.objects.update(min_balance=-100 * HOUR, max_balance=100 * HOUR, custom_limits=True)
    projects = list(budget_selectors.on_ballot(budget))
    connection.close()
    retries_before = sqlite_backend.DatabaseWrapper.locked_retries
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(EACH):
                # Each writer changes its ballot and moves time, over and over: every one a write transaction.
                ballots.ballot_submit(
                    actor=voters[n], budget=budget, choices=[(projects[i % len(projects)], 1)]
                )
                timebank.transfer_create(
                    actor=None,
                    postings=[(accounts[n], -15), (accounts[(n + 1) % WRITERS], 15)],
                    kind=TransferKind.ADJUSTMENT,
                    description="concurrent",
                    key=f"locked:{n}:{i}",
                )
        except BaseException as error:  # surfaced below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=WAIT)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == [], "".join(__import__("traceback").format_exception(errors[0]))
    assert Voter.objects.filter(budget=budget).count() == WRITERS
    assert Ballot.objects.filter(budget=budget).count() == WRITERS
    assert Transfer.objects.filter(key__startswith="locked:").count() == WRITERS * EACH
    ledger_verified()
    assert sqlite_backend.DatabaseWrapper.locked_retries > retries_before, "the lock was never met"


# --- A request that met the lock is tried again, unless it already wrote ------------------------------


def locked() -> OperationalError:
    return OperationalError("database is locked")


def through_middleware(view, request=None):
    """The view as Django calls it with RetryWhenLockedMiddleware in place: process_view, the view, and
    process_exception when the view raised."""
    request = request or RequestFactory().post("/")
    middleware = RetryWhenLockedMiddleware(lambda request: HttpResponse())
    middleware.process_view(request, view, (), {})
    try:
        return view(request)
    except Exception as error:
        response = middleware.process_exception(request, error)
        if response is None:
            raise
        return response


def test_a_request_that_met_the_lock_is_tried_again(db):
    calls = []

    def view(request):
        calls.append(1)
        if len(calls) < 3:
            raise locked()
        return HttpResponse("saved")

    assert through_middleware(view).content == b"saved"
    assert len(calls) == 3


def test_a_request_that_already_committed_is_not_tried_again(db):
    calls = []

    def view(request):
        calls.append(1)
        connection.commit_count = getattr(connection, "commit_count", 0) + 1  # as a committed write does
        raise locked()

    with pytest.raises(OperationalError):
        through_middleware(view)
    assert len(calls) == 1


def test_other_errors_are_left_to_django(db):
    calls = []

    def view(request):
        calls.append(1)
        raise OperationalError("no such table: elsewhere")

    with pytest.raises(OperationalError):
        through_middleware(view)
    assert len(calls) == 1


def test_the_middleware_is_last(settings):
    assert settings.MIDDLEWARE[-1] == "coproduce.core.locked.RetryWhenLockedMiddleware"


def test_a_vote_sent_while_the_database_was_locked_is_saved_not_an_error_page(world, monkeypatch):
    """Through the whole stack (the API, its middleware, the service): the first attempt meets the lock
    before writing anything; the person gets their saved ballot, never an error."""
    from tests.api_client import Api

    real, attempts = ballots.ballot_submit, []

    def locked_once(**kwargs):
        attempts.append(1)
        if len(attempts) == 1:
            raise locked()
        return real(**kwargs)

    monkeypatch.setattr("coproduce.budgets.services.ballot_submit", locked_once)
    first = next(iter(budget_selectors.on_ballot(world.budget)))
    response = Api(world.voter).put(f"/budgets/{world.budget.pk}/ballot", {"choices": [{"project": first}]})
    assert response.status_code == 200, response.content
    assert len(attempts) == 2
    assert Voter.objects.filter(budget=world.budget).count() == 1
    assert Ballot.objects.filter(budget=world.budget).count() == 1


def test_verify_finds_a_transfer_without_postings(world):
    Transfer.objects.create(kind=TransferKind.ADJUSTMENT, description="half written", key="half")
    problems = timebank_selectors.verify()
    assert any("has no postings" in problem for problem in problems), problems
