"""The drawings in a real browser: headless Chromium (Debian package) via Playwright.

Every page is opened from a file:// URL with every other request blocked and
recorded (``tests/support/browser.py``, through the fixtures of
``conftest.py``), so a page that tried to load anything from the network
fails. No test waits for real time: Play runs on Playwright's fake clock.
"""

from __future__ import annotations

import re

import pytest
from browser import have_chromium, write_page_of_text
from example_graphs import mlp_output, original_example

import regrad
import regrad_viz
from regrad import Var
from regrad_viz.html import SPEEDS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not have_chromium(), reason="needs the Debian chromium package at /usr/bin/chromium"),
]
pytest.importorskip("playwright.sync_api", reason="needs the playwright Python package")


def active_node(page, scope="div.regrad-viz"):
    return page.eval_on_selector(
        scope, "el => { const a = el.querySelector('.rv-active'); return a ? a.getAttribute('data-node') : null; }"
    )


def count_text(page, scope="div.regrad-viz"):
    return page.locator(scope).first.locator(".rv-count").inner_text()


def sigmoid():
    x = Var(0.5, req_grad=True, name="x")
    return 1 / (1 + (-x).exp())


# ---------------------------------------------------------------- basics


def test_viz_browser_mlp_page_renders_and_steps(tmp_path, open_html):
    x = Var(0.5)
    root = mlp_output(2, [3, 1], inputs=[x, x**2])
    drawing = regrad_viz.draw(root, orientation="BT")
    path = regrad_viz.draw_to_html(root, tmp_path / "mlp", "BT")
    page, log = open_html(path)
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
    # the root's gradient line shows the starting gradient, an adjoint, once the pass has started
    assert "adj 1.0000" in page.text_content("g[data-node='n0']")

    def drawn_width():
        return page.eval_on_selector("svg.rv-svg", "el => el.getBoundingClientRect().width")

    view = drawn_width()
    page.click("button.rv-in")
    assert drawn_width() > view  # zoomed in: the drawing is drawn larger
    page.click("button.rv-fit")
    assert drawn_width() == view

    page.hover("g[data-node='n0']")
    tip = page.locator(".rv-tip")
    assert tip.is_visible() and "value = " in tip.inner_text()
    assert page.locator("g.rv-hovering").count() == 1
    assert log.problems() == []


def test_viz_browser_escaped_label_runs_nothing(tmp_path, open_html):
    evil = "<script>alert(1)</script>"
    v = Var(2.0, req_grad=True, name=evil)
    w = (v * 3).tanh()
    w.name = "</script><!--"
    path = regrad_viz.draw(w).save(tmp_path / "evil.html")
    page, log = open_html(path)
    texts = page.locator("g[data-node] text.rv-title").all_text_contents()
    assert evil in texts and "</script><!-- = Tanh" in texts
    page.click("button.rv-next")
    assert log.problems() == []  # no alert dialog, no errors


def test_viz_browser_two_fragments_share_a_page(tmp_path, open_html):
    a = Var(-4.0, req_grad=True)
    x = Var(0.5, req_grad=True)
    first = regrad_viz.draw(a + a**2).to_html(full_page=False)
    second = regrad_viz.draw(1 / (1 + (-x).exp()), orientation="LR").to_html(full_page=False)
    path = write_page_of_text(tmp_path / "two.html", first, second, body="style='background:#111;color:#eee'")
    page, log = open_html(path)
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
    # each fragment carries the script, and one started both: + zooms its own drawing, by one step, once
    widths = "els => els.map(el => el.querySelector('svg.rv-svg').getBoundingClientRect().width)"
    first_width, second_width = page.eval_on_selector_all("div.regrad-viz", widths)
    panels.nth(1).locator("button.rv-in").click()
    assert page.eval_on_selector_all("div.regrad-viz", widths) == [
        first_width,
        pytest.approx(second_width * 1.25, abs=0.1),
    ]
    # a page that does not say it is dark, on a light system: the panel keeps its light palette
    bg = panels.nth(0).evaluate("el => getComputedStyle(el).backgroundColor")
    assert bg == "rgb(255, 255, 255)"
    assert log.problems() == []


def test_viz_browser_full_page_fills_the_window(tmp_path, open_html):
    g, _, _ = original_example()
    page, log = open_html(regrad_viz.draw(g).save(tmp_path / "page.html"), width=1000, height=700)
    root = page.locator("div.regrad-viz").bounding_box()
    stage = page.locator(".rv-stage").bounding_box()
    assert root["height"] == pytest.approx(700 - 16, abs=2)
    assert stage["y"] + stage["height"] == pytest.approx(root["y"] + root["height"], abs=2)
    # too tall to show whole at a legible size: as wide as the window, at 100 %, scrolling
    assert page.eval_on_selector(".rv-stage", "el => el.scrollHeight > el.clientHeight")
    assert font_px(page) == pytest.approx(12, abs=0.1)
    assert log.problems() == []


def font_px(page, scope="div.regrad-viz"):
    """The rendered size of the node text (the SVG's scale times its font size), in CSS pixels."""
    return page.locator(scope).first.evaluate(
        "el => { const t = el.querySelector('g[data-node] text');"
        " return t.getScreenCTM().a * parseFloat(getComputedStyle(t).fontSize); }"
    )


def in_view(page, selector, scope="div.regrad-viz"):
    """Is all of ``selector`` (inside ``scope``) in the visible part of the drawing's stage?"""
    return page.locator(scope).first.evaluate(
        "(el, selector) => { const stage = el.querySelector('.rv-stage'), view = stage.getBoundingClientRect();"
        " const box = el.querySelector(selector).getBoundingClientRect();"
        " return box.left >= view.left && box.top >= view.top"
        " && box.right <= view.left + stage.clientWidth && box.bottom <= view.top + stage.clientHeight; }",
        selector,
    )


def test_viz_browser_wide_full_page_opens_legible_at_the_root(tmp_path, open_html):
    root = mlp_output(2, [4, 4, 1])
    root.backward()
    drawing = regrad_viz.draw(root)  # fitted to the window, its text would be about 4 px
    page, log = open_html(drawing.save(tmp_path / "wide.html"))
    # it opens at a legible size (9 px, give or take the browser's rounding of sizes to 1/64 px) ...
    assert font_px(page) >= 9 - 0.01
    assert in_view(page, "g[data-node='n0']")  # ... on the root, where the stepper starts
    page.click("button.rv-next")
    assert in_view(page, ".rv-active")
    # Fit shows the whole drawing: nothing left to scroll to
    page.click("button.rv-fit")
    assert font_px(page) < 6
    assert page.eval_on_selector(
        ".rv-stage", "el => el.scrollWidth <= el.clientWidth && el.scrollHeight <= el.clientHeight"
    )
    assert log.problems() == []

    # in a page of text the same drawing still fits the column's width
    fragment = write_page_of_text(tmp_path / "wide-fragment.html", drawing.to_html(full_page=False))
    page, log = open_html(fragment)
    assert page.eval_on_selector(
        ".rv-stage", "el => el.querySelector('svg').getBoundingClientRect().width <= el.clientWidth"
    )
    assert font_px(page) < 9  # not zoomed in: a notebook or a docs page shows the graph's shape first
    assert log.problems() == []


# ------------------------------------------------------- keys and focus


def test_viz_browser_keys_drive_the_stepper_once_the_drawing_has_focus(tmp_path, open_html):
    path = regrad_viz.draw(sigmoid()).save(tmp_path / "keys.html")
    page, log = open_html(path, clock=True)
    root = page.locator("div.regrad-viz")
    n = len(regrad_viz.draw(sigmoid()).graph.steps)
    page.keyboard.press("ArrowRight")
    assert count_text(page) == f"step 0 / {n}"  # the drawing has no focus yet
    no_ring = root.evaluate("el => getComputedStyle(el).boxShadow")

    page.click(".rv-stage", position={"x": 4, "y": 4})  # a click in the drawing gives it focus ...
    assert root.evaluate("el => document.activeElement === el")
    ring = root.evaluate("el => getComputedStyle(el).boxShadow")
    assert no_ring == "none" and ring != "none"  # ... and a ring shows it

    for key, expected in [
        ("ArrowRight", 1),
        ("ArrowRight", 2),
        ("ArrowLeft", 1),
        ("ArrowDown", 2),
        ("ArrowUp", 1),
        ("End", n),
        ("ArrowRight", n),
        ("Home", 0),
        ("ArrowLeft", 0),
    ]:
        page.keyboard.press(key)
        assert count_text(page) == f"step {expected} / {n}", key
    assert active_node(page) is None

    page.keyboard.press(" ")  # space plays: the first step at once, the next ones on the clock
    assert count_text(page) == f"step 1 / {n}"
    assert page.inner_text("button.rv-play") == "⏸ Pause"
    page.keyboard.press(" ")
    assert page.inner_text("button.rv-play") == "▶ Play"
    page.clock.run_for(10_000)
    assert count_text(page) == f"step 1 / {n}"  # paused

    page.click("button.rv-next")  # clicking a button leaves the focus on the drawing
    assert root.evaluate("el => document.activeElement === el")
    page.keyboard.press("ArrowRight")
    assert count_text(page) == f"step 3 / {n}"
    assert log.problems() == []


def test_viz_browser_play_follows_the_speed_control(tmp_path, open_html):
    (slow, slow_ms), (normal, normal_ms), (fast, fast_ms) = SPEEDS
    x = Var(0.5)
    path = regrad_viz.draw(mlp_output(2, [3, 1], inputs=[x, x**2])).save(tmp_path / "speed.html")
    page, log = open_html(path, clock=True)
    n = int(count_text(page).split("/")[1])
    assert page.eval_on_selector("select.rv-speed", "el => el.selectedOptions[0].textContent") == normal
    page.click("button.rv-play")
    assert count_text(page) == f"step 1 / {n}"
    page.clock.run_for(normal_ms - 1)
    assert count_text(page) == f"step 1 / {n}"
    page.clock.run_for(1)
    assert count_text(page) == f"step 2 / {n}"
    page.select_option("select.rv-speed", label=fast)
    page.clock.run_for(fast_ms)
    assert count_text(page) == f"step 3 / {n}"
    page.select_option("select.rv-speed", label=slow)
    page.clock.run_for(slow_ms - 1)
    assert count_text(page) == f"step 3 / {n}"
    page.clock.run_for(1)
    assert count_text(page) == f"step 4 / {n}"
    page.click("button.rv-play")  # pause
    page.clock.run_for(10 * slow_ms)
    assert count_text(page) == f"step 4 / {n}"
    page.click("button.rv-play")
    page.clock.run_for(n * slow_ms)
    assert count_text(page) == f"step {n} / {n}"  # it stops at the end
    assert page.inner_text("button.rv-play") == "▶ Play" and page.is_disabled("button.rv-play")
    assert log.problems() == []


# ------------------------------------------------- a stepper to follow


@pytest.mark.parametrize("width", [1100, 390])
def test_viz_browser_graph_never_moves_while_stepping(tmp_path, open_html, width):
    x = Var(0.5)
    drawing = regrad_viz.draw(mlp_output(2, [3, 1], inputs=[x, x**2]))
    page, log = open_html(write_page_of_text(tmp_path / "fixed.html", drawing.to_html(full_page=False)), width=width)
    where = (
        "el => ['.rv-bar', '.rv-info', '.rv-stage'].map(s => {"
        " const b = el.querySelector(s).getBoundingClientRect(); return [s, b.x, b.y, b.width, b.height]; })"
    )
    before = page.locator("div.regrad-viz").evaluate(where)
    overflowing = 0
    for _ in range(len(drawing.graph.steps)):
        page.click("button.rv-next")
        assert page.locator("div.regrad-viz").evaluate(where) == before
        overflowing += page.eval_on_selector(".rv-info", "el => el.scrollHeight > el.clientHeight + 1")
    for _ in range(3):
        page.click("button.rv-prev")
        assert page.locator("div.regrad-viz").evaluate(where) == before
    if width == 390:
        assert overflowing > 0  # long messages scroll inside their fixed area
    assert page.eval_on_selector(".rv-info", "el => getComputedStyle(el).overflowY") == "auto"
    assert log.problems() == []


#: every box's classes and gradient line, every mark of the step shown and every edge label, in order
STEPPER_STATE = """el => [
  Array.from(el.querySelectorAll('g[data-node]')).map(g => {
    const line = g.querySelector('.rv-grad');
    return [g.getAttribute('class'), line && line.textContent, line && line.getAttribute('class')];
  }),
  Array.from(el.querySelectorAll('g[data-src]')).map(g => g.getAttribute('class')),
  Array.from(el.querySelectorAll('.rv-label')).map(g => g.textContent),
  el.querySelector('.rv-info').textContent,
  el.querySelector('.rv-count').textContent,
]"""


def test_viz_browser_next_shows_what_a_replay_from_the_start_shows(tmp_path, open_html):
    """Next applies only its own step; Prev and End replay from the start: the drawing must not tell them apart."""
    x = Var(0.5)
    root = mlp_output(2, [3, 1], inputs=[x, x**2])
    root.backward(retain_graph=True)
    drawing = regrad_viz.draw(root, show_adjoints=True)  # drawn adjoints, which the first step clears
    page, log = open_html(drawing.save(tmp_path / "replay.html"))
    panel = page.locator("div.regrad-viz")
    n = len(drawing.graph.steps)
    one_by_one = [panel.evaluate(STEPPER_STATE)]
    for _ in range(n):
        page.click("button.rv-next")
        one_by_one.append(panel.evaluate(STEPPER_STATE))
    panel.focus()
    page.keyboard.press("Home")
    page.keyboard.press("End")
    assert panel.evaluate(STEPPER_STATE) == one_by_one[n]
    for step in range(n - 1, -1, -1):
        page.click("button.rv-prev")
        assert panel.evaluate(STEPPER_STATE) == one_by_one[step], step
    assert one_by_one[1] != one_by_one[0] and one_by_one[n] != one_by_one[n - 1]  # something did change
    assert log.problems() == []


#: record which boxes any change in the drawing's nodes touches, until CHANGED_BOXES collects them
WATCH_BOXES = """el => {
  el.changedBoxes = new Set();
  const note = (records) => records.forEach((r) => {
    const g = (r.target.nodeType === 1 ? r.target : r.target.parentNode).closest('g[data-node]');
    if (g) el.changedBoxes.add(g.getAttribute('data-node'));
  });
  el.watcher = new MutationObserver(note);
  const everything = { subtree: true, attributes: true, childList: true, characterData: true };
  el.watcher.observe(el.querySelector('.rv-nodes'), everything);
  el.noteRecords = () => note(el.watcher.takeRecords());
}"""
CHANGED_BOXES = "el => { el.noteRecords(); el.watcher.disconnect(); return Array.from(el.changedBoxes).sort(); }"


def test_viz_browser_next_touches_only_the_boxes_of_its_step(tmp_path, open_html):
    x = Var(0.5)
    drawing = regrad_viz.draw(mlp_output(2, [3, 1], inputs=[x, x**2]))
    graph = drawing.graph
    page, log = open_html(drawing.save(tmp_path / "next.html"))
    panel = page.locator("div.regrad-viz")
    page.click("button.rv-next")  # the first step starts every box from the start
    for number in range(2, len(graph.steps) + 1):
        step, before = graph.steps[number - 1], graph.steps[number - 2]
        # its box, the one whose mark goes, and the inputs it sends a gradient to
        touched = {graph.nodes[step.node].id, graph.nodes[before.node].id}
        touched |= {graph.nodes[graph.edges[edge].src].id for edge, _, _, flows in step.sends if flows}
        panel.evaluate(WATCH_BOXES)
        page.click("button.rv-next")
        assert set(panel.evaluate(CHANGED_BOXES)) <= touched, number
    assert log.problems() == []


def test_viz_browser_messages_name_what_the_boxes_show(tmp_path, open_html):
    g, _, _ = original_example()
    drawing = regrad_viz.draw(g)
    page, log = open_html(drawing.save(tmp_path / "names.html"))
    intro = page.inner_text(".rv-info")
    assert "Add (val 24.7041)" in intro and not re.search(r"\bn\d+\b", intro)
    for step in range(1, len(drawing.graph.steps) + 1):
        page.click("button.rv-next")
        text = page.inner_text(".rv-info")
        assert text.startswith(f"Step {step} of ")
        assert not re.search(r"\bn\d+\b", text), text  # no internal ids: they appear nowhere in the picture
        active = page.locator("g.rv-active")
        title = active.locator("text.rv-title").text_content()
        value = active.locator("text.rv-val").text_content()
        assert title in text, (title, text)
        if f"{title} (val" in text:  # several boxes say "Add": the value tells which one
            assert f"{title} ({value})" in text
        for send in drawing.graph.steps[step - 1].sends:  # every input is named as its box reads
            assert drawing.lines[drawing.graph.edges[send[0]].src][0][0] in text
    assert log.problems() == []


def test_viz_browser_hover_shows_a_long_name_whole(tmp_path, open_html):
    w = Var(0.5, req_grad=True, name="layers.0.neurons.1.w.0")
    y = (w * 3.0).relu()
    page, log = open_html(regrad_viz.draw(y).save(tmp_path / "long.html"))
    leaf = page.locator("g[data-kind='leaf']")
    assert leaf.locator("text.rv-title").text_content() == "L0.N1.w0"
    leaf.hover()
    assert "layers.0.neurons.1.w.0" in page.inner_text(".rv-tip")
    page.click("button.rv-next")
    assert "L0.N1.w0" not in page.inner_text(".rv-info")  # step 1 is the root's
    page.keyboard.press("End")
    assert "L0.N1.w0" in page.inner_text(".rv-info")
    assert log.problems() == []


def test_viz_browser_narrow_screen_buttons_stay_whole(tmp_path, open_html):
    path = regrad_viz.draw(sigmoid()).save(tmp_path / "narrow.html")
    page, log = open_html(path, width=390, height=800)
    controls = page.locator(".rv-bar button, .rv-bar select, .rv-bar label, .rv-count")
    assert controls.count() >= 9
    # one line: the boxes of a control's contents (its words, a list inside a label) all overlap one height
    lines = controls.evaluate_all(
        "els => els.map(el => { const r = document.createRange(); r.selectNodeContents(el);"
        " const boxes = Array.from(r.getClientRects()).filter(b => b.height > 0);"
        " const oneLine = Math.max(...boxes.map(b => b.top)) < Math.min(...boxes.map(b => b.bottom));"
        " return [el.textContent, oneLine, el.getBoundingClientRect().right]; })"
    )
    for text, one_line, right in lines:
        assert one_line, text  # no button breaks in the middle of its words
        assert right <= 390, text
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing sticks out sideways
    assert log.problems() == []


# --------------------------------------------------------- the palette


def palette(page, scope="div.regrad-viz"):
    """The colours a reader sees, as [r, g, b] lists."""
    return page.locator(scope).first.evaluate(
        """el => {
          const rgb = (node, prop) => getComputedStyle(node)[prop].match(/[\\d.]+/g).slice(0, 3).map(Number);
          const q = (s) => el.querySelector(s);
          return {
            panel: rgb(el, 'backgroundColor'), ink: rgb(el, 'color'),
            bar: rgb(q('.rv-bar'), 'backgroundColor'), button: rgb(q('button.rv-next'), 'backgroundColor'),
            buttonInk: rgb(q('button.rv-next'), 'color'), stage: rgb(q('.rv-stage'), 'backgroundColor'),
            edge: rgb(q('.rv-edges path'), 'stroke'),
            leaf: rgb(q('.rv-leaf > rect'), 'fill'), leafInk: rgb(q('.rv-leaf text'), 'fill'),
            op: rgb(q('.rv-op > rect'), 'fill'), opInk: rgb(q('.rv-op text'), 'fill'),
            tip: rgb(q('.rv-tip'), 'backgroundColor'), tipInk: rgb(q('.rv-tip'), 'color'),
          };
        }"""
    )


def contrast(a, b):
    """The WCAG contrast ratio of two sRGB colours."""

    def luminance(rgb):
        channels = [c / 255 for c in rgb]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def is_dark(colours):
    return sum(colours["panel"]) < 3 * 60


def check_readable(colours):
    assert contrast(colours["ink"], colours["panel"]) >= 7
    assert contrast(colours["buttonInk"], colours["button"]) >= 4.5
    assert contrast(colours["edge"], colours["stage"]) >= 3
    assert contrast(colours["leafInk"], colours["leaf"]) >= 4.5
    assert contrast(colours["opInk"], colours["op"]) >= 4.5
    assert contrast(colours["tipInk"], colours["tip"]) >= 7
    # the node colours stay recognisable: the leaf is a clear blue, the op a neutral grey
    r, g, b = colours["leaf"]
    assert b > r + 80 and b > g + 40
    assert max(colours["op"]) - min(colours["op"]) < 20


@pytest.mark.parametrize(
    ("body", "scheme", "dark"),
    [
        ("", "light", False),  # a page that says nothing: the reader's system setting
        ("", "dark", True),
        ("data-md-color-scheme='slate'", "light", True),  # MkDocs Material, dark scheme, on a light system
        ("data-md-color-scheme='default'", "dark", False),  # ... light scheme, on a dark system
        ("data-jp-theme-light='false'", "light", True),  # a dark JupyterLab theme
        ("data-jp-theme-light='true'", "dark", False),
    ],
)
def test_viz_browser_panel_follows_the_page_palette(tmp_path, open_html, body, scheme, dark):
    a = Var(-4.0, req_grad=True, name="a")
    fragment = regrad_viz.draw(a + a**2).to_html(full_page=False)
    page, log = open_html(write_page_of_text(tmp_path / "palette.html", fragment, body=body), scheme=scheme)
    colours = palette(page)
    assert is_dark(colours) is dark
    check_readable(colours)
    page.click("button.rv-next")  # the stepper's marks follow too
    label = page.locator(".rv-label rect").first
    if label.count():
        fill = label.evaluate("el => getComputedStyle(el).fill")
        assert (fill == "rgb(255, 244, 230)") is (not dark)
    assert log.problems() == []


def test_viz_browser_full_page_follows_the_system_palette(tmp_path, open_html):
    path = regrad_viz.draw(sigmoid()).save(tmp_path / "dark.html")
    page, log = open_html(path, scheme="dark")
    assert is_dark(palette(page))
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(13, 16, 20)"
    assert log.problems() == []


# ------------------------------------------------- blocked and failed


def relu_graph():
    """y = relu(a * b) + a, with the ReLU off (a * b = -2)."""
    a = Var(1.0, req_grad=True, name="a")
    b = Var(-2.0, req_grad=True, name="b")
    return (a * b).relu() + a


def step_to(page, title):
    """Press Next until the node titled ``title`` runs its backward."""
    while True:
        page.click("button.rv-next")
        if page.locator("g.rv-active text.rv-title").text_content() == title:
            return


def test_viz_browser_shows_where_no_gradient_flows(tmp_path, open_html):
    drawing = regrad_viz.draw(relu_graph())  # the ReLU is off: the core reports that no gradient flows
    page, log = open_html(drawing.save(tmp_path / "blocked.html"))
    relu = page.locator("g[data-node]", has=page.locator("text.rv-title", has_text="Relu"))
    assert relu.locator("rect").evaluate("el => getComputedStyle(el).strokeDasharray") != "none"
    assert "no gradient flows here" in page.inner_text(".rv-legend-html")
    step_to(page, "Relu")
    info = page.inner_text(".rv-info")
    assert "No gradient flows here" in info and "does not go past it" in info
    relu_id = relu.get_attribute("data-node")
    assert page.locator(f"g.rv-edge.rv-noflow[data-dst='{relu_id}']").count() == 1
    assert page.locator(".rv-label").count() == 0  # it sends nothing
    relu.hover()
    assert "no gradient flows here" in page.inner_text(".rv-tip")
    assert log.problems() == []


class Explodes(regrad.Op):
    """A user's op whose derivative rule fails: the graph still draws, and the stepper stops there."""

    def forward(self, x):
        return x

    def derivatives(self, z, x):
        raise ZeroDivisionError("float division by zero")


def failing_graph():
    a = Var(1.0, req_grad=True, name="a")
    b = Var(-2.0, req_grad=True, name="b")
    return regrad.apply(Explodes, a * b) + a


def test_viz_browser_shows_a_failed_backward(tmp_path, open_html):
    message = "ZeroDivisionError: float division by zero"
    drawing = regrad_viz.draw(failing_graph())
    n = len(drawing.graph.steps)
    page, log = open_html(drawing.save(tmp_path / "failed.html"))
    assert "backward failed here" in page.inner_text(".rv-legend-html")
    page.keyboard.press("Tab")  # keyboard users reach the drawing with Tab
    page.keyboard.press("End")
    assert count_text(page) == f"step {n} / {n}" and page.is_disabled("button.rv-next")
    info = page.inner_text(".rv-info")
    assert "Explodes" in info and "backward failed" in info and message in info and "stops here" in info
    rect = page.locator("g.rv-active > rect")
    assert rect.evaluate("el => getComputedStyle(el).stroke") == "rgb(224, 49, 49)"
    assert page.locator("g.rv-active text.rv-val").text_content() == "val -2.0000"  # the forward value stays
    assert log.problems() == []
