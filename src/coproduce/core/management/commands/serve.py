from typing import Any, cast

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate the database, load the demo network if the database is empty, and serve the site."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--no-demo", action="store_true", help="Do not load demo data into an empty database."
        )
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--no-tasks",
            action="store_true",
            help="Do not run background tasks in this process (when `coproduce run_huey` runs elsewhere).",
        )

    def handle(self, *args, host, port, no_demo, threads, no_tasks, **options):
        from django.core.wsgi import get_wsgi_application
        from huey.contrib.djhuey import HUEY

        from coproduce.core.proxies import trusted_proxies_middleware
        from coproduce.core.server import GracefulServer

        # The same application as coproduce.wsgi, built here so that core does not import the site above it.
        application = trusted_proxies_middleware(get_wsgi_application(), settings.TRUSTED_PROXIES)

        call_command("migrate", interactive=False, verbosity=0)
        if not no_demo:
            call_command("demo", if_empty=True)
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
        database = settings.DATABASES["default"]
        where = database["NAME"] if database["ENGINE"].endswith("sqlite3") else database.get("HOST", "")
        self.stdout.write(
            self.style.SUCCESS(f"coproduce is running at http://{host}:{port}/ (database: {where})")
        )
        self.stdout.write("Press Ctrl+C to stop.")
        try:
            server.serve()
        finally:
            if consumer is not None:
                consumer.stop(graceful=True)
        self.stdout.write("coproduce has stopped.")
