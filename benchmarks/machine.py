"""What a benchmark was measured on, in one line (the benchmarks print it with their results)."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def machine() -> str:
    """``2-core x86_64, AMD EPYC ..., Python 3.11.7``."""
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        cpu = platform.processor() or "unknown CPU"
    return f"{os.cpu_count()}-core {platform.machine()}, {cpu}, Python {platform.python_version()}"
