"""The three distributions: built, checked as the package index would, and installed apart.

Builds a wheel and an sdist of each package, checks them with ``twine check``
and reads their metadata: versions bumped together, classifiers, sibling
dependencies with compatible-version ranges, the one-line extras of
regrad-core, and READMEs without relative links (they are dead on the package
index). Then installs regrad-core alone into a fresh virtual environment (no
index, only the built wheels), runs a backward pass there, shows that
regrad_viz is absent, and installs ``regrad-core[viz]`` and
``regrad-core[nn]`` from the same wheels. ``regrad-core[all]`` and
``[moons]`` would download scikit-learn and matplotlib: they are checked from
the metadata.
"""

from __future__ import annotations

import email
import re
import subprocess
import sys
import tarfile
import venv
import zipfile
from email.message import Message
from pathlib import Path

import pytest

import regrad
import regrad_nn
import regrad_viz

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ["regrad-core", "regrad-viz", "regrad-nn"]
VERSION = "0.2.0"
SIBLING = ">=0.2,<0.3"

pytestmark = pytest.mark.slow


def run(*cmd: str | Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(c) for c in cmd], capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"{cmd} failed:\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dists")
    for package in PACKAGES:
        run(sys.executable, "-m", "build", "--wheel", "--sdist", "-o", out, ROOT / "packages" / package)
    return out


def metadata(dists: Path, package: str) -> Message:
    (wheel,) = dists.glob(f"{package.replace('-', '_')}-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        return email.message_from_bytes(archive.read(name))


def test_twine_accepts_every_wheel_and_sdist(dists: Path) -> None:
    files = sorted(dists.iterdir())
    assert (
        len([f for f in files if f.suffix == ".whl"]) == 3
        and len([f for f in files if f.name.endswith(".tar.gz")]) == 3
    )
    result = run(sys.executable, "-m", "twine", "check", "--strict", *files)
    assert result.stdout.count("PASSED") == 6, result.stdout


def test_versions_move_together_and_match_the_modules(dists: Path) -> None:
    for package in PACKAGES:
        assert metadata(dists, package)["Version"] == VERSION
    assert regrad.__version__ == regrad_viz.__version__ == regrad_nn.__version__ == VERSION


def test_classifiers_keywords_and_licence(dists: Path) -> None:
    for package in PACKAGES:
        meta = metadata(dists, package)
        classifiers = meta.get_all("Classifier")
        for minor in (10, 11, 12, 13):
            assert f"Programming Language :: Python :: 3.{minor}" in classifiers, package
        assert "Intended Audience :: Education" in classifiers
        assert "Topic :: Scientific/Engineering :: Artificial Intelligence" in classifiers
        assert meta["License-Expression"] == "MIT" and meta["Requires-Python"] == ">=3.10"
        assert len(meta["Keywords"].split(",")) >= 5


def requirements(meta: Message) -> list[str]:
    return [r.replace(" ", "") for r in meta.get_all("Requires-Dist") or []]


def test_siblings_are_pinned_to_compatible_versions_and_core_has_one_line_extras(dists: Path) -> None:
    for package in ("regrad-viz", "regrad-nn"):
        assert "regrad-core<0.3,>=0.2" in requirements(metadata(dists, package)), package
    assert "regrad-viz<0.3,>=0.2;extra=='moons'" in requirements(metadata(dists, "regrad-nn"))
    core = metadata(dists, "regrad-core")
    assert sorted(core.get_all("Provides-Extra")) == ["all", "moons", "nn", "viz"]
    needs = requirements(core)
    assert "regrad-viz<0.3,>=0.2;extra=='all'" in needs and "regrad-nn[moons]<0.3,>=0.2;extra=='all'" in needs
    assert "regrad-nn[moons]<0.3,>=0.2;extra=='moons'" in needs
    assert not [r for r in needs if "extra" not in r]  # the engine itself depends on nothing


LINK = re.compile(r"\]\(([^)\s]+)[^)]*\)|href=[\"']([^\"']+)[\"']")


def test_readmes_on_the_index_have_no_relative_links(dists: Path) -> None:
    for package in PACKAGES:
        meta = metadata(dists, package)
        assert meta["Description-Content-Type"] == "text/markdown"
        description = meta.get_payload()
        assert len(description) > 1000
        targets = [a or b for a, b in LINK.findall(description)]
        relative = [t for t in targets if not t.startswith(("https://", "http://", "#", "mailto:"))]
        assert relative == [], f"{package}: links that are dead on the package index: {relative}"


def test_wheels_ship_the_pages_static_files(dists: Path) -> None:
    """The viewer, the network drawing and the explorer are real .js/.css files, inlined at render time."""
    static = {
        "regrad-viz": ["viewer.js", "viewer.css", "shell.js", "network.js", "network.css"],
        "regrad-nn": ["explorer.js", "explorer.css"],
    }
    for package, files in static.items():
        module = package.replace("-", "_")
        (wheel,) = dists.glob(f"{module}-*.whl")
        names = zipfile.ZipFile(wheel).namelist()
        for name in files:
            assert f"{module}/static/{name}" in names, (package, name)


def test_sdists_carry_the_changelog_tests_and_licence(dists: Path) -> None:
    for package in PACKAGES:
        (sdist,) = dists.glob(f"{package.replace('-', '_')}-*.tar.gz")
        with tarfile.open(sdist) as archive:
            paths = archive.getnames()
        assert {"CHANGELOG.md", "LICENSE", "README.md", "pyproject.toml"} <= {Path(n).name for n in paths}, package
        assert any("/tests/test_" in n for n in paths), f"{package}: its tests are not in the sdist"


def test_core_alone_then_with_extras(dists: Path, tmp_path: Path) -> None:
    names = sorted(p.name for p in dists.glob("*.whl"))
    assert [n.split("-")[0] for n in names] == ["regrad_core", "regrad_nn", "regrad_viz"]

    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    pip = (python, "-m", "pip", "install", "-q", "--no-index", "--find-links", dists)

    run(*pip, "regrad-core")
    engine = run(python, "-c", "from regrad import Var; x = Var(3.0, req_grad=True); (x * x).backward(); print(x.grad)")
    assert engine.stdout.strip() == "6.0"
    listed = run(python, "-m", "pip", "list", "--format=freeze").stdout
    assert "regrad-core==0.2.0" in listed and "regrad-viz" not in listed and "regrad-nn" not in listed

    missing = run(python, "-c", "import regrad_viz", check=False)
    assert missing.returncode != 0 and "No module named 'regrad_viz'" in missing.stderr

    run(*pip, "regrad-core[viz]")
    run(python, "-c", "import regrad_viz; regrad_viz.draw_to_html")
    assert run(python, "-c", "import regrad_nn", check=False).returncode != 0

    run(*pip, "regrad-core[nn]")
    run(python, "-c", "import regrad_nn; regrad_nn.MLP")
    version = run(env / "bin" / "regrad-nn", "--version").stdout
    assert "0.2.0" in version
