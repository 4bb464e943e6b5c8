"""`coproduce serve`'s options, without starting a long-lived server: what gunicorn is told, which processes
start, and how the task consumer child is stopped and restarted. (test_serve.py runs the real thing.)"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from huey.contrib.djhuey import HUEY

from coproduce.core import production
from coproduce.core.production import ProductionServer, ServerArbiter, gunicorn_options, tasks_command

pytestmark = pytest.mark.any_database  # the SQLite run covers it (tests/conftest.py)


class Captured:
    def __init__(self) -> None:
        self.calls: list[dict] = []


@pytest.fixture
def started(monkeypatch) -> Captured:
    """Replaces gunicorn and waitress by recorders: what would have been started."""
    captured = Captured()

    class FakeProduction:
        def __init__(self, application, *, options, tasks=None):
            captured.calls.append({"server": "gunicorn", "options": options, "tasks": tasks})

        def run(self):
            raise SystemExit(0)  # as gunicorn's master does when it stops

    class FakeGraceful:
        def __init__(self, application, **adjustments):
            captured.calls.append({"server": "waitress", "options": adjustments})

        def install_signal_handlers(self):
            pass

        def serve(self):
            pass

    monkeypatch.setattr(production, "ProductionServer", FakeProduction)
    monkeypatch.setattr("coproduce.core.server.GracefulServer", FakeGraceful)
    monkeypatch.setattr(HUEY, "immediate", False)
    return captured


def serve(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("serve", "--no-migrate", "--no-demo", *args, stdout=out)
    return out.getvalue()


def test_by_default_gunicorn_runs_a_worker_per_core_with_the_task_consumer_beside_it(started):
    output = serve("--port", "8123")
    [call] = started.calls
    assert call["server"] == "gunicorn"
    assert call["options"]["workers"] == len(os.sched_getaffinity(0))
    assert call["options"]["bind"] == ["127.0.0.1:8123"]
    assert call["options"]["worker_class"] == "gthread" and call["options"]["threads"] == 4
    assert call["tasks"][-4:] == ["coproduce.cli", "run_huey", "--shutdown-timeout", "5"]
    assert "running at http://127.0.0.1:8123/" in output and "tasks in another process" in output
    assert output.rstrip().endswith("coproduce has stopped.")


def test_workers_threads_and_grace_can_be_chosen(started):
    serve("--workers", "3", "--threads", "2", "--grace", "9", "--host", "::1")
    options = started.calls[0]["options"]
    assert (options["workers"], options["threads"], options["graceful_timeout"]) == (3, 2, 9)
    assert options["bind"] == ["[::1]:8000"]
    assert started.calls[0]["tasks"][-1] == "9"


def test_no_tasks_starts_no_consumer(started):
    output = serve("--no-tasks")
    assert started.calls[0]["tasks"] is None
    assert "no task consumer here" in output


def test_no_consumer_when_tasks_run_immediately(started, monkeypatch):
    monkeypatch.setattr(HUEY, "immediate", True)
    serve()
    assert started.calls[0]["tasks"] is None


def test_dev_runs_one_waitress_process(started):
    output = serve("--dev", "--threads", "6")
    [call] = started.calls
    assert call["server"] == "waitress" and call["options"]["threads"] == 6
    assert "one process" in output


@pytest.mark.parametrize(
    "args", [("--workers", "0"), ("--threads", "0"), ("--grace", "-1")], ids=["workers", "threads", "grace"]
)
def test_impossible_numbers_are_refused(started, args):
    with pytest.raises(CommandError):
        serve(*args)
    assert started.calls == []


def test_gunicorn_leaves_forwarding_headers_to_our_proxy_middleware():
    options = gunicorn_options(host="127.0.0.1", port=8000, workers=1, threads=1, grace=5)
    # gunicorn trusts X-Forwarded-Proto from 127.0.0.1 unless told not to: coproduce.core.proxies decides.
    assert options["forwarded_allow_ips"] == "" and options["secure_scheme_headers"] == {}
    assert options["control_socket_disable"] is True  # two servers on one machine must not clash
    assert options["preload_app"] is True


# --- The task consumer child, looked after by gunicorn's master ------------------------------------------

CHILD = """
import signal, sys, time
from pathlib import Path
marker = Path(sys.argv[1])
def stop(signum, frame):
    marker.write_text("graceful")
    sys.exit(0)
signal.signal(signal.SIGINT, stop)
marker.write_text("ready")
time.sleep(60)
"""


def arbiter_with_child(tmp_path: Path) -> tuple[ServerArbiter, Path]:
    marker = tmp_path / "child"
    app = ProductionServer(
        lambda environ, start_response: [],
        options=gunicorn_options(host="127.0.0.1", port=0, workers=1, threads=1, grace=2),
    )
    arbiter = ServerArbiter(app, tasks=[sys.executable, "-c", CHILD, str(marker)], grace=2)
    return arbiter, marker


def wait_for(marker: Path, text: str) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if marker.exists() and marker.read_text() == text:
            return
        time.sleep(0.05)
    pytest.fail(f"the child never wrote {text!r}")


def test_stopping_the_server_stops_the_consumer_gracefully(tmp_path):
    arbiter, marker = arbiter_with_child(tmp_path)
    arbiter.start_tasks()
    assert arbiter.tasks is not None
    wait_for(marker, "ready")
    arbiter.stop()
    assert arbiter.tasks.returncode == 0
    assert marker.read_text() == "graceful"


def test_a_consumer_that_dies_is_started_again_but_not_while_stopping(tmp_path):
    arbiter, marker = arbiter_with_child(tmp_path)
    arbiter.start_tasks()
    assert arbiter.tasks is not None
    first = arbiter.tasks
    wait_for(marker, "ready")
    first.kill()
    first.wait(10)
    marker.unlink()
    arbiter.watch_tasks()
    assert arbiter.tasks is not first
    wait_for(marker, "ready")
    arbiter.stop()
    arbiter.tasks.kill()  # were it to be started again, it would show here
    second = arbiter.tasks
    arbiter.watch_tasks()
    assert arbiter.tasks is second


def test_the_consumer_command_is_run_huey_with_a_shutdown_timeout():
    assert tasks_command(grace=7) == [
        sys.executable,
        "-m",
        "coproduce.cli",
        "run_huey",
        "--shutdown-timeout",
        "7",
    ]


def test_run_huey_stopped_while_starting_exits_quietly(tmp_path):
    """`coproduce serve` stopped at once signals a consumer still importing Django: no traceback."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COPRODUCE_")}
    src = str(Path(__file__).resolve().parents[2] / "src")
    env.update({"COPRODUCE_VAR_DIR": str(tmp_path), "PYTHONPATH": src})
    env.pop("DJANGO_SETTINGS_MODULE", None)
    child = subprocess.Popen(
        [sys.executable, "-m", "coproduce.cli", "run_huey"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    time.sleep(1.0)  # inside the start-up, long before the consumer runs
    child.send_signal(2)
    output, _ = child.communicate(timeout=30)
    assert child.returncode == 0, output
    assert "Traceback" not in output
