"""`coproduce messages`: bring every translation catalogue up to date with the source, and compile it.

    coproduce messages            extract the marked strings of the Python code and the templates into each
                                  catalogue in src/coproduce/locale (new strings are added untranslated, removed
                                  ones dropped, translations kept), then compile each into its django.mo
    coproduce messages --add cy   the same, starting a catalogue for a new language first (here Welsh)
    coproduce messages --check    change nothing: exit 1, showing the difference, when a catalogue is not what
                                  `coproduce messages` would write, or a compiled catalogue is out of date

Both need GNU gettext (`xgettext`, `msgmerge`, `msgfmt`, `msgattrib`, `msgen`, `msgcat`: Debian's `gettext` package). There is no JavaScript
to translate. The compiled catalogues are committed and shipped in the package.
"""

from __future__ import annotations

import difflib
import functools
import gettext
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.commands.makemessages import Command as MakeMessages
from django.test.utils import override_settings
from django.utils.translation import to_locale

SOURCE_ROOT = Path(settings.BASE_DIR)
LOCALE_DIR = SOURCE_ROOT / "locale"
# Not user-facing, or not Django: the pure-Python library, the demo's content (it is data, like what people
# write), migrations and the static files.
IGNORE = ["lib", "demo", "migrations", "static", "__pycache__", "*.pyc"]


class _MakeMessages(MakeMessages):
    # The names our modules import gettext_lazy as, besides `_`: xgettext finds only the names it is told.
    xgettext_options = [*MakeMessages.xgettext_options, "--keyword=_l", "--keyword=_lazy"]


def locales(locale_dir: Path = LOCALE_DIR) -> list[str]:
    return sorted(path.parent.parent.name for path in locale_dir.glob("*/LC_MESSAGES/django.po"))


def need_gettext() -> None:
    missing = [
        tool
        for tool in ("xgettext", "msgmerge", "msgfmt", "msgattrib", "msgen", "msgcat")
        if not shutil.which(tool)
    ]
    if missing:
        raise CommandError(
            f"{', '.join(missing)} not found: install GNU gettext (Debian: apt-get install gettext)."
        )


def compile_catalogue(po: Path, mo: Path) -> None:
    """Compile `po` into `mo`. The catalogue of the language the source is written in (LANGUAGE_CODE) leaves
    most messages untranslated, meaning "as written"; compiled so, each of them would be looked up in every
    other catalogue Django holds before falling back to the source text (about 4 µs each, a millisecond on a
    page). So its compiled file holds every message: translated ones as translated, the others as written."""
    if po.parent.parent.name != to_locale(settings.LANGUAGE_CODE):
        subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], check=True)  # noqa: S603, S607
        return
    with tempfile.TemporaryDirectory() as temporary:
        translated, as_written = Path(temporary, "translated.po"), Path(temporary, "as-written.po")
        run = functools.partial(subprocess.run, check=True)  # noqa: S603, S607
        run(["msgattrib", "--translated", "--no-obsolete", "-o", str(translated), str(po)])
        run(["msgen", "-o", str(as_written), str(po)])
        whole = Path(temporary, "whole.po")
        run(["msgcat", "--use-first", "-o", str(whole), str(translated), str(as_written)])
        run(["msgfmt", "--check-format", "-o", str(mo), str(whole)])


def compiled(mo: Path) -> dict[Any, str]:
    """The messages of a compiled catalogue, as Python's gettext reads them (the header left out)."""
    if not mo.exists():
        return {}
    with mo.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    return {key: value for key, value in catalog.items() if key != ""}


def extract(source_root: Path, names: list[str], *, verbosity: int = 0) -> None:
    """Run makemessages over `source_root` (a copy of the package, or the package itself) for these locales."""
    need_gettext()
    locale_dir = source_root / "locale"
    cwd = Path.cwd()
    try:
        os.chdir(source_root)  # makemessages walks the current directory
        with override_settings(LOCALE_PATHS=[locale_dir]):
            call_command(
                _MakeMessages(),
                locale=names,
                domain="django",
                extensions=["html", "py"],
                ignore_patterns=IGNORE,
                no_obsolete=True,
                add_location="file",
                verbosity=verbosity,
            )
    finally:
        os.chdir(cwd)


def copy_sources(target: Path) -> Path:
    """The package's Python files, templates and catalogues, copied to `target` (for a check that writes nothing)."""

    def ignore(directory: str, names: list[str]) -> list[str]:
        return [
            name
            for name in names
            if not (Path(directory, name).is_dir() or name.endswith((".py", ".html", ".po")))
            or name in IGNORE
        ]

    destination = target / "coproduce"
    shutil.copytree(SOURCE_ROOT, destination, ignore=ignore)
    return destination


def _without_date(text: str) -> list[str]:
    return [line for line in text.splitlines(keepends=True) if not line.startswith('"POT-Creation-Date:')]


def check(locale_dir: Path = LOCALE_DIR) -> list[str]:
    """What is out of date, as lines to show (empty: every catalogue and its compiled file are up to date)."""
    problems: list[str] = []
    names = locales(locale_dir)
    with tempfile.TemporaryDirectory() as temporary:
        copy = copy_sources(Path(temporary))
        extract(copy, names)
        for name in names:
            relative = Path(name, "LC_MESSAGES", "django.po")
            committed = (locale_dir / relative).read_text(encoding="utf-8")
            fresh = (copy / "locale" / relative).read_text(encoding="utf-8")
            diff = list(
                difflib.unified_diff(
                    _without_date(committed),
                    _without_date(fresh),
                    f"locale/{relative} (committed)",
                    f"locale/{relative} (from the source)",
                    n=1,
                )
            )
            if diff:
                problems.append(
                    f"locale/{relative} is not up to date with the source:\n" + "".join(diff[:80])
                )
        for name in names:
            po = locale_dir / name / "LC_MESSAGES" / "django.po"
            fresh_mo = Path(temporary, f"{name}.mo")
            compile_catalogue(po, fresh_mo)
            if compiled(po.with_suffix(".mo")) != compiled(fresh_mo):
                problems.append(f"locale/{name}/LC_MESSAGES/django.mo is not compiled from its django.po")
    return problems


class Command(BaseCommand):
    help = "Bring the translation catalogues up to date with the source and compile them (or --check them)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--add", metavar="LANGUAGE", action="append", default=[], help="e.g. cy, gd")
        parser.add_argument("--check", action="store_true", help="change nothing; exit 1 when out of date")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            problems = check()
            if problems:
                raise CommandError("\n".join([*problems, "Run `coproduce messages` and commit the result."]))
            self.stdout.write("The catalogues are up to date.")
            return
        names = sorted({*locales(), *(name.replace("-", "_") for name in options["add"])})
        extract(SOURCE_ROOT, names, verbosity=options["verbosity"])
        for name in names:
            po = LOCALE_DIR / name / "LC_MESSAGES" / "django.po"
            compile_catalogue(po, po.with_suffix(".mo"))
            self.stdout.write(f"locale/{name}: {len(compiled(po.with_suffix('.mo')))} messages translated")
