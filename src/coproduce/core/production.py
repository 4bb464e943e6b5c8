"""The production server behind `coproduce serve`: gunicorn with the task consumer beside it.

One gunicorn master forks `workers` processes (by default one per core), each answering requests on `threads`
threads. The master also starts `coproduce run_huey` as a child process (unless told not to), restarts it if
it dies, and stops it when the server stops: SIGTERM (a process manager's stop) lets requests in flight finish
for up to `grace` seconds, SIGINT (Ctrl+C) stops at once; either way the task consumer is asked to stop
gracefully (SIGINT) and killed if it has not stopped within `grace` seconds.

The application is loaded once in the master and the workers are forked from it (`preload_app`), so workers
start in a fraction of a second; database connections opened before the fork (migrate, the demo) are closed
first, so no two processes share one.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter


def default_workers() -> int:
    """One worker per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def settle() -> None:
    """Before the workers are forked: build what each would build on its first request (the URL patterns and
    their reverse lookups), then put everything the process holds out of the garbage collector's sight
    (`gc.freeze`), in the master and so in every worker. Otherwise each full collection in a worker walked the
    whole of Django and the application again, a quarter of a million objects, about 0.1 ms a request on
    average (bench/load.py); the workers also keep sharing those pages of memory with the master."""
    import gc

    from django.urls import get_resolver

    get_resolver().reverse_dict  # noqa: B018 - built on first use, here once for every worker
    gc.collect()
    gc.freeze()


def tasks_command(*, grace: int) -> list[str]:
    """The task consumer, as its own process: the same Python and settings as this one. Asked to stop, it
    waits up to `grace` seconds for the tasks running to finish."""
    return [sys.executable, "-m", "coproduce.cli", "run_huey", "--shutdown-timeout", str(grace)]


def gunicorn_options(
    *, host: str, port: int, workers: int, threads: int, grace: int, log_level: str = "info"
) -> dict[str, Any]:
    return {
        "bind": [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"],
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "preload_app": True,
        "graceful_timeout": grace,
        "timeout": 60,
        "keepalive": 5,
        "proc_name": "coproduce",
        "errorlog": "-",
        # gunicorn's runtime control socket: one path per user, so two servers on one machine would clash.
        "control_socket_disable": True,
        "loglevel": log_level,
        # Forwarding headers are kept or removed by coproduce.core.proxies, which trusts only the proxies in
        # COPRODUCE_TRUSTED_PROXIES: gunicorn must neither trust them itself (by default it trusts 127.0.0.1)
        # nor drop them first.
        "forwarded_allow_ips": "",
        "secure_scheme_headers": {},
    }


class ServerArbiter(Arbiter):
    """gunicorn's master, which also looks after the task consumer process."""

    def __init__(self, app: BaseApplication, *, tasks: list[str] | None, grace: float) -> None:
        super().__init__(app)
        self.tasks_argv = tasks
        self.tasks_grace = grace
        self.tasks: subprocess.Popen | None = None
        self.tasks_stopping = False

    def start(self) -> None:
        super().start()  # binds the port first: if it is taken, nothing else starts
        self.start_tasks()
        settle()

    def start_tasks(self) -> None:
        if self.tasks_argv:
            self.tasks = subprocess.Popen(self.tasks_argv)  # noqa: S603 - our own command
            self.log.info("Started the task consumer (pid: %s)", self.tasks.pid)

    def manage_workers(self) -> None:
        super().manage_workers()
        self.watch_tasks()

    def watch_tasks(self) -> None:
        # gunicorn reaps every child, so a consumer that died shows here as finished (exit code 0 or its own).
        if self.tasks is not None and not self.tasks_stopping and self.tasks.poll() is not None:
            self.log.warning(
                "The task consumer stopped (exit code %s): starting it again", self.tasks.returncode
            )
            self.start_tasks()

    def stop(self, graceful: bool = True) -> None:
        # The consumer and the workers stop side by side: the whole stop takes `grace` seconds at most.
        self.tasks_stopping = True
        if self.tasks is not None and self.tasks.poll() is None:
            # SIGINT is huey's graceful stop: tasks running are finished, nothing new is started.
            self.tasks.send_signal(signal.SIGINT)
        super().stop(graceful)
        self.wait_for_tasks()

    def wait_for_tasks(self) -> None:
        if self.tasks is None or self.tasks.poll() is not None:
            return
        try:
            self.tasks.wait(self.tasks_grace + 2)
        except subprocess.TimeoutExpired:
            self.log.warning("The task consumer did not stop within %s s: killing it", self.tasks_grace)
            self.tasks.kill()
            self.tasks.wait(5)


class ProductionServer(BaseApplication):
    def __init__(
        self, application: Callable, *, options: dict[str, Any], tasks: list[str] | None = None
    ) -> None:
        self.application = application
        self.options = options
        self.tasks = tasks
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Callable:
        return self.application

    def run(self) -> None:
        ServerArbiter(self, tasks=self.tasks, grace=float(self.options["graceful_timeout"])).run()
