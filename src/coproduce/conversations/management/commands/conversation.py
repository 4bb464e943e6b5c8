"""`coproduce conversation import DIR --space SLUG [--question Q]` and `coproduce conversation analyse DIR
[--format text|json]`.

`analyse` is the Django-free command line of coproduce.lib.opinion (`coproduce conversation analyse` skips
Django altogether: see cli.py); `import` makes a conversation from a Polis export with the same service as the
host's upload page: all or nothing.
"""

from __future__ import annotations

import io
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from coproduce.lib.opinion.cli import main as opinion_main


class Command(BaseCommand):
    help = "Conversations: import a Polis export into a space, or analyse one without a database."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        imports = commands.add_parser(
            "import", help="make a conversation in a space from a Polis export folder"
        )
        imports.add_argument("directory")
        imports.add_argument("--space", required=True, help="the slug of the space")
        imports.add_argument("--question", default="", help="the question (default: the folder's name)")
        analyse = commands.add_parser("analyse", help="opinion groups of a Polis export (no database)")
        analyse.add_argument("directory")
        analyse.add_argument("--format", choices=("text", "json"), default="text")

    def handle(self, *args, action: str, **options):
        return getattr(self, f"_{action}")(**options)

    def _analyse(self, *, directory: str, format: str, **_options) -> None:
        out, err = io.StringIO(), io.StringIO()
        code = opinion_main(["analyse", directory, "--format", format], stdout=out, stderr=err)
        if code != 0:
            raise CommandError(err.getvalue().strip(), returncode=code)
        self.stdout.write(out.getvalue(), ending="")

    def _import(self, *, directory: str, space: str, question: str, **_options) -> None:
        from coproduce.conversations import services
        from coproduce.conversations.services.polis import ImportFailed
        from coproduce.spaces.models import Space

        target = Space.objects.filter(slug=space).first()
        if target is None:
            raise CommandError(f"no space with the slug {space!r}")
        folder = Path(directory)
        try:
            conversation = services.polis_import(
                actor=None, space=target, folder=folder, question=question or folder.resolve().name
            )
        except ImportFailed as error:
            raise CommandError(f"{error}. Nothing was imported.") from error
        except ValidationError as error:
            raise CommandError(f"{' '.join(error.messages)} Nothing was imported.") from error
        self.stdout.write(
            f"Imported “{conversation.question}” into {target.slug}: "
            f"{conversation.statements.count()} statements, {conversation.votes.count()} votes "
            f"(conversation {conversation.pk})."
        )
