"""Checks of the JavaScript that regrad-viz and regrad-nn inline into their pages."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

#: node parses JavaScript without running it (``node --check``); the tests that need it skip without it
HAVE_NODE = shutil.which("node") is not None


def javascript_errors(scripts: dict[str, str], folder: Path) -> list[str]:
    """``node --check``'s complaints about each named script (an empty list: every one parses)."""
    errors = []
    for name, code in scripts.items():
        path = folder / name
        path.write_text(code, encoding="utf-8")
        result = subprocess.run(["node", "--check", str(path)], capture_output=True, text=True)
        if result.returncode != 0:
            errors.append(f"{name}: {result.stderr}")
    return errors
