"""Layout invariants, read back from the SVG as a viewer would see it.

For the seed's graphs, MLPs and random expression graphs: every node drawn
once, every edge drawn once and pointing the right way for the orientation,
no two boxes overlapping, and no edge passing through a box other than its
own two ends. Plus determinism across processes.
"""

from __future__ import annotations

import math
import random
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import regrad_viz
from regrad import Var

SVG = "{http://www.w3.org/2000/svg}"


def mlp_output(nin, sizes, seed=0, inputs=None):
    """The seed's elementwise MLP: relu(b + w1*x1 + ... + wn*xn), last layer linear."""
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


def seed_graphs():
    a = Var(-4.0, req_grad=True)
    x = Var(0.5, req_grad=True)
    c = Var(0.5)
    return {
        "pow": a + a**2,
        "sigmoid": 1 / (1 + (-x).exp()),
        "mlp": mlp_output(2, [3, 1], inputs=[c, c**2]),
        "mlp441": mlp_output(2, [4, 4, 1]),
    }


def random_expression(seed: int, size: int) -> Var:
    """A random DAG: ops over earlier Vars and numbers, reusing Vars (fan-out)."""
    rng = random.Random(seed)
    pool = [Var(rng.uniform(0.5, 2), req_grad=True, name=f"x{i}") for i in range(rng.randint(1, 4))]
    pool.append(Var(1.5))  # a no-grad Var
    for _ in range(size):
        a, b = rng.choice(pool), rng.choice(pool)
        kind = rng.randrange(6)
        if kind == 0:
            v = a + b
        elif kind == 1:
            v = a * b
        elif kind == 2:
            v = a - rng.uniform(-2, 2)
        elif kind == 3:
            v = (a * 0.1).tanh()
        elif kind == 4:
            v = a**2
        else:
            v = 2.0 * b
        pool.append(v)
    terms = [v for v in pool if v.req_grad]
    return terms[-1] + terms[len(terms) // 2] if len(terms) > 1 else terms[0] * 3


def distinct_vars(root):
    """The Vars of root's graph and its (src, dst) edges, by an independent walk."""
    seen, order, edges, stack = set(), [], [], [root]
    while stack:
        v = stack.pop()
        if id(v) in seen:
            continue
        seen.add(id(v))
        order.append(v)
        for p in v.src or ():
            edges.append((p, v))
            stack.append(p)
    return order, edges


# --------------------------------------------------------------------------
# reading the SVG back


def parse_svg(svg_text):
    root = ET.fromstring(svg_text)
    boxes = {}
    for g in root.iter(SVG + "g"):
        if "data-node" in g.attrib:
            tx, ty = map(float, re.match(r"translate\(([-\d.]+) ([-\d.]+)\)", g.attrib["transform"]).groups())
            rect = g.find(SVG + "rect")
            w, h = float(rect.attrib["width"]), float(rect.attrib["height"])
            boxes[g.attrib["data-node"]] = (tx, ty, w, h, g.attrib["data-kind"])
    edges = []
    for g in root.iter(SVG + "g"):
        if "data-src" in g.attrib:
            edges.append((g.attrib["data-src"], g.attrib["data-dst"], g.find(SVG + "path").attrib["d"]))
    return root, boxes, edges


def path_points(d, samples=12):
    """Points along an SVG path made of M, L and C commands."""
    tokens = re.findall(r"[MLC]|-?\d+(?:\.\d+)?", d)
    pts, cur, i = [], None, 0
    while i < len(tokens):
        cmd = tokens[i]
        if cmd == "M":
            cur = (float(tokens[i + 1]), float(tokens[i + 2]))
            pts.append(cur)
            i += 3
        elif cmd == "L":
            nxt = (float(tokens[i + 1]), float(tokens[i + 2]))
            for t in range(1, samples + 1):
                f = t / samples
                pts.append((cur[0] + (nxt[0] - cur[0]) * f, cur[1] + (nxt[1] - cur[1]) * f))
            cur = nxt
            i += 3
        elif cmd == "C":
            c = [float(x) for x in tokens[i + 1 : i + 7]]
            p0, p1, p2, p3 = cur, (c[0], c[1]), (c[2], c[3]), (c[4], c[5])
            for t in range(1, samples + 1):
                f = t / samples
                g = 1 - f
                pts.append(
                    (
                        g**3 * p0[0] + 3 * g * g * f * p1[0] + 3 * g * f * f * p2[0] + f**3 * p3[0],
                        g**3 * p0[1] + 3 * g * g * f * p1[1] + 3 * g * f * f * p2[1] + f**3 * p3[1],
                    )
                )
            cur = p3
            i += 7
        else:
            raise AssertionError(f"unexpected path token {cmd!r}")
    return pts


def check_layout(root_var, orientation="TB", edges_avoid_boxes=True):
    drawing = regrad_viz.draw(root_var, orientation=orientation)
    _, boxes, edges = parse_svg(drawing.to_svg(legend=False))
    vars_, var_edges = distinct_vars(root_var)
    assert len(boxes) == len(vars_)
    assert len(edges) == len(var_edges)
    kinds = sorted(b[4] for b in boxes.values())
    expected = sorted("op" if v.op is not None else "leaf" if v.req_grad else "const" for v in vars_)
    assert kinds == expected
    # no two boxes overlap
    items = sorted(boxes.items(), key=lambda kv: kv[1][0] - kv[1][2] / 2)
    for i, (a, (ax, ay, aw, ah, _)) in enumerate(items):
        for b, (bx, by, bw, bh, _) in items[i + 1 :]:
            if bx - bw / 2 >= ax + aw / 2:
                break  # sorted by left edge: nothing further right can overlap a
            overlap_x = min(ax + aw / 2, bx + bw / 2) - max(ax - aw / 2, bx - bw / 2)
            overlap_y = min(ay + ah / 2, by + bh / 2) - max(ay - ah / 2, by - bh / 2)
            assert overlap_x <= 0 or overlap_y <= 0, f"boxes {a} and {b} overlap"
    # every edge points the way of the orientation
    for s, d, _ in edges:
        (sx, sy, *_), (dx, dy, *_) = boxes[s], boxes[d]
        ahead = {"TB": dy - sy, "BT": sy - dy, "LR": dx - sx, "RL": sx - dx}[orientation]
        assert ahead > 0, f"edge {s}->{d} does not go {orientation}"
    # no edge passes through a box other than its own ends
    for s, d, path in edges if edges_avoid_boxes else ():
        for px, py in path_points(path):
            for name, (x, y, w, h, _) in boxes.items():
                if name in (s, d):
                    continue
                inside = abs(px - x) < w / 2 - 0.5 and abs(py - y) < h / 2 - 0.5
                assert not inside, f"edge {s}->{d} cuts through node {name}"
    return drawing


@pytest.mark.parametrize("name", ["pow", "sigmoid", "mlp", "mlp441"])
def test_viz_layout_invariants_on_seed_graphs(name):
    check_layout(seed_graphs()[name])


@pytest.mark.parametrize("orientation", ["TB", "BT", "LR", "RL"])
def test_viz_layout_orientations(orientation):
    drawing = check_layout(seed_graphs()["mlp"], orientation)
    w, h = drawing.layout.width, drawing.layout.height
    if orientation in ("LR", "RL"):
        assert w > h  # layers run across: the MLP's many layers make it wide
    else:
        assert h > w * 0.5


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10**6), size=st.integers(1, 40), orientation=st.sampled_from(["TB", "BT", "LR", "RL"]))
def test_viz_layout_invariants_on_random_graphs(seed, size, orientation):
    check_layout(random_expression(seed, size), orientation)


def test_viz_layout_invariants_on_a_large_graph():
    check_layout(mlp_output(3, [12, 6, 1], seed=3))  # ~500 nodes


def test_viz_layout_shared_input_with_itself():
    a = Var(3.0, req_grad=True, name="a")
    drawing = check_layout(a * a)  # two edges between the same two nodes
    _, _, edges = parse_svg(drawing.to_svg())
    assert len({path for _, _, path in edges}) == 2  # drawn apart, not on top of each other


def test_viz_layout_is_deterministic_across_processes(tmp_path):
    """Same graph -> byte-identical files, even with a different hash seed."""
    code = (
        "import sys; sys.path.insert(0, {!r})\n"
        "from test_viz_layout import seed_graphs\n"
        "import regrad_viz\n"
        "for name, root in seed_graphs().items():\n"
        "    regrad_viz.draw(root).save(sys.argv[1] + '/' + name + '.html')\n"
    ).format(str(__import__("pathlib").Path(__file__).parent))
    for run, hashseed in (("a", "1"), ("b", "2")):
        out = tmp_path / run
        out.mkdir()
        subprocess.run(
            [sys.executable, "-c", code, str(out)],
            check=True,
            env={"PYTHONHASHSEED": hashseed, "PATH": "/usr/bin:/bin"},
        )
    here = {name: regrad_viz.draw(root).to_html() for name, root in seed_graphs().items()}
    for name in here:
        a = (tmp_path / "a" / f"{name}.html").read_text(encoding="utf-8")
        b = (tmp_path / "b" / f"{name}.html").read_text(encoding="utf-8")
        assert a == b == here[name]


def test_viz_layout_edges_are_short_for_a_chain():
    """A chain of unary ops is a straight column: every edge spans one layer."""
    x = Var(0.3, req_grad=True)
    y = x
    for _ in range(30):
        y = y.tanh()
    drawing = regrad_viz.draw(y)
    xs = {round(b[0], 1) for b in drawing.layout.boxes}
    assert len(xs) == 1
    assert sorted(drawing.layout.layers) == list(range(31))
    assert not math.isnan(drawing.layout.width)


def test_viz_layout_keeps_huge_fan_out_fast_and_valid():
    """x feeds ops at 400 depths: too many dummy nodes, so the longest edges go direct.

    The drawing stays valid (layers, no overlaps) though those edges may cross boxes.
    """
    x = Var(1.0001, req_grad=True, name="x")
    y = x
    for _ in range(400):
        y = y * x
    drawing = check_layout(y, edges_avoid_boxes=False)
    assert len(drawing.graph.nodes) == 401
