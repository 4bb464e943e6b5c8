from django.core.management.base import BaseCommand

from coproduce.actions import services


class Command(BaseCommand):
    help = (
        "Tell the owners of overdue actions, through their notifications (at most once per action per day)."
    )

    def handle(self, *args, **options):
        count = services.remind_overdue()
        self.stdout.write(f"{count} reminder(s) queued.")
