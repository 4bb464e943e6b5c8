"""`coproduce pb results FILE.pb --rule R [--format text|json]`, `coproduce pb import FILE.pb --space SLUG`,
`coproduce pb export BUDGET_ID FILE.pb`.

`results` is the Django-free command line of coproduce.lib.pb (same output, same exit codes); `import` and
`export` move Pabulib files in and out of the database with the same services as the web pages.
"""

from __future__ import annotations

import io
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from coproduce.lib.pb import RULES
from coproduce.lib.pb.cli import main as pb_main


class Command(BaseCommand):
    help = "Participatory budgeting: count a Pabulib file, or import and export budgets as Pabulib files."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        results = commands.add_parser("results", help="which projects a rule funds, from a Pabulib .pb file")
        results.add_argument("file")
        results.add_argument("--rule", choices=RULES, default="mes-add1")
        results.add_argument("--format", choices=("text", "json"), default="text")
        results.add_argument("--threshold", default=None, help="greedy rules: minimum votes a project needs")
        results.add_argument(
            "--no-completion", action="store_true", help="mes-add1: no greedy fill afterwards"
        )
        imports = commands.add_parser("import", help="create a budget in a space from a Pabulib .pb file")
        imports.add_argument("file")
        imports.add_argument("--space", required=True, help="the slug of the space")
        imports.add_argument(
            "--title", default="", help="the budget's title (default: the file's description)"
        )
        exports = commands.add_parser(
            "export", help="write a budget's projects and anonymous ballots to a .pb file"
        )
        exports.add_argument("budget_id", type=int)
        exports.add_argument("file")

    def handle(self, *args, action: str, **options):
        return getattr(self, f"_{action}")(**options)

    def _results(
        self, *, file: str, rule: str, format: str, threshold, no_completion: bool, **_options
    ) -> None:
        argv = ["results", file, "--rule", rule, "--format", format]
        if threshold is not None:
            argv += ["--threshold", str(threshold)]
        if no_completion:
            argv.append("--no-completion")
        out, err = io.StringIO(), io.StringIO()
        code = pb_main(argv, stdout=out, stderr=err)
        if code != 0:
            raise CommandError(err.getvalue().strip(), returncode=code)
        # One write: Django's OutputWrapper would add a line ending after each piece json.dump writes.
        self.stdout.write(out.getvalue(), ending="")

    def _import(self, *, file: str, space: str, title: str, **_options) -> None:
        from coproduce.budgets import services
        from coproduce.spaces.models import Space

        target = Space.objects.filter(slug=space).first()
        if target is None:
            raise CommandError(f"no space with the slug {space!r}")
        try:
            text = Path(file).read_text(encoding="utf-8-sig")
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror or error}. Nothing was imported.") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{file}: this is not a UTF-8 text file. Nothing was imported.") from error
        try:
            budget = services.budget_import(actor=None, space=target, text=text, title=title)
        except ValidationError as error:
            raise CommandError(f"{file}: {' '.join(error.messages)}") from error
        voters = budget.voters.count()
        self.stdout.write(
            f"Imported budget {budget.pk} “{budget.title}”: {budget.projects.count()} projects, "
            f"{voters} ballots."
        )

    def _export(self, *, budget_id: int, file: str, **_options) -> None:
        from coproduce.budgets import selectors, services
        from coproduce.budgets.models import Budget

        budget = Budget.objects.filter(pk=budget_id).first()
        if budget is None:
            raise CommandError(f"no budget with the id {budget_id}")
        counted = selectors.last_count(budget)
        text = services.budget_export(
            budget, selected=counted.data[budget.rule]["selected"] if counted else None
        )
        Path(file).write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote budget {budget.pk} to {file}.")
