"""``python -m autograd``: the ``stepgrad`` command (see :mod:`autograd.cli.main`)."""

import sys

from .cli.main import main

sys.exit(main())
