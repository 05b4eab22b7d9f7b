"""What a drawing says and writes: node texts, grads, escaping, exports, errors.

The data the viewer reads is described at the top of ``static/viewer.js``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
from drawing_texts import node_texts, page_data

import regrad
import regrad_viz
from regrad import Var
from regrad_viz import GraphError
from regrad_viz.labels import adjoint_texts


def pow_graph():
    a = Var(-4.0, req_grad=True, name="a")
    return a, a + a**2


# ------------------------------------------------------------------ content


def test_viz_node_shows_op_args_value_and_name():
    _a, y = pow_graph()
    texts = node_texts(regrad_viz.draw(y).to_svg())
    assert ["a", "val -4.0000", ""] in texts.values()
    assert ["Pow", "power=2", "val 16.0000", ""] in texts.values()
    assert ["Add", "val 12.0000", ""] in texts.values()
    texts = node_texts(regrad_viz.draw(y, decimals=1).to_svg())
    assert ["Pow", "power=2", "val 16.0", ""] in texts.values()


def test_viz_leaf_grad_after_backward_is_shown():
    a, y = pow_graph()
    y.backward(retain_graph=True)
    assert a.grad == 2 * -4.0 + 1  # d(a + a^2)/da = 1 + 2a
    texts = node_texts(regrad_viz.draw(y).to_svg())
    assert ["a", "val -4.0000", "grad -7.0000"] in texts.values()


def test_viz_adjoints_match_torch():
    """show_adjoints prints dL/d(node) of every node, as "adj"; compare with PyTorch float64."""
    torch = pytest.importorskip("torch")
    x = Var(0.5, req_grad=True, name="x")
    y = 1 / (1 + (-x).exp())
    texts = node_texts(regrad_viz.draw(y, show_adjoints=True, decimals=6).to_svg())
    tx = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    neg = -tx
    e = neg.exp()
    s = 1 + e
    out = 1 / s
    for t in (neg, e, s, out):
        t.retain_grad()
    out.backward()
    expected = {
        "Neg": neg.grad.item(),
        "Exp": e.grad.item(),
        "Add": s.grad.item(),
        "Div": out.grad.item(),
        "x": tx.grad.item(),
    }
    by_title = {lines[0]: lines for lines in texts.values()}
    for title, grad in expected.items():
        assert by_title[title][-1] == f"adj {grad:.6f}", title


def test_viz_stepper_data_follows_backward_steps():
    x = Var(0.5, req_grad=True, name="x")
    y = 1 / (1 + (-x).exp())
    data = page_data(regrad_viz.draw(y).to_html())
    steps = regrad.backward_steps(y)
    assert len(data["steps"]) == len(steps)
    for step_data, step in zip(data["steps"], steps):
        assert data["nodes"][step_data["node"]]["name"] == (step.node.label or step.node.name)
        assert float(step_data["grad_exact"]) == step.grad
        sent = [float(send["sent"]) for send in step_data["sends"]]
        assert sent == pytest.approx(list(step.input_grads), abs=1e-4)
        assert step_data["blocked"] is False and step_data["error"] is None
    # the last sends into x accumulate to x's gradient from a real backward
    y.backward(retain_graph=True)
    into_x = [send for step in data["steps"] for send in step["sends"] if data["nodes"][send["input"]]["name"] == "x"]
    assert float(into_x[-1]["total_exact"]) == x.grad


def test_viz_stepper_data_has_the_fields_viewer_js_reads_and_no_others():
    """The drawing's size is not sent: the viewer reads it from the SVG's viewBox."""
    a = Var(-4.0, req_grad=True, name="a")
    data = page_data(regrad_viz.draw(a + a**2).to_html())
    assert set(data) == {"nodes", "steps"}
    assert set(data["steps"][0]) == {"node", "grad", "grad_exact", "blocked", "error", "sends"}
    assert set(data["steps"][0]["sends"][0]) == {"edge", "input", "local", "sent", "flows", "total", "total_exact"}


def test_viz_boxes_have_room_for_every_sum_the_stepper_writes():
    """The box sizes (labels.adjoint_texts) and the stepper's data count the same running sums."""
    x = Var(0.5, req_grad=True, name="x")
    drawing = regrad_viz.draw(x * x + (x * 3.0).tanh() * x)  # x receives four times
    data = page_data(drawing.to_html())
    written = [[] for _ in data["nodes"]]
    written[data["steps"][0]["node"]].append("adj " + data["steps"][0]["grad"])
    for step in data["steps"]:
        for send in step["sends"]:
            if send["flows"]:
                written[send["input"]].append("adj " + send["total"])
    assert adjoint_texts(drawing.graph, drawing.decimals) == written
    assert len(written[[n["name"] for n in data["nodes"]].index("x")]) == 4


def test_viz_stepper_shows_local_derivatives():
    """Each send is grad x local derivative; for Pow(2) at a=-4 the local one is 2a = -8."""
    _a, y = pow_graph()
    data = page_data(regrad_viz.draw(y).to_html())
    pow_step = next(s for s in data["steps"] if data["nodes"][s["node"]]["name"] == "Pow")
    (send,) = pow_step["sends"]
    assert (send["local"], send["sent"], send["flows"]) == ("-8.0000", "-8.0000", True)


def test_viz_kinds_and_colours():
    a = Var(2.0, req_grad=True)
    c = Var(3.0)  # no-grad Var
    y = a * c + 5
    svg = regrad_viz.draw(y).to_svg()
    kinds = sorted(re.findall(r'data-kind="(\w+)"', svg))
    assert kinds == ["const", "const", "leaf", "op", "op"]
    assert "#1f4e8c" in svg and "#cfe3f7" in svg and "#e4e6e9" in svg
    legend = svg[svg.index('class="rv-legend"') :]
    legend = legend[: legend.index("</g>")]
    assert "data-" not in legend and "leaf" in legend and "constant" in legend


# ----------------------------------------------------------------- safety


EVIL = "<script>alert(1)</script>"


def test_viz_labels_are_escaped():
    x = Var(1.0, req_grad=True, name=EVIL)
    y = (x * 2).relu()
    y.name = "</script><!-- & \"quote'"
    drawing = regrad_viz.draw(y)
    for text in (drawing.to_svg(), drawing.to_html(), drawing.to_html(full_page=False)):
        assert EVIL not in text
        assert "<!--" not in text
    svg = drawing.to_svg()
    ET.fromstring(svg)  # still well-formed XML
    assert any(lines[0] == EVIL for lines in node_texts(svg).values())  # shown as text
    page = drawing.to_html()
    assert page.count("</script>") == 2  # the data block and the code block: nothing from a label
    data = page_data(page)
    assert data["nodes"][0]["name"] == "</script><!-- & \"quote' = Relu"
    assert any(n["name"] == EVIL for n in data["nodes"])


def test_viz_no_external_references():
    x = Var(0.5, req_grad=True)
    drawing = regrad_viz.draw(1 / (1 + (-x).exp()))
    for text in (drawing.to_html(), drawing.to_html(full_page=False)):
        low = text.lower()
        assert "<script src" not in low and not re.search(r"\ssrc=", low)
        assert "http://" not in low and "https://" not in low
        assert "@import" not in low and "url(" not in low and "<link" not in low
        assert "@font-face" not in low
        assert not re.search(r'\sid="', text)  # no ids: fragments can share a page
    svg = drawing.to_svg()
    assert re.findall(r"https?://[^\s\"]+", svg) == ["http://www.w3.org/2000/svg"]  # the namespace, never loaded


# ----------------------------------------------------------------- exports


def test_viz_dot_export():
    _a, y = pow_graph()
    dot = regrad_viz.draw(y, orientation="LR").to_dot()
    assert dot.startswith("digraph regrad {") and "rankdir=LR;" in dot
    assert sorted(re.findall(r"^\s+(n\d+) -> (n\d+);$", dot, re.M)) == [("n1", "n0"), ("n1", "n2"), ("n2", "n0")]
    assert 'label="Pow\\npower=2\\nval 16.0000"' in dot
    if shutil.which("dot"):
        out = subprocess.run(["dot", "-Tjson"], input=dot, capture_output=True, text=True, check=True).stdout
        parsed = json.loads(out)
        assert len(parsed["objects"]) == 3 and len(parsed["edges"]) == 3


def test_viz_dot_export_escapes_quotes():
    x = Var(1.0, req_grad=True, name='say "hi" \\o/')
    dot = regrad_viz.draw(x * 2).to_dot()
    assert 'say \\"hi\\" \\\\o/' in dot
    if shutil.which("dot"):
        subprocess.run(["dot", "-Tplain"], input=dot, capture_output=True, text=True, check=True)


def test_viz_mermaid_export():
    x = Var(1.0, req_grad=True, name='a"<b>#')
    y = x**2 + 1
    mermaid = regrad_viz.draw(y, orientation="BT").to_mermaid()
    lines = mermaid.splitlines()
    assert lines[0] == "flowchart BT"
    nodes = [line for line in lines if re.match(r'\s+n\d+\[".*"\]:::(leaf|const|op)$', line)]
    assert len(nodes) == 4
    assert len([line for line in lines if "-->" in line]) == 3
    assert "a#34;#60;b#62;#35;" in mermaid and '"<b>' not in mermaid
    assert "classDef leaf fill:#1f4e8c" in mermaid


# ----------------------------------------------------------------- files


def test_viz_save_by_extension(tmp_path):
    _, y = pow_graph()
    drawing = regrad_viz.draw(y)
    assert drawing.save(tmp_path / "g.svg").read_text().startswith("<svg")
    assert drawing.save(tmp_path / "g.html").read_text().startswith("<!DOCTYPE html>")
    assert drawing.save(tmp_path / "g.dot").read_text().startswith("digraph")
    with pytest.raises(ValueError, match=r"extension '\.png'.*\.html"):
        drawing.save(tmp_path / "g.png")
    with pytest.raises(ValueError, match=r"use \.html, \.htm, \.svg, \.dot, \.gv or \.mmd$"):
        drawing.save(tmp_path / "g.txt")
    with pytest.raises(ValueError, match="extension ''"):
        drawing.save(tmp_path / "noext")


def test_viz_draw_to_html_names(tmp_path, monkeypatch):
    _, y = pow_graph()
    monkeypatch.chdir(tmp_path)
    assert regrad_viz.draw_to_html(y, "computed_graph_pow") == "computed_graph_pow.html"
    assert (tmp_path / "computed_graph_pow.html").read_text().startswith("<!DOCTYPE html>")
    path = regrad_viz.draw_to_html(y, tmp_path / "sub.htm", "BT")
    assert path == str(tmp_path / "sub.htm") and (tmp_path / "sub.htm").exists()
    # any other name gets .html: the file is always a page
    assert regrad_viz.draw_to_html(y, "graph.v2") == "graph.v2.html"
    assert regrad_viz.draw_to_html(y, "graph.svg") == "graph.svg.html"
    assert (tmp_path / "graph.svg.html").read_text().startswith("<!DOCTYPE html>")


def test_viz_jupyter_reprs():
    _, y = pow_graph()
    drawing = regrad_viz.draw(y)
    assert drawing._repr_svg_().startswith("<svg")
    fragment = drawing._repr_html_()
    assert fragment.startswith('<div class="regrad-viz"') and fragment.endswith("</div>")
    assert fragment == drawing.to_html(full_page=False)
    assert "<html" not in fragment and "<body" not in fragment


def test_viz_drawing_writes_html_two_ways_only():
    """to_html (a page, or a fragment) and save(path): to_html_fragment is gone."""
    assert not hasattr(regrad_viz.Drawing, "to_html_fragment")
    public = sorted(name for name in dir(regrad_viz.Drawing) if not name.startswith("_"))
    assert public == [
        "decimals",
        "graph",
        "layout",
        "lines",
        "orientation",
        "save",
        "title",
        "to_dot",
        "to_html",
        "to_mermaid",
        "to_svg",
    ]


# ------------------------------------------------------------------ errors


def test_viz_draws_after_backward_with_the_same_steps_and_every_gradient(tmp_path):
    _, y = pow_graph()
    before = regrad_viz.draw(y)
    y.backward()
    after = regrad_viz.draw(y)  # as in micrograd and PyTorch + torchviz: drawing after backward is the normal flow
    assert page_data(after.to_html())["steps"] == page_data(before.to_html())["steps"]
    texts = {lines[0]: lines for lines in node_texts(after.to_svg()).values()}
    assert texts["a"][-1] == "grad -7.0000"  # the leaf's kept .grad: 1 + 2a
    assert texts["Add"][-1] == texts["Pow"][-1] == "adj 1.0000"  # every node's dL/d(node), by default
    path = regrad_viz.draw_to_html(y, str(tmp_path / "after"))
    assert path.endswith("after.html")
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        y.backward()  # drawing changed nothing: a second backward still says what to do


def test_viz_node_cap_error_says_how_to_draw_a_subgraph():
    x = Var(0.1, req_grad=True)
    y = x
    for _ in range(20):
        y = y * 1.01
    # 20 Mul + 20 constants + x = 41 nodes
    assert len(regrad_viz.draw(y, max_nodes=41).graph.nodes) == 41
    with pytest.raises(GraphError, match=r"max_nodes=40.*subgraph") as info:
        regrad_viz.draw(y, max_nodes=40)
    assert "intermediate Var" in str(info.value)


def test_viz_bad_arguments():
    _, y = pow_graph()
    with pytest.raises(ValueError, match="orientation must be one of TB, BT, LR, RL"):
        regrad_viz.draw(y, orientation="XY")
    with pytest.raises(ValueError, match="decimals"):
        regrad_viz.draw(y, decimals=-1)
    with pytest.raises(ValueError, match="max_nodes"):
        regrad_viz.draw(y, max_nodes=0)
    with pytest.raises(TypeError, match=r"regrad\.Var"):
        regrad_viz.draw(3.0)


def test_viz_drawing_changes_neither_graph_nor_grads():
    a = Var(-4.0, req_grad=True)
    b = Var(3.0, req_grad=True)  # a * b + b**3 = 15: the ReLU is on, so every leaf gets a gradient
    y = (a * b + b**3).relu() + a
    y.backward(retain_graph=True)
    before = (a.grad, b.grad)
    vars_, stack, seen = [], [y], set()
    while stack:
        v = stack.pop()
        if id(v) not in seen:
            seen.add(id(v))
            vars_.append(v)
            stack.extend(v.src or ())
    snapshot = [(v.val, v.grad, v.src, v.op, v.label) for v in vars_]
    drawing = regrad_viz.draw(y, show_adjoints=True)
    drawing.to_html()
    drawing.to_svg()
    assert [(v.val, v.grad, v.src, v.op, v.label) for v in vars_] == snapshot
    # a second backward behaves exactly as if nothing had been drawn: grads accumulate
    y.backward()
    assert (a.grad, b.grad) == (2 * before[0], 2 * before[1])


def test_viz_no_grad_root_draws_without_steps():
    with regrad.no_grad():
        y = Var(2.0, req_grad=True) * 3
    page = regrad_viz.draw(Var(1.0) + 2).to_html()
    assert page_data(page)["steps"] == []
    assert len(regrad_viz.draw(y).graph.nodes) == 1


def test_viz_nan_and_inf_values_draw():
    x = Var(float("inf"), req_grad=True)
    y = x * 0.0  # nan
    drawing = regrad_viz.draw(y)
    assert "val nan" in drawing.to_svg() and "val inf" in drawing.to_svg()
    page_data(drawing.to_html())  # valid JSON (no bare NaN)


def test_viz_fragment_css_is_scoped():
    """Every rule of the fragment's stylesheet applies inside .regrad-viz only."""
    _, y = pow_graph()
    fragment = regrad_viz.draw(y).to_html(full_page=False)
    css = re.search(r"<style>(.*?)</style>", fragment, re.S).group(1)
    selectors = re.findall(r"([^{}]+)\{[^{}]*\}", css)
    assert len(selectors) > 10
    for group in selectors:
        # the selectors of a group are separated by commas outside parentheses (":is(a, b)" is one)
        for selector in re.split(r",(?![^()]*\))", group):
            assert selector.strip().startswith(".regrad-viz"), selector
