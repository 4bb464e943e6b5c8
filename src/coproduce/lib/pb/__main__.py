"""``python -m coproduce.lib.pb results FILE.pb --rule mes-add1 --format json``."""

import sys

from coproduce.lib.pb.cli import main

sys.exit(main(sys.argv[1:]))
