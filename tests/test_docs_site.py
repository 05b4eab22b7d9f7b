"""The documentation site: it builds strictly from generated assets and works offline.

The build runs ``docs/gen_assets.py --strict`` (every graph and plot made by the
project's own code) and ``mkdocs build --strict`` (any warning fails) into a
temporary folder, as ``hatch run docs:build`` does. A real browser then opens
the examples page from a local server and checks that the embedded graphs are
there, that no script fails, that nothing is requested from outside this
machine, and that the backward-pass stepper responds.
"""

from __future__ import annotations

import functools
import http.server
import importlib
import os
import random
import re
import subprocess
import sys
import threading
from html import unescape
from pathlib import Path

import pytest
from browser import have_chromium, launch, open_page

from regrad import Var
from regrad_nn import MLP

ROOT = Path(__file__).resolve().parents[1]
#: pages that embed interactive regrad-viz drawings
PAGES_WITH_GRAPHS = ["examples", "how-it-works", "custom-op"]


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, generated and built strictly into a temporary folder."""
    pytest.importorskip("mkdocs", reason="the docs packages are part of the test env (hatch.toml)")
    out = tmp_path_factory.mktemp("site")
    _run([sys.executable, "docs/gen_assets.py", "--strict"])
    _run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)])
    return out


def test_every_page_is_built_with_its_generated_assets(site: Path) -> None:
    pages = ["", "how-it-works", "examples", "custom-op", "moons", "viz-guide", "benchmarks"]
    for page in [*pages, "api/core", "api/viz", "api/nn"]:
        assert (site / page / "index.html").is_file(), f"page {page!r} missing"
    text = {page: (site / page / "index.html").read_text(encoding="utf-8") for page in PAGES_WITH_GRAPHS}
    for page, html in text.items():
        assert "data-kind=" in html, f"{page}: no embedded graph"
        assert "Not generated yet" not in html, f"{page}: an asset was not generated"
    # the moons plot and the orientation pictures were drawn during this build
    assert (site / "generated" / "img" / "moons.png").stat().st_size > 10_000
    for orientation in ("TB", "BT", "LR", "RL"):
        svg = (site / "generated" / "img" / f"sigmoid_{orientation}.svg").read_text(encoding="utf-8")
        assert "data-kind=" in svg
    # program output under each listing is that listing's output
    assert "2.0 15.0" in (site / "index.html").read_text(encoding="utf-8")
    examples = text["examples"]
    for number in ("24.7041", "222.1341", "978.7784"):  # the numbers the original design documents
        assert number in examples


def test_every_snippet_was_included(site: Path) -> None:
    """A snippet directive that reached the HTML as text was not included (e.g. mangled by a formatter)."""
    for page in site.rglob("*.html"):
        text = unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))  # the text a reader sees
        assert not re.search(r"--8\s*<\s*--", text), f"{page.relative_to(site)} shows a snippet directive"


@pytest.mark.parametrize("package", ["regrad", "regrad_viz", "regrad_nn"])
def test_the_api_reference_documents_every_public_name(site: Path, package: str) -> None:
    module = importlib.import_module(package)
    page = {"regrad": "core", "regrad_viz": "viz", "regrad_nn": "nn"}[package]
    anchors = set(re.findall(r'id="([\w.]+)"', (site / "api" / page / "index.html").read_text(encoding="utf-8")))
    missing = [
        name for name in module.__all__ if not any(anchor == name or anchor.endswith("." + name) for anchor in anchors)
    ]
    assert missing == []


def test_nothing_on_the_site_loads_from_the_network(site: Path) -> None:
    # a link to another site is fine; a script, style sheet, image or font fetched from one is not
    loads = re.compile(
        r"""(?:<(?:script|img|iframe|source|embed|audio|video)\b[^>]*\bsrc|<link\b[^>]*\bhref)\s*=\s*["']?(?:https?:)?//""",
        re.I,
    )
    css_loads = re.compile(r"""(?:url\(\s*["']?|@import\s+["'])(?:https?:)?//""", re.I)
    offenders = []
    for path in site.rglob("*"):
        if path.suffix in (".html", ".css", ".svg"):
            content = path.read_text(encoding="utf-8", errors="replace")
            if loads.search(content) or css_loads.search(content):
                offenders.append(str(path.relative_to(site)))
    assert offenders == []


def _graph_size(root: Var) -> int:
    """How many Vars ``root``'s graph holds (itself, ops, leaves, constants)."""
    seen, stack = {root}, [root]
    while stack:
        for parent in stack.pop().src or ():
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return len(seen)


def _example_graph_sizes() -> list[int]:
    """Node counts of the examples page's graphs, rebuilt here (docs/code/seed_*.py)."""
    a = Var(-4.0, req_grad=True)
    x = Var(0.5, req_grad=True)
    sizes = [_graph_size(a + a**2), _graph_size(1 / (1 + (-x).exp()))]
    for fused in (True, False):
        random.seed(2)  # as docs/code/seed_mlp*.py: which hidden ReLUs are off shapes the graph
        x = Var(0.5)
        sizes.append(_graph_size(MLP(2, [3, 1], fused=fused)([x, x**2])))
    return sizes


@pytest.fixture(scope="module")
def server(site: Path):  # type: ignore[no-untyped-def]
    """The built site on http://127.0.0.1:<free port>/."""

    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/"
    httpd.shutdown()
    thread.join()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_graph_pages_in_a_real_browser(server: str, scheme: str) -> None:
    if not have_chromium():
        pytest.skip("needs the Debian chromium package")
    playwright = pytest.importorskip("playwright.sync_api")

    def local(url: str) -> bool:
        return url.startswith(server) or url.startswith(("file:", "data:", "blob:", "about:"))

    with playwright.sync_playwright() as p:
        browser = launch(p)
        try:
            page, log = open_page(
                browser, server + "examples/", local=(server,), viewport=(1280, 900), color_scheme=scheme
            )
            requests, errors = log.requests, log.errors

            figures = page.locator(".regrad-figure")
            assert figures.count() == 4  # pow, sigmoid, MLP, elementwise MLP
            for figure, expected in zip(figures.all(), _example_graph_sizes()):
                assert figure.locator("svg [data-kind]").count() == expected
            first = figures.first
            kinds = first.locator("svg [data-kind]").evaluate_all("els => els.map(e => e.getAttribute('data-kind'))")
            assert sorted(kinds) == ["leaf", "op", "op"]  # a, then Pow and Add

            before = first.inner_html()
            next_button = first.get_by_role("button", name=re.compile(r"next", re.I))
            assert next_button.count() == 1
            next_button.click()
            page.wait_for_timeout(100)
            assert first.inner_html() != before, "Next changed nothing in the drawing"

            for name in PAGES_WITH_GRAPHS:  # every drawing is drawn and fits the text column
                if name != "examples":
                    page.goto(server + name + "/", wait_until="load")
                column = page.locator(".md-content").bounding_box()
                assert column is not None
                for figure in page.locator(".regrad-figure").all():
                    assert figure.locator("svg [data-kind]").count() > 0, name
                    box = figure.locator("svg").first.bounding_box()
                    assert box is not None and 0 < box["width"] <= column["width"] + 1, name
        finally:
            browser.close()

    assert errors == []
    assert requests and all(local(url) for url in requests), [url for url in requests if not local(url)]
