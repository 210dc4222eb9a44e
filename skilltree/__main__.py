"""``python -m skilltree``: the command line (see :mod:`skilltree.cli`)."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
