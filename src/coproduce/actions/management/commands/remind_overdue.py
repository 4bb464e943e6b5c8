from django.core.management.base import BaseCommand

from coproduce.actions import services


class Command(BaseCommand):
    help = "Email the owners of overdue actions (queued; at most one reminder per action per day)."

    def handle(self, *args, **options):
        count = services.remind_overdue()
        self.stdout.write(f"{count} reminder(s) queued.")
