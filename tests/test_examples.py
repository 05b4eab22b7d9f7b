"""The examples and the README snippets run as a user would run them."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def run_example(name: str, out: Path, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / name), "--out", str(out), *args],
        capture_output=True,
        text=True,
        cwd=out,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_usage_example_prints_the_original_numbers_and_draws_the_pow_graph(tmp_path: Path) -> None:
    lines = run_example("basic_0_usage.py", tmp_path).splitlines()
    assert lines[:3] == ["24.7041", "222.1341", "978.7784"]
    page = (tmp_path / "computed_graph_pow.html").read_text()
    assert len(re.findall(r"data-kind=[\"']op[\"']", page)) == 2  # y = a + a**2: Pow and Add
    assert "<script src" not in page


def test_sigmoid_example(tmp_path: Path) -> None:
    out = run_example("basic_1_sigmoid.py", tmp_path)
    assert "sigmoid(0.5) = 0.6225, d/dx = 0.2350" in out
    page = (tmp_path / "computed_graph_sigmoid.html").read_text()
    assert len(re.findall(r"data-kind=[\"']op[\"']", page)) == 4  # Neg, Exp, Add, Div


def test_mlp_example(tmp_path: Path) -> None:
    out = run_example("basic_2_mlp.py", tmp_path)
    assert "number of parameters 13" in out
    assert (tmp_path / "computed_graph_mlp.html").exists()


@pytest.mark.slow
def test_moons_example_trains_and_plots(tmp_path: Path) -> None:
    run_example("basic_3_nn.py", tmp_path)
    pngs = list(tmp_path.glob("*.png"))
    assert pngs and pngs[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
def test_demo_runs_the_whole_tour(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "demo.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:3] == ["24.7041", "222.1341", "978.7784"]
    pages = [
        "computed_graph_pow.html",
        "computed_graph_sigmoid.html",
        "computed_graph_mlp.html",
        "computed_graph_mlp_fused.html",
    ]
    for name in [*pages, "moons_mlp.png"]:
        assert f"   {tmp_path / name}" in result.stdout.splitlines(), name  # listed among the files written
        assert (tmp_path / name).stat().st_size > 0, name


def python_blocks(markdown: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", markdown.read_text(), flags=re.S)


@pytest.mark.parametrize("readme", ["README.md", "packages/regrad-core/README.md"])
def test_readme_python_snippets_run_and_print_what_they_say(readme: str, capsys: pytest.CaptureFixture[str]) -> None:
    for block in python_blocks(ROOT / readme):
        exec(compile(block, readme, "exec"), {})
        printed = capsys.readouterr().out.split()
        promised = re.findall(r"print\(.*\)\s*#\s*([-\d. ]+)$", block, flags=re.M)
        if promised:
            assert printed == promised[0].split()
