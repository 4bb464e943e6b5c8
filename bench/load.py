"""Load test: a large network seeded in bulk, driven through `coproduce serve` by concurrent clients.

    python bench/load.py [--database sqlite|postgres] [--scale 1] [--seconds 10] [--evening 60]

1. Seeds a scratch database (SQLite in a temporary directory; or PostgreSQL `bench_load` on the server at
   COPRODUCE_TEST_POSTGRES_URL, dropped and made again) with, at `--scale 1`: 100,000 people, 1,000 spaces
   (4 stages, one membership each), 100,000 ideas, 10 budgets of 30 projects with 1,000,000 secret ballots
   (a `Voter` and a `Ballot` each, keyed as the ballot service keys them; the published budget counted by
   the results service), 20,000 timebank members with 20,000 offers and requests and 500,000 transfers
   (two postings each, every balance within its limits and equal to its postings). Rows go in with COPY on
   PostgreSQL and executemany on SQLite, with explicit ids; the seconds each table took are printed.
2. Starts the production server (`coproduce serve --no-tasks --no-migrate --no-demo`: gunicorn, one worker
   per core, 4 threads each) on the scratch database.
3. Closed loop: `--clients` (50) clients with no think time, each on its own keep-alive connection and signed
   in as its own member, ask one endpoint for `--seconds`: /healthz first and last (the minimal endpoint,
   which touches neither database nor session), then the space page, the idea list, the voting page, the
   results page, the offers list and three API endpoints (a space's ideas, a budget's results, the offers,
   with Bearer tokens). Prints requests/s, p50/p95/p99 and the ratio to /healthz's throughput.
4. A PB voting evening: `--users` (300) members, each thinking 2-5 s between requests, open the voting page,
   cast a ballot (CSRF token and all, as a browser would), see it, look at the results, the space page and
   the ideas, and go round again, for `--evening` seconds. Prints the same figures; any error fails.
5. Checks afterwards that the ledger verifies, that each budget has exactly one ballot per voter, and that
   every member of the evening who cast a ballot has one.

Targets (exit status 1 if one is missed; 2 if a request failed or an invariant is broken): closed loop p95 under 500 ms and at least 0.3 of /healthz's
throughput on every endpoint; voting evening p95 under 200 ms with no error.

The clients must not be starved by the server on a small machine: the driver is one asyncio process with a
minimal HTTP/1.1 client (no parsing beyond the status line and headers, so about 0.1 ms of CPU a request),
and the server runs at a lower priority (nice 10) so the driver's event loop gets a core the moment a
response arrives. The driver's CPU time is printed next to the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import enum
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BASE_URL = os.environ.get("COPRODUCE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
PG_DATABASE = "bench_load"

CLOSED_P95_MS, MIN_RATIO = 500.0, 0.3
EVENING_P95_MS = 200.0
TIMEOUT = 30.0  # seconds: a response slower than this counts as an error
PROJECTS_PER_BUDGET, BUDGETS = 30, 10


# --- The scratch database ------------------------------------------------------------------------------


def pg_url(database: str) -> str:
    return urlunsplit(urlsplit(BASE_URL)._replace(path=f"/{database}"))


def pg_recreate(database: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(BASE_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        if not drop_only:
            connection.execute(f'CREATE DATABASE "{database}"')


def environment(var_dir: Path, database: str) -> dict[str, str]:
    env = {
        **os.environ,
        "COPRODUCE_VAR_DIR": str(var_dir),  # the secret key lives here: seeding and the server share it
        "DJANGO_SETTINGS_MODULE": "coproduce.settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
        "COPRODUCE_DISABLE_RATE_LIMITS": "1",  # 300 people signing in from one address is the bench, not an attack
        "COPRODUCE_LOG_LEVEL": "ERROR",
    }
    env.pop("COPRODUCE_SECRET_KEY", None)
    env.pop("COPRODUCE_REDIS_URL", None)
    if database == "postgres":
        env["COPRODUCE_DATABASE_URL"] = pg_url(PG_DATABASE)
    else:
        env["COPRODUCE_DATABASE_URL"] = ""
    return env


# --- Bulk insertion -------------------------------------------------------------------------------------


class Bulk:
    """Insert rows with explicit ids: COPY on PostgreSQL, executemany on SQLite. Columns not given take the
    model field's default (computed once), `auto_now` fields the time of seeding."""

    def __init__(self) -> None:
        from django.db import connection

        self.connection = connection
        self.vendor = connection.vendor
        self.now = __import__("django.utils.timezone", fromlist=["now"]).now()
        self.tables: set[tuple[str, bool]] = set()
        self.timings: list[tuple[str, int, float]] = []

    def _prep(self, model, name: str):
        from django.db import models

        f = model._meta.get_field(name)
        if isinstance(f, (models.DateTimeField, models.DecimalField, models.JSONField, models.DateField)):
            return lambda value: f.get_db_prep_save(value, self.connection)
        if isinstance(f, models.UUIDField):
            return (lambda value: value.hex) if self.vendor == "sqlite" else (lambda value: value)
        return None

    def insert(self, model, fields: list[str], rows, **constants) -> int:
        from django.db import models

        started = time.perf_counter()
        meta = model._meta
        given = {meta.get_field(name).attname for name in fields}
        columns = [meta.get_field(name).column for name in fields]
        fixed = []
        for f in meta.concrete_fields:
            if f.attname in given:
                continue
            if f.name in constants or f.attname in constants:
                value = constants.get(f.name, constants.get(f.attname))
                value = value.pk if isinstance(value, models.Model) else value
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = self.now
            elif f.has_default() or (f.empty_strings_allowed and f.blank and not f.null):
                value = f.get_default()  # "" for text fields that may be blank
            elif f.null:
                value = None
            else:
                raise ValueError(f"{model.__name__}.{f.name} needs a value")
            columns.append(f.column)
            value = value.value if isinstance(value, enum.Enum) else value  # psycopg would COPY its name
            fixed.append(f.get_db_prep_save(value, self.connection))
        fixed_tuple = tuple(fixed)
        preps = [self._prep(model, name) for name in fields]
        if any(preps):

            def prepared(row):
                return tuple(p(v) if p else v for p, v in zip(preps, row, strict=True)) + fixed_tuple
        else:

            def prepared(row):
                return tuple(row) + fixed_tuple

        table = meta.db_table
        count = 0
        quoted = ", ".join(self.connection.ops.quote_name(c) for c in columns)
        if self.vendor == "postgresql":
            with (
                self.connection.cursor() as cursor,
                cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(prepared(row))
                    count += 1
        else:
            marks = ", ".join("?" * len(columns))

            def counted():
                nonlocal count
                for row in rows:
                    count += 1
                    yield prepared(row)

            self.connection.ensure_connection()
            self.connection.connection.executemany(
                f"INSERT INTO {table} ({quoted}) VALUES ({marks})", counted()
            )  # noqa: S608
        self.tables.add((table, isinstance(meta.pk, models.AutoField | models.BigAutoField)))
        self.timings.append((model.__name__, count, time.perf_counter() - started))
        return count

    def next_id(self, model) -> int:
        from django.db.models import Max

        return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1

    def finish(self) -> None:
        """PostgreSQL: move each id sequence past the ids given, and gather the planner's statistics (as
        autovacuum would have by the time a network is this big)."""
        if self.vendor != "postgresql":
            return
        with self.connection.cursor() as cursor:
            for table, auto in sorted(self.tables):
                if auto:
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
                    )
            cursor.execute("ANALYZE")


@dataclass
class Seeded:
    slug: str = ""
    vote_budget: int = 0
    results_budget: int = 0
    sessions: list[str] = field(default_factory=list)  # one per simulated member
    tokens: list[str] = field(default_factory=list)
    evening_user_ids: list[int] = field(default_factory=list)
    evening_voted: set[int] = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=dict)


def seed(scale: float, simulated: int, rng: random.Random) -> Seeded:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction

    from coproduce.budgets.keys import voter_key
    from coproduce.budgets.models import Ballot, Budget, Eligibility, Phase, Project, ProjectStatus, Voter
    from coproduce.budgets.services.results import results_store
    from coproduce.ideas.models import Idea, IdeaStatus
    from coproduce.people.models import ApiToken, User, hash_token
    from coproduce.spaces.models import (
        STAGE_ORDER,
        Membership,
        MembershipChange,
        Perspective,
        Role,
        Space,
        Stage,
        StageKind,
        StageStatus,
    )
    from coproduce.timebank.models import (
        DEFAULT_MAX_BALANCE,
        DEFAULT_MIN_BALANCE,
        Account,
        AccountKind,
        Category,
        Listing,
        ListingKind,
        MemberStatus,
        Posting,
        TimebankMember,
        TimebankSettings,
        Transfer,
        TransferKind,
    )

    people = max(int(100_000 * scale), simulated + 100)
    spaces = max(int(1_000 * scale), 10)
    ideas = int(100_000 * scale)
    per_budget = min(int(1_000_000 * scale) // BUDGETS, people - simulated)
    timebank_people = max(people // 5, simulated)
    listings = max(int(20_000 * scale), 50)
    transfers = int(500_000 * scale)
    perspectives = Perspective.values
    big = max(simulated, people // 20)  # members of the space the clients visit: the last `big` people
    result = Seeded()
    bulk = Bulk()
    started = time.perf_counter()
    with transaction.atomic():
        u0 = bulk.next_id(User)
        unusable = make_password(None)  # the same for everyone: no one signs in with a password here
        bulk.insert(
            User,
            ["id", "email", "display_name"],
            ((u0 + i, f"p{i}@load.example", f"Person {i}") for i in range(people)),
            password=unusable,
        )
        uid = [u0 + i for i in range(people)]
        s0 = bulk.next_id(Space)
        bulk.insert(
            Space,
            ["id", "slug", "title", "purpose", "created_by"],
            (
                (
                    s0 + k,
                    f"load-{k}",
                    f"Space {k}: {rng.choice(['transport', 'food', 'care'])}",
                    "A bench space.",
                    uid[k],
                )
                for k in range(spaces)
            ),
            place="Bench town",
        )
        st0 = bulk.next_id(Stage)
        bulk.insert(
            Stage,
            ["id", "space", "kind", "position", "status"],
            (
                (
                    st0 + k * 4 + p,
                    s0 + k,
                    kind,
                    p,
                    StageStatus.OPEN.value
                    if kind == StageKind.CO_COMMISSIONING
                    else StageStatus.NOT_STARTED.value,
                )
                for k in range(spaces)
                for p, kind in enumerate(STAGE_ORDER)
            ),
        )

        def space_of(i: int) -> int:
            return 0 if i >= people - big else i % spaces

        def role_of(i: int) -> str:
            return Role.HOST.value if i < spaces else Role.MEMBER.value

        m0 = bulk.next_id(Membership)
        bulk.insert(
            Membership,
            ["id", "space", "user", "role", "perspective"],
            ((m0 + i, s0 + space_of(i), uid[i], role_of(i), perspectives[i % 5]) for i in range(people)),
        )
        c0 = bulk.next_id(MembershipChange)
        bulk.insert(
            MembershipChange,
            ["id", "space", "user", "role", "perspective"],
            ((c0 + i, s0 + space_of(i), uid[i], role_of(i), perspectives[i % 5]) for i in range(people)),
            kind=MembershipChange.Kind.JOINED,
        )
        # Ideas: a tenth in the busy space, the rest spread over the others, each by a member of its space.
        i0 = bulk.next_id(Idea)
        big_members = range(people - big, people)
        others = max(1, (people - big - 1) // spaces)

        def idea_row(n: int):
            if n < ideas // 10:
                space, author = 0, rng.choice(big_members)
            else:
                space = 1 + n % (spaces - 1)
                author = space + spaces * rng.randrange(others)
            status = rng.choice(
                [IdeaStatus.UNDER_DISCUSSION.value] * 8
                + [IdeaStatus.ADOPTED.value, IdeaStatus.NOT_TAKEN_FORWARD.value]
            )
            reason = "" if status == IdeaStatus.UNDER_DISCUSSION else "Decided at the meeting."
            topic = rng.choice(["opening hours", "transport", "food", "peer support", "the park"])
            return (
                i0 + n,
                s0 + space,
                uid[author],
                perspectives[author % 5],
                f"Idea {n} about {topic}",
                status,
                reason,
            )

        bulk.insert(
            Idea,
            ["id", "space", "author", "author_perspective", "title", "status", "status_reason"],
            (idea_row(n) for n in range(ideas)),
            body="A benchmark idea, long enough to look like one. " * 4,
        )

        # Budgets: two in the busy space (one voting, one published), eight voting elsewhere.
        stage_of = {k: st0 + k * 4 + STAGE_ORDER.index(StageKind.CO_COMMISSIONING) for k in range(spaces)}
        b0 = bulk.next_id(Budget)
        budget_spaces = [0, 0, *range(1, BUDGETS - 1)]
        phases = [Phase.VOTE.value, Phase.RESULTS.value] + [Phase.VOTE.value] * (BUDGETS - 2)
        bulk.insert(
            Budget,
            ["id", "space", "stage", "title", "phase", "created_by"],
            (
                (b0 + b, s0 + k, stage_of[k], f"Community fund {b}", phases[b], uid[k])
                for b, k in enumerate(budget_spaces)
            ),
            amount=Decimal("500000.00"),
            eligibility=Eligibility.RESIDENTS,
            area="Bench town",
            min_projects=1,
            max_projects=5,
        )
        p0 = bulk.next_id(Project)
        projects = {
            b: [p0 + b * PROJECTS_PER_BUDGET + j for j in range(PROJECTS_PER_BUDGET)] for b in range(BUDGETS)
        }
        bulk.insert(
            Project,
            ["id", "budget", "title", "cost", "submitted_by", "submitter_perspective"],
            (
                (
                    pid,
                    b0 + b,
                    f"Project {j} of fund {b}",
                    Decimal(rng.randrange(5, 120) * 1000),
                    uid[budget_spaces[b]],
                    "facilitator",
                )
                for b in range(BUDGETS)
                for j, pid in enumerate(projects[b])
            ),
            status=ProjectStatus.FEASIBLE,
            description="What it would pay for.",
        )
        # Ballots: one per voter per budget, keyed exactly as services.ballots keys them. Popular projects are
        # chosen more often, so the rules have something to decide.
        weights = [1 / (j + 1) for j in range(PROJECTS_PER_BUDGET)]
        v0 = bulk.next_id(Voter)

        def voters():
            n = v0
            for b in range(BUDGETS):
                for i in range(per_budget):
                    yield (n, b0 + b, uid[i])
                    n += 1

        def ballots():
            for b in range(BUDGETS):
                for i in range(per_budget):
                    chosen = dict.fromkeys(rng.choices(projects[b], weights, k=rng.randint(1, 5)))
                    yield (
                        uuid.uuid4(),
                        b0 + b,
                        voter_key(b0 + b, f"user:{uid[i]}"),
                        [[p, 1] for p in chosen],
                    )

        bulk.insert(Voter, ["id", "budget", "user"], voters(), confirmed_eligibility=True, method="online")
        bulk.insert(Ballot, ["id", "budget", "voter_key", "choices"], ballots())

        # Timebank: the first fifth of the people and everyone the clients play, with accounts; transfers
        # between random pairs that keep every balance inside its limits, the balances set to their postings.
        TimebankSettings.current()
        members = sorted(set(range(timebank_people)) | set(big_members[-simulated:]))
        tm0, a0 = bulk.next_id(TimebankMember), bulk.next_id(Account)
        bulk.insert(
            TimebankMember,
            ["id", "user"],
            ((tm0 + n, uid[i]) for n, i in enumerate(members)),
            status=MemberStatus.APPROVED,
        )
        balance = [0] * len(members)
        t0, q0 = bulk.next_id(Transfer), bulk.next_id(Posting)
        when = bulk.now - dt.timedelta(seconds=transfers + 60)
        moves: list[tuple[int, int, int]] = []
        while len(moves) < transfers:
            giver, taker = rng.randrange(len(members)), rng.randrange(len(members))
            minutes = rng.randrange(1, 9) * 15
            if (
                giver == taker
                or balance[taker] - minutes < DEFAULT_MIN_BALANCE
                or balance[giver] + minutes > DEFAULT_MAX_BALANCE
            ):
                continue
            balance[taker] -= minutes  # the one who received the help pays in time
            balance[giver] += minutes
            moves.append((giver, taker, minutes))
        bulk.insert(
            Account,
            ["id", "kind", "user", "balance"],
            ((a0 + n, AccountKind.PERSON.value, uid[i], balance[n]) for n, i in enumerate(members)),
        )
        bulk.insert(
            Transfer,
            ["id", "key", "description", "happened_at", "created_at"],
            (
                (
                    t0 + n,
                    f"load:{n}",
                    "Help in the garden",
                    when + dt.timedelta(seconds=n),
                    when + dt.timedelta(seconds=n),
                )
                for n in range(transfers)
            ),
            kind=TransferKind.EXCHANGE,
        )
        bulk.insert(
            Posting,
            ["id", "transfer", "account", "amount"],
            (
                row
                for n, (giver, taker, minutes) in enumerate(moves)
                for row in (
                    (q0 + 2 * n, t0 + n, a0 + taker, -minutes),
                    (q0 + 2 * n + 1, t0 + n, a0 + giver, minutes),
                )
            ),
        )
        categories = list(Category.objects.values_list("pk", flat=True))
        l0 = bulk.next_id(Listing)
        bulk.insert(
            Listing,
            ["id", "kind", "owner", "title", "category", "created_at"],
            (
                (
                    l0 + n,
                    ListingKind.OFFER.value if n % 3 else ListingKind.REQUEST.value,
                    uid[members[rng.randrange(len(members))]],
                    f"{'Help with' if n % 3 else 'Looking for'} {rng.choice(['gardening', 'lifts', 'shopping', 'IT'])} {n}",
                    rng.choice(categories),
                    when + dt.timedelta(seconds=n),
                )
                for n in range(listings)
            ),
            description="Evenings and weekends.",
            area="Bench town",
        )
        # The people the clients play: signed in (a session each) with an API token each.
        played = list(big_members[-simulated:])
        for i in played:
            person = User(pk=uid[i], password=unusable)
            session = SessionStore()
            session[SESSION_KEY] = str(uid[i])
            session[BACKEND_SESSION_KEY] = "coproduce.people.backends.ModelBackend"
            session[HASH_SESSION_KEY] = person.get_session_auth_hash()
            session.create()
            result.sessions.append(session.session_key)
            raw = ApiToken.generate()
            ApiToken.objects.create(user_id=uid[i], name="load", key_hash=hash_token(raw), prefix=raw[:8])
            result.tokens.append(raw)
        result.evening_user_ids = [uid[i] for i in played]
        bulk.finish()
    counted = time.perf_counter()
    stored = results_store(Budget.objects.get(pk=b0 + 1))  # the published budget is counted by the service
    result.slug, result.vote_budget, result.results_budget = "load-0", b0, b0 + 1
    result.counts = {
        "people": people,
        "spaces": spaces,
        "ideas": ideas,
        "ballots": per_budget * BUDGETS,
        "transfers": transfers,
        "listings": listings,
        "timebank members": len(members),
    }
    total = time.perf_counter() - started
    for name, count, seconds in bulk.timings:
        print(f"  {name:18} {count:>10,} rows {seconds:7.1f} s  ({count / max(seconds, 1e-9):>9,.0f}/s)")
    print(f"  {'results counted':18} {len(stored):>10} rules {time.perf_counter() - counted:6.1f} s")
    print(f"seeded in {total:.1f} s", flush=True)
    return result


# --- The server ------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(
    env: dict[str, str], port: int, workers: int | None, threads: int, nice: int
) -> subprocess.Popen:
    command = [sys.executable, "-m", "coproduce.cli", "serve", "--no-tasks", "--no-migrate", "--no-demo"]
    command += ["--port", str(port), "--threads", str(threads)]
    if workers:
        command += ["--workers", str(workers)]
    server = subprocess.Popen(  # noqa: S603 - our own command
        command,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=(lambda: os.nice(nice)) if nice else None,  # noqa: PLW1509 - no threads yet in this process
    )
    # The server's log, read as it comes (gunicorn says when each worker boots; the pipe must not fill up).
    log: list[str] = []
    server.log = log  # type: ignore[attr-defined]
    threading.Thread(
        target=lambda: log.extend(line.decode(errors="replace") for line in server.stderr), daemon=True
    ).start()
    expected = workers or os.cpu_count() or 1
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            time.sleep(0.2)
            raise SystemExit(f"the server stopped: {''.join(log)[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                answered = s.recv(100).startswith(b"HTTP/1.1 200")
        except OSError:
            answered = False
        # Every worker booted, not only the first to answer: the clients connect all at once, and a worker
        # still starting then got none of them (each keeps its connection), so that one worker served the
        # whole run at half the throughput (seen in about half the runs).
        if answered and sum("Booting worker" in line for line in log) >= expected:
            time.sleep(1.0)
            return server
        time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not answer /healthz with every worker booted within 60 s")


def stop_server(server: subprocess.Popen) -> str:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    time.sleep(0.2)  # the log's last lines
    return "".join(getattr(server, "log", []))


# --- The clients: a minimal HTTP/1.1 client on asyncio streams ----------------------------------------------


class Client:
    """One keep-alive connection and its cookies. Reconnects when the server has closed an idle connection."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None, token: str = "") -> None:
        self.port = port
        self.cookies = dict(cookies or {})
        self.token = token
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.last_used = 0.0

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None

    async def request(
        self, method: str, path: str, form: dict | list | None = None, *, api: bool = False
    ) -> tuple[int, dict, bytes]:
        """One request; a response that has not come within TIMEOUT seconds is an error (TimeoutError)."""
        try:
            return await asyncio.wait_for(self._request(method, path, form, api=api), TIMEOUT)
        except TimeoutError:
            await self.close()  # the response may still come: never read it as the next one's
            raise

    async def _request(
        self, method: str, path: str, form: dict | list | None, *, api: bool
    ) -> tuple[int, dict, bytes]:
        # gunicorn closes a connection idle for 5 s (keepalive): open a new one rather than meet a closed one.
        if self.writer is not None and time.monotonic() - self.last_used > 4:
            await self.close()
        for attempt in (1, 2):
            fresh = self.writer is None
            if fresh:
                self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
            assert self.reader is not None and self.writer is not None
            lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}"]
            if api and self.token:
                lines.append(f"Authorization: Bearer {self.token}")
            elif self.cookies:
                lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
            body = b""
            if form is not None:
                body = urlencode(form, doseq=True).encode()
                lines += [
                    "Content-Type: application/x-www-form-urlencoded",
                    f"Referer: http://127.0.0.1:{self.port}{path}",
                    f"Origin: http://127.0.0.1:{self.port}",
                ]
            lines.append(f"Content-Length: {len(body)}")
            try:
                self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
                head = await self.reader.readuntil(b"\r\n\r\n")
            except (ConnectionError, asyncio.IncompleteReadError):
                await self.close()
                if fresh or attempt == 2:
                    raise
                continue  # the server closed the kept-alive connection first: once more on a new one
            status_line, *header_lines = head.decode("latin-1").split("\r\n")
            status = int(status_line.split(" ", 2)[1])
            headers: dict[str, str] = {}
            for line in header_lines:
                if ":" in line:
                    name, value = line.split(":", 1)
                    name, value = name.strip().lower(), value.strip()
                    if name == "set-cookie":
                        cookie = value.split(";", 1)[0]
                        key, _, val = cookie.partition("=")
                        self.cookies[key] = val
                    headers[name] = value
            if headers.get("transfer-encoding", "").lower() == "chunked":
                chunks = []
                while True:
                    size = int((await self.reader.readline()).strip().split(b";")[0], 16)
                    chunk = await self.reader.readexactly(size + 2)
                    if size == 0:
                        break
                    chunks.append(chunk[:-2])
                content = b"".join(chunks)
            else:
                content = await self.reader.readexactly(int(headers.get("content-length", "0")))
            if headers.get("connection", "").lower() == "close":
                await self.close()
            self.last_used = time.monotonic()
            return status, headers, content
        raise AssertionError("unreachable")


@dataclass
class Tally:
    times: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    kinds: dict[str, Tally] = field(default_factory=dict)  # the same figures by kind of request
    ended: list[float] = field(default_factory=list)  # when each request ended (perf_counter)

    def add(self, seconds: float, kind: str = "") -> None:
        self.times.append(seconds * 1000)
        self.ended.append(time.perf_counter())
        if kind:
            part = self.kinds.setdefault(kind, Tally())
            part.times.append(seconds * 1000)

    def percentile(self, p: float) -> float:
        return _percentile(self.times, p)

    def windows(self, seconds: float) -> list[tuple[float, int, float]]:
        """(start, requests, p95) for each `seconds` of the run: when the slow requests came."""
        if not self.ended:
            return []
        first = min(self.ended)
        found: dict[int, list[float]] = {}
        for ended, took in zip(self.ended, self.times, strict=True):
            found.setdefault(int((ended - first) // seconds), []).append(took)
        return [(k * seconds, len(v), _percentile(v, 0.95)) for k, v in sorted(found.items())]

    @property
    def rate(self) -> float:
        return len(self.times) / self.elapsed if self.elapsed else 0.0


def _percentile(times: list[float], p: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] if ordered else float("nan")


async def closed_loop(port: int, path: str, clients: list[Client], seconds: float, *, api: bool) -> Tally:
    tally = Tally()
    # A short warm-up (caches, connections), not counted.
    await asyncio.gather(*(c.request("GET", path, api=api) for c in clients))
    stop = time.perf_counter() + seconds

    async def run(client: Client) -> None:
        while time.perf_counter() < stop:
            started = time.perf_counter()
            try:
                status, _h, _b = await client.request("GET", path, api=api)
            except (OSError, asyncio.IncompleteReadError) as error:
                tally.errors.append(f"{path}: {error!r}")
                continue
            tally.add(time.perf_counter() - started)
            if status != 200:
                tally.errors.append(f"{path}: HTTP {status}")

    started = time.perf_counter()
    await asyncio.gather(*(run(c) for c in clients))
    tally.elapsed = time.perf_counter() - started
    return tally


CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
PROJECT_BOX = re.compile(rb'name="projects" value="(\d+)"')


async def voting_evening(
    port: int, seeded: Seeded, users: int, seconds: float, think: tuple[float, float]
) -> tuple[Tally, set[int]]:
    tally = Tally()
    voted: set[int] = set()
    slug, vote, results = seeded.slug, seeded.vote_budget, seeded.results_budget
    stop = time.perf_counter() + seconds

    async def get(client: Client, path: str, kind: str, *, expect=(200,), api: bool = False) -> bytes:
        started = time.perf_counter()
        try:
            status, headers, body = await client.request("GET", path, api=api)
        except (OSError, asyncio.IncompleteReadError) as error:
            tally.errors.append(f"GET {path}: {error!r}")
            return b""
        tally.add(time.perf_counter() - started, kind)
        if status not in expect:
            tally.errors.append(f"GET {path}: HTTP {status}")
        return body

    async def pause(rng: random.Random) -> None:
        await asyncio.sleep(rng.uniform(*think))

    async def person(n: int) -> None:
        rng = random.Random(n)
        client = Client(port, {"sessionid": seeded.sessions[n]}, seeded.tokens[n])
        await asyncio.sleep(rng.uniform(0, think[1]))  # people arrive over the first seconds, not all at once
        vote_path = f"/spaces/{slug}/budgets/{vote}/vote/"
        while time.perf_counter() < stop:
            page = await get(client, vote_path, "voting page")
            await pause(rng)
            token, boxes = CSRF.search(page), PROJECT_BOX.findall(page)
            if token and boxes:
                form = [("csrfmiddlewaretoken", token.group(1).decode()), ("step", "cast"), ("confirm", "on")]
                form += [("projects", p.decode()) for p in rng.sample(boxes, rng.randint(1, 5))]
                started = time.perf_counter()
                try:
                    status, headers, _b = await client.request("POST", vote_path, form)
                    tally.add(time.perf_counter() - started, "cast a ballot")
                    if status == 302 and headers.get("location", "").endswith("/vote/done/"):
                        voted.add(seeded.evening_user_ids[n])
                        await get(client, headers["location"], "ballot stored")
                    else:
                        tally.errors.append(f"POST {vote_path}: HTTP {status}")
                except (OSError, asyncio.IncompleteReadError) as error:
                    tally.errors.append(f"POST {vote_path}: {error!r}")
            elif time.perf_counter() < stop:
                tally.errors.append(f"GET {vote_path}: no ballot form")
            for path, kind, api in rng.sample(
                [
                    (f"/spaces/{slug}/budgets/{results}/results/", "results page", False),
                    (f"/spaces/{slug}/", "space page", False),
                    (f"/spaces/{slug}/ideas/", "idea list", False),
                    (f"/api/v1/budgets/{results}/results", "API: results", True),
                ],
                2,
            ):
                if time.perf_counter() >= stop:
                    break
                await pause(rng)
                await get(client, path, kind, api=api)
            await pause(rng)
        await client.close()

    started = time.perf_counter()
    await asyncio.gather(*(person(n) for n in range(users)))
    tally.elapsed = min(time.perf_counter() - started, seconds)
    return tally, voted


def endpoints(seeded: Seeded) -> list[tuple[str, str, bool]]:
    slug, vote, results = seeded.slug, seeded.vote_budget, seeded.results_budget
    return [
        ("space page", f"/spaces/{slug}/", False),
        ("idea list", f"/spaces/{slug}/ideas/", False),
        ("voting page", f"/spaces/{slug}/budgets/{vote}/vote/", False),
        ("results page", f"/spaces/{slug}/budgets/{results}/results/", False),
        ("offers list", "/timebank/listings/?kind=offer", False),
        ("API: ideas", f"/api/v1/spaces/{slug}/ideas", True),
        ("API: results", f"/api/v1/budgets/{results}/results", True),
        ("API: offers", "/api/v1/timebank/listings?kind=offer", True),
    ]


def row(name: str, tally: Tally, baseline: float | None) -> str:
    ratio = f"{tally.rate / baseline:>8.2f}" if baseline else f"{'':>8}"
    return (
        f"{name:16} {len(tally.times):>8,} {tally.rate:>9.1f} {tally.percentile(0.5):>8.1f} "
        f"{tally.percentile(0.95):>8.1f} {tally.percentile(0.99):>8.1f} {ratio} {len(tally.errors):>6}"
    )


HEADER = f"{'endpoint':16} {'requests':>8} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'×healthz':>8} {'errors':>6}"


async def drive(port: int, seeded: Seeded, options) -> tuple[list[str], list[str]]:
    """Run both scenarios: (targets missed, errors)."""
    failures: list[str] = []
    broken: list[str] = []
    n = min(options.clients, len(seeded.sessions))
    clients = [Client(port, {"sessionid": seeded.sessions[i]}, seeded.tokens[i]) for i in range(n)]
    cpu0, wall0 = time.process_time(), time.perf_counter()
    if options.seconds > 0:
        print(f"\nclosed loop: {n} clients, no think time, {options.seconds:g} s per endpoint")
        print(HEADER)
        first = await closed_loop(port, "/healthz", clients, options.seconds, api=False)
        print(row("healthz", first, None), flush=True)
        measured = []
        for name, path, api in endpoints(seeded):
            tally = await closed_loop(port, path, clients, options.seconds, api=api)
            measured.append((name, tally))
            print(row(name, tally, first.rate), flush=True)
        last = await closed_loop(port, "/healthz", clients, options.seconds, api=False)
        baseline = (first.rate + last.rate) / 2  # before and after: the machine is shared
        print(row("healthz again", last, None))
        print(f"baseline: {baseline:.1f} req/s (mean of both /healthz runs)")
        for name, tally in measured:
            p95, ratio = tally.percentile(0.95), tally.rate / baseline
            if tally.errors:
                broken.append(f"{name}: {len(tally.errors)} errors, first {tally.errors[0]}")
            if p95 > CLOSED_P95_MS:
                failures.append(
                    f"{name}: p95 {p95:.0f} ms under {n} clients (target < {CLOSED_P95_MS:.0f} ms)"
                )
            if ratio < MIN_RATIO:
                failures.append(f"{name}: {ratio:.2f} of /healthz's throughput (target ≥ {MIN_RATIO})")
        for c in clients:
            await c.close()
    if options.evening > 0:
        users = min(options.users, len(seeded.sessions))
        print(
            f"\nvoting evening: {users} members, {options.think[0]:g}-{options.think[1]:g} s think time, "
            f"{options.evening:g} s"
        )
        tally, voted = await voting_evening(port, seeded, users, options.evening, tuple(options.think))
        print(HEADER)
        print(row("all requests", tally, None))
        for kind, part in sorted(tally.kinds.items()):
            part.elapsed = tally.elapsed
            print(row(f"  {kind}", part, None))
        print(f"ballots cast or changed: {len(voted)} people")
        print(
            "p95 by 10 s: "
            + ", ".join(
                f"{start:.0f}-{start + 10:.0f} s {p95:.0f} ms" for start, _n, p95 in tally.windows(10)
            )
        )
        p95 = tally.percentile(0.95)
        if tally.errors:
            broken.append(f"voting evening: {len(tally.errors)} errors, first {tally.errors[0]}")
        if p95 > EVENING_P95_MS:
            failures.append(f"voting evening: p95 {p95:.0f} ms (target < {EVENING_P95_MS:.0f} ms)")
        seeded.counts["evening voters"] = len(voted)
        seeded.evening_voted = voted
    wall = time.perf_counter() - wall0
    print(
        f"\ndriver: {time.process_time() - cpu0:.1f} s CPU in {wall:.1f} s "
        f"({100 * (time.process_time() - cpu0) / wall:.0f}% of one core); load average {os.getloadavg()[0]:.1f}"
    )
    return failures, broken


def verify(seeded: Seeded) -> list[str]:
    from django.db.models import Count

    from coproduce.budgets.keys import user_identity, voter_key
    from coproduce.budgets.models import Ballot, Voter
    from coproduce.people.models import User
    from coproduce.timebank import selectors

    problems = [f"ledger: {p}" for p in selectors.verify()]
    voters = dict(Voter.objects.values_list("budget").annotate(n=Count("pk")).order_by())
    ballots = dict(Ballot.objects.values_list("budget").annotate(n=Count("pk")).order_by())
    if voters != ballots:
        problems.append(f"voters per budget {voters} but ballots per budget {ballots}")
    voted = seeded.evening_voted
    keys = {voter_key(seeded.vote_budget, user_identity(User(pk=pk))) for pk in voted}
    found = Ballot.objects.filter(budget_id=seeded.vote_budget, voter_key__in=keys).count()
    if found != len(keys):
        problems.append(
            f"{len(keys)} people voted during the evening but {found} of their ballots are stored"
        )
    return problems


def profile(seeded: Seeded, which: str) -> int:
    """In this process, through the WSGI application the server runs (its middleware and all): the CPU each
    endpoint whose name contains `which` takes per request beside `/healthz`'s, then (unless BENCH_CPU_ONLY is
    set) its queries and a cProfile of one request. Neither the HTTP server's work nor the database's own
    process is counted: the ratio here is an upper bound of the one the closed loop measures."""
    import cProfile
    import io
    import pstats

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from coproduce.wsgi import application

    cookies = {"sessionid": seeded.sessions[0]}  # and those the responses set, as the driver keeps them

    def ask(path: str, api: bool) -> tuple[str, bytes]:
        path, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1:8000",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "http",
        }
        if api:
            environ["HTTP_AUTHORIZATION"] = f"Bearer {seeded.tokens[0]}"
        else:
            environ["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        status = []

        def start_response(line, headers, _info=None):
            status.append(line)
            for name, value in headers:
                if name.lower() == "set-cookie":
                    key, _, val = value.split(";", 1)[0].partition("=")
                    cookies[key] = val

        body = b"".join(application(environ, start_response))
        return status[0], body

    def cpu(path: str, api: bool, n: int = 300) -> float:
        for _ in range(20):
            ask(path, api)
        started = time.process_time()
        for _ in range(n):
            ask(path, api)
        return (time.process_time() - started) / n * 1000

    baseline = cpu("/healthz", False)
    print(f"\n/healthz: {baseline:.2f} ms of CPU per request (mean of 300, in this process)")
    for name, path, api in endpoints(seeded):
        if which not in name and which != "all":
            continue
        took = cpu(path, api)
        print(
            f"{name}: {took:.2f} ms of CPU per request (mean of 300, in this process; /healthz ÷ this: {baseline / took:.2f})"
        )
        if os.environ.get("BENCH_CPU_ONLY"):
            continue
        with CaptureQueriesContext(connection) as queries:
            profiler = cProfile.Profile()
            started = time.perf_counter()
            status, body = profiler.runcall(ask, path, api)
            took = time.perf_counter() - started
        for _ in range(int(os.environ.get("BENCH_PROFILE_MORE", "0"))):  # more requests in the profile
            profiler.runcall(ask, path, api)
        print(
            f"\n=== {name} {path}: {status}, {len(body):,} bytes, {took * 1000:.1f} ms, {len(queries.captured_queries)} queries"
        )
        for query in queries.captured_queries:
            print(f"{float(query['time']) * 1000:7.1f} ms  {query['sql'][:220]}")
        stats = pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "cumulative"))
        stats.print_stats(int(os.environ.get("BENCH_LINES", "25")))
        if os.environ.get("BENCH_CALLERS"):  # who calls the functions so named
            stats.print_callers(os.environ["BENCH_CALLERS"])
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="fraction of the full network (0.01 to develop)"
    )
    parser.add_argument("--clients", type=int, default=50, help="closed-loop clients (no think time)")
    parser.add_argument(
        "--seconds", type=float, default=10, help="closed loop: seconds per endpoint (0: skip)"
    )
    parser.add_argument("--users", type=int, default=300, help="members in the voting evening")
    parser.add_argument("--evening", type=float, default=60, help="voting evening: seconds (0: skip)")
    parser.add_argument("--think", type=float, nargs=2, default=[2.0, 5.0], metavar=("MIN", "MAX"))
    parser.add_argument("--workers", type=int, default=None, help="server workers (default: one per core)")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--nice", type=int, default=10, help="the server's niceness, so the driver is not starved"
    )
    parser.add_argument(
        "--migrated",
        type=Path,
        help="SQLite: a var directory holding a migrated coproduce.sqlite3 to start from (faster; tests use it)",
    )
    parser.add_argument(
        "--profile", metavar="NAME", help="profile one request to the endpoints named so, then stop"
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch database and say where it is")
    options = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    scratch = Path(tempfile.mkdtemp(prefix="coproduce-bench-load-"))
    env = environment(scratch, options.database)
    os.environ.update({k: v for k, v in env.items() if k.startswith(("COPRODUCE_", "DJANGO_"))})
    if not env["COPRODUCE_DATABASE_URL"]:
        os.environ.pop("COPRODUCE_DATABASE_URL", None)
    where = pg_url(PG_DATABASE) if options.database == "postgres" else str(scratch / "coproduce.sqlite3")
    print(
        f"database: {options.database} ({where})  scale: {options.scale:g}  cpus: {os.cpu_count()}  "
        f"load average: {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    server = None
    failures: list[str] = []
    broken: list[str] = []
    try:
        if options.database == "postgres":
            pg_recreate(PG_DATABASE)
        started = time.perf_counter()
        if options.migrated and options.database == "sqlite":
            shutil.copy(options.migrated / "coproduce.sqlite3", scratch / "coproduce.sqlite3")
        else:
            subprocess.run(
                [sys.executable, "-m", "coproduce.cli", "migrate", "-v", "0"], env=env, cwd=ROOT, check=True
            )  # noqa: S603
        print(f"migrated in {time.perf_counter() - started:.1f} s", flush=True)
        import django

        django.setup()
        from django.db import connections

        rng = random.Random(17)
        simulated = max(options.users if options.evening > 0 else 0, options.clients)
        seeded = seed(options.scale, simulated, rng)
        print("  " + ", ".join(f"{v:,} {k}" for k, v in seeded.counts.items()), flush=True)
        if options.profile:
            return profile(seeded, options.profile)
        connections.close_all()
        port = free_port()
        server = start_server(env, port, options.workers, options.threads, options.nice)
        print(
            f"server: coproduce serve on 127.0.0.1:{port} (workers: {options.workers or os.cpu_count()}, threads: {options.threads}, nice {options.nice})"
        )
        failures, broken = asyncio.run(drive(port, seeded, options))
        stop_server(server)
        server = None
        problems = verify(seeded)
        connections.close_all()
        print(
            "checked: the ledger verifies, one ballot per voter in every budget, every evening ballot stored"
            if not problems
            else ""
        )
        broken += problems
    finally:
        if server is not None:
            server.kill()
            server.wait()
        if options.keep:
            print(f"kept: {where}")
        else:
            if options.database == "postgres":
                from django.db import connections

                connections.close_all()
                pg_recreate(PG_DATABASE, drop_only=True)
            shutil.rmtree(scratch, ignore_errors=True)
    print(
        f"\ntargets: closed loop p95 < {CLOSED_P95_MS:.0f} ms and ≥ {MIN_RATIO} × /healthz's throughput; "
        f"voting evening p95 < {EVENING_P95_MS:.0f} ms with no error"
    )
    for failure in failures:
        print(f"FAILED: {failure}")
    for problem in broken:
        print(f"BROKEN: {problem}")
    skipped = [
        part
        for part, ran in (("closed loop", options.seconds > 0), ("voting evening", options.evening > 0))
        if not ran
    ]
    if skipped:
        print(f"not measured in this run: {', '.join(skipped)}")
    if not failures and not broken:
        print("all targets measured here met" if skipped else "all targets met")
    return 2 if broken else 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
