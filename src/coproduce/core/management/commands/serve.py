import os
import sys
from typing import Any, cast

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Migrate the database, load the demo network if the database is empty, and serve the site: "
        "gunicorn with one worker process per core, and the task consumer beside it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Worker processes answering requests (default: one per core).",
        )
        parser.add_argument("--threads", type=int, default=4, help="Threads in each worker (default: 4).")
        parser.add_argument(
            "--grace",
            type=int,
            default=5,
            help="Seconds that requests and tasks in flight get to finish when the server stops (default: 5).",
        )
        parser.add_argument(
            "--no-demo", action="store_true", help="Do not load demo data into an empty database."
        )
        parser.add_argument(
            "--no-migrate",
            action="store_true",
            help="Do not migrate the database first (when several app processes share one database, "
            "run `coproduce migrate` once before starting them).",
        )
        parser.add_argument(
            "--no-tasks",
            action="store_true",
            help="Do not run the task consumer (when `coproduce run_huey` runs elsewhere).",
        )
        parser.add_argument(
            "--dev",
            action="store_true",
            help="One process (waitress, with the task consumer as threads inside it): for development, "
            "and on systems without fork (Windows).",
        )

    def handle(
        self, *args, host, port, workers, threads, grace, no_demo, no_migrate, no_tasks, dev, **options
    ):
        if workers is not None and workers < 1:
            raise CommandError("--workers must be at least 1.")
        if threads < 1:
            raise CommandError("--threads must be at least 1.")
        if grace < 0:
            raise CommandError("--grace must be 0 or more.")
        from coproduce.core.handler import get_wsgi_application
        from coproduce.core.proxies import trusted_proxies_middleware

        # The same application as coproduce.wsgi, built here so that core does not import the site above it.
        application = trusted_proxies_middleware(get_wsgi_application(), settings.TRUSTED_PROXIES)

        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
        if not no_demo:
            call_command("demo", if_empty=True)

        if dev or sys.platform == "win32":
            self.serve_single_process(application, host=host, port=port, threads=threads, no_tasks=no_tasks)
        else:
            self.serve_production(
                application,
                host=host,
                port=port,
                workers=workers,
                threads=threads,
                grace=grace,
                no_tasks=no_tasks,
            )
        self.stdout.write("coproduce has stopped.")

    def announce(self, host: str, port: int, how: str) -> None:
        database = settings.DATABASES["default"]
        where = database["NAME"] if database["ENGINE"].endswith("sqlite3") else database.get("HOST", "")
        self.stdout.write(
            self.style.SUCCESS(f"coproduce is running at http://{host}:{port}/ (database: {where}; {how})")
        )
        self.stdout.write("Press Ctrl+C to stop.")
        self.stdout.flush()

    def serve_production(self, application, *, host, port, workers, threads, grace, no_tasks) -> None:
        from django.db import connections
        from huey.contrib.djhuey import HUEY

        from coproduce.core.production import (
            ProductionServer,
            default_workers,
            gunicorn_options,
            tasks_command,
        )

        workers = workers or default_workers()
        tasks = None if no_tasks or HUEY.immediate else tasks_command(grace=grace)
        options = gunicorn_options(host=host, port=port, workers=workers, threads=threads, grace=grace)
        # The workers are forked from this process: none may inherit a database connection opened here.
        connections.close_all()
        self.announce(
            host,
            port,
            f"{workers} worker{'s' if workers != 1 else ''} × {threads} threads, "
            + ("tasks in another process" if tasks else "no task consumer here"),
        )
        master = os.getpid()
        try:
            ProductionServer(application, options=options, tasks=tasks).run()
        except SystemExit as stopped:  # gunicorn's master ends with sys.exit(), and so does each worker
            if os.getpid() != master:
                # A worker that has finished its requests and closed its connections: leave at once. (The
                # interpreter's own clean-up took seconds there, and the master waits for every worker.)
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(stopped.code if isinstance(stopped.code, int) else 0)
            if stopped.code not in (0, None):
                raise

    def serve_single_process(self, application, *, host, port, threads, no_tasks) -> None:
        from huey.contrib.djhuey import HUEY

        from coproduce.core.server import GracefulServer

        # Bind the port first: if it is taken, stop here, before starting anything else.
        server = GracefulServer(
            application,
            host=host,
            port=port,
            threads=threads,
            ident="coproduce",
            # Forwarding headers are kept or removed by coproduce.core.proxies, which trusts only the proxies
            # in COPRODUCE_TRUSTED_PROXIES: waitress must not drop them first.
            clear_untrusted_proxy_headers=False,
        )
        consumer = None
        if not no_tasks and not HUEY.immediate:
            # Embedded mode: the task consumer runs as threads beside the web server.
            import coproduce.core.tasks  # noqa: F401 - registers the tasks

            # On shutdown, a task still running after 5 s is interrupted rather than waited for.
            huey_settings = cast(dict[str, Any], settings.HUEY)
            consumer_options = {"shutdown_timeout": 5, **huey_settings.get("consumer", {})}
            consumer = HUEY.create_consumer(**consumer_options)
            consumer.start()
        # After the consumer has started: it installs SIGINT/SIGTERM handlers that only set a flag of its own.
        server.install_signal_handlers()
        self.announce(host, port, "one process")
        try:
            server.serve()
        finally:
            if consumer is not None:
                consumer.stop(graceful=True)
