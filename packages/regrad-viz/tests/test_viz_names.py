"""Names in a drawing: long dotted paths abbreviated in the box, and any name safe in every format."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
from drawing_texts import SVG, node_texts, page_data

import regrad
import regrad_viz
from regrad import Var
from regrad_viz.labels import box_title
from regrad_viz.names import abbreviate, safe_text


def tooltips(svg_text):
    """{data-node: its <title> text} from an SVG."""
    return {
        g.attrib["data-node"]: g.find(SVG + "title").text
        for g in ET.fromstring(svg_text).iter(SVG + "g")
        if "data-node" in g.attrib
    }


class Neuron(regrad.Op):
    """A stand-in for a fused neuron op: y = w * x, with string arguments as such an op will carry."""

    __slots__ = ("activation", "neuron", "w", "x")
    arg_names = ("neuron", "activation")

    def __init__(self, neuron: str, activation: str) -> None:
        self.neuron = neuron
        self.activation = activation

    def forward(self, w: float, x: float) -> float:
        self.w, self.x = w, x
        return w * x

    def backward(self, grad: float) -> tuple[float, float]:
        return grad * self.x, grad * self.w


# ------------------------------------------------------------ abbreviation


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("layers.0.neurons.1.w.0", "L0.N1.w0"),
        ("layers.2.neurons.0.b", "L2.N0.b"),
        ("layers.0.neurons.1", "L0.N1"),  # a neuron op's argument: the same prefix as its parameters
        ("encoder.layers.11.attn.w", "encoder.L11.attn.w"),  # words without an index stay
        ("blocks.3.Weight.2", "B3.W2"),
        ("x.0", "x.0"),  # short names stay whole
        ("learning_rate", "learning_rate"),  # no dot
        ("3.14159265358979", "3.14159265358979"),  # a number, not a path
        ("a.b.c.d.e.f.g.h", "a.b.c.d.e.f.g.h"),  # nothing to shorten
    ],
)
def test_viz_abbreviation_rule(name, short):
    assert abbreviate(name) == short


def test_viz_long_dotted_names_are_abbreviated_in_the_box_and_whole_on_hover():
    w = Var(0.5, req_grad=True, name="layers.0.neurons.1.w.0")
    b = Var(0.1, req_grad=True, name="layers.0.neurons.1.b")
    x = Var(2.0, name="x")
    y = w * x + b
    y.name = "layers.0.neurons.1.out"
    drawing = regrad_viz.draw(y)
    svg = drawing.to_svg()
    titles = {lines[0] for lines in node_texts(svg).values()}
    assert {"L0.N1.w0", "L0.N1.b", "L0.N1.out = Add", "x"} <= titles
    hover = "\n".join(tooltips(svg).values())
    for full in ("layers.0.neurons.1.w.0", "layers.0.neurons.1.b", "layers.0.neurons.1.out = Add"):
        assert full in hover
    # the stepper's messages name the boxes as the boxes show them
    names = [node["name"] for node in page_data(drawing.to_html())["nodes"]]
    assert "L0.N1.w0" in names and "L0.N1.out = Add" in names
    # the text exports carry the box texts too
    assert "L0.N1.w0" in drawing.to_dot() and "L0.N1.w0" in drawing.to_mermaid()


def test_viz_box_title_abbreviates_only_the_users_name():
    w = Var(0.5, req_grad=True, name="layers.0.neurons.1.w.0")
    c = Var(2.0)
    h = (w * c).relu()
    h.name = "layers.0.neurons.1.out"
    y = h + Var(1.0, req_grad=True)
    nodes = {node.title: node for node in regrad_viz.draw(y).graph.nodes}
    assert box_title(nodes["layers.0.neurons.1.out = Relu"]) == "L0.N1.out = Relu"  # a named op node
    assert box_title(nodes["layers.0.neurons.1.w.0"]) == "L0.N1.w0"  # a named leaf
    assert [box_title(nodes[title]) for title in ("Add", "Mul", "Var", "const")] == ["Add", "Mul", "Var", "const"]
    long = Var(1.0, name="x" * 60)
    assert box_title(regrad_viz.draw(long).graph.nodes[0]) == "x" * 47 + "\u2026"  # cut, whole on hover


def test_viz_string_op_arguments_are_abbreviated_by_the_same_rule():
    w = Var(0.5, req_grad=True, name="layers.0.neurons.1.w.0")
    y = regrad.apply(Neuron, w, 3.0, neuron="layers.0.neurons.1", activation="relu")
    svg = regrad_viz.draw(y).to_svg()
    lines = next(lines for lines in node_texts(svg).values() if lines[0] == "Neuron")
    assert lines[1] == "neuron=L0.N1, activation=relu"
    hover = next(text for text in tooltips(svg).values() if text.startswith("Neuron"))
    assert "neuron='layers.0.neurons.1', activation='relu'" in hover


# ------------------------------------------------------------------ safety

#: names that have broken drawings: control characters, quotes, backslashes,
#: newlines, markup, a lone surrogate, and text in other scripts
NASTY = [
    "x\x0cy",
    'say "hi"',
    "back\\slash\\",
    "two\nlines\r\n\ttab",
    "</script><!--",
    "a\ud800",
    "\udfff",
    "梯度",
    "🔥 loss",
    "del\x7f c1\x85 nonchar\ufffe",
]


def test_viz_safe_text_rule():
    assert safe_text("x\x0cy") == "x\\x0cy"
    assert safe_text("two\nlines") == "two\\x0alines"
    assert safe_text("a\ud800") == "a\ufffd"
    assert safe_text("del\x7f c1\x85") == "del\\x7f c1\\x85"
    for fine in ('say "hi"', "back\\slash", "</script>", "梯度", "🔥 loss", ""):
        assert safe_text(fine) == fine


class Odd(regrad.Op):
    """An op whose name and argument carry a control character, as a user's op might."""

    __slots__ = ("tag",)
    arg_names = ("tag",)

    def __init__(self, tag: str) -> None:
        self.tag = tag

    @property
    def name(self) -> str:
        return "Odd\x0bOp"

    def forward(self, x: float) -> float:
        return x

    def backward(self, grad: float) -> tuple[float]:
        return (grad,)


def nasty_graph():
    leaves = [Var(float(k), req_grad=True, name=name) for k, name in enumerate(NASTY)]
    total = leaves[0]
    for k, leaf in enumerate(leaves[1:]):
        total = total * leaf
        total.name = NASTY[-1 - k]  # op nodes named too: "name = Mul"
    return regrad.apply(Odd, total, tag="t\x00g\ud800")


def test_viz_every_format_carries_any_name(tmp_path):
    drawing = regrad_viz.draw(nasty_graph(), show_adjoints=True)
    svg = drawing.to_svg()
    root = ET.fromstring(svg)  # parses as XML
    assert root.tag == SVG + "svg"
    texts = [line for lines in node_texts(svg).values() for line in lines]
    for shown in ("x\\x0cy", "two\\x0alines\\x0d\\x0a\\x09tab", "a\ufffd", "\ufffd", "梯度", "🔥 loss"):
        assert shown in texts, shown
    assert "Odd\\x0bOp" in texts and "tag=t\\x00g\ufffd" in texts
    page = drawing.to_html()
    fragment = drawing.to_html(full_page=False)
    dot = drawing.to_dot()
    mermaid = drawing.to_mermaid()
    for text in (svg, page, fragment, dot, mermaid):
        text.encode("utf-8")  # no lone surrogate left: any UTF-8 file can hold it
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\ud800-\udfff]", text)
    assert page.count("</script>") == 2 and "<!--" not in page
    assert any(n["name"] == "a\ufffd" for n in page_data(page)["nodes"])
    # the SVG inside the page parses as XML too (with the namespace the HTML parser supplies)
    inner = (
        re.search(r"<svg .*?</svg>", page, re.S)
        .group(0)
        .replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    )
    ET.fromstring(inner)
    for suffix in (".html", ".svg", ".dot", ".mmd"):
        assert drawing.save(tmp_path / f"graph{suffix}").stat().st_size > 0
    # before names were made safe, a lone surrogate made draw_to_html fail half-way
    regrad_viz.draw_to_html(nasty_graph(), tmp_path / "nasty")
    assert (tmp_path / "nasty.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz dot")
@pytest.mark.parametrize("orientation", ["TB", "LR"])
def test_viz_dot_accepts_every_name(orientation):
    dot = regrad_viz.draw(nasty_graph(), orientation=orientation).to_dot()
    result = subprocess.run(["dot", "-Tsvg"], input=dot.encode("utf-8"), capture_output=True, check=False)
    assert result.returncode == 0 and not result.stderr, result.stderr.decode()
    ET.fromstring(result.stdout)  # and what dot draws from it is XML too
    # one label per name, each carried as shown in the box
    for name in ("x\\\\x0cy", 'say \\"hi\\"', "back\\\\slash\\\\", "梯度", "🔥 loss"):
        assert f'label="{name}\\n' in dot, name


@pytest.mark.parametrize("name", NASTY)
def test_viz_each_name_alone_draws_in_every_format(name):
    x = Var(1.5, req_grad=True, name=name)
    y = (x * 2).relu()
    y.name = name
    drawing = regrad_viz.draw(y, show_adjoints=True)
    ET.fromstring(drawing.to_svg())
    for text in (drawing.to_html(), drawing.to_dot(), drawing.to_mermaid()):
        text.encode("utf-8")
    if shutil.which("dot"):
        subprocess.run(["dot", "-Tplain"], input=drawing.to_dot().encode("utf-8"), capture_output=True, check=True)
