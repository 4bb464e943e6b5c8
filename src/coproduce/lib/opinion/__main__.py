"""``python -m coproduce.lib.opinion analyse DIR [--format text|json]``."""

import sys

from coproduce.lib.opinion.cli import main

sys.exit(main(sys.argv[1:]))
