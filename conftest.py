"""Shared test helpers: make ``tests/support`` importable from every package's tests.

The helpers there (example graphs, the Chromium launcher) are used by the
tests of all three packages and by the benchmarks, so they live in one place.
"""

import sys
from pathlib import Path

SUPPORT = str(Path(__file__).parent / "tests" / "support")
if SUPPORT not in sys.path:
    sys.path.insert(0, SUPPORT)
