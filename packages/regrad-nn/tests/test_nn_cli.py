"""The ``regrad-nn moons`` command, end to end in a subprocess, and its error messages."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from regrad_nn import load_model
from regrad_nn.cli import main

pytest.importorskip("sklearn")
pytest.importorskip("matplotlib")
pytest.importorskip("tqdm")

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def run(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "regrad_nn.cli", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def test_small_run_writes_a_png_and_a_json(tmp_path):
    done = run(
        "moons", "--samples", "60", "--hidden", "8,8", "--epochs", "25", "--seed", "2",
        "--plot", "boundary.png", "--save", "model.json", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    accuracy = float(re.search(r"final accuracy ([\d.]+)%", done.stdout).group(1)) / 100
    assert accuracy > 0.75  # chance is 0.5
    assert "moons:" in done.stderr and "acc=" in done.stderr and "loss=" in done.stderr  # tqdm's bar

    png = (tmp_path / "boundary.png").read_bytes()
    assert png.startswith(PNG_SIGNATURE) and len(png) > 10_000
    doc = json.loads((tmp_path / "model.json").read_text())
    assert doc["config"]["nouts"] == [8, 8, 1]
    assert doc["training"]["epochs"] == 25 and doc["accuracy"] == pytest.approx(accuracy, abs=0.006)

    # the saved model classifies the same points as well as the run said
    from regrad_nn import make_moons

    model = load_model(tmp_path / "model.json")
    X, y = make_moons(60, 0.1, seed=2)
    correct = sum((model.predict(x) > 0) == (t > 0) for x, t in zip(X, y))
    assert correct / 60 == pytest.approx(accuracy, abs=0.006)


def test_console_script_is_installed(tmp_path):
    script = shutil.which("regrad-nn") or str(Path(sys.executable).with_name("regrad-nn"))
    if not Path(script).exists():
        pytest.skip("the regrad-nn console script is not installed in this environment")
    done = subprocess.run([script, "moons", "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    for option in (
        "--samples",
        "--noise",
        "--hidden",
        "--epochs",
        "--lr",
        "--batch-size",
        "--seed",
        "--plot",
        "--save",
    ):
        assert option in done.stdout


def test_missing_extra_names_the_extra_to_install(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "sklearn", None)  # makes `import sklearn` fail
    assert main(["moons", "--epochs", "1"]) == 2
    err = capsys.readouterr().err
    assert "scikit-learn" in err and "pip install 'regrad-nn[moons]'" in err


def test_missing_matplotlib_is_reported_before_training(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    assert main(["moons", "--plot", "x.png"]) == 2
    assert "matplotlib" in capsys.readouterr().err


def test_bad_options_exit_with_status_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["moons", "--hidden", "16,x"])
    assert exit_info.value.code == 2
    assert "layer sizes like 16,16" in capsys.readouterr().err
    assert main([]) == 2  # no command: help
