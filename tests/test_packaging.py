"""The three distributions install apart: the engine alone, then with its extras.

Builds the three wheels, installs regrad-core alone into a fresh virtual
environment (no index, only the built wheels), runs a backward pass there,
shows that regrad_viz is absent, then installs ``regrad-core[viz]`` and
``regrad-core[nn]`` from the same wheels and imports the extras.
"""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ["regrad-core", "regrad-viz", "regrad-nn"]


def run(*cmd: str | Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(c) for c in cmd], capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"{cmd} failed:\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheels")
    for package in PACKAGES:
        run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", out, ROOT / "packages" / package)
    return out


@pytest.mark.slow
def test_core_alone_then_with_extras(wheels: Path, tmp_path: Path) -> None:
    names = sorted(p.name for p in wheels.glob("*.whl"))
    assert [n.split("-")[0] for n in names] == ["regrad_core", "regrad_nn", "regrad_viz"]

    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    pip = (python, "-m", "pip", "install", "-q", "--no-index", "--find-links", wheels)

    run(*pip, "regrad-core")
    engine = run(python, "-c", "from regrad import Var; x = Var(3.0, req_grad=True); (x * x).backward(); print(x.grad)")
    assert engine.stdout.strip() == "6.0"
    listed = run(python, "-m", "pip", "list", "--format=freeze").stdout
    assert "regrad-core==" in listed and "regrad-viz" not in listed and "regrad-nn" not in listed

    missing = run(python, "-c", "import regrad_viz", check=False)
    assert missing.returncode != 0 and "No module named 'regrad_viz'" in missing.stderr

    run(*pip, "regrad-core[viz]")
    run(python, "-c", "import regrad_viz; regrad_viz.draw_to_html")
    assert run(python, "-c", "import regrad_nn", check=False).returncode != 0

    run(*pip, "regrad-core[nn]")
    run(python, "-c", "import regrad_nn; regrad_nn.MLP")
