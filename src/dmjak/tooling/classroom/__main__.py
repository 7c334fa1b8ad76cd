"""``python -m dmjak.tooling.classroom link|sizing``: see ``dmjak.tooling.classroom.cli``."""

import sys

from dmjak.tooling.classroom.cli import main

sys.exit(main())
