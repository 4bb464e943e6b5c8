from django.core.management import call_command
from django.core.management.base import BaseCommand

from coproduce.demo.loader import DEMO_HOST_EMAIL, DEMO_PASSWORD, demo_loaded, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo network (a Scottish area with 40 people and 5 spaces, with ideas, meetings, actions, "
        "budgets and a timebank) into an empty database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Say nothing when the database already has data (used by `coproduce serve`).",
        )

    def handle(self, *args, if_empty=False, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if demo_loaded():
            if not if_empty:
                self.stdout.write("The database already has data; the demo was not loaded again.")
            return
        if if_empty:
            self.stdout.write("Loading the demo network (first run only)…")
        counts = load_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded: {counts['people']} people, {counts['organisations']} organisations, "
                f"{counts['spaces']} spaces; {counts['ideas']} ideas, {counts['meetings']} meetings, "
                f"{counts['actions']} actions, {counts['budgets']} participatory budgets, "
                f"{counts['exchanges']} timebank exchanges."
            )
        )
        self.stdout.write(f"Sign in as a host: {DEMO_HOST_EMAIL} / {DEMO_PASSWORD}")
        self.stdout.write(f"Network admin (/admin/): admin@demo.coproduce.scot / {DEMO_PASSWORD}")
