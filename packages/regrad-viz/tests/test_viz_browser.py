"""The drawings in a real browser: headless Chromium (Debian package) via Playwright.

Every page is opened from a file:// URL with every other request blocked and
recorded, so a page that tried to load anything from the network fails.
"""

from __future__ import annotations

import os
import random

import pytest

import regrad_viz
from regrad import Var

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs the Debian chromium package at /usr/bin/chromium"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright Python package")


def mlp_output(nin, sizes, seed=0, inputs=None):
    rng = random.Random(seed)
    xs = inputs if inputs is not None else [Var(rng.uniform(-1, 1)) for _ in range(nin)]
    dims = [nin, *list(sizes)]
    for layer in range(len(sizes)):
        outs = []
        for _ in range(dims[layer + 1]):
            ws = [Var(rng.uniform(-1, 1), req_grad=True) for _ in range(dims[layer])]
            act = sum((w * x for w, x in zip(ws, xs)), Var(0.0, req_grad=True))
            outs.append(act.relu() if layer < len(sizes) - 1 else act)
        xs = outs
    return xs[0]


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)  # Playwright uses a fresh profile
        yield b
        b.close()


@pytest.fixture
def open_page(browser):
    """Open a file; returns (page, problems) where problems collects JS errors and network requests."""
    pages = []

    def opener(path):
        page = browser.new_page(viewport={"width": 1100, "height": 800})
        problems = []
        page.on("pageerror", lambda err: problems.append(f"pageerror: {err}"))
        page.on(
            "console",
            lambda msg: (
                problems.append(f"console {msg.type}: {msg.text}") if msg.type in ("error", "warning") else None
            ),
        )
        page.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))

        def route(r):
            if r.request.url.startswith("file://"):
                r.continue_()
            else:
                problems.append(f"request: {r.request.url}")
                r.abort()

        page.route("**/*", route)
        page.goto(f"file://{path}")
        page.wait_for_function("document.querySelectorAll('div.regrad-viz[data-rv-ready]').length > 0")
        pages.append(page)
        return page, problems

    yield opener
    for page in pages:
        page.close()


def active_node(page, scope="div.regrad-viz"):
    return page.eval_on_selector(
        scope, "el => { const a = el.querySelector('.rv-active'); return a ? a.getAttribute('data-node') : null; }"
    )


def test_viz_browser_mlp_page_renders_and_steps(tmp_path, open_page):
    x = Var(0.5)
    root = mlp_output(2, [3, 1], inputs=[x, x**2])
    drawing = regrad_viz.draw(root, orientation="BT")
    path = regrad_viz.draw_to_html(root, tmp_path / "mlp", "BT")
    page, problems = open_page(path)
    n_nodes = len(drawing.graph.nodes)
    assert page.locator("div.regrad-viz svg [data-kind]").count() == n_nodes
    assert page.locator("div.regrad-viz svg [data-src]").count() == len(drawing.graph.edges)
    box = page.locator("div.regrad-viz svg").bounding_box()
    assert box["width"] > 300 and box["height"] > 200  # really rendered, not collapsed

    assert active_node(page) is None
    page.click("button.rv-next")
    first = active_node(page)
    assert first == "n0"  # the engine starts at the root
    page.click("button.rv-next")
    second = active_node(page)
    assert second is not None and second != first
    assert page.locator(".rv-edge.rv-flow").count() >= 1
    assert "Step 2" in page.inner_text(".rv-info")
    page.click("button.rv-prev")
    assert active_node(page) == first
    # the root's grad line shows the seed gradient once the pass has started
    assert "grad 1.0000" in page.text_content("g[data-node='n0']")

    view = page.get_attribute("svg.rv-svg", "viewBox")
    page.click("button.rv-in")
    zoomed = page.get_attribute("svg.rv-svg", "viewBox")
    assert float(zoomed.split()[2]) < float(view.split()[2])  # a narrower window = zoomed in
    page.click("button.rv-fit")
    assert page.get_attribute("svg.rv-svg", "viewBox") == view

    page.hover("g[data-node='n0']")
    tip = page.locator(".rv-tip")
    assert tip.is_visible() and "value = " in tip.inner_text()
    assert page.locator("g.rv-hovering").count() == 1
    assert problems == []


def test_viz_browser_escaped_label_runs_nothing(tmp_path, open_page):
    evil = "<script>alert(1)</script>"
    v = Var(2.0, req_grad=True, name=evil)
    w = (v * 3).tanh()
    w.name = "</script><!--"
    path = regrad_viz.draw(w).save(tmp_path / "evil.html")
    page, problems = open_page(str(path))
    texts = page.locator("g[data-node] text.rv-title").all_text_contents()
    assert evil in texts and "</script><!-- = Tanh" in texts
    page.click("button.rv-next")
    assert problems == []  # no alert dialog, no errors


def test_viz_browser_two_fragments_share_a_page(tmp_path, open_page):
    a = Var(-4.0, req_grad=True)
    x = Var(0.5, req_grad=True)
    first = regrad_viz.draw(a + a**2).to_html(full_page=False)
    second = regrad_viz.draw(1 / (1 + (-x).exp()), orientation="LR").to_html(full_page=False)
    html = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'></head>"
        "<body style='background:#111;color:#eee'><h1>docs</h1>" + first + "<p>text</p>" + second + "</body></html>"
    )
    path = tmp_path / "two.html"
    path.write_text(html, encoding="utf-8")
    page, problems = open_page(str(path))
    assert page.locator("div.regrad-viz[data-rv-ready='1']").count() == 2
    panels = page.locator("div.regrad-viz")
    assert panels.nth(0).locator("svg [data-kind]").count() == 3
    assert panels.nth(1).locator("svg [data-kind]").count() == 7
    panels.nth(1).locator("button.rv-next").click()
    panels.nth(1).locator("button.rv-next").click()
    assert active_node(page, "div.regrad-viz:nth-of-type(2)") is not None
    assert panels.nth(0).locator(".rv-active").count() == 0  # the first drawing did not move
    panels.nth(0).locator("button.rv-next").click()
    assert panels.nth(0).locator(".rv-active").count() == 1
    # the panel keeps its own light background on a dark page
    bg = panels.nth(0).evaluate("el => getComputedStyle(el).backgroundColor")
    assert bg == "rgb(255, 255, 255)"
    assert problems == []
