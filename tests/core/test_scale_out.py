"""Scale-out (issue 17, point 1): two stateless app processes and one task consumer, sharing PostgreSQL and Redis.

Starts, on real PostgreSQL and Redis at 127.0.0.1 (as on CI):

- app A and app B: `coproduce serve --no-tasks --no-migrate --no-demo`, each gunicorn with two workers and its own
  var directory (nothing shared on local disk but the uploads volume), on ports of their own;
- `coproduce run_huey`: the only task consumer, with the file email backend writing into a directory.

and checks, sending requests to both: a session made by signing in on A works on B; a ballot cast through B is
seen through A; a password-reset email asked for on A (queued in Redis) is sent exactly once, by the consumer.

Its own database (`scaleout_test`, made fresh from a migrated template database and dropped after) and Redis database number (flushed before and
after). Skipped when PostgreSQL or Redis is not reachable locally; fails instead when CI=true.
"""

from __future__ import annotations

import contextlib
import email
import hashlib
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
DATABASE = "scaleout_test"
TEMPLATE = "scaleout_template"
REDIS_DB = 11
EMAIL, PASSWORD = "mo.member@example.org", "a-long-test-password-1"
SETUP = Path(__file__).with_name("scale_out_setup.py")
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


@pytest.fixture(scope="module")
def services() -> None:
    # `make test` runs the SQLite and PostgreSQL suites at the same time; both would share this test's own
    # database and Redis number. It brings its own PostgreSQL database, so it runs once, with the SQLite suite
    # (the shorter of the two).
    if os.environ.get("COPRODUCE_DATABASE_URL"):
        pytest.skip(
            "the scale-out test runs once, in the SQLite suite's run (it makes its own PostgreSQL database)"
        )
    reason = unavailable()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"The scale-out test needs PostgreSQL and Redis on CI: {reason}")
        pytest.skip(f"scale-out test: {reason}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def admin_sql(statement: str) -> None:
    import psycopg

    with psycopg.connect(host=PG[0], port=PG[1], user="postgres", dbname="postgres", autocommit=True) as conn:
        conn.execute(statement)  # type: ignore[arg-type]


def migrations_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted(SRC.glob("coproduce/*/migrations/*.py")):
        digest.update(str(path.relative_to(SRC)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def template_hash() -> str | None:
    import psycopg

    with psycopg.connect(host=PG[0], port=PG[1], user="postgres", dbname="postgres") as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [TEMPLATE]
        ).fetchone()
    return row[0] if row else None


def make_database(migrate) -> None:
    """A fresh `scaleout_test`, copied from a migrated template database: migrating PostgreSQL takes minutes
    on a busy 2-core machine, copying a template a second. The template is made again when a migration
    changes (its comment holds a hash of the migration files)."""
    wanted = migrations_hash()
    if template_hash() != wanted:
        admin_sql(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)")
        admin_sql(f"CREATE DATABASE {TEMPLATE}")
        migrate(TEMPLATE)
        admin_sql(f"COMMENT ON DATABASE {TEMPLATE} IS '{wanted}'")
    admin_sql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    admin_sql(f"CREATE DATABASE {DATABASE} TEMPLATE {TEMPLATE}")


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
def cluster(services, tmp_path_factory) -> Iterator[dict]:
    root = tmp_path_factory.mktemp("scale-out")
    mail = root / "mail"
    mail.mkdir()
    common = {k: v for k, v in os.environ.items() if not k.startswith("COPRODUCE_")}
    common.pop("DJANGO_SETTINGS_MODULE", None)
    common.update(
        {
            "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH", "")])),
            "PYTHONUNBUFFERED": "1",
            "COPRODUCE_DATABASE_URL": f"postgres://postgres@{PG[0]}:{PG[1]}/{DATABASE}",
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

        def migrate(database: str) -> None:
            subprocess.run(
                [sys.executable, "-m", "coproduce.cli", "migrate", "--verbosity", "0"],
                env={
                    **env("setup"),
                    "COPRODUCE_DATABASE_URL": f"postgres://postgres@{PG[0]}:{PG[1]}/{database}",
                },
                check=True,
                timeout=600,
            )

        make_database(migrate)
        made = subprocess.run(
            [sys.executable, str(SETUP), EMAIL, PASSWORD],
            env=env("setup"),
            check=True,
            timeout=120,
            capture_output=True,
            text=True,
        )
        ids = json.loads(made.stdout.strip().splitlines()[-1])
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
        admin_sql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


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
