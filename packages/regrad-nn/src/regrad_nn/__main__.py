"""``python -m regrad_nn`` runs the ``regrad-nn`` command."""

import sys

from .cli import main

sys.exit(main())
