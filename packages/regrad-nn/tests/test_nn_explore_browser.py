"""The training explorer in Chromium: what it shows as you use it, and its numbers against regrad's.

Every page is opened from a file:// URL with every other request aborted
and recorded (``tests/support/browser.py``); Play runs on Playwright's fake
clock, so no test waits for real time. The page computes every number it
shows from the recorded weights; here they are compared with what regrad,
regrad-nn and regrad-viz compute in Python.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from browser import Pages, have_chromium, running_chromium

from regrad_nn import TrainingRecorder, make_moons
from regrad_nn.explore import model_at, point_graph
from regrad_nn.moons import train_moons

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not have_chromium(), reason="needs the Debian chromium package at /usr/bin/chromium"),
]
pytest.importorskip("playwright.sync_api", reason="needs the playwright Python package")
pytest.importorskip("sklearn")
regrad_viz = pytest.importorskip("regrad_viz")
from regrad_viz.graph import collect_graph  # noqa: E402
from regrad_viz.html import drawing_data  # noqa: E402
from regrad_viz.labels import all_lines  # noqa: E402
from regrad_viz.svg import node_tooltip  # noqa: E402

#: The page adds b + w_1 x_1 + ... from left to right, as micrograd and regrad-nn do on Python up to 3.11.
#: From 3.12 on, Python's sum() of floats is compensated, so regrad-nn's weighted sums (and Sum, Dot) can
#: differ from the page's in the last digit: the numbers still agree to 1e-9, but not every digit of a repr.
EXACT = sys.version_info < (3, 12)
EXPLORER = "document.querySelector('div.regrad-explorer').regradExplorer"


@pytest.fixture(scope="module")
def browser():
    yield from running_chromium()


@pytest.fixture(scope="module")
def default_page(tmp_path_factory):
    """The command's default run (100 points, MLP(2, [16, 16, 1]), 100 epochs) with --explore."""
    folder = tmp_path_factory.mktemp("explorer")
    done = subprocess.run(
        [sys.executable, "-m", "regrad_nn", "moons", "--no-progress", "--explore", "explorer.html"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return folder / "explorer.html"


@pytest.fixture
def open_explorer(browser):
    """open_explorer(path, scheme=, clock=) -> (page, log), once the explorer has started, and well."""
    pages = Pages(browser, viewport=(1200, 900))

    def opener(path, **options):
        page, log = pages.open(path, **options)
        assert page.eval_on_selector("div.regrad-explorer", "el => el.dataset.rxReady") == "1", log.problems()
        return page, log

    yield opener
    pages.close()


def shown(page):
    """What the page shows now, in pieces that change when the epoch or the point changes."""
    return {
        "epoch": page.inner_text(".rx-epoch"),
        "plane": page.eval_on_selector("canvas.rx-heat", "c => c.toDataURL()"),
        "boundary": page.get_attribute("path.rx-boundary", "d"),
        "marker": page.get_attribute("svg.rx-loss line.rx-marker", "x1"),
        "network": page.eval_on_selector_all(
            "div.rv-network image.rv-picture", "images => images.map(i => i.getAttribute('href'))"
        ),
        "widths": page.eval_on_selector_all(
            "div.rv-network path.rv-weight", "lines => lines.map(l => l.getAttribute('stroke-width'))"
        ),
        "caption": page.inner_text(".rx-point-caption"),
        "values": page.eval_on_selector_all(
            "div.regrad-viz:not(.rv-network) g[data-node] .rv-val", "lines => lines.map(l => l.textContent)"
        ),
        "count": page.inner_text("div.regrad-viz:not(.rv-network) .rv-count"),
    }


def changed(before, after):
    return {key for key in before if before[key] != after[key]}


# ------------------------------------------------------------ using it


def test_explorer_moves_picks_and_steps(default_page, open_explorer):
    html = default_page.read_text(encoding="utf-8")
    for outside in ("<script src", "<link", "http://", "https://", "@import", "url(", "<iframe"):
        assert outside not in html, outside
    page, log = open_explorer(default_page, clock=True)
    assert log.requests == [default_page.as_uri()]  # the file itself, nothing else
    start = shown(page)
    assert start["epoch"] == "after 0 epochs (of 100)"
    assert page.input_value("input.rx-slider") == "0"
    assert re.match(r"Point \d+ at \(", start["caption"])

    # the slider: everything follows the epoch, except which point is shown
    slider = page.locator("input.rx-slider").bounding_box()
    page.mouse.click(slider["x"] + slider["width"] / 2, slider["y"] + slider["height"] / 2)
    middle = shown(page)
    assert re.fullmatch(r"after (4\d|5\d) epochs \(of 100\)", middle["epoch"]), middle["epoch"]
    assert changed(start, middle) >= {"epoch", "plane", "boundary", "marker", "network", "widths", "values"}
    assert middle["caption"].split(":")[0] == start["caption"].split(":")[0]  # the same point

    # the keys, while the timeline has focus
    page.click(".rx-epoch")
    page.keyboard.press("Home")
    assert shown(page)["epoch"] == "after 0 epochs (of 100)"
    page.keyboard.press("ArrowRight")
    assert shown(page)["epoch"] == "after 1 epoch (of 100)"
    page.keyboard.press("End")
    end = shown(page)
    assert end["epoch"] == "after 100 epochs (of 100)" and page.inner_text(".rx-lr") == "training done"
    assert page.inner_text(".rx-wrong-count") == "0 misclassified"  # the default run reaches 100 %

    # pick another point, one that is on the wrong side before training: its caption and its graph's
    # numbers change, not the epoch
    page.keyboard.press("Home")
    before = shown(page)
    picked = page.eval_on_selector(".rx-point-caption b", "b => Number(b.textContent.split(' ')[1])")
    ringed = page.eval_on_selector_all("circle.rx-wrong", "cs => cs.map(c => Number(c.dataset.point))")
    other = next(k for k in ringed if k != picked)
    page.click(f"circle[data-point='{other}']")
    now = shown(page)
    assert now["caption"].startswith(f"Point {other} at (")
    assert changed(before, now) >= {"caption", "values"} and "epoch" not in changed(before, now)
    ring = page.eval_on_selector("circle.rx-picked", "c => [c.getAttribute('cx'), c.getAttribute('cy')]")
    point = page.eval_on_selector(f"circle[data-point='{other}']", "c => [c.getAttribute('cx'), c.getAttribute('cy')]")
    assert ring == point

    # step its backward pass: the keys go to the graph once it has focus
    graph = page.locator("div.regrad-viz:not(.rv-network)")
    graph.locator("button.rv-next").click()
    assert graph.locator(".rv-active").get_attribute("data-node") == "n0"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    steps = int(graph.locator(".rv-count").inner_text().split("/")[1])
    assert graph.locator(".rv-count").inner_text() == f"step 3 / {steps}"
    assert "Step 3 of" in graph.locator(".rv-info").inner_text()
    assert shown(page)["epoch"] == "after 0 epochs (of 100)"  # the timeline did not move
    assert graph.locator("g[data-node].rv-received").count() >= 2

    # back to the timeline: the keys move the epochs again, and the stepper keeps its step (or goes to
    # the last one, if the pass has fewer steps now)
    page.click(".rx-epoch")
    page.keyboard.press("ArrowRight")
    assert shown(page)["epoch"] == "after 1 epoch (of 100)"
    steps = int(graph.locator(".rv-count").inner_text().split("/")[1])  # this point's pass after one epoch
    assert graph.locator(".rv-count").inner_text() == f"step {min(3, steps)} / {steps}"

    # a click on a curve goes to that epoch
    curve = page.locator("svg.rx-accuracy").bounding_box()
    page.mouse.click(curve["x"] + curve["width"] * 0.98, curve["y"] + curve["height"] / 2)
    assert shown(page)["epoch"] == "after 100 epochs (of 100)"

    # Play, on the fake clock: one snapshot every 120 ms, from the start again when at the end
    page.click("button.rx-play")
    assert page.inner_text("button.rx-play") == "\u23f8 Pause"
    page.clock.run_for(3 * 120 + 10)
    assert shown(page)["epoch"] == "after 3 epochs (of 100)"
    page.keyboard.press(" ")
    assert page.inner_text("button.rx-play") == "\u25b6 Play"
    page.clock.run_for(1000)
    assert shown(page)["epoch"] == "after 3 epochs (of 100)"
    assert log.problems() == []


def test_explorer_reads_in_the_dark(default_page, open_explorer):
    colours = {}
    for scheme in ("light", "dark"):
        page, log = open_explorer(default_page, scheme=scheme)
        colours[scheme] = page.eval_on_selector(
            "div.regrad-explorer", "el => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color]"
        )
        boundary = page.eval_on_selector("path.rx-boundary", "p => getComputedStyle(p).stroke")
        assert boundary == colours[scheme][1]  # the boundary is drawn in the text's colour
        assert log.problems() == []
    assert colours["light"] == ["rgb(255, 255, 255)", "rgb(27, 31, 36)"]
    assert colours["dark"] == ["rgb(22, 25, 29)", "rgb(227, 231, 235)"]


# ------------------------------------------------------------ its numbers are regrad's


def small_explorer(folder, loss, activation):
    X, y = make_moons(40, 0.2, 5)
    recorder = TrainingRecorder(X, y, loss=loss, alpha=1e-3)
    result = train_moons(
        data=(X, y),
        hidden=(6, 5),
        epochs=8,
        lr=0.5,
        loss=loss,
        alpha=1e-3,
        activation=activation,
        on_epoch=recorder.record,
    )
    path = recorder.save(folder / f"{loss}-{activation}.html")
    return recorder, result, path


def python_view(recorder, f, k):
    """The point's graph as regrad and regrad-viz see it, for snapshot f and point k, after its backward()."""
    model = model_at(recorder.config, recorder.frames[f].weights)
    term = point_graph(model, recorder.X[k], recorder.y[k], recorder.loss)
    term.backward(retain_graph=True)  # the leaves' .grad: this one term's gradients
    return collect_graph(term)  # with the engine's backward steps, each node's adjoint, the blocked ones


def number_after(text, label):
    """The full-precision number written after ``label`` in a hover text (None if that line is missing)."""
    match = re.search(rf"^{re.escape(label)} (\S+)", text, re.M)
    return None if match is None else float(match.group(1))


@pytest.mark.parametrize(("loss", "activation"), [("hinge", "relu"), ("bce", "tanh"), ("mse", "sigmoid")])
def test_explorer_numbers_are_regrads(tmp_path, open_explorer, loss, activation):
    recorder, result, path = small_explorer(tmp_path, loss, activation)
    page, log = open_explorer(path)
    last = len(recorder.frames) - 1
    for f in (0, 3, last):
        for k in (0, 9, 22, 31):
            ours = page.evaluate(f"{EXPLORER}.graphData({f}, {k})")
            graph = python_view(recorder, f, k)
            # the engine's steps, in its order, with the ReLUs through which no gradient flows
            assert [step["node"] for step in ours["steps"]] == [step.node for step in graph.steps]
            for mine, theirs in zip(ours["steps"], graph.steps):
                assert mine["blocked"] == theirs.blocked
                assert float(mine["grad_exact"]) == pytest.approx(theirs.grad, rel=1e-9, abs=1e-12)
            # every box's value, leaf gradient and adjoint, at full precision
            for i, node in enumerate(graph.nodes):
                details = ours["nodes"][i]["details"]
                assert number_after(details, "value =") == pytest.approx(node.value, rel=1e-9, abs=1e-12)
                if node.kind == "leaf":
                    assert number_after(details, "grad =") == pytest.approx(node.grad, rel=1e-9, abs=1e-12)
                adjoint = number_after(details, "adj =")
                assert (adjoint is None) == (node.adjoint is None)
                if adjoint is not None:
                    assert adjoint == pytest.approx(node.adjoint, rel=1e-9, abs=1e-12)
                assert ours["nodes"][i]["blocked"] == node.blocked
            # and printed as Python prints them: the texts of regrad-viz's own drawing of this graph
            if not EXACT:
                continue
            assert ours["steps"] == drawing_data(graph, 4)["steps"]
            lines = all_lines(graph, 4, show_adjoints=True)
            for i in range(len(graph.nodes)):
                texts = {cls: text for text, cls in lines[i]}
                assert ours["nodes"][i]["value"] == texts["rv-val"]
                assert ours["nodes"][i]["grad"] == texts.get("rv-grad", texts.get("rv-grad rv-adj", ""))
                assert ours["nodes"][i]["details"] == node_tooltip(graph, i)
    # the curves: the training loss and accuracy of each snapshot's weights (full batch: what training saw)
    curves = page.evaluate(f"{EXPLORER}.curves")
    for f in range(last):
        assert curves[f]["loss"] == pytest.approx(result.losses[f], rel=1e-12)
        assert curves[f]["accuracy"] == result.accuracies[f]
    assert curves[last]["loss"] == pytest.approx(result.final_loss, rel=1e-12)
    assert curves[last]["accuracy"] == result.accuracy
    assert log.problems() == []


def test_explorer_prints_numbers_as_python_does(tmp_path, open_explorer):
    """Ties, tiny and huge numbers, negative zero: the page's texts are Python's, digit for digit."""
    X, y = [[0.5, -0.25], [1.0, 2.0]], [1.0, -1.0]
    recorder = TrainingRecorder(X, y, loss="hinge")
    model = model_at({"nin": 2, "nouts": [3, 1], "activation": "relu"}, [0.0] * 13)
    tricky = [0.03125, -0.03125, 0.5, 1e-05, -2.5e-07, 0.00015, -0.0, 12345678901234567.0, 0.1, 1.0, 3.0, -0.0, 0.0]
    for p, value in zip(model.parameters(), tricky):
        p.val = value
    recorder.record(model, 0)
    page, log = open_explorer(recorder.save(tmp_path / "tricky.html"))
    for k in (0, 1) if EXACT else ():
        ours = page.evaluate(f"{EXPLORER}.graphData(0, {k})")
        graph = python_view(recorder, 0, k)
        lines = all_lines(graph, 4, show_adjoints=True)
        for i in range(len(graph.nodes)):
            assert ours["nodes"][i]["value"] == {cls: text for text, cls in lines[i]}["rv-val"]
            assert ours["nodes"][i]["details"] == node_tooltip(graph, i)
        assert ours["steps"] == drawing_data(graph, 4)["steps"]
    texts = page.eval_on_selector_all("g[data-node] .rv-val", "lines => lines.map(l => l.textContent)")
    assert "val 0.0312" in texts and "val -0.0312" in texts  # a tie goes to the even digit, as in Python
    assert log.problems() == []
