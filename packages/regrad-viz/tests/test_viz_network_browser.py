"""In Chromium: the network drawing (network.js), and the graph viewer's update hook that pages like it use.

Every page is opened from a file:// URL with every other request blocked
(``tests/support/browser.py``, through the fixtures of ``conftest.py``).
"""

from __future__ import annotations

from html import escape

import pytest
from browser import EVERYTHING_STARTED, have_chromium, open_page, write_page_of_text
from example_graphs import mlp_output

import regrad_viz
from regrad import Var
from regrad_viz import draw_network
from regrad_viz.graph import collect_graph
from regrad_viz.html import drawing_data
from regrad_viz.labels import all_lines
from regrad_viz.svg import node_tooltip

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not have_chromium(), reason="needs the Debian chromium package at /usr/bin/chromium"),
]
pytest.importorskip("playwright.sync_api", reason="needs the playwright Python package")

WEIGHTS = [[[0.5, -1.0], [1.5, 0.25], [-0.75, 0.1]], [[1.0, -0.5, 2.0]]]


def line_state(page):
    return page.eval_on_selector_all(
        "path.rv-weight",
        "lines => lines.map(l => [l.getAttribute('class'), l.getAttribute('stroke-width')])",
    )


# ------------------------------------------------------------ the network drawing


def test_network_page_hover_zoom_and_new_numbers(tmp_path, open_html):
    path = draw_network([2, 3, 1], WEIGHTS, biases=[[0.0, 0.1, 0.2], [0.3]]).save(tmp_path / "net.html")
    page, log = open_html(path)
    assert page.eval_on_selector("div.rv-network", "el => el.dataset.rvNetworkReady") == "1"
    assert page.locator("svg title").count() == 0  # the panel below replaces the SVG titles

    page.hover("g.rv-neuron[data-layer='1'][data-index='1']")
    assert page.inner_text(".rv-tip") == "L0.N1\nbias = 0.1"
    page.dispatch_event("path.rv-weight >> nth=1", "mouseenter")  # the lines cross: hovering one by position is luck
    assert page.inner_text(".rv-tip") == "x.1 \u2192 L0.N0\nweight = -1"

    def drawn_width():
        return page.eval_on_selector("svg.rv-svg", "el => el.getBoundingClientRect().width")

    view = drawn_width()
    page.click("button.rv-in")
    assert drawn_width() > view
    page.click("button.rv-fit")
    assert drawn_width() == pytest.approx(view)

    before = line_state(page)
    assert before[0][0] == "rv-weight rv-positive" and before[1][0] == "rv-weight rv-negative"
    new_weights = [[[-0.5, 1.0], [1.5, 0.25], [-0.75, 0.1]], [[1.0, -0.5, 2.0]]]
    pictures = [[[[1.0, -1.0], [0.5, 0.0]], None], [None, None, None], [[[2.0]]]]
    page.eval_on_selector(
        "div.rv-network",
        "(el, update) => el.regradViz.update(update)",
        {"weights": new_weights, "pictures": pictures, "scale": 4.0},
    )
    after = line_state(page)
    assert after[0][0] == "rv-weight rv-negative" and after[1][0] == "rv-weight rv-positive"
    assert float(after[8][1]) < float(before[8][1])  # the same weight, against a larger scale: thinner
    hrefs = page.eval_on_selector_all("image.rv-picture", "images => images.map(i => i.getAttribute('href'))")
    assert hrefs[0].startswith("data:image/png;base64,") and hrefs[5].startswith("data:image/png;base64,")
    assert hrefs[1] is None and hrefs[2] is None
    page.dispatch_event("path.rv-weight >> nth=0", "mouseenter")
    assert page.inner_text(".rv-tip").endswith("weight = -0.5")  # the hover text follows
    assert log.problems() == []


def test_network_and_graph_drawings_share_a_page_in_both_palettes(tmp_path, open_html):
    x = Var(0.5, req_grad=True, name="x")
    graph = regrad_viz.draw((x * 3).relu()).to_html(full_page=False)
    network = draw_network([2, 3, 1], WEIGHTS).to_html(full_page=False)
    path = write_page_of_text(tmp_path / "both.html", graph, network)
    backgrounds = {}
    for scheme in ("light", "dark"):
        page, log = open_html(path, scheme=scheme)
        # each script started its own drawing, and only that one
        assert page.locator("div.regrad-viz[data-rv-ready='1']").count() == 1
        assert page.locator("div.rv-network[data-rv-network-ready='1']:not([data-rv-ready])").count() == 1
        page.click("div.regrad-viz:not(.rv-network) button.rv-next")
        assert page.locator(".rv-active").count() == 1
        # both scripts carry the shell (zoom, drag, focus): + zooms its own drawing, by one step, once
        widths = "els => els.map(el => el.querySelector('svg.rv-svg').getBoundingClientRect().width)"
        graph_width, network_width = page.eval_on_selector_all("div.regrad-viz", widths)
        page.click("div.rv-network button.rv-in")
        assert page.eval_on_selector_all("div.regrad-viz", widths) == [
            graph_width,
            pytest.approx(network_width * 1.25, abs=0.1),
        ]
        backgrounds[scheme] = page.eval_on_selector("div.rv-network", "el => getComputedStyle(el).backgroundColor")
        colour = page.eval_on_selector("path.rv-positive", "el => getComputedStyle(el).stroke")
        assert colour == ("rgb(28, 126, 214)" if scheme == "light" else "rgb(77, 171, 247)")
        assert log.problems() == []
    assert backgrounds == {"light": "rgb(255, 255, 255)", "dark": "rgb(22, 25, 29)"}


def test_graph_viewer_leaves_network_drawings_to_their_own_script(tmp_path, browser):
    """viewer.js starts only the div.regrad-viz that are not .rv-network, whatever their markup says."""
    graph = regrad_viz.draw(Var(0.5, req_grad=True, name="x").relu()).to_html(full_page=False)
    network = draw_network([2, 3, 1], WEIGHTS).to_html(full_page=False)
    for fragments in [(graph, network), (network, graph)]:
        path = write_page_of_text(tmp_path / "both.html", *fragments)
        page, log = open_page(browser, path.as_uri())
        page.wait_for_function(
            "document.querySelector('div.rv-network[data-rv-network-ready]')"
            " && document.querySelector('div.regrad-viz:not(.rv-network)[data-rv-ready]')"
        )
        assert page.get_attribute("div.rv-network", "data-rv-ready") is None  # the graph viewer did not touch it
        assert page.get_attribute("div.regrad-viz:not(.rv-network)", "data-rv-ready") == "1"
        assert log.problems() == []
        page.close()


def test_drawings_in_a_notebook_frame_are_as_tall_as_the_screen_allows(tmp_path, browser):
    """A notebook shows an output in a frame whose height follows its content: there, the screen is the measure.

    Both kinds of drawing size their stage the same way (shell.js): as tall as
    the drawing at its scale, up to 85 % of the screen's height (at least
    240 px), not 85 % of a frame that has not grown yet.
    """
    tall_network = draw_network([2, 12, 1], [[[0.5, -1.0]] * 12, [[1.0] * 12]])
    x = Var(0.5)
    tall_graph = regrad_viz.draw(mlp_output(2, [3, 1], inputs=[x, x**2]))
    inner = write_page_of_text(
        tmp_path / "outputs.html", tall_network.to_html(full_page=False), tall_graph.to_html(full_page=False)
    )
    frame_height = 150  # a notebook's output frame before it grows to its content
    notebook = tmp_path / "notebook.html"
    notebook.write_text(
        "<!DOCTYPE html><html><body style='margin:0'>"
        f"<iframe srcdoc='{escape(inner.read_text(encoding='utf-8'), quote=True)}' "
        f"style='width:900px;height:{frame_height}px;border:0'></iframe></body></html>",
        encoding="utf-8",
    )
    page, log = open_page(browser, notebook.as_uri(), viewport=(1000, 800))
    frame = page.frames[1]
    frame.wait_for_function(EVERYTHING_STARTED)
    sizes = frame.eval_on_selector_all(
        "div.regrad-viz",
        """els => els.map(el => {
          const svg = el.querySelector('svg.rv-svg');
          const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
          return [el.querySelector('.rv-stage').clientHeight, svg.viewBox.baseVal.height * scale, screen.availHeight];
        })""",
    )
    for stage, drawn, screen in sizes:
        tallest = max(240, 0.85 * screen)
        assert stage == pytest.approx(min(drawn, tallest), abs=1.5)
        assert stage > 0.85 * frame_height + 100  # not sized by the frame
    page.close()
    assert log.problems() == []


# ------------------------------------------------------------ the graph viewer's update hook


def relu_product(x_value):
    """relu(x * w): the same graph for every x; for x < 0 the ReLU is off and blocks the gradient."""
    x = Var(x_value, name="x")
    w = Var(2.0, req_grad=True, name="w")
    return (x * w).relu()


def boxes(root, decimals=4):
    """What viewer.js's update takes for ``root``'s graph, as Python draws it: the data and each box's texts."""
    graph = collect_graph(root)
    data = drawing_data(graph, decimals)
    lines = all_lines(graph, decimals, show_adjoints=True)
    for i, node in enumerate(data["nodes"]):
        texts = dict((cls, text) for text, cls in lines[i])
        node["value"] = texts["rv-val"]
        node["grad"] = texts.get("rv-grad", texts.get("rv-grad rv-adj", ""))
        node["adjoint"] = "rv-grad rv-adj" in texts
        node["details"] = node_tooltip(graph, i)
        node["blocked"] = graph.nodes[i].blocked
    return data


def test_viewer_update_shows_new_numbers_in_the_same_drawing(tmp_path, open_html):
    path = regrad_viz.draw(relu_product(1.5), show_adjoints=True).save(tmp_path / "relu.html")
    page, log = open_html(path)
    root = "div.regrad-viz"
    assert page.locator(".rv-blocked").count() == 0
    assert page.inner_text(".rv-count") == "step 0 / 3"
    page.click("button.rv-next")
    page.click("button.rv-next")

    off = boxes(relu_product(-1.5))  # the ReLU is off now: one step, and it blocks
    page.eval_on_selector(root, "(el, data) => el.regradViz.update(data)", off)
    assert page.inner_text(".rv-count") == "step 1 / 1"  # the stepper stays at its step, or the last one
    relu_box = page.locator("g[data-node='n0']")
    assert "rv-blocked" in relu_box.get_attribute("class")
    assert relu_box.locator("rect").get_attribute("stroke-dasharray") is None  # the style sheet draws it now
    dashes = page.eval_on_selector("g[data-dst='n0'] path", "p => getComputedStyle(p).strokeDasharray")
    assert dashes == "4px, 3px"
    assert "No gradient flows here" in page.inner_text(".rv-info")
    assert page.text_content("g[data-node='n1'] .rv-val") == "val -3.0000"
    page.hover("g[data-node='n1']")
    assert "value = -3.0" in page.inner_text(".rv-tip")

    on = boxes(relu_product(0.25))
    page.eval_on_selector(root, "(el, data) => el.regradViz.update(data)", on)
    assert "rv-blocked" not in relu_box.get_attribute("class")
    assert page.eval_on_selector("g[data-dst='n0'] path", "p => getComputedStyle(p).strokeDasharray") == "none"
    page.click("button.rv-reset")
    assert (
        page.text_content("g[data-node='n3'] .rv-grad") == "adj 0.2500"
    )  # dL/dw = x, an adjoint: no backward() kept it
    page.click("button.rv-next")
    page.click("button.rv-next")
    page.click("button.rv-next")
    assert page.inner_text(".rv-count") == "step 3 / 3"
    assert "w" in page.inner_text(".rv-info") and "0.2500" in page.inner_text(".rv-info")
    assert log.problems() == []
