"""Scale-out (issue 17, point 1): two stateless app processes and one task consumer, sharing PostgreSQL and Redis.

Starts, on real PostgreSQL and Redis at 127.0.0.1 (as on CI):

- app A and app B: `coproduce serve --no-tasks --no-migrate --no-demo`, each gunicorn with two workers and its own
  var directory (nothing shared on local disk but the uploads volume), on ports of their own;
- `coproduce run_huey`: the only task consumer, with the file email backend writing into a directory.

and checks, sending requests to both: a session made by signing in on A works on B; a ballot cast through B is
seen through A; a password-reset email asked for on A (queued in Redis) is sent exactly once, by the consumer.

It runs in the PostgreSQL suite, on that suite's own test database (already migrated: nothing to migrate
again): the data is written and committed here, the processes share it, and it is flushed afterwards (the
migrations' seeds put back, as after every transactional test). Its own Redis database number (flushed before
and after). Skipped when Redis is not reachable locally; fails instead when CI=true.
"""

from __future__ import annotations

import contextlib
import email
import http.cookiejar
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

PG = ("127.0.0.1", 5432)
REDIS = ("127.0.0.1", 6379)
REDIS_DB = 11
EMAIL, PASSWORD = "mo.member@example.org", "a-long-test-password-1"
SRC = Path(__file__).resolve().parents[2] / "src"


def reachable(address: tuple[str, int]) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(address) == 0


def unavailable() -> str | None:
    for name, address in (("PostgreSQL", PG), ("Redis", REDIS)):
        if not reachable(address):
            return f"{name} is not running at {address[0]}:{address[1]}"
    try:
        import psycopg  # noqa: F401
        import redis  # noqa: F401
    except ImportError as error:
        return f"{error.name} is not installed (pip install -e '.[test,redis]')"
    return None


pytestmark = pytest.mark.postgresql_only


@pytest.fixture(scope="module")
def services() -> None:
    reason = unavailable()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"The scale-out test needs PostgreSQL and Redis on CI: {reason}")
        pytest.skip(f"scale-out test: {reason}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_data() -> dict:
    """A public space, a member who can sign in, and an approval budget open for voting with two projects."""
    from decimal import Decimal

    from coproduce.budgets import services as budgets
    from coproduce.budgets.models import Phase
    from coproduce.people.models import User
    from coproduce.spaces import services as spaces
    from coproduce.spaces.models import Perspective, Role

    host = User.objects.create_user(email="host@example.org", password=PASSWORD, display_name="Hana Host")
    member = User.objects.create_user(email=EMAIL, password=PASSWORD, display_name="Mo Member")
    space = spaces.space_create(actor=host, title="Scale-out", purpose="Two app processes.", place="Paisley")
    spaces._membership_add(
        actor=host, space=space, user=member, role=Role.MEMBER, perspective=Perspective.CARER
    )
    budget = budgets.budget_create(
        actor=host,
        space=space,
        title="Community fund",
        amount=Decimal("10000"),
        currency="GBP",
        ballot_type="approval",
        min_projects=1,
        max_projects=2,
    )
    projects = []
    for n, cost in enumerate(["4000", "3000"], start=1):
        project = budgets.project_submit(
            actor=member,
            budget=budget,
            title=f"Project {n}",
            cost=Decimal(cost),
            description="It helps.",
            category="health",
        )
        budgets.project_review(actor=host, project=project, feasible=True)
        projects.append(project.pk)
    order = [p.value for p in Phase]
    while order.index(budget.phase) < order.index(Phase.VOTE):
        budget = budgets.budget_advance_phase(
            actor=host, budget=budget, to=order[order.index(budget.phase) + 1], confirm=True
        )
    return {"budget": budget.pk, "projects": projects}


@pytest.fixture(scope="module")
def shared_data(services, django_db_setup, django_db_blocker) -> Iterator[tuple[str, dict]]:
    """The data, committed to the suite's test database (the app processes cannot see a test's transaction);
    emptied afterwards, as pytest-django empties the database after a transactional test."""
    from django.core.management import call_command
    from django.db import connection
    from tests.conftest import put_back_migration_seeds

    with django_db_blocker.unblock():
        ids = make_data()
        s = connection.settings_dict
        url = f"postgres://{s['USER']}@{s['HOST'] or PG[0]}:{s['PORT'] or PG[1]}/{s['NAME']}"
    try:
        yield url, ids
    finally:
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)
            put_back_migration_seeds()


def flush_redis() -> None:
    import redis

    redis.Redis(host=REDIS[0], port=REDIS[1], db=REDIS_DB).flushdb()


class Browser:
    """A person's browser: one cookie jar for every server (cookies do not depend on the port)."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def cookie(self, name: str) -> str:
        return next(c.value for c in self.jar if c.name == name and c.value is not None)

    def request(self, method: str, url: str, *, form=None, data=None) -> tuple[int, bytes]:
        headers = {}
        body = None
        if form is not None:
            body = urllib.parse.urlencode({**form, "csrfmiddlewaretoken": self.cookie("csrftoken")}).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif data is not None:
            body = json.dumps(data).encode()
            headers.update({"Content-Type": "application/json", "X-CSRFToken": self.cookie("csrftoken")})
        request = urllib.request.Request(url, data=body, method=method, headers=headers)  # noqa: S310
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()


def sent_emails(directory: Path) -> list[email.message.Message]:
    """Every message the file backend wrote (one file per connection, messages separated by a dashed line)."""
    messages = []
    for path in sorted(directory.glob("*.log")):
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                messages.append(email.message_from_string(chunk.strip()))
    return messages


@pytest.fixture(scope="module")
def cluster(shared_data, tmp_path_factory) -> Iterator[dict]:
    database_url, ids = shared_data
    root = tmp_path_factory.mktemp("scale-out")
    mail = root / "mail"
    mail.mkdir()
    common = {k: v for k, v in os.environ.items() if not k.startswith("COPRODUCE_")}
    common.pop("DJANGO_SETTINGS_MODULE", None)
    common.update(
        {
            "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH", "")])),
            "PYTHONUNBUFFERED": "1",
            "COPRODUCE_DATABASE_URL": database_url,
            "COPRODUCE_REDIS_URL": f"redis://{REDIS[0]}:{REDIS[1]}/{REDIS_DB}",
            "COPRODUCE_EMAIL_FILE_PATH": str(mail),
            "COPRODUCE_MEDIA_ROOT": str(root / "media"),
            # Every process must share the secret (sessions, CSRF and reset links are signed with it).
            "COPRODUCE_SECRET_KEY": "scale-out-test-" + "s" * 50,
            "COPRODUCE_HTTPS": "0",
        }
    )

    def env(name: str) -> dict[str, str]:
        return {**common, "COPRODUCE_VAR_DIR": str(root / f"var-{name}")}  # nothing shared on local disk

    processes: list[tuple[subprocess.Popen, Path]] = []

    def start(name: str, *argv: str) -> subprocess.Popen:
        log = root / f"{name}.log"
        process = subprocess.Popen(
            [sys.executable, "-m", "coproduce.cli", *argv],
            env=env(name),
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        processes.append((process, log))
        return process

    def logs() -> str:
        return "\n".join(f"--- {log.name}\n{log.read_text()}" for _, log in processes)

    try:
        flush_redis()  # what setting up queued is not the test's
        ports = {"a": free_port(), "b": free_port()}
        for name, port in ports.items():
            start(
                name,
                "serve",
                "--no-tasks",
                "--no-migrate",
                "--no-demo",
                "--workers",
                "2",
                "--port",
                str(port),
            )
        start("tasks", "run_huey", "--shutdown-timeout", "5")
        urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
        deadline = time.monotonic() + 60
        for url in urls.values():
            while True:
                for process, _ in processes:
                    if process.poll() is not None:
                        pytest.fail(f"a process exited with {process.returncode}:\n{logs()}")
                with contextlib.suppress(OSError):
                    if Browser().request("GET", url + "/accounts/login/")[0] == 200:
                        break
                if time.monotonic() > deadline:
                    pytest.fail(f"the app processes did not answer within 60 s:\n{logs()}")
                time.sleep(0.3)
        yield {"a": urls["a"], "b": urls["b"], "mail": mail, "logs": logs, **ids}
        # A process manager's stop (SIGINT is the consumer's graceful stop): every process ends cleanly.
        stopping = time.monotonic()
        for process, log in processes:
            process.send_signal(signal.SIGINT if log.name == "tasks.log" else signal.SIGTERM)
        for process, _ in processes:
            assert process.wait(15) == 0, logs()
        print(f"every process stopped in {time.monotonic() - stopping:.1f} s")
        assert "Traceback" not in logs(), logs()
    finally:
        for process, _ in processes:
            if process.poll() is None:
                process.kill()
                process.wait(10)
        with contextlib.suppress(Exception):
            flush_redis()


def test_a_session_and_a_ballot_are_shared_by_both_app_processes(cluster):
    a, b, budget = cluster["a"], cluster["b"], cluster["budget"]
    person = Browser()
    assert person.request("GET", a + "/accounts/login/")[0] == 200
    status, _ = person.request("POST", a + "/accounts/login/", form={"login": EMAIL, "password": PASSWORD})
    assert status == 302, cluster["logs"]()

    # Signed in on A, known on B.
    status, body = person.request("GET", f"{b}/api/v1/budgets/{budget}/ballot")
    assert status == 200, body
    assert json.loads(body)["has_voted"] is False

    # A ballot cast through B...
    choices = [{"project": cluster["projects"][0], "value": 1}]
    status, body = person.request("PUT", f"{b}/api/v1/budgets/{budget}/ballot", data={"choices": choices})
    assert status == 200, body

    # ...is seen through A.
    status, body = person.request("GET", f"{a}/api/v1/budgets/{budget}/ballot")
    assert status == 200, body
    seen = json.loads(body)
    assert seen["has_voted"] is True and seen["choices"] == choices


def test_a_queued_email_is_sent_exactly_once(cluster):
    a, mail = cluster["a"], cluster["mail"]
    visitor = Browser()
    assert visitor.request("GET", a + "/accounts/password/reset/")[0] == 200
    status, _ = visitor.request("POST", a + "/accounts/password/reset/", form={"email": EMAIL})
    assert status == 302, cluster["logs"]()

    def resets() -> list:
        return [m for m in sent_emails(mail) if m["To"] == EMAIL and "password" in m["Subject"].lower()]

    deadline = time.monotonic() + 20
    while not resets() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert resets(), f"no email sent within 20 s:\n{cluster['logs']()}"
    time.sleep(2)  # a second delivery (another consumer, a retry) would show by now
    assert len(resets()) == 1
