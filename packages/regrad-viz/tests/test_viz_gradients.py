"""What a box says about gradients, and the legend that says which is which.

A leaf's kept ``.grad`` reads ``grad ...``; an adjoint dL/d(node) from the
backward trace reads ``adj ...`` in italics. Nodes that pass no gradient and a
backward that failed are marked, and the legend explains each mark it uses.
The blocked and failed marks come from the core's backward trace: an off
ReLU, and a user's op whose derivative rule raises.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html import unescape

import pytest

import regrad
import regrad_viz
from regrad import Var
from regrad_viz.labels import ADJOINT_INK, BLOCKED_COLOUR, FAILED_COLOUR, LEGEND

SVG = "{http://www.w3.org/2000/svg}"


def boxes(svg_text):
    """{first line of the box: {"texts": [...], "classes": [...], "g": element}}."""
    out = {}
    for g in ET.fromstring(svg_text).iter(SVG + "g"):
        if "data-node" in g.attrib:
            texts = g.findall(SVG + "text")
            out[texts[0].text] = {"texts": [t.text or "" for t in texts], "lines": texts, "g": g}
    return out


def legend_words(svg_text):
    legend = next(g for g in ET.fromstring(svg_text).iter(SVG + "g") if g.get("class") == "rv-legend")
    return [t.text for t in legend.iter(SVG + "text")]


def html_legend(html_text):
    bar = re.search(r'<div class="rv-legend-html">(.*?)</div>', html_text, re.S).group(1)
    return [unescape(words) for words in re.findall(r"</span>([^<]+)</span>", bar)]


def page_data(html_text):
    match = re.search(r'<script type="application/json" class="rv-data">(.*?)</script>', html_text, re.S)
    return json.loads(match.group(1))


class Explodes(regrad.Op):
    """A user's op whose derivative rule raises ``error``."""

    error: Exception = ZeroDivisionError("float division by zero")

    def forward(self, x):
        return x

    def derivatives(self, z, x):
        raise self.error


def failing_graph(error=None):
    """y = Explodes(a * b) + a: the backward of Explodes fails."""

    class Failing(Explodes):
        pass

    Failing.__name__ = "Explodes"
    if error is not None:
        Failing.error = error
    a = Var(1.0, req_grad=True, name="a")
    b = Var(-2.0, req_grad=True, name="b")
    return regrad.apply(Failing, a * b) + a


def relu_graph():
    """y = relu(a * b) + a, with the ReLU off (a * b = -2): no gradient flows through it."""
    a = Var(1.0, req_grad=True, name="a")
    b = Var(-2.0, req_grad=True, name="b")
    return (a * b).relu() + a


# ---------------------------------------------------------- grad and adj


def mul_graph():
    """y = a * b + a at a = 1, b = -2: every node passes a gradient on."""
    a = Var(1.0, req_grad=True, name="a")
    b = Var(-2.0, req_grad=True, name="b")
    return a * b + a


def test_viz_kept_grad_and_adjoint_read_and_look_different():
    y = mul_graph()
    y.backward(retain_graph=True)
    texts = boxes(regrad_viz.draw(y, show_adjoints=True).to_svg())
    # leaves: their own .grad, upright, in the box's text colour
    assert texts["a"]["texts"][-1] == "grad -1.0000" and texts["b"]["texts"][-1] == "grad 1.0000"
    kept = texts["a"]["lines"][-1]
    assert kept.get("class") == "rv-grad" and kept.get("font-style") is None and kept.get("fill") == "#ffffff"
    # op nodes: their adjoint, which regrad keeps nowhere: "adj", italic, in the adjoint colour
    for title in ("Add", "Mul"):
        adjoint = texts[title]["lines"][-1]
        assert adjoint.text == "adj 1.0000"
        assert adjoint.get("class") == "rv-grad rv-adj"
        assert adjoint.get("font-style") == "italic" and adjoint.get("fill") == ADJOINT_INK["op"]


def test_viz_show_adjoints_none_follows_the_graph():
    """None (the default): adjoints when the graph has been through backward; True/False decide."""

    def adj_lines(drawing):
        return sorted(t for box in boxes(drawing.to_svg()).values() for t in box["texts"] if t.startswith("adj"))

    y = mul_graph()
    # Add and Mul receive 1, a 1 + b = -1, b a = 1; the leaves have no .grad, so they show adj too
    everything = ["adj -1.0000", "adj 1.0000", "adj 1.0000", "adj 1.0000"]
    assert adj_lines(regrad_viz.draw(y, show_adjoints=True)) == everything
    assert adj_lines(regrad_viz.draw(y)) == []  # not through backward: the boxes show values only
    y.backward(retain_graph=True)  # kept for another backward: the default still shows values only
    assert not regrad_viz.draw(y).graph.after_backward
    y.backward()  # through backward: the default shows every node's adjoint; the leaves show their .grad
    drawing = regrad_viz.draw(y)
    assert drawing.graph.after_backward
    assert adj_lines(drawing) == ["adj 1.0000", "adj 1.0000"]
    assert boxes(drawing.to_svg())["a"]["texts"][-1] == "grad -2.0000"  # two backward passes accumulated
    assert adj_lines(regrad_viz.draw(y, show_adjoints=False)) == []
    with pytest.raises(ValueError, match="show_adjoints"):
        regrad_viz.draw(y, show_adjoints="yes")


def test_viz_graph_after_backward_defaults_to_false():
    y = relu_graph()
    assert regrad_viz.draw(y).graph.after_backward is False


def test_viz_boxes_leave_room_for_the_stepper_sums():
    """The stepper writes the adjoint so far into a box: the box is wide enough for the widest sum."""
    x = Var(0.001, req_grad=True, name="x")
    y = x * 123456.0 + x * -123456.0 + x  # x's sum passes through 123456.0 on its way to 1.0
    drawing = regrad_viz.draw(y)
    i = next(i for i, node in enumerate(drawing.graph.nodes) if node.label == "x")
    width = drawing.layout.boxes[i][2]
    assert width >= len("adj 123456.0000") * 0.62 * 12


# ----------------------------------------------------------------- legend


def test_viz_legend_says_which_is_which():
    y = mul_graph()
    plain = regrad_viz.draw(y)
    assert legend_words(plain.to_svg()) == [LEGEND["leaf"], LEGEND["const"], LEGEND["op"]]
    # the HTML bar also explains "adj": its stepper writes adjoints into the boxes
    assert html_legend(plain.to_html()) == [LEGEND["leaf"], LEGEND["const"], LEGEND["op"], LEGEND["adj"]]
    y.backward(retain_graph=True)
    after = regrad_viz.draw(y, show_adjoints=True)
    words = legend_words(after.to_svg())
    assert words[-4:] == ["grad", LEGEND["grad"], "adj", LEGEND["adj"]]
    assert "kept" in LEGEND["grad"] and "not kept" in LEGEND["adj"]
    assert html_legend(after.to_html())[-2:] == [LEGEND["grad"], LEGEND["adj"]]
    # the legend's samples look like the lines they explain
    legend = next(g for g in ET.fromstring(after.to_svg()).iter(SVG + "g") if g.get("class") == "rv-legend")
    sample = next(t for t in legend.iter(SVG + "text") if t.text == "adj")
    assert sample.get("font-style") == "italic"
    assert '<span class="rv-sample rv-adj">adj</span>' in after.to_html()


def test_viz_legend_wraps_inside_the_drawing():
    a = Var(1.0, req_grad=True, name="a")
    y = (a * -2.0).relu() + regrad.apply(Explodes, a * 3.0)  # the backward meets the off ReLU, then Explodes fails
    drawing = regrad_viz.draw(y, show_adjoints=True)
    assert [node.title for node in drawing.graph.nodes if node.blocked] == ["Relu"]
    assert drawing.graph.steps[-1].error == "ZeroDivisionError: float division by zero"
    svg = ET.fromstring(drawing.to_svg())
    width = float(svg.get("width"))
    legend = next(g for g in svg.iter(SVG + "g") if g.get("class") == "rv-legend")
    rows = {float(rect.get("y")) for rect in legend.iter(SVG + "rect")}
    assert len(rows) >= 2  # seven entries do not fit one row of a small drawing
    for rect in legend.iter(SVG + "rect"):
        assert float(rect.get("x")) + float(rect.get("width")) <= width


# --------------------------------------------------- blocked and failed


def test_viz_blocked_node_is_marked_and_explained():
    y = relu_graph()
    drawing = regrad_viz.draw(y)
    svg = drawing.to_svg()
    relu = boxes(svg)["Relu"]["g"]
    assert "rv-blocked" in relu.get("class").split()
    rect = relu.find(SVG + "rect")
    assert rect.get("stroke") == BLOCKED_COLOUR and rect.get("stroke-dasharray")
    assert "no gradient flows here" in relu.find(SVG + "title").text
    # the edge into it is dashed like its border; the others are not
    dashed = [g for g in ET.fromstring(svg).iter(SVG + "g") if "data-src" in g.attrib]
    into = {g.get("data-dst"): g.find(SVG + "path").get("stroke-dasharray") for g in dashed}
    assert into[relu.get("data-node")] and into["n0"] is None
    assert LEGEND["blocked"] in legend_words(svg)
    assert LEGEND["blocked"] in html_legend(drawing.to_html())
    data = page_data(drawing.to_html())
    blocked = [step for step in data["steps"] if step["blocked"]]
    assert len(blocked) == 1 and blocked[0]["sends"] == []
    assert data["nodes"][blocked[0]["node"]]["name"] == "Relu"
    # the backward pass did not go past it: no step for the Mul below it
    assert "Mul" not in [data["nodes"][step["node"]]["name"] for step in data["steps"]]


def test_viz_failed_backward_is_marked_and_explained():
    y = failing_graph(ZeroDivisionError("Explodes divided by zero"))
    message = "ZeroDivisionError: Explodes divided by zero"
    drawing = regrad_viz.draw(y)
    svg = drawing.to_svg()
    relu = boxes(svg)["Explodes"]["g"]
    assert "rv-failed" in relu.get("class").split()
    assert relu.find(SVG + "rect").get("stroke") == FAILED_COLOUR
    assert f"backward failed here: {message}" in relu.find(SVG + "title").text
    assert LEGEND["failed"] in legend_words(svg)
    data = page_data(drawing.to_html())
    last = data["steps"][-1]
    assert last["error"] == message and last["sends"] == []
    assert data["nodes"][last["node"]]["name"] == "Explodes"
    assert all(step["error"] is None for step in data["steps"][:-1])
    # the forward values stay shown
    assert boxes(svg)["Explodes"]["texts"][1] == "val -2.0000"


def test_viz_failed_step_message_is_made_safe():
    y = failing_graph(ValueError("bad\x00value </script>\ud800"))
    drawing = regrad_viz.draw(y)
    page = drawing.to_html()
    page.encode("utf-8")
    assert page_data(page)["steps"][-1]["error"] == "ValueError: bad\\x00value </script>\ufffd"
    ET.fromstring(drawing.to_svg())


def test_viz_failed_node_carries_its_message_made_safe_once():
    """The trace marks the failing node with its (safe) message; SVG and data read it from the graph as it is."""
    y = failing_graph(ValueError("bad\x00value <b> & \ud800"))
    drawing = regrad_viz.draw(y)
    graph = drawing.graph
    message = "ValueError: bad\\x00value <b> & \ufffd"
    assert [node.error for node in graph.nodes if node.error is not None] == [message]
    assert graph.nodes[graph.steps[-1].node].error == graph.steps[-1].error == message
    # escaped for XML at output, once: the hover text reads back exactly as the message
    title = boxes(drawing.to_svg())["Explodes"]["g"].find(SVG + "title").text
    assert title.endswith(f"backward failed here: {message}")
    assert page_data(drawing.to_html())["steps"][-1]["error"] == message


def test_viz_a_pytorch_style_op_whose_backward_raises_still_draws():
    """The issue's case: a user's op written PyTorch's way, whose backward(grad) raises."""

    class Broken(regrad.Op):
        __slots__ = ("x",)

        def forward(self, x):
            self.x = x
            return 2.0 * x

        def backward(self, grad):
            raise ArithmeticError("my backward is not written yet")

    a = Var(1.5, req_grad=True, name="a")
    y = regrad.apply(Broken, a * a) + a
    drawing = regrad_viz.draw(y)
    last = drawing.graph.steps[-1]
    assert drawing.graph.nodes[last.node].title == "Broken"
    assert last.error == "ArithmeticError: my backward is not written yet"
    assert boxes(drawing.to_svg())["Broken"]["texts"][1] == "val 4.5000"  # the forward values are shown
    assert page_data(drawing.to_html())["steps"][-1]["error"] == last.error
