from django.core.management.base import BaseCommand

from coproduce.people import services


class Command(BaseCommand):
    help = "Privacy: `coproduce privacy expire` removes special category data past its retention period."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["expire"])

    def handle(self, *args, **options):
        for kind, count in services.expire_special_category().items():
            self.stdout.write(f"{kind}: {count} removed")
