"""`coproduce timebank verify`: check the ledger; exits 1 on any discrepancy (for cron and monitoring)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from coproduce.timebank import selectors
from coproduce.timebank.models import Account, Posting, Transfer


class Command(BaseCommand):
    help = "Timebank tools. `verify`: every cached balance equals its postings and the ledger sums to zero."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="Check every account's balance and the zero sum of the whole ledger.")

    def handle(self, *args, action: str, **options):
        if action == "verify":
            problems = selectors.verify()
            for problem in problems:
                self.stderr.write(f"discrepancy: {problem}")
            if problems:
                raise CommandError(f"the ledger has {len(problems)} discrepancies", returncode=1)
            self.stdout.write(
                f"ledger OK: {Account.objects.count()} accounts, {Transfer.objects.count()} transfers, "
                f"{Posting.objects.count()} postings; every balance matches and the ledger sums to zero"
            )
