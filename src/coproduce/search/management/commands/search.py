"""`coproduce search reindex [--kind K]`: rebuild the search index from every module, in batches."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Rebuild the network search's index (all kinds, or one with --kind)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["reindex"], help="reindex: rebuild the index")
        parser.add_argument("--kind", default="", help='one kind only, e.g. "ideas.idea"')

    def handle(self, *args, action: str, kind: str, **options):
        from coproduce.search.services import known_kinds, reindex_all

        if kind and kind not in known_kinds():
            raise CommandError(f"No installed module offers {kind!r}. Known: {', '.join(known_kinds())}")
        counts = reindex_all(kind or None)
        for name, n in counts.items():
            self.stdout.write(f"{name}: {n} documents")
        self.stdout.write(self.style.SUCCESS(f"Indexed {sum(counts.values())} documents."))
