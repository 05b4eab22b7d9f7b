"""The code stays ruff-clean and formatted, and the three packages type-check strictly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


FOLDERS = ["packages", "examples", "benchmarks", "tests", "docs"]


def test_ruff_finds_nothing() -> None:
    result = subprocess.run([sys.executable, "-m", "ruff", "check", *FOLDERS], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_code_is_ruff_formatted() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", *FOLDERS], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_packages_type_check_strictly() -> None:
    sources = [
        "packages/regrad-core/src/regrad",
        "packages/regrad-viz/src/regrad_viz",
        "packages/regrad-nn/src/regrad_nn",
    ]
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", *sources], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
