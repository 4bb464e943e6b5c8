"""The `coproduce` command: `coproduce serve`, `coproduce demo`, and every Django management command."""

from __future__ import annotations

import os
import signal
import sys


def _stop_quietly(signum, frame) -> None:
    # Not `raise SystemExit`: raised inside native code (pydantic builds the API's schemas while Django
    # starts) the exception is wrapped into another and the process ends with a traceback. Nothing has
    # started yet that needs cleaning up, so leave at once.
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os._exit(0)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    if argv[1:3] == ["pb", "results"]:
        # Reading a file and counting needs no database: skip starting Django (seconds on a slow machine).
        from coproduce.lib.pb.cli import main as pb_main

        raise SystemExit(pb_main(argv[2:], prog="coproduce pb"))
    if argv[1:3] == ["conversation", "analyse"]:
        # Same for opinion analysis of a Polis export directory: no database needed.
        from coproduce.lib.opinion.cli import main as opinion_main

        raise SystemExit(opinion_main(argv[2:], prog="coproduce conversation"))
    if argv[1:2] == ["run_huey"]:
        # Stopped while still starting (`coproduce serve` stopping at once): exit quietly, not with a
        # KeyboardInterrupt traceback. The consumer puts its own handler in place when it starts.
        signal.signal(signal.SIGINT, _stop_quietly)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.settings")
    from django.core.management import execute_from_command_line

    argv[0] = "coproduce"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
